"""The admin side of spreadsheet import and export, shared by every model admin.

django-import-export's screens and preview/confirm flow are kept; what changes is that files
are read by our reader (CSV in UTF-8, BOM or CP932, XLSX, with limits), nothing is written
unless the whole file is sound (also on confirm), the stored upload is removed, and every
committed import leaves an ImportRecord.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from operations.cache import public_cache_bump

from .models import ImportKind, ImportRecord
from .tabular import EXPORT_FORMATS, IMPORT_FORMATS, GuardedXLSX, SpreadsheetError

MESSAGE_PROBLEMS = 20


class SpreadsheetAdminMixin(ImportExportMixin):
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_template_name = "admin/agreements/import.html"
    # ImportRecord and the history rows say who changed what; one LogEntry per row would not
    # scale to a national survey.
    skip_admin_log = True
    import_option_names = ()

    def add_data_read_fail_error_to_form(self, form, e):
        name = form.cleaned_data["import_file"].name
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", f"{name}: {e}")
        else:
            form.add_error(
                "import_file", _("%(name)s could not be read as CSV or XLSX.") % {"name": name}
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if request.method == "POST" and not context.get("confirm_form") and form is not None:
            upload = getattr(form, "cleaned_data", {}).get("import_file")
            stored_name = getattr(upload, "tmp_storage_name", None)
            if stored_name:
                # A refused file never reaches the confirm step: do not leave it in storage.
                self.get_tmp_storage_class()(
                    name=stored_name, read_mode="rb", **self.get_tmp_storage_class_kwargs()
                ).remove()
        return response

    def process_import(self, request, **kwargs):
        if self.has_import_permission(request) and not self._confirm_choices_known(request):
            messages.error(
                request,
                _("The confirmation was altered; nothing was changed. Upload the file again."),
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_import".format(*self.get_model_info()),
                    current_app=self.admin_site.name,
                )
            )
        try:
            return super().process_import(request, **kwargs)
        except (FileNotFoundError, SpreadsheetError):
            # Confirmed twice, or the upload was cleared as abandoned: never a server error.
            messages.error(
                request,
                _(
                    "The uploaded file is no longer available; nothing was changed. "
                    "Upload it again."
                ),
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_import".format(*self.get_model_info()),
                    current_app=self.admin_site.name,
                )
            )

    def _confirm_choices_known(self, request):
        """The confirm form's format and resource are positions in our own lists, which
        django-import-export looks up without a check (a server error otherwise)."""
        choices = {
            "format": self.get_import_formats(),
            "resource": self.get_import_resource_classes(request),
        }
        for name, options in choices.items():
            value = request.POST.get(name) or "0"
            if not (value.isascii() and value.isdigit() and int(value) < len(options)):
                return False
        return True

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing on confirm too: django-import-export would skip invalid rows.
        kwargs["rollback_on_validation_errors"] = True
        if form is not None and hasattr(form, "cleaned_data"):
            for name in self.import_option_names:
                if form.cleaned_data.get(name):
                    kwargs[name] = form.cleaned_data[name]
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in self.import_option_names:
                initial[name] = import_form.cleaned_data.get(name)
        return initial

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        result.sheet = getattr(dataset, "sheet", None)
        result.file_name = form.cleaned_data.get("original_file_name", "")
        return result

    def process_result(self, result, request):
        import_url = reverse(
            "admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name
        )
        if result.has_errors() or result.has_validation_errors():
            problems = [str(p) for p in getattr(result, "problems", [])] or [
                _("Row %(row)s: %(errors)s") % {"row": row.number, "errors": row.error_dict}
                for row in result.invalid_rows
            ]
            problems += [str(error.error) for error in result.base_errors]
            for line, errors in result.row_errors():
                problems += [
                    _("Row %(row)s: %(error)s") % {"row": line, "error": e.error} for e in errors
                ]
            shown = "; ".join(problems[:MESSAGE_PROBLEMS])
            if len(problems) > MESSAGE_PROBLEMS:
                shown += " " + _("… and %(n)s more.") % {"n": len(problems) - MESSAGE_PROBLEMS}
            messages.error(
                request,
                _("The file was refused and nothing was changed: %(problems)s")
                % {"problems": shown},
            )
            return HttpResponseRedirect(import_url)
        record = getattr(result, "import_record", None)
        if record is None:
            record = self.record_plain_import(result, request)
        return super().process_result(result, request)

    def record_plain_import(self, result, request):
        sheet = getattr(result, "sheet", None)
        changes = [
            f"{row.import_type}: {row.object_repr}"
            for row in result
            if row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
        ]
        record = ImportRecord.objects.create(
            user=request.user,
            kind=ImportKind.RECORDS,
            model_label=self.model._meta.label_lower,
            file_name=(getattr(result, "file_name", "") or "upload")[:255],
            file_size=sheet.size if sheet else 0,
            sha256=sheet.sha256 if sheet else "",
            created_count=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated_count=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            unchanged_count=result.totals[RowResult.IMPORT_TYPE_SKIP],
            summary="\n".join(changes[:200]),
        )
        result.import_record = record
        transaction.on_commit(public_cache_bump)
        return record

    def add_success_message(self, result, request):
        record = result.import_record
        plan = getattr(result, "import_plan", None)
        if plan is not None:
            summary = plan.summary_text()
        elif record.created_count or record.updated_count:
            summary = _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % {
                "new": record.created_count,
                "changed": record.updated_count,
                "unchanged": record.unchanged_count,
            }
        else:
            summary = _("No change: every row is already in the database.")
        messages.success(request, f"{record}. {summary}")

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # django-import-export keeps native numbers only for its own XLSX class, checked by
        # exact type; ours guards formulas and must keep numbers as numbers too.
        if isinstance(file_format, GuardedXLSX):
            data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
            return file_format.export_data(data)
        return super().get_export_data(file_format, request, queryset, **kwargs)


class StatisticsImportForm(ImportForm):
    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year"),
        required=False,
        min_value=1950,
        max_value=2100,
        help_text=gettext_lazy(
            "Required for the published layout, e.g. 2022 for April 2022 to March 2023. "
            "A plain table carries its own years; if you fill this in, they must agree."
        ),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        required=False,
        choices=[
            ("", "---"),
            ("inbound", gettext_lazy("Researchers from abroad (inbound)")),
            ("outbound", gettext_lazy("Researchers going abroad (outbound)")),
        ],
        help_text=gettext_lazy("Required for the published layout."),
    )


class StatisticsConfirmImportForm(ConfirmImportForm):
    academic_year = forms.IntegerField(widget=forms.HiddenInput(), required=False)
    direction = forms.CharField(widget=forms.HiddenInput(), required=False)

"""The admin side of spreadsheet import and export, shared by every records admin.

django-import-export's screens and preview/confirm flow are kept. Through its options and
hooks: files are read by our reader (with limits), the preview's plan and what it saw are
stored beside the upload, confirm applies that plan or refuses saying what changed, the
stored upload is removed whatever happens, a tampered confirm is a 400, and importing into
a model needs the rights to add and change what the import writes.
"""

import tablib
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin

from .formats import EXPORT_FORMATS, IMPORT_FORMATS, GuardedCSV, GuardedXLSX
from .forms import SpreadsheetConfirmForm, SpreadsheetExportForm, SpreadsheetImportForm
from .layouts import KINDS
from .models import ImportRecord
from .reading import SpreadsheetError
from .uploads import StoredUpload
from .writing import lock_tables

MESSAGE_PROBLEMS = 20
# The files an import layout's empty template comes as.
TEMPLATE_FORMATS = {"xlsx": GuardedXLSX, "csv": GuardedCSV}


class SpreadsheetAdminMixin(ImportExportMixin):
    """Mix into a ModelAdmin before the admin base; list resources in `resource_classes`.

    `import_resource_classes` (default: `resource_classes`) are offered on the import page;
    `import_option_names` are extra fields of `import_form_class` passed on to the import.
    """

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_template_name = "admin/imports/import.html"
    import_form_class = SpreadsheetImportForm
    confirm_form_class = SpreadsheetConfirmForm
    export_form_class = SpreadsheetExportForm
    import_resource_classes = None
    import_option_names = ()
    # ImportRecord and the history rows say who changed what; one LogEntry per row would not
    # scale to a national survey.
    skip_admin_log = True

    # -- who may import what -----------------------------------------------------------------

    def has_import_permission(self, request):
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def may_write(self, request, resource_class):
        """Whether the user may add and change every model the resource writes."""
        written = getattr(resource_class, "written_models", lambda: (self.model,))()
        return all(
            request.user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
            for model in written
            for action in ("add", "change")
        )

    def get_import_resource_classes(self, request):
        classes = self.import_resource_classes or super().get_import_resource_classes(request)
        allowed = [cls for cls in classes if self.may_write(request, cls)]
        if not allowed:
            raise PermissionDenied
        return allowed

    # -- preview -----------------------------------------------------------------------------

    def stored_upload(self, name):
        return StoredUpload(
            self.get_tmp_storage_class(), name, **self.get_tmp_storage_class_kwargs()
        )

    def add_data_read_fail_error_to_form(self, form, e):
        name = form.files["import_file"].name
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", f"{name}: {e}")
        else:
            form.add_error(
                "import_file", _("%(name)s could not be read as CSV or XLSX.") % {"name": name}
            )

    def import_action(self, request, **kwargs):
        try:
            response = super().import_action(request, **kwargs)
        except Exception:
            self.discard_upload(request)
            raise
        context = getattr(response, "context_data", None)
        if context is None:
            return response
        context["import_layouts"] = self.import_layouts(request)
        confirm_form = context.get("confirm_form")
        if request.method != "POST":
            return response
        if confirm_form is None:
            # A refused file never reaches the confirm step: do not leave it in storage.
            self.discard_upload(request)
            return response
        result = context["result"]
        if not result.has_changes():
            # Nothing to confirm: the page says so instead of offering a confirm that does nothing.
            del context["confirm_form"]
            context["nothing_to_change"] = True
            self.discard_upload(request)
            return response
        self.stored_upload(confirm_form.initial["import_file_name"]).save_preview(
            {
                "form": {
                    name: str(confirm_form.initial.get(name) or "")
                    for name in ("format", "resource", *self.import_option_names)
                },
                "sha256": result.sha256,
                "fingerprint": result.fingerprint,
                "basis": result.basis,
            }
        )
        return response

    def import_layouts(self, request):
        """Each layout the import page offers: its name, its columns and its templates."""
        kwargs = self.get_import_resource_kwargs(request)
        layouts = []
        for index, resource_class in enumerate(self.get_import_resource_classes(request)):
            resource = resource_class(**kwargs)
            layouts.append(
                {
                    "index": index,
                    "name": resource.get_display_name(),
                    "description": resource.import_description(),
                    "columns": resource.import_columns(),
                    "templates": [
                        (extension.upper(), self.template_url(index, extension))
                        for extension in TEMPLATE_FORMATS
                    ],
                }
            )
        return layouts

    def template_url(self, index, extension):
        return reverse(
            "admin:{}_{}_import_template".format(*self.get_model_info()),
            args=[index, extension],
            current_app=self.admin_site.name,
        )

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/template/<int:index>/<str:extension>/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, index, extension):
        """An empty sheet of one import layout, ready to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        classes = self.get_import_resource_classes(request)
        if index >= len(classes) or extension not in TEMPLATE_FORMATS:
            raise Http404
        resource = classes[index](**self.get_import_resource_kwargs(request))
        rows = resource.template_rows()
        width = max(len(row) for row in rows)
        padded = [list(row) + [""] * (width - len(row)) for row in rows]
        file_format = TEMPLATE_FORMATS[extension]()
        content = file_format.export_data(tablib.Dataset(*padded[1:], headers=padded[0]))
        response = HttpResponse(content, content_type=file_format.get_content_type())
        name = slugify(str(resource.get_display_name())) or "import"
        response["Content-Disposition"] = f'attachment; filename="{name}-template.{extension}"'
        return response

    def discard_upload(self, request):
        # The stored name is read from the uploaded file: a field error empties cleaned_data.
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            self.stored_upload(name).remove()

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["format_count"] = len(self.get_import_formats())
        kwargs["resource_count"] = len(self.get_import_resource_classes(request))
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in self.import_option_names:
                initial[name] = import_form.cleaned_data.get(name)
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing on confirm too: django-import-export would skip invalid rows.
        kwargs["rollback_on_validation_errors"] = True
        if form is not None and hasattr(form, "cleaned_data"):
            for name in self.import_option_names:
                if form.cleaned_data.get(name) not in (None, ""):
                    kwargs[name] = form.cleaned_data[name]
        return kwargs

    # -- confirm -----------------------------------------------------------------------------

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = self.create_confirm_form(request)
        # An empty POST makes an unbound form, which has no cleaned_data.
        form.is_valid()
        name = getattr(form, "cleaned_data", {}).get("import_file_name")
        if name is None:
            return self.bad_confirm(request, ", ".join(sorted(form.errors) or ["import_file_name"]))
        stored = self.stored_upload(name)
        try:
            if form.errors:
                return self.bad_confirm(request, ", ".join(sorted(form.errors)))
            preview = stored.load_preview()
            if preview is None:
                return self.upload_gone(request)
            altered = sorted(
                name
                for name, value in preview["form"].items()
                if str(form.cleaned_data.get(name) or "") != value
            )
            if altered:
                return self.bad_confirm(request, ", ".join(altered))
            return super().process_import(request, preview=preview, **kwargs)
        except (FileNotFoundError, SpreadsheetError):
            return self.upload_gone(request)
        finally:
            # Whatever the outcome, the upload has had its one confirm.
            stored.remove()

    def bad_confirm(self, request, fields):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "message": _(
                "The confirmation does not match the preview (%(fields)s); nothing was "
                "imported. Upload the file again."
            )
            % {"fields": fields},
        }
        return TemplateResponse(request, "admin/imports/bad_request.html", context, status=400)

    def import_page(self):
        return reverse(
            "admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name
        )

    def upload_gone(self, request):
        # Confirmed twice, or the upload was cleared as abandoned: never a server error.
        messages.error(
            request,
            _("The uploaded file is no longer available; nothing was changed. Upload it again."),
        )
        return HttpResponseRedirect(self.import_page())

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            problems = [str(problem) for problem in result.problems]
            problems += [str(error.error) for error in result.base_errors]
            for line, errors in result.row_errors():
                problems += [
                    _("Row %(row)s: %(error)s") % {"row": line, "error": e.error} for e in errors
                ]
            if not result.problems:
                problems += [
                    _("Row %(row)s: %(errors)s") % {"row": row.number, "errors": row.error_dict}
                    for row in result.invalid_rows
                ]
            shown = "; ".join(problems[:MESSAGE_PROBLEMS])
            hidden = len(problems) - MESSAGE_PROBLEMS + result.more_problems
            if hidden > 0:
                shown += " " + _("… and %(n)s more.") % {"n": hidden}
            messages.error(
                request,
                _("The file was refused and nothing was changed: %(problems)s")
                % {"problems": shown},
            )
            return HttpResponseRedirect(self.import_page())
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        record = result.import_record
        if result.plan is not None:
            summary = result.plan.summary_text()
        elif record.created_count or record.updated_count:
            summary = _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % {
                "new": record.created_count,
                "changed": record.updated_count,
                "unchanged": record.unchanged_count,
            }
        else:
            summary = _("No change: every row is already in the database.")
        messages.success(request, f"{record}. {summary}")

    # -- staff edits wait for a running import, and an import for them ----------------------

    def edited_models(self):
        return {self.model, *(inline.model for inline in self.inlines)}

    def _while_no_import(self, request, view, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic(using=router.db_for_write(self.model)):
            lock_tables(self.edited_models(), shared=True)
            return view(request, *args, **kwargs)

    def changeform_view(self, request, *args, **kwargs):
        return self._while_no_import(request, super().changeform_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._while_no_import(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._while_no_import(request, super().changelist_view, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        return self._while_no_import(request, super().history_form_view, *args, **kwargs)

    # -- export ------------------------------------------------------------------------------

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # django-import-export keeps native numbers only for its own XLSX class, checked by
        # exact type; ours guards formulas and must keep numbers as numbers too.
        if isinstance(file_format, GuardedXLSX):
            data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
            return file_format.export_data(data)
        return super().get_export_data(file_format, request, queryset, **kwargs)


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(KINDS.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Every committed spreadsheet import, read-only: the audit trail staff can search."""

    list_display = [
        "__str__",
        "created_at",
        "user",
        "kind_display",
        "scope",
        "created_count",
        "updated_count",
        "unchanged_count",
        "missing_count",
    ]
    list_filter = [KindFilter, "model_label", "scope"]
    search_fields = ["file_name", "sha256", "summary", "user__username", "scope"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_display(self, obj):
        return obj.kind_label

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ImportRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

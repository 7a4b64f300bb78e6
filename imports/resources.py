"""django-import-export resources that import whole files safely, through its own hooks.

Two kinds share one result class (`PlanResult`) and the same guarantees on confirm: the
import lock of the tables is taken before anything is read, the file is planned again, and
the plan is applied only if the records it was worked out against are as the preview saw
them.

- `LayoutResource` reads a layout (published tables with title lines, headings and totals):
  the layout's planner checks the whole sheet and the fast writer applies the plan.
- `RecordResource` imports a model's own export through django-import-export's row-by-row
  path, with the lock, the comparison and the import record added at its hooks.
"""

import hashlib
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Result, RowResult

from operations.cache import public_cache_bump

from .limits import DEFAULT_PREVIEW_ROWS
from .plans import ABSENT, Problem
from .reading import Sheet
from .text import fold, in_every_language
from .widgets import ChoiceLabelWidget
from .writing import ImportRefused, apply_plan, lock_tables, record_import

# simple-history keeps 100 characters of a version's reason.
REASON_LENGTH = 100


def preview_row_limit():
    from django.conf import settings

    return getattr(settings, "IMPORT_PREVIEW_ROWS", DEFAULT_PREVIEW_ROWS)


def sheet_of(dataset):
    """The rows as read: kept by our import format, rebuilt from any other Dataset."""
    sheet = getattr(dataset, "sheet", None)
    if sheet is not None:
        return sheet
    return Sheet(rows=[list(dataset.headers or [])] + [list(row) for row in dataset])


class PlanResult(Result):
    """An import's result: what was planned, why it was refused, and its record once done."""

    def __init__(self):
        super().__init__()
        self.plan = None
        self.import_record = None
        self.problems = []
        self.more_problems = 0
        self.hidden_row_count = 0
        self.sha256 = ""
        self.basis = {}
        self.fingerprint = ""
        # How the records differ from a preview's basis: a function of that basis.
        self.changed_since = lambda basis: []

    def has_changes(self):
        """Whether confirming would write anything."""
        if self.plan is not None:
            return any(writes.create or writes.update for writes in self.plan.writes.values())
        return any(
            self.totals[kind]
            for kind in (
                RowResult.IMPORT_TYPE_NEW,
                RowResult.IMPORT_TYPE_UPDATE,
                RowResult.IMPORT_TYPE_DELETE,
            )
        )

    def summary_text(self):
        if self.plan is not None:
            return self.plan.summary_text()
        counts = {
            "new": self.totals[RowResult.IMPORT_TYPE_NEW],
            "changed": self.totals[RowResult.IMPORT_TYPE_UPDATE],
            "unchanged": self.totals[RowResult.IMPORT_TYPE_SKIP],
        }
        return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % counts

    def changed_rows(self):
        """The rows that would change something, first on the preview, in file order."""
        return [row for row in self.valid_rows() if row.import_type != RowResult.IMPORT_TYPE_SKIP]

    def unchanged_rows(self):
        return [row for row in self.valid_rows() if row.import_type == RowResult.IMPORT_TYPE_SKIP]

    def refuse(self, problems, more=0):
        """Refuse the import: the problems become invalid rows, so the transaction rolls back."""
        self.problems = list(problems)
        self.more_problems = more
        for problem in self.problems:
            self.append_invalid_row(
                problem.row or 0,
                {"row": problem.row, "column": problem.column},
                _validation_error(problem),
            )

    def refuse_changed(self, lines):
        message = _(
            "The records this file was previewed against have changed since the preview: "
            "%(changes)s. Nothing was imported; upload the file again for a new preview."
        ) % {"changes": "; ".join(lines) or _("the file now reads differently")}
        self.refuse([Problem(None, "", message)])

    def show_plan(self, plan):
        """List the plan's rows for the preview: the new and changed first, up to the limit."""
        self.plan = plan
        self.diff_headers = list(plan.headers)
        shown = plan.rows
        limit = preview_row_limit()
        if len(plan.rows) > limit:
            shown = [row for row in plan.rows if row.import_type != RowResult.IMPORT_TYPE_SKIP]
            shown = shown[:limit]
        self.hidden_row_count = len(plan.rows) - len(shown)
        # The planned rows stand in for django-import-export's row results in the preview.
        self.rows.extend(shown)
        counts = plan.summary_counts()
        self.totals[RowResult.IMPORT_TYPE_NEW] = counts["new"]
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = counts["changed"]
        self.totals[RowResult.IMPORT_TYPE_SKIP] = counts["unchanged"]
        self.total_rows = len(plan.rows)


def _validation_error(problem):
    return ValidationError({problem.column or "file": [problem.message]})


def _check_preview(result, preview):
    """On confirm: refuse unless the records are as the preview saw them."""
    if preview and preview.get("fingerprint") != result.fingerprint:
        result.refuse_changed(result.changed_since(preview.get("basis", {})))
        return False
    return True


class LayoutResource(resources.ModelResource):
    """Import a layout whole: plan every row, then write the plan or nothing.

    Set `layout_class`, or override `layout_for()` to choose among layouts by content.
    `option_names` are the import form's extra choices (e.g. the academic year).
    """

    layout_class = None
    option_names = ()

    class Meta:
        use_transactions = True

    @classmethod
    def get_display_name(cls):
        return getattr(cls._meta, "name", None) or cls.layout_class.name

    def import_columns(self):
        """The layout's columns as the import page lists them."""
        columns = []
        for column in self.layout_class.columns:
            others = [s for s in column.spellings if fold(s) != fold(column.label)]
            columns.append(
                {
                    "label": column.label,
                    "example": column.example,
                    "required": column.required,
                    "note": "",
                    "spellings": others,
                }
            )
        return columns

    def import_description(self):
        return self.layout_class.description

    def template_rows(self):
        return self.layout_class.template_rows()

    def get_result_class(self):
        return PlanResult

    def layout_for(self, sheet, **options):
        return self.layout_class(**options)

    @classmethod
    def written_models(cls):
        return cls.layout_class.written_models()

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        # django-import-export has no hook for importing a file whole: its row loop costs
        # about six queries a row. Only the loop is replaced; import_data keeps its
        # transaction, its rollback of previews and refusals, and the result class.
        result = self.get_result_class()()
        sheet = sheet_of(dataset)
        options = {
            name: kwargs[name] for name in self.option_names if kwargs.get(name) not in (None, "")
        }
        layout = self.layout_for(sheet, **options)
        try:
            if not dry_run:
                lock_tables(layout.written_models())
            plan = layout.plan(sheet)
            result.show_plan(plan)
            result.sha256 = sheet.sha256
            result.basis = plan.basis
            result.fingerprint = plan.fingerprint()
            result.changed_since = plan.changed_since
            if plan.refused:
                result.refuse(plan.problems, plan.problem_count - len(plan.problems))
            elif _check_preview(result, kwargs.get("preview")) and not dry_run:
                result.import_record = apply_plan(
                    plan,
                    file_name=kwargs.get("file_name") or "upload",
                    file_size=sheet.size,
                    sha256=sheet.sha256,
                    user=kwargs.get("user"),
                )
        except ImportRefused as refusal:
            result.refuse(refusal.problems, refusal.more)
        return result


class RecordResource(resources.ModelResource):
    """A model's own export imported back, row by row, with the lock and the comparison."""

    import_kind = "records"

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_result_class(self):
        return PlanResult

    @classmethod
    def get_display_name(cls):
        if getattr(cls._meta, "name", None):
            return cls._meta.name
        return _("%(records)s: exported table") % {
            "records": capfirst(cls._meta.model._meta.verbose_name_plural)
        }

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        # Columns titled as the admin labels the fields, choices written as their labels.
        field = super().field_from_django_field(field_name, django_field, readonly)
        # Lazy: titled in the language of the export (and read in every language on import).
        field.column_name = capfirst(django_field.verbose_name)
        if django_field.choices:
            field.widget = ChoiceLabelWidget(django_field.choices)
        return field

    def model_field(self, field):
        try:
            return self._meta.model._meta.get_field(field.attribute)
        except FieldDoesNotExist:
            return None

    def import_columns(self):
        """The columns of the export, each with what it takes and a value from the records."""
        exported = self.export(self.get_queryset()[:1])
        example = dict(exported.dict[0]) if len(exported) else {}
        columns = []
        for field in self.get_import_fields():
            model_field = self.model_field(field)
            note = str(getattr(model_field, "help_text", "") or "")
            if getattr(model_field, "choices", None):
                note = " ".join(
                    [note, _("One of: %s.") % ", ".join(str(c[1]) for c in model_field.choices)]
                ).strip()
            columns.append(
                {
                    "label": field.column_name,
                    "example": example.get(field.column_name, ""),
                    "required": model_field is not None
                    and not model_field.blank
                    and not model_field.has_default(),
                    "note": note,
                }
            )
        return columns

    def get_import_id_fields_list(self):
        return [self.fields[name] for name in self.get_import_id_fields()]

    def import_description(self):
        return _(
            "The table this list exports, one row per record; rows are matched by %(keys)s."
        ) % {"keys": ", ".join(f"“{f.column_name}”" for f in self.get_import_id_fields_list())}

    def template_rows(self):
        return [self.get_export_headers()]

    @classmethod
    def written_models(cls):
        return (cls._meta.model,)

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        self.committing = not dry_run
        self.basis = {}
        return super().import_data(dataset, dry_run, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if self.committing:
            lock_tables(self.written_models())
        # Files exported before the columns had titles head them with field names; a file
        # exported from the Japanese admin has Japanese titles, read whatever the language.
        titles = {}
        for field in self.get_import_fields():
            title = str(field.column_name)
            for spelling in (*in_every_language(field.column_name), field.attribute):
                titles.setdefault(fold(spelling), title)
        if dataset.headers:
            dataset.headers = [titles.get(fold(header), header) for header in dataset.headers]

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # The version each row writes names the file, as the planned imports' versions do.
        reason = _("Imported from %(file)s") % {"file": kwargs.get("file_name") or _("an upload")}
        instance._change_reason = reason[:REASON_LENGTH]

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        # The file's line: the header is line 1.
        row_result.line = kwargs.get("row_number", 0) + 1
        label = _("%(what)s “%(name)s”") % {
            "what": self._meta.model._meta.verbose_name,
            "name": row_result.object_repr or _("row %(n)s") % {"n": kwargs.get("row_number")},
        }
        if row_result.original is None:
            state = ABSENT
        else:
            state = "; ".join(str(value) for value in self.export_resource(row_result.original))
        self.basis[f"{label} ({kwargs.get('row_number')})"] = state

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        sheet = sheet_of(dataset)
        result.sha256 = sheet.sha256
        result.basis = self.basis
        result.fingerprint = hashlib.sha256(
            json.dumps(sorted(self.basis.items()), ensure_ascii=False).encode()
        ).hexdigest()
        result.changed_since = self.changed_since
        if result.has_validation_errors() and not result.problems:
            # Listed like a layout's problems: the file's line and the column's title.
            titles = {name: field.column_name for name, field in self.fields.items()}
            result.problems = [
                Problem(row.number + 1, titles.get(name, "" if name == "__all__" else name), error)
                for row in result.invalid_rows
                for name, errors in row.error_dict.items()
                for error in errors
            ]
        if result.has_errors() or result.has_validation_errors():
            return
        if not _check_preview(result, kwargs.get("preview")) or not self.committing:
            return
        changes = [
            f"{row.import_type}: {row.object_repr}"
            for row in result
            if row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
        ]
        result.import_record = record_import(
            kind=self.import_kind,
            model=self._meta.model,
            file_name=kwargs.get("file_name"),
            file_size=sheet.size,
            sha256=sheet.sha256,
            user=kwargs.get("user"),
            counts={
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "changed": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": result.totals[RowResult.IMPORT_TYPE_SKIP],
            },
            scope="",
            lines=changes,
        )
        transaction.on_commit(public_cache_bump)

    def changed_since(self, previewed_basis, limit=20):
        lines = [
            _("%(what)s: %(then)s when previewed, %(now)s now")
            % {"what": label, "then": then, "now": self.basis.get(label, _("not in the file"))}
            for label, then in previewed_basis.items()
            if self.basis.get(label) != then
        ]
        return lines[:limit]

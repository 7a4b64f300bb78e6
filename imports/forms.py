"""The import and confirm forms every spreadsheet admin uses; domain apps add their choices."""

from django import forms
from django.utils.translation import gettext as _
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from operations.uploads import OversizedUpload

from .uploads import StoredUpload


class SpreadsheetImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].label = _("Layout of the file")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if isinstance(upload, OversizedUpload):
            raise forms.ValidationError(
                _(
                    "%(name)s: The file is %(size)s bytes; the limit is %(limit)s bytes "
                    "(IMPORT_MAX_UPLOAD_BYTES). Nothing of it was stored."
                )
                % {"name": upload.name, "size": f"{upload.size:,}", "limit": f"{upload.limit:,}"}
            )
        return upload


class SpreadsheetConfirmForm(ConfirmImportForm):
    """The hidden values of the confirm step, checked: a tampered one is a bad request."""

    def __init__(self, *args, format_count=1, resource_count=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.format_count = format_count
        self.resource_count = resource_count

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not StoredUpload.valid_name(name):
            raise forms.ValidationError(_("not the name of a stored upload"))
        return name

    def _index(self, name, count, required):
        value = self.cleaned_data.get(name) or ""
        if not value and not required:
            return value
        if not (value.isascii() and value.isdigit()) or int(value) >= count:
            raise forms.ValidationError(_("not one of the choices offered"))
        return value

    def clean_format(self):
        return self._index("format", self.format_count, required=True)

    def clean_resource(self):
        return self._index("resource", self.resource_count, required=False)


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The export form, its column checkboxes labelled with the columns' titles in the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].label = _("Layout of the file")
        for resource in self.resources:
            columns = resource().fields
            for name in resource().get_export_order():
                box = self.fields.get(self.create_boolean_field_name(resource, name))
                if box is not None and name in columns:
                    box.label = columns[name].column_name

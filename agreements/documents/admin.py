"""The documents inline of the agreement's admin page: the list, downloads and uploads."""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from operations.uploads import limit_uploads

from .checking import checked_pdf, max_document_bytes
from .models import AgreementDocument

# The inline's file fields ("documents-0-file", ...) take AGREEMENT_DOCUMENT_MAX_BYTES while
# the upload streams in, not the spreadsheet imports' limit.
limit_uploads(r"documents-\d+-file", max_document_bytes)


class AgreementDocumentForm(forms.ModelForm):
    # Not the model field's own form field: that limits the uploader's file name to the
    # stored name's length, and the uploader's name is kept only as data.
    file = forms.FileField(
        label=_("PDF file"),
        allow_empty_file=True,  # refused by checked_pdf, with the file's name
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = AgreementDocument
        fields = ["kind", "title", "signed_on", "file"]

    def __init__(self, *args, uploader=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploader = uploader
        self.checked = None
        # A document kept already may have its file replaced; a new one needs a file.
        self.fields["file"].required = self.instance.pk is None
        if self.instance.pk is not None:
            self.fields["file"].label = _("replace the PDF")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            self.checked = checked_pdf(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("DELETE"):
            # A document deleted goes with the file it had, whatever was chosen beside it.
            cleaned_data["file"] = self.initial.get("file")
            self.checked = None
        return cleaned_data

    def save(self, commit=True):
        document = super().save(commit=False)
        if self.checked is not None:
            document.original_name = self.checked.original_name
            document.size = self.checked.size
            document.sha256 = self.checked.sha256
            document.uploaded_by = self.uploader
            document.uploaded_at = timezone.now()
        if commit:
            document.save()
        return document


class AgreementDocumentFormSet(forms.BaseInlineFormSet):
    uploader = None

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "uploader": self.uploader}


class AgreementDocumentInline(admin.TabularInline):
    """The signed agreement and its amendments; Viewers see and download, editors upload."""

    model = AgreementDocument
    form = AgreementDocumentForm
    formset = AgreementDocumentFormSet
    extra = 0
    fields = ["kind", "title", "signed_on", "file", "stored_file"]
    readonly_fields = ["stored_file"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"uploader": request.user})

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj) and not self.has_add_permission(
            request, obj
        ):
            # Read-only, Django would link the file to a URL it does not have.
            fields = [name for name in fields if name != "file"]
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("stored file"))
    def stored_file(self, document):
        if document.pk is None:
            return "–"
        url = reverse(
            "agreement_document_download",
            kwargs={"agreement_id": document.agreement_id, "document_id": document.pk},
        )
        uploader = document.uploaded_by.get_username() if document.uploaded_by else "–"
        return format_html(
            '<a href="{url}" download>{name}</a><br>{size} · SHA-256 '
            '<code title="{sha}">{short}…</code><br>{by}, {at}',
            url=url,
            name=document.original_name,
            size=filesizeformat(document.size),
            sha=document.sha256,
            short=document.sha256[:12],
            by=uploader,
            at=date_format(timezone.localtime(document.uploaded_at), "SHORT_DATETIME_FORMAT"),
        )

"""The signed documents of an agreement: the signed PDF and its amendments."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .storage import document_path, document_storage


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("Signed agreement")
    AMENDMENT = "amendment", _("Amendment")


class AgreementDocument(models.Model):
    """A PDF kept for an agreement, in the private documents folder under a generated name.

    Replacing the file keeps the old one on disk: the previous version in the history names
    it, with its original name, size and SHA-256.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("agreement"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.SIGNED
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("What the document is, e.g. “Amendment 1: doctoral students included”."),
    )
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    file = models.FileField(
        _("PDF file"), upload_to=document_path, storage=document_storage, max_length=200
    )
    original_name = models.CharField(
        _("original file name"),
        max_length=255,
        help_text=_("The file's name as it was uploaded; downloads are given this name."),
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        validators=[RegexValidator(r"^[0-9a-f]{64}\Z")],
        help_text=_("Checksum of the file as uploaded: a copy with the same one is identical."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement_id", "signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="agreementdocument_kind_valid"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="agreementdocument_not_empty"),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()}: {self.original_name}"

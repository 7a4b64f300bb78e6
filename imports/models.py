"""The audit trail of spreadsheet imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .layouts import KINDS


class ImportRecord(models.Model):
    """One committed spreadsheet import: who loaded which file, when, and what it changed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
        help_text=_("Blank when the import ran on the command line."),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    kind = models.CharField(
        _("kind"), max_length=40, help_text=_('The layout read, e.g. "statistics".')
    )
    model_label = models.CharField(
        _("records"), max_length=100, help_text=_('e.g. "exchanges.exchangestatistic".')
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    scope = models.CharField(
        _("scope"),
        max_length=255,
        blank=True,
        help_text=_('What the file covers, when it says, e.g. "2022 inbound".'),
    )
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    missing_count = models.PositiveIntegerField(
        _("not in file"),
        default=0,
        help_text=_("Records in the database that the file does not mention; they were kept."),
    )
    summary = models.TextField(_("what changed"), blank=True)

    class Meta:
        default_permissions = ("view",)
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Import #%(number)s: %(file)s") % {"number": self.pk, "file": self.file_name}

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

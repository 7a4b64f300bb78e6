"""The published texts of the initiatives (aims, outcomes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imports.permissions import SPREADSHEET_PERMISSIONS


class Programme(models.Model):
    """The published text of an initiative: what it is for and what it has brought."""

    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        help_text=_("Fixed key the pages look the text up by, e.g. on-site-laboratories."),
    )
    name = models.CharField(_("name"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    aims = models.TextField(_("aims"), blank=True, help_text=_("One aim per line."))
    outcomes = models.TextField(
        _("outcomes and ripple effects"), blank=True, help_text=_("One outcome per line.")
    )
    website = models.URLField(_("website"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("programme text")
        verbose_name_plural = _("programme texts")
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name

    @property
    def aims_list(self):
        return [line.strip() for line in self.aims.splitlines() if line.strip()]

    @property
    def outcomes_list(self):
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

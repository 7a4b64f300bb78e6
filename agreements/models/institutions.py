"""The office's partners: universities, institutes and organisations abroad."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imports.permissions import SPREADSHEET_PERMISSIONS
from places.models import Country
from presentation.fields import ReadingField
from presentation.names import NamedInBothLanguages

from ..fields import UniqueSlugField

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    NETWORK = "network", _("Network or consortium")


class InstitutionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)


class InstitutionManager(models.Manager.from_queryset(InstitutionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Institution(NamedInBothLanguages, models.Model):
    """A partner: a university, institute, agency, organisation or network abroad."""

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_('English name as published, e.g. "University of Bordeaux".'),
    )
    name_ja = models.CharField(
        _("Japanese name"), max_length=255, blank=True, help_text=_("e.g. ボルドー大学")
    )
    name_ja_reading = ReadingField(_("reading of the Japanese name"), max_length=500)
    slug = UniqueSlugField(
        _("slug"),
        max_length=255,
        unique=True,
        help_text=_(
            "Short name used in web addresses, e.g. university-of-bordeaux; "
            "left blank, it is made from the name."
        ),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="institutions",
        null=True,
        blank=True,
        verbose_name=_("country or region"),
        help_text=_("Leave blank for international organisations such as UNESCO."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
        verbose_name=_("parent institution"),
        help_text=_(
            "For a school of a university, the university, e.g. Université Grenoble Alpes "
            "for Sciences Po Grenoble."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=InstitutionKind.choices,
        default=InstitutionKind.UNIVERSITY,
    )
    website = models.URLField(_("website"), blank=True)
    ror_id = models.CharField(
        _("ROR identifier"),
        max_length=9,
        blank=True,
        help_text=_(
            "Research Organization Registry ID, the nine characters after ror.org/, e.g. 057zh3y96."
        ),
    )
    notes = models.TextField(
        _("notes for staff"), blank=True, help_text=_("Internal; never shown to the public.")
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public pages.")
    )
    objects = InstitutionManager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="institution_name_unique_in_country"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(country__isnull=True),
                name="institution_name_unique_without_country",
            ),
            models.CheckConstraint(
                condition=Q(ror_id="") | Q(ror_id__regex=r"^0[a-z0-9]{8}$"),
                name="institution_ror_id_format",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="institution_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agreements:institution-detail", kwargs={"key": self.slug})

    def natural_key(self):
        return (self.slug,)

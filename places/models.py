"""Where partners are: the office's regions, the countries in them, and their other spellings."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imports.permissions import SPREADSHEET_PERMISSIONS
from presentation.fields import ReadingField
from presentation.names import NamedInBothLanguages

from .fields import JapaneseTerritoryNameField


class RegionManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(NamedInBothLanguages, models.Model):
    """The office's own grouping of countries, in the order it publishes them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ja = models.CharField(
        _("Japanese name"),
        max_length=100,
        blank=True,
        default="",
        db_default="",  # so code that predates the column can still insert rows
        help_text=_("Name on the Japanese pages, e.g. ヨーロッパ."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        help_text=_("Short name used in web addresses, e.g. europe."),
    )
    display_order = models.PositiveSmallIntegerField(
        _("display order"),
        default=0,
        help_text=_("Position in published lists; Asia is 1, Others comes last."),
    )
    objects = RegionManager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class CountryQuerySet(models.QuerySet):
    def in_region(self, region):
        return self.filter(region=region)


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Country(NamedInBothLanguages, models.Model):
    """A country or region as the office publishes it, e.g. "Republic of Korea" or "Taiwan"."""

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_('Name as the office publishes it, e.g. "Republic of Korea", "Viet Nam".'),
    )
    name_ja = JapaneseTerritoryNameField(
        _("Japanese name"),
        max_length=100,
        help_text=_(
            "Name on the Japanese pages, e.g. 韓国; left blank, it is filled from the Unicode "
            "CLDR data by the ISO code."
        ),
    )
    name_ja_reading = ReadingField(_("reading of the Japanese name"), max_length=200)
    iso_code = models.CharField(
        _("ISO code"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 code in capitals, e.g. KR. Blank only for Others."),
    )
    iso_alpha3 = models.CharField(
        _("ISO alpha-3 code"),
        max_length=3,
        blank=True,
        help_text=_("ISO 3166-1 alpha-3 code in capitals, e.g. KOR."),
    )
    iso_name = models.CharField(
        _("ISO English short name"),
        max_length=100,
        blank=True,
        help_text=_('Name in the ISO 3166-1 standard, e.g. "Korea, Republic of".'),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="countries",
        verbose_name=_("region"),
    )
    objects = CountryManager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("country or region")
        verbose_name_plural = _("countries and regions")
        ordering = ["region__display_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=~Q(iso_code=""),
                name="country_iso_code_unique",
            ),
            models.UniqueConstraint(
                fields=["iso_alpha3"],
                condition=~Q(iso_alpha3=""),
                name="country_iso_alpha3_unique",
            ),
            models.CheckConstraint(
                condition=Q(iso_code="") | Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="country_iso_code_two_capitals",
            ),
            models.CheckConstraint(
                condition=Q(iso_alpha3="") | Q(iso_alpha3__regex=r"^[A-Z]{3}$"),
                name="country_iso_alpha3_three_capitals",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class CountryAlias(models.Model):
    """Another spelling of a country that incoming spreadsheets use, e.g. "South Korea"."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("country")
    )
    alias = models.CharField(
        _("alias"),
        max_length=100,
        help_text=_('Another spelling found in spreadsheets, e.g. "South Korea" or "韓国".'),
    )

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("country alias")
        verbose_name_plural = _("country aliases")
        ordering = ["alias"]
        constraints = [
            models.UniqueConstraint(Lower("alias"), name="country_alias_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.alias

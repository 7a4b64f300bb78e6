"""Strategic partnerships with their events, and on-site laboratories."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imports.permissions import SPREADSHEET_PERMISSIONS
from places.models import Country

from .institutions import EARLIEST_YEAR, LATEST_YEAR, Institution


class StrategicPartnershipQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True, institution__is_published=True)


class StrategicPartnership(models.Model):
    """An intensive, university-wide partnership with a world-leading institution."""

    institution = models.OneToOneField(
        Institution,
        on_delete=models.PROTECT,
        related_name="strategic_partnership",
        verbose_name=_("institution"),
    )
    since = models.PositiveSmallIntegerField(
        _("partner since (year)"),
        null=True,
        blank=True,
        help_text=_("Year the strategic partnership began, e.g. 2015. Leave blank if unknown."),
    )
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public pages.")
    )
    objects = StrategicPartnershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("strategic partnership")
        verbose_name_plural = _("strategic partnerships")
        ordering = ["institution__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(since__isnull=True)
                | Q(since__gte=EARLIEST_YEAR, since__lte=LATEST_YEAR),
                name="strategic_partnership_since_plausible",
            ),
        ]

    def __str__(self):
        return str(self.institution)


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class PartnershipEvent(models.Model):
    """A symposium, renewal or visit that belongs to a strategic partnership."""

    partnership = models.ForeignKey(
        StrategicPartnership,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("strategic partnership"),
    )
    date = models.DateField(
        _("date"), help_text=_("For an event known only by month, use its first day.")
    )
    date_precision = models.CharField(
        _("date known to the"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_('"Month" shows the date as "March 2024".'),
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        help_text=_('e.g. "Renewal of the Strategic Partnership Agreement".'),
    )
    place = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_('e.g. "University of Bordeaux".')
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.title} ({self.display_date})"

    @property
    def display_date(self):
        if self.date_precision == DatePrecision.YEAR:
            return f"{self.date:%Y}"
        if self.date_precision == DatePrecision.MONTH:
            return f"{self.date:%B %Y}"
        return f"{self.date:%-d %B %Y}"


class OnSiteLaboratoryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)


class OnSiteLaboratory(models.Model):
    """A laboratory run abroad together with a partner under the On-site Laboratory initiative."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    departments = models.CharField(
        _("Kyoto University department(s)"),
        max_length=255,
        help_text=_('Faculties or departments involved, e.g. "Graduate School of Engineering".'),
    )
    partner_institutions = models.ManyToManyField(
        Institution,
        related_name="laboratories",
        blank=True,
        verbose_name=_("partner institutions"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="laboratories",
        null=True,
        blank=True,
        verbose_name=_("country or region"),
    )
    research_field = models.CharField(_("research field"), max_length=255, blank=True)
    established = models.DateField(_("established"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public pages.")
    )
    objects = OnSiteLaboratoryQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("on-site laboratory")
        verbose_name_plural = _("on-site laboratories")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

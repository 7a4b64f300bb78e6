"""Yearly counts of researchers received from and sent to each country."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imports.permissions import SPREADSHEET_PERMISSIONS
from places.models import Country

EARLIEST_ACADEMIC_YEAR = 1950
LATEST_ACADEMIC_YEAR = 2100


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Researchers from abroad")
    OUTBOUND = "outbound", _("Researchers going abroad")


class ExchangeStatisticQuerySet(models.QuerySet):
    def for_year(self, academic_year):
        return self.filter(academic_year=academic_year)

    def of_direction(self, direction):
        return self.filter(direction=direction)

    def latest_year(self):
        return self.aggregate(latest=models.Max("academic_year"))["latest"]


class ExchangeStatistic(models.Model):
    """How many researchers came from (or went to) one country in one academic year."""

    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        help_text=_("Year the academic year starts: 2022 means 1 April 2022 to 31 March 2023."),
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="exchange_statistics",
        verbose_name=_("country or region"),
    )
    researchers = models.PositiveIntegerField(
        _("number of researchers"), help_text=_("Head count for the year, e.g. 153.")
    )
    objects = ExchangeStatisticQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("exchange statistic")
        verbose_name_plural = _("exchange statistics")
        ordering = [
            "-academic_year",
            "direction",
            "country__region__display_order",
            "country__name",
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "direction", "country"],
                name="exchange_statistic_one_row_per_year_direction_country",
                violation_error_message=_(
                    "There is already a count for this country, year and direction."
                ),
            ),
            models.CheckConstraint(
                condition=Q(researchers__gte=0),
                name="exchange_statistic_researchers_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    academic_year__gte=EARLIEST_ACADEMIC_YEAR,
                    academic_year__lte=LATEST_ACADEMIC_YEAR,
                ),
                name="exchange_statistic_academic_year_plausible",
                violation_error_message=_("The academic year must be between 1950 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="exchange_statistic_direction_valid",
            ),
        ]

    def __str__(self):
        return (
            f"{self.academic_year} {self.get_direction_display()}: "
            f"{self.country} {self.researchers}"
        )


class ReleaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class StatisticsReleaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ReleaseState.PUBLISHED)


class StatisticsRelease(models.Model):
    """Whether one academic year and direction of figures is public: a draft until published.

    Imports write drafts; staff publish them in the admin or with ``publish_statistics``.
    """

    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        help_text=_("Year the academic year starts: 2022 means 1 April 2022 to 31 March 2023."),
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    state = models.CharField(
        _("state"), max_length=9, choices=ReleaseState.choices, default=ReleaseState.DRAFT
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    objects = StatisticsReleaseQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        # Releases are made by imports and changed only by publishing and unpublishing.
        default_permissions = ("view",)
        permissions = [("publish_statisticsrelease", _("Can publish and unpublish statistics"))]
        verbose_name = _("statistics release")
        verbose_name_plural = _("statistics releases")
        ordering = ["-academic_year", "direction"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "direction"],
                name="statistics_release_one_per_year_direction",
                violation_error_message=_(
                    "There is already a release for this year and direction."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    academic_year__gte=EARLIEST_ACADEMIC_YEAR,
                    academic_year__lte=LATEST_ACADEMIC_YEAR,
                ),
                name="statistics_release_academic_year_plausible",
                violation_error_message=_("The academic year must be between 1950 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="statistics_release_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReleaseState.values),
                name="statistics_release_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.academic_year} {self.get_direction_display()} ({self.get_state_display()})"

    @property
    def is_published(self):
        return self.state == ReleaseState.PUBLISHED

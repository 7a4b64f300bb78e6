"""Researcher counts for one academic year, summed by the database, laid out for the page."""

from dataclasses import dataclass, field

from django.db.models import FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext as _

from .models import Direction, ExchangeStatistic


def available_years():
    return list(
        ExchangeStatistic.objects.order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )


def _change(current, previous):
    return None if previous is None else current - previous


@dataclass
class Line:
    """A country, a region's subtotal or a direction's total, with last year's figure."""

    name: str
    researchers: int
    previous: int | None
    share: float | None = None
    slug: str = ""
    countries: list = field(default_factory=list)

    @property
    def change(self):
        return _change(self.researchers, self.previous)


@dataclass
class DirectionTable:
    direction: str
    label: str
    total: Line
    regions: list


def _sums(year, *group_by):
    """Sum this year's and last year's counts per group, and the share of the year's total."""
    direction_total = (
        ExchangeStatistic.objects.filter(academic_year=year, direction=OuterRef("direction"))
        .order_by()
        .values("direction")
        .annotate(total=Sum("researchers"))
        .values("total")
    )
    return (
        ExchangeStatistic.objects.filter(academic_year__in=(year, year - 1))
        .values("direction", *group_by)
        .annotate(
            current=Sum("researchers", filter=Q(academic_year=year)),
            previous=Sum("researchers", filter=Q(academic_year=year - 1)),
        )
        .annotate(
            share=Cast("current", FloatField()) * 100.0 / NullIf(Subquery(direction_total), 0)
        )
        .filter(current__isnull=False)
    )


def direction_tables(year, *, compare=True):
    """Both directions, region by region, with subtotals, total, shares and changes (3 queries)."""
    country_sums = _sums(
        year, "country__name", "country__region__slug", "country__region__display_order"
    ).order_by("direction", "country__region__display_order", "country__name")
    region_sums = _sums(
        year, "country__region__name", "country__region__slug", "country__region__display_order"
    ).order_by("direction", "country__region__display_order")
    total_sums = {row["direction"]: row for row in _sums(year)}

    def previous_of(row):
        return row["previous"] if compare else None

    tables = {}
    for direction, label in Direction.choices:
        total_row = total_sums.get(direction)
        if total_row is None:
            continue
        total = Line(_("Total"), total_row["current"], previous_of(total_row), total_row["share"])
        tables[direction] = DirectionTable(direction, label, total, [])
    regions = {}
    for row in region_sums:
        table = tables[row["direction"]]
        region = Line(
            row["country__region__name"],
            row["current"],
            previous_of(row),
            share=row["share"],
            slug=row["country__region__slug"],
        )
        table.regions.append(region)
        regions[row["direction"], region.slug] = region
    for row in country_sums:
        table = tables[row["direction"]]
        regions[row["direction"], row["country__region__slug"]].countries.append(
            Line(
                row["country__name"],
                row["current"],
                previous_of(row),
                share=row["share"],
            )
        )
    return [tables[direction] for direction in Direction.values if direction in tables]


def year_totals(year):
    """Researchers in and out in one year, summed by the database (one query)."""
    rows = (
        ExchangeStatistic.objects.for_year(year)
        .values("direction")
        .annotate(researchers=Sum("researchers"))
        .order_by("direction")
    )
    return {row["direction"]: row["researchers"] for row in rows}


@dataclass
class ChartBar:
    label: str
    researchers: int
    width: float
    y: float


@dataclass
class ChartRow:
    name: str
    bars: list


CHART_BAR_AREA = 520
CHART_ROW_HEIGHT = 44


def researchers_by_region_chart(tables):
    """Bar geometry for the SVG chart: one row per region, one bar per direction."""
    names = []
    for table in tables:
        for region in table.regions:
            if region.name not in names:
                names.append(region.name)
    largest = max((r.researchers for t in tables for r in t.regions), default=0) or 1
    rows = []
    for index, name in enumerate(names):
        bars = []
        for position, table in enumerate(tables):
            match = next((r for r in table.regions if r.name == name), None)
            researchers = match.researchers if match else 0
            bars.append(
                ChartBar(
                    label=table.label,
                    researchers=researchers,
                    width=round(researchers / largest * CHART_BAR_AREA, 1),
                    y=index * CHART_ROW_HEIGHT + 4 + position * 18,
                )
            )
        rows.append(ChartRow(name, bars))
    return {
        "rows": rows,
        "height": len(names) * CHART_ROW_HEIGHT + 8,
        "bar_area": CHART_BAR_AREA,
    }

"""Researcher counts for one academic year, summed by the database, laid out for the page."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from presentation.names import japanese_active, japanese_order, local_name

from .models import Direction, ExchangeStatistic, ReleaseState, StatisticsRelease


def available_years():
    """Every academic year with figures, newest first, in one probe of the index per year.

    SELECT DISTINCT reads every row (11 ms at 100,000 on PostgreSQL); stepping down from one
    year to the next below it reads one index entry per year (0.3 ms). Django's ORM has no
    recursive query, hence the SQL, which PostgreSQL and SQLite both run.
    """
    table = connection.ops.quote_name(ExchangeStatistic._meta.db_table)
    year = connection.ops.quote_name(ExchangeStatistic._meta.get_field("academic_year").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE years (year) AS ("  # noqa: S608 - names from the model, no input
            f" SELECT MAX({year}) FROM {table}"
            f" UNION ALL"
            f" SELECT (SELECT MAX({year}) FROM {table} WHERE {year} < years.year)"
            f" FROM years WHERE years.year IS NOT NULL"
            f") SELECT year FROM years WHERE year IS NOT NULL"
        )
        return [row[0] for row in cursor.fetchall()]


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
    year: int = 0
    compared: bool = False


def _added(total, value):
    return total if value is None else (total or 0) + value


def _share(researchers, total):
    # As the database would compute it: a float, none when the total is nought.
    return float(researchers) * 100.0 / total if total else None


def direction_tables(years, *, compared=()):
    """Each direction's table for its year, region by region, with subtotals, total, shares
    and changes (1 query).

    `years` maps each direction to show to its academic year; `compared` names the
    directions whose previous year is published, the only ones given a change.
    The database sums this year's and last year's count of each country; the regions and
    totals add those up here, which gives the same figures without scanning the rows again.
    A region's and the total's change count every country of last year, also those with no
    figure this year, which are not listed.
    """
    if not years:
        return []
    sums, listed = _summed(_country_figures(years))
    tables = _direction_totals(sums, years, compared)
    _fill_regions(tables, sums, listed)
    return [tables[direction] for direction in Direction.values if direction in tables]


def _country_figures(years):
    """Each country's count this year and last, per direction, in the order the page lists
    them: region by region, countries by name in the page's language."""
    scope = Q()
    current_filter = Q()
    previous_filter = Q()
    for direction, year in years.items():
        scope |= Q(direction=direction, academic_year__in=(year, year - 1))
        current_filter |= Q(direction=direction, academic_year=year)
        previous_filter |= Q(direction=direction, academic_year=year - 1)
    # Countries in the order of their names in the page's language (Japanese: by reading).
    country_order = japanese_order("country__") if japanese_active() else "country__name"
    return (
        ExchangeStatistic.objects.filter(scope)
        .values(
            "direction",
            "country__region__slug",
            "country__region__name",
            "country__region__name_ja",
            "country__region__display_order",
            "country__name",
            "country__name_ja",
        )
        .annotate(
            current=Sum("researchers", filter=current_filter),
            previous=Sum("researchers", filter=previous_filter),
        )
        .order_by(
            "direction", "country__region__display_order", "country__region__name", country_order
        )
        .values_list(
            "direction",
            "country__region__slug",
            "country__region__name",
            "country__region__name_ja",
            "country__name",
            "country__name_ja",
            "current",
            "previous",
        )
    )


def _summed(countries):
    """The sums of each direction and each of its regions, this year and last, and the
    countries with a figure this year (the only ones listed)."""
    # (direction, region slug, or None for the direction's total) -> [this year, last year]
    sums = {}
    listed = []
    for row in countries:
        direction, slug, *_names, current, previous = row
        for key in ((direction, None), (direction, slug)):
            figures = sums.setdefault(key, [None, None])
            figures[0] = _added(figures[0], current)
            figures[1] = _added(figures[1], previous)
        if current is not None:
            listed.append(row)
    return sums, listed


def _direction_totals(sums, years, compared):
    """An empty table, with its total, for each direction that has a figure this year."""
    tables = {}
    for direction, label in Direction.choices:
        current, previous = sums.get((direction, None), (None, None))
        if current is not None:
            compare = direction in compared
            total = Line(_("Total"), current, previous if compare else None)
            total.share = _share(current, current)
            tables[direction] = DirectionTable(
                direction, label, total, [], year=years[direction], compared=compare
            )
    return tables


def _fill_regions(tables, sums, listed):
    """Add each listed country to its table, under its region's line (made at its first)."""
    regions = {}
    for direction, slug, region_name, region_ja, country, country_ja, current, previous in listed:
        table = tables[direction]
        region = regions.get((direction, slug))
        if region is None:
            region_current, region_previous = sums[direction, slug]
            region = Line(
                local_name(region_name, region_ja),
                region_current,
                region_previous if table.compared else None,
                share=_share(region_current, table.total.researchers),
                slug=slug,
            )
            table.regions.append(region)
            regions[direction, slug] = region
        region.countries.append(
            Line(
                local_name(country, country_ja),
                current,
                previous if table.compared else None,
                share=_share(current, table.total.researchers),
            )
        )


def _with_figures():
    """The releases that still hold figures: a published year whose counts were all deleted in
    the admin is not the latest year of anything (its page would be empty, /statistics/ a 404)."""
    return StatisticsRelease.objects.filter(
        Exists(
            ExchangeStatistic.objects.filter(
                academic_year=OuterRef("academic_year"), direction=OuterRef("direction")
            )
        )
    )


def latest_published_totals():
    """Each direction's latest published year and its researchers (one query).

    {direction: (year, researchers)}; a direction with no published year is absent.
    """
    published = _with_figures().published().order_by("-academic_year")
    scope = Q()
    for direction in Direction.values:
        latest = published.filter(direction=direction).values("academic_year")[:1]
        scope |= Q(direction=direction, academic_year=Subquery(latest))
    rows = (
        ExchangeStatistic.objects.filter(scope)
        .values("academic_year", "direction")
        .annotate(researchers=Sum("researchers"))
        .order_by("direction")
        .values_list("direction", "academic_year", "researchers")
    )
    return {direction: (year, researchers) for direction, year, researchers in rows}


class Releases:
    """Which years and directions are published, read once (a row per year and direction)."""

    def __init__(self):
        self.states = {
            (year, direction): state
            for year, direction, state in _with_figures().values_list(
                "academic_year", "direction", "state"
            )
        }

    def is_published(self, year, direction):
        return self.states.get((year, direction)) == ReleaseState.PUBLISHED

    def published_years(self):
        """Every year with a published direction, newest first."""
        return sorted(
            {year for (year, direction) in self.states if self.is_published(year, direction)},
            reverse=True,
        )

    def directions(self, year, *, drafts=False):
        """The directions of a year to show: the published ones, with drafts if asked."""
        return [
            direction
            for direction in Direction.values
            if (year, direction) in self.states and (drafts or self.is_published(year, direction))
        ]

    def drafts(self, year):
        return [
            direction
            for direction in Direction.values
            if (year, direction) in self.states and not self.is_published(year, direction)
        ]

    def latest(self):
        """Each direction's latest published year: {direction: year}."""
        latest = {}
        for (year, direction), _state in self.states.items():
            if self.is_published(year, direction) and year > latest.get(direction, 0):
                latest[direction] = year
        return {
            direction: latest[direction] for direction in Direction.values if direction in latest
        }

    def compared(self, years):
        """The directions whose previous year is published: only those show a change."""
        return {
            direction for direction, year in years.items() if self.is_published(year - 1, direction)
        }


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

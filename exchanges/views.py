"""Public pages on researcher exchanges: each year's statistics, to read or download."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from presentation.downloads import UNKNOWN_FORMAT_MESSAGE, download_response, requested_format
from presentation.names import japanese_active, japanese_order, local_name
from presentation.views import bad_request, rows_html

from .models import Direction, ExchangeStatistic
from .statistics import Releases, direction_tables, researchers_by_region_chart
from .templatetags.figures import Figures


def year_addresses(years):
    """Each year's address, by one reverse(): only the year changes from one to the next.

    A national import brings a hundred years; reverse() for each was a tenth of the page.
    """
    if not years:
        return []
    before, after = reverse("exchanges:statistics-year", args=[years[0]]).rsplit(str(years[0]), 1)
    return [(year, f"{before}{year}{after}") for year in years]


def direction_sections(tables, template_name, **context):
    """Each direction's table with its regions' and countries' rows rendered."""
    figures = Figures()
    return [
        (
            table,
            rows_html(
                template_name,
                regions=[
                    (figures.line(region), [figures.line(country) for country in region.countries])
                    for region in table.regions
                ],
                has_previous=table.compared,
                **context,
            ),
        )
        for table in tables
    ]


def may_preview_drafts(request):
    """Staff who may read the statistics see a draft year's page before it is published."""
    user = request.user
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm("exchanges.view_exchangestatistic")
    )


def statistics_latest(request):
    """The latest published year's statistics; the address stays the same from year to year."""
    releases = Releases()
    years = releases.published_years()
    if not years:
        return render(request, "exchanges/statistics_empty.html")
    return statistics_year(request, year=years[0], releases=releases)


def statistics_year(request, year, releases=None):
    """Both directions side by side by region, with subtotals, shares, changes and a chart.

    Only published figures; staff who may read the statistics also see a year's drafts,
    under a banner saying so.
    """
    if releases is None:
        releases = Releases()
    years = releases.published_years()
    file_format = requested_format(request)
    # Downloads are published figures only, for everyone.
    drafts = releases.drafts(year) if file_format is None and may_preview_drafts(request) else []
    directions = releases.directions(year, drafts=bool(drafts))
    if not directions:
        return render(
            request, "exchanges/statistics_404.html", {"year": year, "years": years}, status=404
        )
    if file_format == "":
        return bad_request(request, UNKNOWN_FORMAT_MESSAGE % {"format": request.GET["format"]})
    if file_format:
        return statistics_download(year, directions, file_format)
    shown = dict.fromkeys(directions, year)
    tables = direction_tables(shown, compared=releases.compared(shown))
    if not tables:
        return render(
            request, "exchanges/statistics_404.html", {"year": year, "years": years}, status=404
        )
    has_previous = any(table.compared for table in tables)
    latest = releases.latest()
    labels = dict(Direction.choices)
    return render(
        request,
        "exchanges/statistics.html",
        {
            "year": year,
            "years": year_addresses(years),
            "has_previous": has_previous,
            "tables": tables,
            "sections": direction_sections(tables, "exchanges/statistics_regions.html"),
            "chart": researchers_by_region_chart(tables),
            "drafts": [labels[direction] for direction in drafts],
            # A direction not published this year: where its latest published figures are.
            "elsewhere": [
                (labels[direction], latest[direction])
                for direction in Direction.values
                if direction not in directions and direction in latest
            ],
        },
    )


def statistics_download(year, directions, file_format):
    """One row per direction and country, titled and named in the page's language."""
    country_order = japanese_order("country__") if japanese_active() else "country__name"
    rows = (
        ExchangeStatistic.objects.for_year(year)
        .filter(direction__in=directions)
        .order_by("direction", "country__region__display_order", country_order, "pk")
        .values_list(
            "direction",
            "country__region__name",
            "country__region__name_ja",
            "country__name",
            "country__name_ja",
            "researchers",
        )
    )
    labels = dict(Direction.choices)
    return download_response(
        headers=[_("Direction"), _("Region"), _("Country/Region"), _("Researchers")],
        rows=(
            (str(labels[d]), local_name(region, region_ja), local_name(country, country_ja), n)
            for d, region, region_ja, country, country_ja, n in rows
        ),
        file_format=file_format,
        filename=f"researchers-{year}",
        title=_("Researchers %(year)s") % {"year": year},
    )

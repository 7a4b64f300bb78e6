"""Public pages on researcher exchanges, and the pages that bring both apps together."""

from operator import itemgetter

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agreements.downloads import UNKNOWN_FORMAT_MESSAGE, download_response, requested_format
from agreements.listing import memoranda_rows, printed_memoranda, region_groups, table_totals
from agreements.models import PartnershipEvent, Programme, StrategicPartnership
from agreements.views import bad_request, rows_html

from .models import Direction, ExchangeStatistic
from .statistics import (
    available_years,
    direction_tables,
    latest_year_totals,
    researchers_by_region_chart,
)
from .templatetags.figures import Figures


def partners_by_region():
    """Partner institutions, MOUs and SEAs per region, counted by the database (one query)."""
    return (
        memoranda_rows()
        .order_by()
        .values("region_slug", "region_label", "region_position")
        .annotate(institutions=Count("pk"), mou=Count("mou_year"), sea=Count("sea_year"))
        .order_by("region_position", "region_label")
    )


class HomeView(TemplateView):
    """At a glance: partners by region, agreement totals, the latest year's researchers."""

    template_name = "exchanges/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = list(partners_by_region())
        context["regions"] = regions
        # Every listed institution is in one region: the regions add up to the totals.
        context["totals"] = {
            key: sum(region[key] for region in regions) for key in ("institutions", "mou", "sea")
        }
        latest, totals = latest_year_totals()
        context["latest_year"] = latest
        if latest is not None:
            context["researchers_in"] = totals.get(Direction.INBOUND, 0)
            context["researchers_out"] = totals.get(Direction.OUTBOUND, 0)
        return context


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
                **context,
            ),
        )
        for table in tables
    ]


def statistics_latest(request):
    """The latest year's statistics; the address stays the same from year to year."""
    years = available_years()
    if not years:
        return render(request, "exchanges/statistics_empty.html")
    return statistics_year(request, year=years[0], years=years)


def statistics_year(request, year, years=None):
    """Both directions side by side by region, with subtotals, shares, changes and a chart."""
    if years is None:
        years = available_years()
    if year not in years:
        return render(
            request, "exchanges/statistics_404.html", {"year": year, "years": years}, status=404
        )
    file_format = requested_format(request)
    if file_format == "":
        return bad_request(request, UNKNOWN_FORMAT_MESSAGE % {"format": request.GET["format"]})
    if file_format:
        return statistics_download(year, file_format)
    has_previous = year - 1 in years
    tables = direction_tables(year, compare=has_previous)
    return render(
        request,
        "exchanges/statistics.html",
        {
            "year": year,
            "years": year_addresses(years),
            "has_previous": has_previous,
            "tables": tables,
            "sections": direction_sections(
                tables, "exchanges/statistics_regions.html", has_previous=has_previous
            ),
            "chart": researchers_by_region_chart(tables),
        },
    )


def statistics_download(year, file_format):
    rows = (
        ExchangeStatistic.objects.for_year(year)
        .order_by("direction", "country__region__display_order", "country__name", "pk")
        .values_list("direction", "country__region__name", "country__name", "researchers")
    )
    labels = dict(Direction.choices)
    return download_response(
        headers=[_("Direction"), _("Region"), _("Country/Region"), _("Researchers")],
        rows=((str(labels[d]), region, country, n) for d, region, country, n in rows),
        file_format=file_format,
        filename=f"researchers-{year}",
        title=_("Researchers %(year)s") % {"year": year},
    )


class FactSheetView(TemplateView):
    """The published fact sheet regenerated from the records, ready to print on A4."""

    template_name = "exchanges/fact_sheet.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programmes = {p.slug: p for p in Programme.objects.all()}
        context["as_of"] = timezone.localdate()
        context["strategic_programme"] = programmes.get("strategic-partnerships")
        context["laboratory_programme"] = programmes.get("on-site-laboratories")
        context["memoranda_programme"] = programmes.get("academic-exchange-memoranda")
        context["partnerships"] = (
            StrategicPartnership.objects.public()
            .select_related("institution")
            .order_by("institution__name", "pk")
        )
        context["events"] = (
            PartnershipEvent.objects.filter(partnership__in=StrategicPartnership.objects.public())
            .select_related("partnership__institution")
            .order_by("-date", "pk")
        )
        latest = ExchangeStatistic.objects.latest_year()
        context["year"] = latest
        tables = direction_tables(latest, compare=False) if latest else []
        context["sections"] = direction_sections(tables, "exchanges/fact_sheet_regions.html")
        # As on the printed sheet, footnote 1 marks the strategic partners.
        table, context["footnotes"] = printed_memoranda(memoranda_rows(), first_footnote=2)
        context["memoranda"] = rows_html(
            "agreements/memoranda_printed.html",
            groups=region_groups(table, label_of=itemgetter("region_label")),
            strategic_label=_("strategic partner"),
            note_label=_("note %(number)s"),
        )
        context["totals"] = table_totals(table)
        return context

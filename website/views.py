"""The site's own pages, which bring agreements and exchanges together: the home page and the
fact sheet."""

from operator import itemgetter

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agreements.listing import memoranda_rows, printed_memoranda, region_groups, table_totals
from agreements.models import PartnershipEvent, Programme, StrategicPartnership
from exchanges.statistics import Releases, direction_tables, latest_published_totals
from exchanges.views import direction_sections
from presentation.views import by_name, rows_html


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

    template_name = "website/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = list(partners_by_region())
        context["regions"] = regions
        # Every listed institution is in one region: the regions add up to the totals.
        context["totals"] = {
            key: sum(region[key] for region in regions) for key in ("institutions", "mou", "sea")
        }
        # Each direction its own latest published year: never a half-loaded year's nought.
        context["researchers"] = [
            (direction, year, researchers)
            for direction, (year, researchers) in latest_published_totals().items()
        ]
        return context


class FactSheetView(TemplateView):
    """The published fact sheet regenerated from the records, ready to print on A4."""

    template_name = "website/fact_sheet.html"

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
            .order_by(by_name("institution__"), "pk")
        )
        context["events"] = (
            PartnershipEvent.objects.filter(partnership__in=StrategicPartnership.objects.public())
            .select_related("partnership__institution")
            .order_by("-date", "pk")
        )
        # Each direction its latest published year, as the home page shows it.
        tables = direction_tables(Releases().latest())
        context["sections"] = direction_sections(tables, "website/fact_sheet_regions.html")
        # As on the printed sheet, footnote 1 marks the strategic partners.
        table, context["footnotes"] = printed_memoranda(memoranda_rows(), first_footnote=2)
        context["memoranda"] = rows_html(
            "website/memoranda_printed.html",
            groups=region_groups(table, label_of=itemgetter("region_label")),
            note_label=_("note %(number)s"),
        )
        context["totals"] = table_totals(table)
        return context

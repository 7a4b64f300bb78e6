"""Public pages: the memoranda list, one institution, strategic partners, on-site laboratories."""

from django.core.paginator import Page
from django.core.validators import slug_re
from django.db import connections
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from presentation.downloads import UNKNOWN_FORMAT_MESSAGE, download_response, requested_format
from presentation.names import local_name
from presentation.views import bad_request, by_name, rows_html

from .filters import MemorandaFilter
from .listing import (
    RowGroup,
    memoranda_rows,
    number_footnotes,
    region_groups,
    with_addresses,
    with_footnotes,
    with_totals,
)
from .models import (
    Agreement,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    Programme,
    StrategicPartnership,
)
from .timelines import timelines

PAGE_SIZE = 50


def programme_text(slug):
    return Programme.objects.filter(slug=slug).first()


class MemorandaListView(FilterView):
    """The fact sheet's memoranda list, live: filter, page through, download."""

    filterset_class = MemorandaFilter
    template_name = "agreements/memoranda_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return memoranda_rows()

    def get(self, request, *args, **kwargs):
        download_format = requested_format(request)
        if download_format is None:
            return super().get(request, *args, **kwargs)
        if download_format == "":
            return bad_request(request, UNKNOWN_FORMAT_MESSAGE % {"format": request.GET["format"]})
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            errors = "; ".join(
                str(error)
                for field_errors in filterset.form.errors.values()
                for error in field_errors
            )
            return bad_request(request, _("The filters are not valid: %s") % errors)
        return self.download(filterset.qs, download_format)

    def download(self, rows, download_format):
        """Every matching row, not one page, read as plain values rather than model objects.

        Titles and names in the page's language: Japanese names where known on /ja/.
        """
        yes, no = _("yes"), _("no")
        return download_response(
            headers=[
                _("Region"),
                _("Country/Region"),
                _("Institution"),
                _("MOU year"),
                _("SEA year"),
                _("Strategic partner"),
            ],
            rows=(
                (
                    region,
                    local_name(country, country_ja),
                    local_name(name, name_ja),
                    mou_year,
                    sea_year,
                    yes if is_strategic else no,
                )
                for (
                    region,
                    country,
                    country_ja,
                    name,
                    name_ja,
                    mou_year,
                    sea_year,
                    is_strategic,
                ) in rows.values_list(
                    "region_label",
                    "country__name",
                    "country__name_ja",
                    "name",
                    "name_ja",
                    "mou_year",
                    "sea_year",
                    "is_strategic",
                )
            ),
            file_format=download_format,
            filename=f"agreements-{timezone.localdate():%Y-%m-%d}",
            title=_("Agreements"),
        )

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        number = requested_page(self.request.GET.get(self.page_kwarg))
        rows = None
        if number is not None and connections[queryset.db].vendor == "postgresql":
            # PostgreSQL counts every matching row in the pass that sorts them (a window):
            # one query instead of two, 1.2 ms less at 5,000 institutions. SQLite writes out
            # every row for a window and took longer (10 ms against 9), so it counts first.
            rows = page_of(with_totals(queryset), number, page_size)
            if rows:
                first = rows[0]
                self.totals = {
                    "institutions": first.total_institutions,
                    "mou": first.total_mou,
                    "sea": first.total_sea,
                }
            elif number == 1:
                self.totals = {"institutions": 0, "mou": 0, "sea": 0}
            else:
                rows = None  # out of range: counted below, as on SQLite
        if rows is None:
            # The totals count the rows anyway: the paginator need not count them again.
            self.totals = memoranda_totals(queryset)
            paginator.count = self.totals["institutions"]
            # A page number out of range shows the nearest page rather than an error.
            number = paginator.get_page(self.request.GET.get(self.page_kwarg)).number
            rows = page_of(queryset, number, page_size)
        paginator.count = self.totals["institutions"]
        page = Page(rows, number, paginator)
        return paginator, page, rows, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_rows = context["object_list"]
        context["rows"] = page_rows
        context["footnotes"] = footnotes = number_footnotes(page_rows)
        context["footnote_items"] = rows_html(
            "agreements/memoranda_footnotes.html", footnotes=footnotes
        )
        context["totals"] = self.totals
        context["programme"] = programme_text("academic-exchange-memoranda")
        grouped = self.request.GET.get("ordering", "region") in ("", "region")
        context["table_rows"] = rows_html(
            "agreements/memoranda_page.html",
            groups=[
                RowGroup(group.label, with_addresses(group.rows))
                for group in (region_groups(page_rows) if grouped else [RowGroup("", page_rows)])
            ],
            note_label=_("note %(number)s"),
            yes=_("Yes"),
            no=_("No"),
        )
        return context


# A page no list reaches (50 billion rows in), as in the API: far enough beyond it, the page's
# OFFSET would overflow PostgreSQL's bigint (DataError, a 500).
PAST_ANY_LIST = 10**9


def requested_page(value):
    """A page number as Paginator.get_page() reads it; None asks for the last page.

    A number below 1 or past any list's end (30 digits, twenty full-width nines) is counted
    first, as on SQLite, and so shows the last page.
    """
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number < PAST_ANY_LIST else None


def page_of(rows, number, page_size):
    """One page of rows with their footnotes."""
    start = (number - 1) * page_size
    return with_footnotes(rows[start : start + page_size])


def memoranda_totals(rows):
    """Institutions, MOU and SEA counted by the database over every matching row."""
    return rows.order_by().aggregate(
        institutions=Count("pk"),
        mou=Count("mou_year"),
        sea=Count("sea_year"),
    )


class InstitutionDetailView(DetailView):
    """One partner: its agreements, parent and schools, strategic partnership, laboratories."""

    template_name = "agreements/institution_detail.html"
    context_object_name = "institution"

    def get_queryset(self):
        return (
            Institution.objects.public()
            .select_related("country__region", "parent")
            .prefetch_related(
                Prefetch(
                    "agreements",
                    queryset=Agreement.objects.public().order_by("kind", "-concluded_year", "pk"),
                    to_attr="public_agreements",
                ),
                Prefetch(
                    "schools",
                    queryset=Institution.objects.public().order_by(by_name(), "pk"),
                    to_attr="public_schools",
                ),
                Prefetch(
                    "laboratories",
                    queryset=OnSiteLaboratory.objects.public().order_by("name", "pk"),
                    to_attr="public_laboratories",
                ),
            )
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset()
        key = self.kwargs["key"]
        # isdigit() alone also accepts "²" and other digits int() refuses.
        if key.isascii() and key.isdigit():
            institution = queryset.filter(pk=int(key)).first()
            if institution is not None:
                return institution
        # Anything but a slug names no institution: no query (a NUL in it would be an error
        # on PostgreSQL).
        if not slug_re.match(key):
            raise Http404(_("No institution at this address."))
        return get_object_or_404(queryset, slug=key)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.object
        parent = institution.parent
        context["parent"] = parent if parent and parent.is_published else None
        partnership = (
            StrategicPartnership.objects.public()
            .filter(institution=institution)
            .prefetch_related("events")
            .first()
        )
        context["partnership"] = partnership
        # From the agreements already read: the timeline costs no query.
        context["timelines"] = timelines(institution.public_agreements)
        return context


class StrategicPartnershipListView(ListView):
    """The strategic partners and their symposia and renewals."""

    template_name = "agreements/strategic_partnership_list.html"
    context_object_name = "partnerships"

    def get_queryset(self):
        return (
            StrategicPartnership.objects.public()
            .select_related("institution__country")
            .prefetch_related(
                Prefetch("events", queryset=PartnershipEvent.objects.order_by("-date", "pk"))
            )
            .order_by(by_name("institution__"), "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = programme_text("strategic-partnerships")
        return context


class OnSiteLaboratoryListView(ListView):
    """The On-site Laboratory initiative: its aims, its outcomes, its laboratories."""

    template_name = "agreements/on_site_laboratory_list.html"
    context_object_name = "laboratories"

    def get_queryset(self):
        return (
            OnSiteLaboratory.objects.public()
            .select_related("country")
            .prefetch_related(
                Prefetch(
                    "partner_institutions",
                    queryset=Institution.objects.public().order_by(by_name(), "pk"),
                    to_attr="public_partners",
                )
            )
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = programme_text("on-site-laboratories")
        return context

"""The memoranda list as the public reads it: one row per institution, years side by side."""

import functools
from dataclasses import dataclass, field
from operator import attrgetter
from urllib.parse import quote

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Least, NullIf
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language, gettext

from places.models import Region
from presentation.names import japanese_active, japanese_order, local_name_html

from .models import (
    RUNNING_STATUSES,
    Agreement,
    AgreementKind,
    Institution,
    StrategicPartnership,
)

# Institutions without a country (UNESCO, networks) are published under this region.
UNPLACED_REGION_SLUG = "others"
LAST_IN_ORDER = 32767


def listed_agreements():
    """Agreements the public list shows: published and in effect."""
    return Agreement.objects.public().in_effect()


def _listed(kind):
    """Join an institution to its listed agreement of one kind.

    The same rule as listed_agreements(), less the institution's own flag, which the list
    already applies. A join, not a subquery per row: a constraint allows one agreement of a
    kind in effect per institution, so each row meets at most one, and its year is read once.
    """
    return FilteredRelation(
        "agreements",
        condition=Q(
            agreements__kind=kind,
            agreements__status__in=RUNNING_STATUSES,
            agreements__is_published=True,
        ),
    )


def _unplaced_region(field):
    return Subquery(Region.objects.filter(slug=UNPLACED_REGION_SLUG).values(field)[:1])


def memoranda_rows():
    """Published institutions with a listed agreement, grouped like the fact sheet."""
    # Built once a language (its "Others" label is in it) and copied for each use, as a
    # view copies its queryset attribute: building it took longer than the database did.
    return _memoranda_rows(get_language()).all()


def _in_language(field_path):
    """A region's or country's name in the active language: the Japanese one where known."""
    english = F(field_path)
    if not japanese_active():
        return english
    return Coalesce(NullIf(F(f"{field_path}_ja"), Value("")), english)


@functools.cache
def _memoranda_rows(language):
    return (
        Institution.objects.public()
        .annotate(
            listed_mou=_listed(AgreementKind.MOU),
            listed_sea=_listed(AgreementKind.SEA),
        )
        .annotate(
            mou_year=F("listed_mou__concluded_year"),
            sea_year=F("listed_sea__concluded_year"),
            is_strategic=Exists(
                StrategicPartnership.objects.public().filter(institution=OuterRef("pk"))
            ),
        )
        .annotate(
            # Coalesce, not Least alone: SQLite's MIN() of a NULL is NULL.
            first_year=Least(Coalesce("mou_year", "sea_year"), Coalesce("sea_year", "mou_year")),
            region_slug=Coalesce(F("country__region__slug"), Value(UNPLACED_REGION_SLUG)),
            # The region's name in the page's language (all regions have a Japanese one).
            region_label=Coalesce(
                _in_language("country__region__name"),
                NullIf(_unplaced_region("name_ja" if japanese_active() else "name"), Value("")),
                _unplaced_region("name"),
                Value(gettext("Others")),
            ),
            region_position=Coalesce(
                F("country__region__display_order"),
                _unplaced_region("display_order"),
                Value(LAST_IN_ORDER),
            ),
        )
        .filter(Q(mou_year__isnull=False) | Q(sea_year__isnull=False))
        # Only what a row prints (the region and the country's name come in the annotations,
        # from the join the order needs anyway; no Country object per row): the database
        # joins and sorts every matching row, and narrow rows made that a third faster.
        .annotate(country_name=F("country__name"), country_name_ja=F("country__name_ja"))
        .only("name", "name_ja", "slug")
        .order_by(*region_order())
    )


def with_totals(rows):
    """Each row also carries the totals over every matching row (a window over the whole
    result), so that one query brings a page and the totals."""
    return rows.annotate(
        total_institutions=Window(Count("pk")),
        total_mou=Window(Count("mou_year")),
        total_sea=Window(Count("sea_year")),
    )


YEAR_OF_KIND = {AgreementKind.MOU: "mou_year", AgreementKind.SEA: "sea_year"}


def with_listed_agreement(rows, *, kind=None, concluded_after=None, concluded_before=None):
    """Keep the rows with one listed agreement that is of the kind and within both years.

    Each row holds at most one listed agreement of each kind, so its year columns say it all.
    """
    if kind is None and concluded_after is None and concluded_before is None:
        return rows
    matching = Q()
    for year in [YEAR_OF_KIND[kind]] if kind else YEAR_OF_KIND.values():
        agreement = Q(**{f"{year}__isnull": False})
        if concluded_after is not None:
            agreement &= Q(**{f"{year}__gte": concluded_after})
        if concluded_before is not None:
            agreement &= Q(**{f"{year}__lte": concluded_before})
        matching |= agreement
    return rows.filter(matching)


def footnoted_agreements():
    """The listed agreements with a public scope note, in the order their notes are printed."""
    return listed_agreements().exclude(scope_note="").order_by("kind", "pk")


def with_footnotes(rows):
    """Give each row of a page the public scope notes of its listed agreements, from one
    plain query by the page's ids (a prefetch's bookkeeping cost more than the query)."""
    rows = list(rows)
    notes = {}
    if rows:
        by_pk = {row.pk: row for row in rows}
        for agreement in (
            footnoted_agreements()
            .filter(institution_id__in=by_pk)
            .only("institution_id", "kind", "scope_note")
        ):
            agreement.institution = by_pk[agreement.institution_id]
            notes.setdefault(agreement.institution_id, []).append(agreement)
    for row in rows:
        row.footnoted_agreements = notes.get(row.pk, [])
    return rows


def _numbered(notes_per_row, first):
    """Number the notes in reading order: each row's numbers and the (number, agreement) pairs."""
    numbers_per_row, footnotes = [], []
    for notes in notes_per_row:
        numbers = []
        for agreement in notes:
            numbers.append(first + len(footnotes))
            footnotes.append((numbers[-1], agreement))
        numbers_per_row.append(numbers)
    return numbers_per_row, footnotes


def number_footnotes(rows, *, first=1):
    """Number each scope note on a page in reading order; return (number, agreement) pairs."""
    numbers_per_row, footnotes = _numbered(
        (getattr(row, "footnoted_agreements", []) for row in rows), first
    )
    for row, numbers in zip(rows, numbers_per_row, strict=True):
        row.footnote_numbers = numbers
    return footnotes


PRINTED_FIELDS = (
    "pk",
    "name",
    "name_ja",
    "country__name",
    "country__name_ja",
    "region_label",
    "mou_year",
    "sea_year",
)


def printed_memoranda(rows, *, first_footnote=1):
    """Every row as plain values, with its footnotes numbered, for a table of thousands.

    Values, not model objects (three a row with the country and region), and the footnotes
    of the whole list in one query of their own rather than by thousands of ids. Returns the
    rows (dicts, each with "country_shown" on the first row of its country, as HTML in the
    page's language, and "footnote_numbers") and the (number, agreement) pairs.
    """
    notes = {}
    for agreement in footnoted_agreements():
        notes.setdefault(agreement.institution_id, []).append(agreement)
    table = list(rows.values(*PRINTED_FIELDS, "is_strategic"))
    numbers_per_row, footnotes = _numbered(
        (notes.get(row["pk"], ()) for row in table), first_footnote
    )
    previous = None
    for row, numbers in zip(table, numbers_per_row, strict=True):
        row["footnote_numbers"] = numbers
        country = (row["region_label"], row["country__name"])
        row["country_shown"] = (
            local_name_html(row["country__name"], row["country__name_ja"])
            if country != previous and row["country__name"]
            else ""
        )
        previous = country
    return table, footnotes


def table_totals(table):
    """Institutions, MOU and SEA of printed rows, as memoranda_totals() counts them."""
    return {
        "institutions": len(table),
        "mou": sum(row["mou_year"] is not None for row in table),
        "sea": sum(row["sea_year"] is not None for row in table),
    }


def with_addresses(institutions):
    """Each institution with its page's address, from one reverse() for them all.

    reverse() for each of a page's 50 rows was a tenth of the page; only the key changes,
    quoted as reverse() quotes it. A key reverse() would refuse goes through it to fail.
    """
    marker = "institution-key"
    before, after = reverse("agreements:institution-detail", kwargs={"key": marker}).rsplit(
        marker, 1
    )
    return [
        (
            institution,
            f"{before}{quote(institution.slug, safe=ADDRESS_SAFE)}{after}"
            if institution.slug and "/" not in institution.slug
            else institution.get_absolute_url(),
        )
        for institution in institutions
    ]


# What reverse() leaves unquoted in a path.
ADDRESS_SAFE = RFC3986_SUBDELIMS + "/~:@"


@dataclass
class RowGroup:
    """A run of rows under one heading: a region, or no heading at all."""

    label: str
    rows: list = field(default_factory=list)


def region_groups(rows, *, label_of=attrgetter("region_label")):
    """Consecutive rows of one region together, as the list and the fact sheet head them."""
    groups = []
    for row in rows:
        label = label_of(row)
        if not groups or groups[-1].label != label:
            groups.append(RowGroup(label))
        groups[-1].rows.append(row)
    return groups


# As the fact sheet prints it: region, country, then by year of the first agreement.
REGION_ORDER = (
    "region_position",
    F("country__name").asc(nulls_last=True),
    "first_year",
    "name",
    "pk",
)
# On Japanese pages the countries follow their Japanese names, read in hiragana.
JAPANESE_REGION_ORDER = (
    "region_position",
    japanese_order("country__").asc(nulls_last=True),
    "first_year",
    japanese_order(),
    "pk",
)


def region_order():
    """The list's order by region and country, in the active language."""
    return JAPANESE_REGION_ORDER if japanese_active() else REGION_ORDER

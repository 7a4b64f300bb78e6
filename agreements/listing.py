"""The memoranda list as the public reads it: one row per institution, years side by side."""

from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Institution,
    Region,
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
            agreements__status=AgreementStatus.IN_EFFECT,
            agreements__is_published=True,
        ),
    )


def _unplaced_region(field):
    return Subquery(Region.objects.filter(slug=UNPLACED_REGION_SLUG).values(field)[:1])


def memoranda_rows():
    """Published institutions with a listed agreement, grouped like the fact sheet."""
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
            region_label=Coalesce(
                F("country__region__name"), _unplaced_region("name"), Value(gettext("Others"))
            ),
            region_position=Coalesce(
                F("country__region__display_order"),
                _unplaced_region("display_order"),
                Value(LAST_IN_ORDER),
            ),
        )
        .filter(Q(mou_year__isnull=False) | Q(sea_year__isnull=False))
        .select_related("country__region")
        .order_by(*REGION_ORDER)
    )


def with_footnotes(rows):
    """Fetch the public scope notes of the listed agreements in one extra query."""
    return rows.prefetch_related(
        Prefetch(
            "agreements",
            queryset=listed_agreements().exclude(scope_note="").order_by("kind", "pk"),
            to_attr="footnoted_agreements",
        )
    )


def number_footnotes(rows, *, first=1):
    """Number each scope note on a page in reading order; return (number, agreement) pairs."""
    footnotes = []
    for row in rows:
        row.footnote_numbers = []
        for agreement in getattr(row, "footnoted_agreements", []):
            number = first + len(footnotes)
            footnotes.append((number, agreement))
            row.footnote_numbers.append(number)
    return footnotes


# As the fact sheet prints it: region, country, then by year of the first agreement.
REGION_ORDER = (
    "region_position",
    F("country__name").asc(nulls_last=True),
    "first_year",
    "name",
    "pk",
)

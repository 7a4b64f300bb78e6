"""The open data API: read-only, public records only, the public pages' rules and filters."""

from django.db.models import Exists, OuterRef, Prefetch, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from agreements.listing import UNPLACED_REGION_SLUG, memoranda_rows
from agreements.models import (
    RUNNING_STATUSES,
    Agreement,
    Institution,
    PartnershipEvent,
    StrategicPartnership,
)
from exchanges.models import ExchangeStatistic, StatisticsRelease
from places.models import Country, Region

from . import filters, serializers
from .conditional import ConditionalMixin
from .pagination import Pages


class PublicViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]


REFERENCE = ("pk", "slug", "name", "name_ja")


def with_institution_details(institutions):
    """What each institution of the API carries, in a fixed number of queries a page."""
    public_partnership = StrategicPartnership.objects.public().filter(institution=OuterRef("pk"))
    return (
        institutions.defer(None)
        .defer("notes")
        .select_related("country__region")
        .annotate(
            api_is_strategic=Exists(public_partnership),
            api_partnership_since=Subquery(public_partnership.values("since")[:1]),
        )
        .prefetch_related(
            # Not a join: the list sorts every matching row, and a join to the parent made
            # that sort 14 ms slower at 5,000 institutions on PostgreSQL.
            Prefetch("parent", queryset=Institution.objects.public().only(*REFERENCE)),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.filter(
                    is_published=True, status__in=RUNNING_STATUSES
                ).order_by("kind", "pk"),
                to_attr="api_agreements",
            ),
            Prefetch(
                "schools",
                queryset=Institution.objects.public()
                .only(*REFERENCE, "parent_id")
                .order_by("name", "pk"),
                to_attr="api_schools",
            ),
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="Partner institutions",
        description=(
            "The rows of the public list /agreements/ with the same parameters and order: "
            "published institutions with an agreement in effect."
        ),
    ),
    retrieve=extend_schema(
        summary="One partner institution, by id or slug",
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, description="id or slug")],
    ),
)
class InstitutionViewSet(PublicViewSet):
    serializer_class = serializers.InstitutionSerializer
    filterset_class = filters.InstitutionFilter
    lookup_field = "key"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if self.action == "list":
            return with_institution_details(memoranda_rows())
        return with_institution_details(Institution.objects.public())

    def get_object(self):
        key = self.kwargs["key"]
        queryset = self.get_queryset()
        institution = None
        if key.isascii() and key.isdigit() and len(key) < 19:
            institution = queryset.filter(pk=int(key)).first()
        if institution is None and key.isascii() and key.replace("-", "").isalnum():
            institution = queryset.filter(slug=key).first()
        if institution is None:
            raise Http404(_("No published institution has this id or slug."))
        return institution

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "unplaced_region": unplaced_region()}


def unplaced_region():
    return Region.objects.filter(slug=UNPLACED_REGION_SLUG).first()


@extend_schema_view(list=extend_schema(summary="Agreements (published)"))
class AgreementViewSet(PublicViewSet):
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    queryset = (
        Agreement.objects.public()
        .select_related("institution")
        .only(
            "pk",
            "kind",
            "concluded_year",
            "status",
            "end_date",
            "scope_note",
            "institution__id",
            "institution__slug",
            "institution__name",
            "institution__name_ja",
        )
        .order_by("institution__name", "kind", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Countries and regions the public pages name",
        description=(
            "Those with a published institution (the country choices of /agreements/) or "
            "with published researcher figures, as the office names them, with ISO codes."
        ),
    )
)
class CountryViewSet(PublicViewSet):
    serializer_class = serializers.CountrySerializer
    filterset_class = filters.CountryFilter
    lookup_field = "iso_code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_queryset(self):
        shown = Exists(Institution.objects.public().filter(country=OuterRef("pk"))) | Exists(
            published(ExchangeStatistic.objects.filter(country=OuterRef("pk")))
        )
        return (
            # Also those without an ISO code ("Others" in the statistics); code is "" then.
            Country.objects.filter(shown).select_related("region").order_by("name", "pk")
        )

    def get_object(self):
        code = self.kwargs["iso_code"].upper()
        country = self.get_queryset().filter(iso_code=code).first()
        if country is None:
            raise Http404(_("No country has this code."))
        return country


@extend_schema_view(list=extend_schema(summary="The office's regions, in its order"))
class RegionViewSet(PublicViewSet):
    serializer_class = serializers.RegionSerializer
    lookup_field = "slug"
    queryset = Region.objects.order_by("display_order", "name")


@extend_schema_view(list=extend_schema(summary="Strategic partnerships and their events"))
class StrategicPartnershipViewSet(PublicViewSet):
    serializer_class = serializers.StrategicPartnershipSerializer
    filterset_class = filters.StrategicPartnershipFilter
    queryset = (
        StrategicPartnership.objects.public()
        .select_related("institution__country")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=PartnershipEvent.objects.order_by("-date", "pk"),
                to_attr="api_events",
            )
        )
        .order_by("institution__name", "pk")
    )


def published(statistics):
    """Only figures of a published year and direction: never a draft."""
    return statistics.filter(
        Exists(
            StatisticsRelease.objects.published().filter(
                academic_year=OuterRef("academic_year"), direction=OuterRef("direction")
            )
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="Researchers received and sent, by country (published years only)",
    )
)
class StatisticViewSet(ConditionalMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]
    serializer_class = serializers.StatisticSerializer
    filterset_class = filters.StatisticFilter
    queryset = published(
        ExchangeStatistic.objects.select_related("country__region").order_by(
            "-academic_year",
            "direction",
            "country__region__display_order",
            "country__region__name",
            "country__name",
            "pk",
        )
    )


@extend_schema_view(
    list=extend_schema(summary="Regional subtotals of the published figures"),
)
class RegionSubtotalViewSet(ConditionalMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]
    serializer_class = serializers.RegionSubtotalSerializer
    filterset_class = filters.RegionSubtotalFilter
    queryset = ExchangeStatistic.objects.none()  # for the schema; rows come from list()

    def get_queryset(self):
        return published(ExchangeStatistic.objects.all())

    def paginate_queryset(self, queryset):
        sums = (
            queryset.order_by()
            .values("academic_year", "direction", "country__region")
            .annotate(researchers=Sum("researchers"))
            .order_by(
                "-academic_year",
                "direction",
                "country__region__display_order",
                "country__region__name",
            )
        )
        page = super().paginate_queryset(sums)
        regions = Region.objects.in_bulk({row["country__region"] for row in page})
        return [
            {
                "academic_year": row["academic_year"],
                "direction": row["direction"],
                "region": regions[row["country__region"]],
                "researchers": row["researchers"],
            }
            for row in page
        ]

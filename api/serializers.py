"""What the API shows of each record: exactly what the public pages show, never staff fields.

Every serializer lists its fields by name (no ``fields = "__all__"``): a field added to a
model for staff, such as notes, never appears here by accident.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.listing import UNPLACED_REGION_SLUG
from presentation.names import local_name


class LocalNameField(serializers.Field):
    """The record's name in the client's language (Accept-Language: ja for Japanese)."""

    def __init__(self, english="name", japanese="name_ja", **kwargs):
        self.english, self.japanese = english, japanese
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, record):
        return local_name(getattr(record, self.english), getattr(record, self.japanese, ""))


extend_schema_field(OpenApiTypes.STR)(LocalNameField)


class RegionSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The region's key, e.g. europe.")
    name = LocalNameField(help_text="In the client's language.")
    display_order = serializers.IntegerField(help_text="Position in the office's lists.")


class RegionRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = LocalNameField()


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(
        source="iso_code",
        help_text="ISO 3166-1 alpha-2, e.g. FR; empty for a grouping such as Others.",
    )
    alpha3 = serializers.CharField(source="iso_alpha3", help_text="ISO 3166-1 alpha-3.")
    name = LocalNameField(help_text="As the office publishes it, in the client's language.")
    region = RegionRefSerializer()


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="iso_code")
    name = LocalNameField()


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = LocalNameField()


class AgreementInEffectSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="mou (general memorandum) or sea (student exchange).")
    concluded_year = serializers.IntegerField()
    valid_until = serializers.DateField(source="end_date", allow_null=True)


class StrategicPartnershipRefSerializer(serializers.Serializer):
    since = serializers.IntegerField(allow_null=True)


class InstitutionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = LocalNameField(help_text="Japanese where known and asked for, else English.")
    name_en = serializers.CharField(source="name")
    name_ja = serializers.CharField(help_text="Empty where the office has no Japanese name.")
    kind = serializers.CharField()
    country = CountryRefSerializer(allow_null=True)
    region = serializers.SerializerMethodField()
    agreements = AgreementInEffectSerializer(many=True, source="api_agreements")
    strategic_partnership = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    schools = InstitutionRefSerializer(many=True, source="api_schools")
    ror_id = serializers.CharField(help_text="Research Organization Registry ID, or empty.")
    website = serializers.CharField()
    page = serializers.SerializerMethodField(help_text="The institution's public page.")

    @extend_schema_field(RegionRefSerializer)
    def get_region(self, institution):
        # Dicts, not a serializer each: building one a row was a fifth of the list's time.
        country = institution.country
        region = country.region if country else self.context.get("unplaced_region")
        if region is None:
            return {"slug": UNPLACED_REGION_SLUG, "name": None}
        return {"slug": region.slug, "name": region.local_name}

    @extend_schema_field(StrategicPartnershipRefSerializer(allow_null=True))
    def get_strategic_partnership(self, institution):
        if not institution.api_is_strategic:
            return None
        return {"since": institution.api_partnership_since}

    @extend_schema_field(InstitutionRefSerializer(allow_null=True))
    def get_parent(self, institution):
        parent = institution.parent  # prefetched: None unless published
        if parent is None:
            return None
        return {"id": parent.pk, "slug": parent.slug, "name": parent.local_name}

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, institution):
        request = self.context.get("request")
        path = reverse("agreements:institution-detail", args=[institution.slug])
        return request.build_absolute_uri(path) if request else path


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    institution = InstitutionRefSerializer()
    kind = serializers.CharField()
    concluded_year = serializers.IntegerField()
    status = serializers.CharField(
        help_text="in_effect, renewing (in effect, renewal under negotiation), expired or "
        "terminated."
    )
    valid_until = serializers.DateField(source="end_date", allow_null=True)
    scope_note = serializers.CharField(help_text="The public footnote on what it covers.")


class PartnershipEventSerializer(serializers.Serializer):
    date = serializers.DateField()
    date_precision = serializers.CharField(help_text="day, month or year: how exact the date is.")
    title = serializers.CharField()
    place = serializers.CharField()


class StrategicPartnershipSerializer(serializers.Serializer):
    institution = InstitutionRefSerializer()
    country = CountryRefSerializer(source="institution.country", allow_null=True)
    since = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    events = PartnershipEventSerializer(many=True, source="api_events")


class StatisticSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField(
        help_text="The year it starts: 2022 is 1 April 2022 to 31 March 2023."
    )
    direction = serializers.CharField(help_text="inbound (received) or outbound (sent).")
    country = CountryRefSerializer()
    region = RegionRefSerializer(source="country.region")
    researchers = serializers.IntegerField()


class RegionSubtotalSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField()
    direction = serializers.CharField()
    region = RegionRefSerializer()
    researchers = serializers.IntegerField()

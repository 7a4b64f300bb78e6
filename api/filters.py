"""The API's filters. Institutions use the public list's own FilterSet (agreements/filters.py),
so /api/v1/institutions/ and /agreements/ answer the same rows for the same parameters."""

import django_filters
from django import forms
from django.db.models import Q

from agreements.filters import MemorandaFilter, YearFilter, region_choices
from agreements.listing import UNPLACED_REGION_SLUG
from agreements.models import AgreementKind, AgreementStatus
from exchanges.models import Direction
from places.models import Country


def country_codes():
    return [
        (code.lower(), code)
        for code in Country.objects.exclude(iso_code="").values_list("iso_code", flat=True)
    ]


class Choice(django_filters.ChoiceFilter):
    """A choice whose refusal lists what is accepted."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)


class AgreementFilter(django_filters.FilterSet):
    kind = Choice(choices=AgreementKind.choices, help_text="mou or sea.")
    status = Choice(
        # Agreements under negotiation are not public (Agreement.objects.public()).
        choices=[c for c in AgreementStatus.choices if c[0] != AgreementStatus.NEGOTIATING],
        help_text="in_effect, renewing (in effect, renewal under negotiation), expired or "
        "terminated.",
    )
    country = Choice(
        choices=country_codes,
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code of the institution's country, e.g. fr.",
    )
    region = Choice(choices=region_choices, method="filter_region", help_text="e.g. europe.")
    institution = django_filters.CharFilter(
        method="filter_institution", max_length=255, help_text="An institution's id or slug."
    )
    concluded_after = YearFilter(
        field_name="concluded_year", lookup_expr="gte", help_text="Concluded in or after."
    )
    concluded_before = YearFilter(
        field_name="concluded_year", lookup_expr="lte", help_text="Concluded in or before."
    )

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(institution__country__iso_code=value.upper())

    def filter_region(self, queryset, name, value: str):
        in_region = Q(institution__country__region__slug=value)
        if value == UNPLACED_REGION_SLUG:
            in_region |= Q(institution__country__isnull=True)
        return queryset.filter(in_region)

    def filter_institution(self, queryset, name, value):
        if value.isascii() and value.isdigit() and len(value) < 19:  # a 64-bit key at most
            return queryset.filter(Q(institution_id=int(value)) | Q(institution__slug=value))
        return queryset.filter(institution__slug=value)


class CountryFilter(django_filters.FilterSet):
    region = Choice(choices=region_choices, field_name="region__slug", help_text="e.g. europe.")


class StrategicPartnershipFilter(django_filters.FilterSet):
    region = Choice(
        choices=region_choices,
        field_name="institution__country__region__slug",
        help_text="e.g. asia.",
    )
    country = Choice(
        choices=country_codes,
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code, e.g. fr.",
    )

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(institution__country__iso_code=value.upper())


class AcademicYearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1950)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class AcademicYearFilter(django_filters.NumberFilter):
    field_class = AcademicYearField


class StatisticFilter(django_filters.FilterSet):
    academic_year = AcademicYearFilter(
        help_text="The year the academic year starts: 2022 is 1 April 2022 to 31 March 2023."
    )
    direction = Choice(choices=Direction.choices, help_text="inbound or outbound.")
    country = Choice(
        choices=country_codes, method="filter_country", help_text="ISO 3166-1 alpha-2, e.g. fr."
    )
    region = Choice(
        choices=region_choices, field_name="country__region__slug", help_text="e.g. asia."
    )

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(country__iso_code=value.upper())


class RegionSubtotalFilter(django_filters.FilterSet):
    academic_year = AcademicYearFilter(help_text="The year the academic year starts.")
    direction = Choice(choices=Direction.choices, help_text="inbound or outbound.")
    region = Choice(
        choices=region_choices, field_name="country__region__slug", help_text="e.g. asia."
    )


class InstitutionFilter(MemorandaFilter):
    """The public list's filters, unchanged; the type hints tell the schema what each takes."""

    def filter_region(self, queryset, name, value: str):
        return super().filter_region(queryset, name, value)

    def filter_country(self, queryset, name, value: str):
        return super().filter_country(queryset, name, value)

    def filter_by_agreement(self, queryset, name, value: int):
        return super().filter_by_agreement(queryset, name, value)

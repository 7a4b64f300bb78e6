"""The public memoranda list's filters; every combination is a shareable link."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from places.models import Country, Region
from presentation.jinja2 import form_renderer
from presentation.names import japanese_active, japanese_order, local_name

from .listing import UNPLACED_REGION_SLUG, region_order, with_listed_agreement
from .models import EARLIEST_YEAR, LATEST_YEAR, AgreementKind, Institution

SEARCH_MAX_LENGTH = 200


def region_choices():
    return [(region.slug, region.local_name) for region in Region.objects.all()]


def country_choices():
    """The countries with a published partner, named and sorted in the page's language."""
    # EXISTS, not a join made DISTINCT: PostgreSQL stops at each country's first published
    # institution instead of joining and de-duplicating every one.
    countries = (
        Country.objects.exclude(iso_code="")
        .filter(Exists(Institution.objects.public().filter(country=OuterRef("pk"))))
        .order_by(japanese_order() if japanese_active() else "name")
        .values_list("iso_code", "name", "name_ja")
    )
    return [(iso_code.lower(), local_name(name, name_ja)) for iso_code, name, name_ja in countries]


class YearField(forms.IntegerField):
    """A year in the range the records allow; "1e1000000" is refused, never computed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", EARLIEST_YEAR)
        kwargs.setdefault("max_value", LATEST_YEAR)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)


class YearFilter(django_filters.Filter):
    field_class = YearField


class OnlyWhenChecked(forms.CheckboxInput):
    """A checkbox that submits 1 and passes any other value on for the field to refuse."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: value == "1")

    def format_value(self, value):
        return "1"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class PlainSelect(forms.Select):
    """A select whose options are written by one template, not by two templates each.

    Django includes a template per option and another for its attributes; with 58 countries
    that was a third of the page's time. Plain options carry a value, a label and "selected",
    never option groups or attributes of their own. Rendered by the Jinja2 form renderer.
    """

    template_name = "agreements/widgets/select.html"


class MemorandaFilterForm(forms.Form):
    default_renderer = form_renderer

    def clean(self):
        cleaned_data = super().clean()
        after = cleaned_data.get("concluded_after")
        before = cleaned_data.get("concluded_before")
        if after is not None and before is not None and after > before:
            raise forms.ValidationError(
                _(
                    "“Concluded in or after” (%(after)s) is later than “concluded in or before” "
                    "(%(before)s): no agreement can match."
                ),
                params={"after": after, "before": before},
            )
        return cleaned_data


ORDERINGS = {
    "name": (Lower("name"), "pk"),
    "-name": (Lower("name").desc(), "-pk"),
    "mou": (F("mou_year").asc(nulls_last=True), "name", "pk"),
    "-mou": (F("mou_year").desc(nulls_last=True), "name", "pk"),
    "sea": (F("sea_year").asc(nulls_last=True), "name", "pk"),
    "-sea": (F("sea_year").desc(nulls_last=True), "name", "pk"),
}
# On Japanese pages institutions sort by their Japanese names (see presentation/names.py).
JAPANESE_ORDERINGS = {
    "name": (japanese_order(), "pk"),
    "-name": (japanese_order().desc(), "-pk"),
}


def ordering(value):
    """The order of the rows for an `ordering` choice, in the active language."""
    if value == "region":
        return region_order()
    if japanese_active():
        return JAPANESE_ORDERINGS.get(value, ORDERINGS[value])
    return ORDERINGS[value]


ORDERING_CHOICES = [
    ("region", _("Region and country")),
    ("name", _("Institution, A–Z")),
    ("-name", _("Institution, Z–A")),
    ("mou", _("MOU year, oldest first")),
    ("-mou", _("MOU year, newest first")),
    ("sea", _("SEA year, oldest first")),
    ("-sea", _("SEA year, newest first")),
]


class MemorandaFilter(django_filters.FilterSet):
    """Filters on the memoranda list; the agreement filters apply to one and the same agreement."""

    q = django_filters.CharFilter(
        label=_("Institution name contains"),
        method="filter_name",
        max_length=SEARCH_MAX_LENGTH,
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        choices=region_choices,
        method="filter_region",
        empty_label=_("All"),
        widget=PlainSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country or region"),
        choices=country_choices,
        method="filter_country",
        empty_label=_("All"),
        widget=PlainSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Agreement"),
        choices=[(AgreementKind.MOU, _("MOU")), (AgreementKind.SEA, _("SEA"))],
        method="filter_by_agreement",
        empty_label=_("MOU or SEA"),
        widget=PlainSelect,
    )
    concluded_after = YearFilter(
        label=_("Concluded in or after (year)"), method="filter_by_agreement"
    )
    concluded_before = YearFilter(
        label=_("Concluded in or before (year)"), method="filter_by_agreement"
    )
    strategic = django_filters.ChoiceFilter(
        label=_("Strategic partners only"),
        choices=[("1", _("Strategic partners only"))],
        method="filter_strategic",
        widget=OnlyWhenChecked,
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order by"),
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        empty_label=None,
        widget=PlainSelect,
    )

    class Meta:
        form = MemorandaFilterForm
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the choices once per request, not once for validating and again for the page.
        self.filters["region"].extra["choices"] = region_choices()
        self.filters["country"].extra["choices"] = country_choices()

    def filter_name(self, queryset, name, value):
        """The institution's name or its country's, in English or Japanese."""
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_ja__icontains=value)
            | Q(country__name__icontains=value)
            | Q(country__name_ja__icontains=value)
        )

    def filter_region(self, queryset, name, value):
        in_region = Q(country__region__slug=value)
        if value == UNPLACED_REGION_SLUG:
            in_region |= Q(country__isnull=True)
        return queryset.filter(in_region)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__iso_code=value.upper())

    def filter_by_agreement(self, queryset, name, value):
        # kind and the years describe one agreement; filter_queryset applies them together.
        return queryset

    def filter_strategic(self, queryset, name, value):
        return queryset.filter(is_strategic=True)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ordering(value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return with_listed_agreement(
            queryset,
            kind=data.get("kind") or None,
            concluded_after=data.get("concluded_after"),
            concluded_before=data.get("concluded_before"),
        )

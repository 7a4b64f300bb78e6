"""The staff admin for yearly researcher exchange counts."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from staff.admin import OfficeModelAdmin

from .models import ExchangeStatistic


@admin.register(ExchangeStatistic)
class ExchangeStatisticAdmin(OfficeModelAdmin):
    list_display = ["country", "region", "academic_year", "direction", "researchers"]
    list_filter = [
        "academic_year",
        "direction",
        ("country__region", admin.RelatedOnlyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["country__name", "country__iso_code", "country__aliases__alias"]
    list_select_related = ["country__region"]
    autocomplete_fields = ["country"]

    @admin.display(description=_("region"), ordering="country__region__display_order")
    def region(self, obj):
        return obj.country.region

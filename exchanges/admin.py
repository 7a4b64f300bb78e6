"""The staff admin for yearly researcher exchange counts."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imports.admin import SpreadsheetAdminMixin
from staff.admin import OfficeModelAdmin

from .forms import StatisticsConfirmImportForm, StatisticsImportForm
from .models import ExchangeStatistic
from .resources import ExchangeStatisticResource, PublishedLayoutResource


@admin.register(ExchangeStatistic)
class ExchangeStatisticAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [ExchangeStatisticResource, PublishedLayoutResource]
    # Both layouts are read by the same resource, which tells them apart.
    import_resource_classes = [ExchangeStatisticResource]
    import_form_class = StatisticsImportForm
    confirm_form_class = StatisticsConfirmImportForm
    import_option_names = ("academic_year", "direction")

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

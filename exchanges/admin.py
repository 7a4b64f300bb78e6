"""The staff admin for yearly researcher exchange counts."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imports.admin import SpreadsheetAdminMixin
from staff.admin import OfficeModelAdmin, RelatedInUseFilter

from .forms import StatisticsConfirmImportForm, StatisticsImportForm
from .models import ExchangeStatistic
from .resources import ExchangeStatisticResource, PublishedLayoutResource
from .statistics import available_years


class AcademicYearFilter(admin.AllValuesFieldListFilter):
    """Django's filter of every value, its years found by one index probe a year.

    SELECT DISTINCT read every row (14 ms at 100,000 on PostgreSQL).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup_choices = sorted(available_years())


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
        ("academic_year", AcademicYearFilter),
        "direction",
        ("country__region", RelatedInUseFilter),
        ("country", RelatedInUseFilter),
    ]
    search_fields = ["country__name", "country__iso_code", "country__aliases__alias"]
    list_select_related = ["country__region"]
    autocomplete_fields = ["country"]
    # Counting all 100,000 rows a second time for "(N total)" beside a filtered count was
    # 6 to 10 ms a page on PostgreSQL; the list offers "Show all" instead, as Django advises.
    show_full_result_count = False
    # Django's changelist writes each cell through its admin machinery: 50 rows a page keep
    # the list within 15 times the admin's login page.
    list_per_page = 50

    @admin.display(description=_("region"), ordering="country__region__display_order")
    def region(self, obj):
        return obj.country.region

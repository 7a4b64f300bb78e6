"""The staff admin for regions, countries and the other spellings of countries."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from imports.admin import SpreadsheetAdminMixin
from staff.admin import OfficeModelAdmin

from .models import Country, CountryAlias, Region
from .resources import CountryResource, RegionResource


class CountryAliasInline(admin.TabularInline):
    model = CountryAlias
    extra = 1


@admin.register(Region)
class RegionAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [RegionResource]
    list_display = ["name", "name_ja", "slug", "display_order", "country_count"]
    list_editable = ["display_order"]
    search_fields = ["name", "name_ja"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_country_count=Count("countries"))

    @admin.display(description=_("countries"), ordering="_country_count")
    def country_count(self, obj):
        return obj._country_count


@admin.register(Country)
class CountryAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [CountryResource]
    list_display = ["name", "name_ja", "iso_code", "iso_alpha3", "iso_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_ja", "iso_code", "iso_alpha3", "iso_name", "aliases__alias"]
    list_select_related = ["region"]
    inlines = [CountryAliasInline]
    fields = ["name", "name_ja", "region", "iso_code", "iso_alpha3", "iso_name"]

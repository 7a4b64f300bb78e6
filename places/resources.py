"""Regions and countries as spreadsheets, and the widget other records name a country with."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from imports.resources import RecordResource

from .models import Country, Region


class CountryWidget(widgets.ForeignKeyWidget):
    """A country written by its name in the export's language (Japanese from the Japanese
    admin), read back by its English or Japanese name."""

    def __init__(self, **kwargs):
        super().__init__(Country, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Country.DoesNotExist:
            return Country.objects.get(name_ja=str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.local_name


class RegionResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = Region
        fields = ["slug", "name", "name_ja", "display_order"]
        import_id_fields = ["slug"]


class CountryResource(RecordResource):
    region = fields.Field(
        attribute="region",
        column_name=_("Region (slug)"),
        widget=widgets.ForeignKeyWidget(Region, field="slug"),
    )

    class Meta(RecordResource.Meta):
        model = Country
        fields = ["name", "name_ja", "iso_code", "iso_alpha3", "iso_name", "region"]
        import_id_fields = ["name"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")

"""Spreadsheet import and export of researcher counts: plain table and published layout."""

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from imports.resources import LayoutResource
from imports.widgets import ChoiceLabelWidget
from places.models import Country, Region
from places.resources import CountryWidget
from presentation.names import japanese_active

from .importing.plain import PlainLayout
from .importing.published import PublishedLayout
from .models import Direction, ExchangeStatistic
from .services import releases_ensure_drafts

# The fact sheet's titles; the Japanese ones still say 受入 or 派遣, which an import checks.
TITLES = {
    Direction.INBOUND: gettext_lazy("Researchers from Abroad"),
    Direction.OUTBOUND: gettext_lazy("Researchers going Abroad"),
}


class ExchangeStatisticResource(LayoutResource):
    """One row per academic year, direction and country; imports either layout, told apart."""

    option_names = ("academic_year", "direction")
    layout_class = PlainLayout
    # Whether staff chose this layout (on the import page): then a file in the other one
    # is still read, and the preview says so.
    chosen = False

    # Titled and named in the language of the export; the plain layout reads either language.
    academic_year = fields.Field(
        attribute="academic_year",
        column_name=gettext_lazy("Academic year"),
        widget=widgets.IntegerWidget(),
    )
    direction = fields.Field(
        attribute="direction",
        column_name=gettext_lazy("Direction"),
        widget=ChoiceLabelWidget(Direction.choices),
    )
    country = fields.Field(
        attribute="country", column_name=gettext_lazy("Country/Region"), widget=CountryWidget()
    )
    researchers = fields.Field(
        attribute="researchers",
        column_name=gettext_lazy("Researchers"),
        widget=widgets.IntegerWidget(),
    )

    class Meta(LayoutResource.Meta):
        model = ExchangeStatistic
        fields = ["academic_year", "direction", "country", "researchers"]
        import_id_fields = ["academic_year", "direction", "country"]

    def layout_for(self, sheet, **options):
        # A file in the other layout is read as what it is, and the preview says so: the
        # published one is told by its header.
        found = PublishedLayout if PublishedLayout.header_line(sheet.rows) is not None else None
        found = found or PlainLayout
        layout = found(**options)
        if self.chosen and found is not self.layout_class:
            layout.plan_.notes.append(
                _("The file is laid out as “%(found)s”, not “%(chosen)s”; it was read as such.")
                % {"found": found.name, "chosen": self.layout_class.name}
            )
        return layout

    def get_queryset(self):
        return super().get_queryset().select_related("country")

    def import_data_inner(self, dataset, dry_run, *args, **kwargs):
        result = super().import_data_inner(dataset, dry_run, *args, **kwargs)
        if result.import_record is not None:
            # Imported figures are a draft until staff publish them, in the same transaction.
            written = (*result.plan.to_create, *result.plan.to_update)
            releases_ensure_drafts(scopes={(obj.academic_year, obj.direction) for obj in written})
        return result


def published_layout(queryset):
    """The fact sheet's table for the newest year and direction in the queryset, as rows,
    titled and named in the active language (it imports back in either)."""
    header = [_("Country/Region"), _("Number of researchers")]
    scope = (
        queryset.order_by("-academic_year", "direction")
        .values_list("academic_year", "direction")
        .first()
    )
    if scope is None:
        return [header, [_("Total"), 0]]
    year, direction = scope
    counts = {
        row.country_id: row.researchers
        for row in queryset.filter(academic_year=year, direction=direction)
    }
    countries = Country.objects.filter(pk__in=counts).select_related("region")
    by_region = {}
    for country in countries.order_by("region__display_order", "name"):
        by_region.setdefault(country.region_id, []).append(country)
    japanese = japanese_active()
    rows = [
        [str(TITLES[direction])],
        [_("%(year)s academic year (Apr. 1–Mar. 31)") % {"year": year}],
        header,
    ]
    total = 0
    for region in Region.objects.filter(pk__in=by_region):
        members = sorted(
            by_region[region.pk],
            key=lambda c: (c.name == "Others", c.name_ja_reading if japanese else c.name),
        )
        subtotal = sum(counts[country.pk] for country in members)
        total += subtotal
        rows.append([f"{region.local_name.upper()} ({subtotal:,})", ""])
        rows.extend([country.local_name, counts[country.pk]] for country in members)
    rows.append([_("Total"), total])
    return rows


class PlainTableResource(ExchangeStatisticResource):
    """The plain table, as chosen on the import page."""

    chosen = True


class PublishedLayoutResource(ExchangeStatisticResource):
    """The fact sheet's own layout: region headings with subtotals, Others, Total."""

    layout_class = PublishedLayout
    chosen = True

    def export(self, queryset=None, **kwargs):
        rows = published_layout(queryset if queryset is not None else self.get_queryset())
        width = 2
        padded = [list(row) + [""] * (width - len(row)) for row in rows]
        return tablib.Dataset(*padded[1:], headers=padded[0])

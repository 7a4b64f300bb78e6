"""The staff admin for partners, agreements, strategic partnerships and laboratories."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from imports.admin import SpreadsheetAdminMixin
from staff.actions import setting_action
from staff.admin import OfficeModelAdmin, RelatedInUseFilter

from .admin_filters import (
    AgreementStateFilter,
    AgreementStrategicPartnerFilter,
    ConcludedDecadeFilter,
    StrategicPartnerFilter,
)
from .documents.admin import AgreementDocumentInline
from .models import (
    RUNNING_STATUSES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    Programme,
    StrategicPartnership,
)
from .resources import (
    AgreementResource,
    InstitutionResource,
    MemorandaResource,
    OnSiteLaboratoryResource,
    PartnershipEventResource,
    ProgrammeResource,
    StrategicPartnershipResource,
)
from .timelines import timeline_html

# A website typed without a scheme is taken as https (Django 6.0's default).
URL_AS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ShortKindSelect(forms.Select):
    """The kinds by their abbreviations, to fit a row of a table; full names as titles."""

    def __init__(self, attrs=None, choices=()):
        full_names = "; ".join(str(kind.label) for kind in AgreementKind)
        super().__init__({"title": full_names, **(attrs or {})}, choices)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in AgreementKind.values:
            option["label"] = AgreementKind(value).short_label
            option["attrs"]["title"] = AgreementKind(value).label
        return option


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    show_change_link = True
    fields = [
        "kind",
        "concluded_year",
        "status",
        "start_date",
        "end_date",
        "scope_note",
        "is_published",
    ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["widget"] = ShortKindSelect
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class SchoolInline(admin.TabularInline):
    model = Institution
    fk_name = "parent"
    extra = 0
    fields = ["name", "kind", "is_published"]
    show_change_link = True
    verbose_name = _("school or affiliated institution")
    verbose_name_plural = _("schools and affiliated institutions")


def _year_of_kind(kind):
    # A subquery, not an aggregate: GROUP BY would drop the model's ordering.
    return Subquery(
        Agreement.objects.filter(
            institution=OuterRef("pk"), kind=kind, status__in=RUNNING_STATUSES
        ).values("concluded_year")[:1]
    )


@admin.register(Institution)
class InstitutionAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [InstitutionResource]
    # Django's changelist writes each cell through its admin machinery (0.13 ms a row of nine
    # columns here): 50 rows a page keep the list within 15 times the admin's login page.
    list_per_page = 50
    formfield_overrides = URL_AS_HTTPS
    list_display = [
        "names",
        "country",
        "region",
        "kind",
        "mou_year",
        "sea_year",
        "is_strategic_partner",
        "is_published",
    ]
    list_filter = [
        ("country__region", RelatedInUseFilter),
        ("country", RelatedInUseFilter),
        "kind",
        StrategicPartnerFilter,
        "is_published",
    ]
    search_fields = [
        "name",
        "name_ja",
        "slug",
        "country__name",
        "country__name_ja",
        "parent__name",
        "parent__name_ja",
    ]
    list_select_related = ["country__region"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgreementInline, SchoolInline]
    readonly_fields = ["agreement_timeline"]
    fieldsets = [
        (None, {"fields": ["name", "name_ja", "slug", "kind", "country", "parent"]}),
        (_("Identifiers and links"), {"fields": ["website", "ror_id"]}),
        (_("Publication and staff notes"), {"fields": ["is_published", "notes"]}),
        (_("Agreements over time"), {"fields": ["agreement_timeline"]}),
    ]

    @admin.display(description=_("timeline"))
    def agreement_timeline(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return timeline_html(self.admin_site.name, obj.agreements.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _mou_year=_year_of_kind(AgreementKind.MOU),
                _sea_year=_year_of_kind(AgreementKind.SEA),
                _is_strategic=Exists(
                    StrategicPartnership.objects.filter(institution=OuterRef("pk"))
                ),
            )
        )

    def get_deleted_objects(self, objs, request):
        """A laboratory's link to its partner would go silently with the institution (Django
        deletes the rows of a many-to-many table without asking): the laboratory is listed with
        what must be removed first, so the delete page refuses as it does for agreements."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        laboratories = OnSiteLaboratory.objects.filter(partner_institutions__in=objs).distinct()
        for laboratory in laboratories.order_by("name"):
            url = reverse("admin:agreements_onsitelaboratory_change", args=[laboratory.pk])
            protected.append(
                format_html(
                    '{}: <a href="{}">{}</a>',
                    capfirst(OnSiteLaboratory._meta.verbose_name),
                    url,
                    laboratory,
                )
            )
        return deleted, counts, perms_needed, protected

    @admin.display(description=_("name"), ordering="name")
    def names(self, obj):
        """Both names in one column: a column more would cost every row of the list its cell."""
        if not obj.name_ja:
            return obj.name
        return format_html('{} <span lang="ja">（{}）</span>', obj.name, obj.name_ja)

    @admin.display(description=_("region"), ordering="country__region__display_order")
    def region(self, obj):
        return obj.country.region if obj.country else _("Others")

    @admin.display(description=_("MOU"), ordering="_mou_year")
    def mou_year(self, obj):
        return obj._mou_year or "–"

    @admin.display(description=_("SEA"), ordering="_sea_year")
    def sea_year(self, obj):
        return obj._sea_year or "–"

    @admin.display(description=_("strategic partner"), boolean=True, ordering="_is_strategic")
    def is_strategic_partner(self, obj):
        return obj._is_strategic


mark_expired = setting_action(
    "mark_expired",
    description=_("Mark selected agreements expired"),
    reason=_("Marked expired from the list"),
    done=_("Marked %(count)d of %(selected)d selected %(records)s expired."),
    status=AgreementStatus.EXPIRED,
)
mark_terminated = setting_action(
    "mark_terminated",
    description=_("Mark selected agreements terminated"),
    reason=_("Marked terminated from the list"),
    done=_("Marked %(count)d of %(selected)d selected %(records)s terminated."),
    status=AgreementStatus.TERMINATED,
)


@admin.register(Agreement)
class AgreementAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    # The renewals app adds its action, its Renew page and the renewal chain (renewals/admin.py).
    actions = [mark_expired, mark_terminated]
    resource_classes = [AgreementResource]
    # Django's changelist writes each cell through its admin machinery (0.13 ms a row of nine
    # columns here): 50 rows a page keep the list within 15 times the admin's login page.
    list_per_page = 50
    import_resource_classes = [MemorandaResource, AgreementResource]

    list_display = [
        "institution",
        "country",
        "kind_abbreviation",
        "concluded_year",
        "status",
        "end_date",
        "is_published",
    ]
    list_filter = [
        "kind",
        "status",
        AgreementStateFilter,
        "renewal_type",
        ("institution__country__region", RelatedInUseFilter),
        ("institution__country", RelatedInUseFilter),
        AgreementStrategicPartnerFilter,
        ConcludedDecadeFilter,
        "is_published",
    ]
    search_fields = [
        "institution__name",
        "institution__name_ja",
        "institution__country__name",
        "institution__country__name_ja",
    ]
    list_select_related = ["institution__country__region"]
    autocomplete_fields = ["institution"]
    date_hierarchy = None
    inlines = [AgreementDocumentInline]
    fieldsets = [
        (None, {"fields": ["institution", "kind", "concluded_year", "status"]}),
        (
            _("Term"),
            {"fields": ["start_date", "end_date", "renewal_type", "notice_period_months"]},
        ),
        (
            _("People"),
            {"fields": ["responsible_staff", "partner_contact_name", "partner_contact_email"]},
        ),
        (_("Notes"), {"fields": ["scope_note", "internal_notes", "is_published"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible_staff":
            # Staff only (the reminders go to them), by user name.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("country or region"), ordering="institution__country__name")
    def country(self, obj):
        return obj.institution.country or _("Others")

    @admin.display(description=_("kind"), ordering="kind")
    def kind_abbreviation(self, obj):
        kind = AgreementKind(obj.kind)
        return format_html('<abbr title="{}">{}</abbr>', kind.label, kind.short_label)


class PartnershipEventInline(admin.StackedInline):
    """Stacked: an event's title and description are sentences, too long for a table row."""

    model = PartnershipEvent
    extra = 1
    fields = [("date", "date_precision"), "title", "place", "description"]


@admin.register(StrategicPartnership)
class StrategicPartnershipAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [StrategicPartnershipResource]
    list_display = ["institution", "country", "since", "event_count", "is_published"]
    list_filter = [("institution__country__region", RelatedInUseFilter), "since"]
    search_fields = ["institution__name", "institution__name_ja", "description"]
    list_select_related = ["institution__country"]
    autocomplete_fields = ["institution"]
    inlines = [PartnershipEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_event_count=Count("events"))

    @admin.display(description=_("country or region"), ordering="institution__country__name")
    def country(self, obj):
        return obj.institution.country or _("Others")

    @admin.display(description=_("events"), ordering="_event_count")
    def event_count(self, obj):
        return obj._event_count


@admin.register(PartnershipEvent)
class PartnershipEventAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [PartnershipEventResource]
    list_display = ["title", "partnership", "display_date", "place"]
    list_filter = [("partnership__institution", RelatedInUseFilter)]
    search_fields = ["title", "place", "partnership__institution__name"]
    list_select_related = ["partnership__institution"]
    autocomplete_fields = ["partnership"]
    date_hierarchy = "date"

    @admin.display(description=_("date"), ordering="date")
    def display_date(self, obj):
        return obj.display_date


@admin.register(OnSiteLaboratory)
class OnSiteLaboratoryAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [OnSiteLaboratoryResource]
    formfield_overrides = URL_AS_HTTPS
    list_display = [
        "name",
        "departments",
        "country",
        "research_field",
        "established",
        "is_published",
    ]
    list_filter = [
        ("country__region", RelatedInUseFilter),
        "research_field",
        "is_published",
    ]
    search_fields = ["name", "departments", "research_field", "partner_institutions__name"]
    list_select_related = ["country"]
    autocomplete_fields = ["partner_institutions", "country"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(SpreadsheetAdminMixin, OfficeModelAdmin):
    resource_classes = [ProgrammeResource]
    formfield_overrides = URL_AS_HTTPS
    list_display = ["name", "slug", "website", "display_order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}

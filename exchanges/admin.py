"""The staff admin for yearly researcher exchange counts."""

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imports.admin import SpreadsheetAdminMixin
from staff.admin import OfficeModelAdmin, RelatedInUseFilter

from .forms import StatisticsConfirmImportForm, StatisticsImportForm
from .models import ExchangeStatistic, StatisticsRelease
from .resources import ExchangeStatisticResource, PlainTableResource, PublishedLayoutResource
from .services import ReleaseError, release_publish, release_unpublish, releases_ensure_drafts
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
    # The fact sheet's layout first: it is how the figures arrive each year.
    import_resource_classes = [PublishedLayoutResource, PlainTableResource]
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
    search_fields = [
        "country__name",
        "country__name_ja",
        "country__iso_code",
        "country__aliases__alias",
    ]
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Figures of a year and direction never seen before start as a draft.
        releases_ensure_drafts(scopes={(obj.academic_year, obj.direction)})


@admin.register(StatisticsRelease)
class StatisticsReleaseAdmin(OfficeModelAdmin):
    """Each year and direction of statistics, published or a draft, and who published it."""

    list_display = [
        "academic_year",
        "direction",
        "researchers",
        "state",
        "published_by",
        "published_at",
    ]
    list_filter = ["state", "direction"]
    list_select_related = ["published_by"]
    actions = ["publish", "unpublish"]
    fields = readonly_fields = list_display

    def get_queryset(self, request):
        totals = (
            ExchangeStatistic.objects.filter(
                academic_year=OuterRef("academic_year"), direction=OuterRef("direction")
            )
            .order_by()
            .values("academic_year", "direction")
            .annotate(total=Sum("researchers"))
            .values("total")
        )
        return super().get_queryset(request).annotate(researchers=Subquery(totals))

    @admin.display(description=_("researchers"), ordering="researchers")
    def researchers(self, obj):
        return obj.researchers

    # Releases are made by imports and changed only by the actions, which keep history.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request):
        return request.user.has_perm("exchanges.publish_statisticsrelease")

    def _set_state(self, request, queryset, service, done):
        changed, unchanged = [], []
        for release in queryset.order_by("academic_year", "direction"):
            what = f"{release.academic_year} {release.get_direction_display().lower()}"
            try:
                _release, did = service(
                    academic_year=release.academic_year,
                    direction=release.direction,
                    user=request.user,
                )
            except ReleaseError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            (changed if did else unchanged).append(what)
        if changed:
            self.message_user(request, done % {"what": ", ".join(changed)}, messages.SUCCESS)
        if unchanged:
            self.message_user(
                request,
                gettext("Already so, nothing changed: %(what)s.") % {"what": ", ".join(unchanged)},
                messages.WARNING,
            )

    @admin.action(permissions=["publish"], description=_("Publish the selected years"))
    def publish(self, request, queryset):
        self._set_state(
            request,
            queryset,
            release_publish,
            gettext("Published: %(what)s. The public pages and downloads now show them."),
        )

    @admin.action(permissions=["publish"], description=_("Unpublish the selected years"))
    def unpublish(self, request, queryset):
        self._set_state(
            request,
            queryset,
            release_unpublish,
            gettext("Unpublished: %(what)s. The public pages and downloads no longer show them."),
        )

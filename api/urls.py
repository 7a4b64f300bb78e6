from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
# JSON only: no ".json" address variants beside each (DRF's format suffixes).
router.include_format_suffixes = False
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("countries", views.CountryViewSet, basename="country")
router.register("regions", views.RegionViewSet, basename="region")
router.register(
    "strategic-partnerships", views.StrategicPartnershipViewSet, basename="strategic-partnership"
)
router.register(
    "statistics/regions", views.RegionSubtotalViewSet, basename="statistic-region-subtotal"
)
router.register("statistics", views.StatisticViewSet, basename="statistic")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The split view serves its start-up script as a file, and the project's template
        # its styles: the page runs under the site's CSP, with nothing from a CDN.
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("", include(router.urls)),
]

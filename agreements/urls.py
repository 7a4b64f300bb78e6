from django.urls import path

from operations.cache import cached_public_page

from . import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", cached_public_page(views.MemorandaListView.as_view()), name="list"),
    path(
        "agreements/<str:key>/",
        cached_public_page(views.InstitutionDetailView.as_view()),
        name="institution-detail",
    ),
    path(
        "strategic-partnerships/",
        cached_public_page(views.StrategicPartnershipListView.as_view()),
        name="strategic-partnerships",
    ),
    path(
        "on-site-laboratories/",
        cached_public_page(views.OnSiteLaboratoryListView.as_view()),
        name="on-site-laboratories",
    ),
]

from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.MemorandaListView.as_view(), name="list"),
    path(
        "agreements/<str:key>/",
        views.InstitutionDetailView.as_view(),
        name="institution-detail",
    ),
    path(
        "strategic-partnerships/",
        views.StrategicPartnershipListView.as_view(),
        name="strategic-partnerships",
    ),
    path(
        "on-site-laboratories/",
        views.OnSiteLaboratoryListView.as_view(),
        name="on-site-laboratories",
    ),
]

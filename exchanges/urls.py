from django.urls import path

from operations.cache import cached_public_page

from . import views

app_name = "exchanges"

urlpatterns = [
    path("statistics/", cached_public_page(views.statistics_latest), name="statistics"),
    path(
        "statistics/<int:year>/",
        cached_public_page(views.statistics_year),
        name="statistics-year",
    ),
]

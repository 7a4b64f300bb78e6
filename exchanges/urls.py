from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("statistics/", views.statistics_latest, name="statistics"),
    path("statistics/<int:year>/", views.statistics_year, name="statistics-year"),
    path("fact-sheet/", views.FactSheetView.as_view(), name="fact-sheet"),
]

"""The site's own pages, at the addresses and names they were published under."""

from django.urls import path

from operations.cache import cached_public_page

from . import views

urlpatterns = [
    path("", cached_public_page(views.HomeView.as_view()), name="home"),
]

# The fact sheet keeps its published name, exchanges:fact-sheet: config/urls.py serves these in
# the exchanges namespace, next to the statistics it was named with.
fact_sheet_urlpatterns = [
    path("fact-sheet/", cached_public_page(views.FactSheetView.as_view()), name="fact-sheet"),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Where partners are: regions, countries, the spellings spreadsheets use for them and
    their names in both languages. Every domain app places its records with these."""

    name = "places"
    verbose_name = _("Regions and countries")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Where partners are: regions, countries, the spellings spreadsheets use for them and
    their names in both languages. Every domain app places its records with these."""

    name = "places"
    verbose_name = _("Regions and countries")
    admin_position = 40  # reference data, after the records that point at it

    # What the office's staff roles may do here (staff/roles.py): every role reads regions,
    # countries and their spellings, and Importers export them; only superusers change them.
    staff_viewed = "__all__"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Researcher exchanges")
    admin_position = 20  # on the admin's home, after partners and agreements

    # What the office's staff roles may do here (staff/roles.py): every role reads the
    # statistics and their releases; Editors and Importers keep the statistics and publish
    # and unpublish the releases.
    staff_viewed = "__all__"
    staff_edited = ("exchangestatistic", "statisticsrelease")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Spreadsheet imports")
    admin_position = 30  # on the admin's home, after the records imports write

    # Every staff role reads the import records (staff/roles.py); imports write them.
    staff_viewed = "__all__"

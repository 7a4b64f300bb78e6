from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    name = "renewals"
    verbose_name = _("Renewal reminders")

    def ready(self):
        # The dashboard on the admin's home, at the extension point staff offers
        # (staff/panels.py). The agreements' and institutions' admin pages get their renewal
        # parts, the hand-over from a predecessor among them, in renewals/admin.py.
        from staff.panels import register_index_panel

        from .dashboard import renewal_panel

        register_index_panel(renewal_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    name = "renewals"
    verbose_name = _("Renewal reminders")

    def ready(self):
        # The renewals' parts of other apps' pages, each at the extension point the other app
        # offers: the dashboard on the admin's home (staff/panels.py) and the hand-over from a
        # predecessor when staff set its successor in effect (agreements/signals.py). The
        # agreements' admin pages get their renewal parts in renewals/admin.py.
        from agreements.models import Agreement
        from agreements.signals import successor_taking_effect
        from staff.panels import register_index_panel

        from .dashboard import renewal_panel
        from .receivers import predecessor_hands_over

        register_index_panel(renewal_panel)
        successor_taking_effect.connect(
            predecessor_hands_over, sender=Agreement, dispatch_uid="renewals.hand_over"
        )

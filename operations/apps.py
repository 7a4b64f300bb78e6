from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What running the site needs, whatever its records: logs, the page cache, the health
    check and the guards every request passes."""

    name = "operations"
    verbose_name = _("Site operations")

    def ready(self):
        # Settings that let the site start but serve it wrongly (caches, catalogs).
        from . import checks  # noqa: F401

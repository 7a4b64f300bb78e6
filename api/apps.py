from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open, read-only data API at /api/v1/: what the public pages show, as JSON."""

    name = "api"
    verbose_name = _("Open data API")

from django.apps import AppConfig


class PresentationConfig(AppConfig):
    """How the public pages show records in both languages: names, downloads, table rows
    and error replies. No models; every app that shows pages uses it."""

    name = "presentation"
    verbose_name = "Presentation"

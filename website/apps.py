from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The public site's own pages (the home page, the fact sheet) and the chrome every public
    page wears. Only config's URLs import it."""

    name = "website"
    verbose_name = "Public website"

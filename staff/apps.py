from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff roles and access")


class OfficeAdminConfig(AdminConfig):
    """Django's admin, served by the office's site (staff/sites.py)."""

    default_site = "staff.sites.OfficeAdminSite"


class LoginLockoutsConfig(AxesConfig):
    """django-axes, named in the admin as the office names it (axes gives its app no name)."""

    verbose_name = _("Login lockouts")

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff roles and access")


class OfficeAdminConfig(AdminConfig):
    """Django's admin, served by the office's site (staff/sites.py)."""

    default_site = "staff.sites.OfficeAdminSite"

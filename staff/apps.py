from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff roles and access")

    def ready(self):
        from . import checks  # noqa: F401
        from .roles import roles_after_migrate

        # As Django's own permissions are made: after every migrate, from the apps as they are.
        post_migrate.connect(roles_after_migrate, dispatch_uid="staff.roles")


class OfficeAdminConfig(AdminConfig):
    """Django's admin, served by the office's site (staff/sites.py)."""

    default_site = "staff.sites.OfficeAdminSite"

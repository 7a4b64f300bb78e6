"""The roles' rules as the staff migrations 0001 to 0006 applied them, kept here unchanged so
those migrations do on any database what they always did, whatever the apps declare now.

Migrations the loader skips (its name starts with "_"). Since then the apps declare what their
models give the roles (staff/roles.py), and the groups follow after every ``migrate``; no new
staff migration is needed for a change in a domain app.
"""

EDITORS = "Editors"
IMPORTERS = "Importers"
VIEWERS = "Viewers"

# The apps whose records the roles cover (import records: read by every role).
RECORD_APPS = ("agreements", "exchanges", "imports")

EDITED_MODELS = (
    ("agreements", "institution"),
    ("agreements", "agreement"),
    ("agreements", "agreementdocument"),
    ("agreements", "strategicpartnership"),
    ("agreements", "partnershipevent"),
    ("agreements", "onsitelaboratory"),
    ("exchanges", "exchangestatistic"),
    ("exchanges", "statisticsrelease"),
)
EDIT_ACTIONS = ("add", "change", "delete", "publish")


def role_permissions(apps):
    """Map each group name to the permissions it gets, from the apps' models at this point."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the last migration; the groups need them now.
    # create_permissions skips an app without a models module, as every app of a migration's
    # registry is: mark it for the call, then put back what it was.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)  # a stub has none
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    permission_model = apps.get_model("auth", "Permission")
    records = permission_model.objects.filter(content_type__app_label__in=RECORD_APPS)
    records = records.exclude(content_type__model__startswith="historical")

    view = list(records.filter(codename__startswith="view_"))
    edit = [
        permission
        for permission in records.filter(content_type__model__in=[m for _, m in EDITED_MODELS])
        if permission.codename.split("_", 1)[0] in EDIT_ACTIONS
        and (permission.content_type.app_label, permission.content_type.model) in EDITED_MODELS
    ]
    spreadsheets = [
        permission
        for permission in records
        if permission.codename.split("_", 1)[0] == "export"
        or (
            permission.codename.split("_", 1)[0] == "import"
            and (permission.content_type.app_label, permission.content_type.model) in EDITED_MODELS
        )
    ]
    return {
        VIEWERS: view,
        EDITORS: view + edit,
        IMPORTERS: view + edit + spreadsheets,
    }


def roles_create(apps, schema_editor=None):
    """Create the three groups and give each exactly its permissions (safe to run again)."""
    group_model = apps.get_model("auth", "Group")
    for name, permissions in role_permissions(apps).items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def roles_remove(apps, schema_editor=None):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, IMPORTERS, VIEWERS]).delete()

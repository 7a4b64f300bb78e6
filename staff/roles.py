"""The office's staff roles: which group may do what with the records.

Editors keep the records; Importers are editors who also load and download spreadsheets;
Viewers only read. Each app says what its models give them, on its ``AppConfig``::

    staff_viewed = "__all__"  # or the names of some of its models
    staff_edited = ("delegation", "visit")

Every role views the viewed models (all but their historical versions, with "__all__"), and
Importers export them. Editors and Importers add, change, delete and publish the edited
models, which every role also views; Importers import into them, as importing needs the rights
to add and change. A model no app names gives no group anything: user accounts, and what only
superusers change, stay with superusers.

The groups are given exactly these rights after every ``migrate`` (``post_migrate``), so a new
model or a changed declaration reaches them with no migration of this app. A right given to
one of these three groups by hand goes at the next ``migrate``: give it through another group.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router
from simple_history.models import HistoricalChanges

EDITORS = "Editors"
IMPORTERS = "Importers"
VIEWERS = "Viewers"

EVERY_MODEL = "__all__"
EDIT_ACTIONS = ("add", "change", "delete", "publish")


def declared_models(app_config):
    """The names of the models an app lets every role view, and of those editors keep."""
    edited = {name.lower() for name in getattr(app_config, "staff_edited", ())}
    viewed = getattr(app_config, "staff_viewed", ())
    if viewed == EVERY_MODEL:
        # A historical version is written by saving its record, never edited or read alone.
        viewed = [
            model._meta.model_name
            for model in app_config.get_models()
            if not issubclass(model, HistoricalChanges)
        ]
    return {name.lower() for name in viewed} | edited, edited


def role_permissions(apps=global_apps, *, using=DEFAULT_DB_ALIAS):
    """Map each group name to the permissions the apps' declarations give it."""
    viewed, edited = set(), set()
    for app_config in global_apps.get_app_configs():
        app_viewed, app_edited = declared_models(app_config)
        viewed |= {(app_config.label, name) for name in app_viewed}
        edited |= {(app_config.label, name) for name in app_edited}

    permissions = (
        apps.get_model("auth", "Permission")
        .objects.using(using)
        .filter(content_type__app_label__in={label for label, _name in viewed})
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )
    view, edit, spreadsheets = [], [], []
    for permission in permissions:
        model = (permission.content_type.app_label, permission.content_type.model)
        action = permission.codename.split("_", 1)[0]
        if model not in viewed:
            continue
        if action == "view":
            view.append(permission)
        elif action == "export" or (action == "import" and model in edited):
            spreadsheets.append(permission)
        elif action in EDIT_ACTIONS and model in edited:
            edit.append(permission)
    return {
        VIEWERS: view,
        EDITORS: view + edit,
        IMPORTERS: view + edit + spreadsheets,
    }


def roles_create(apps=global_apps, *, using=DEFAULT_DB_ALIAS):
    """Create the three groups and give each exactly its permissions (safe to run again)."""
    group_model = apps.get_model("auth", "Group")
    for name, permissions in role_permissions(apps, using=using).items():
        group, _created = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def roles_after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """Make the groups once per ``migrate``, after every app has its permissions.

    ``post_migrate`` comes once for each app with models, in ``INSTALLED_APPS`` order: the
    groups are made at the last one's, whose own permissions are made first here, whichever
    receiver Django calls first. ``flush`` sends it too, with no plan: an emptied database
    stays without groups, as it always has (a backup is loaded into it with its own).
    """
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if plan is None or not with_models or sender.label != with_models[-1].label:
        return
    try:
        group_model = apps.get_model("auth", "Group")
    except LookupError:
        return  # migrated back to before there were groups
    if not router.allow_migrate_model(using, group_model):
        return
    create_permissions(sender, verbosity=0, apps=apps, using=using)
    roles_create(apps, using=using)

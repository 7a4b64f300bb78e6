# The tables get this app's name, as every table of an app does, so that the database reads
# like the code; their content types move here, so the permissions groups and users hold
# ("Can view country"), the admin's log entries and the history stay theirs.

from django.db import migrations

MODELS = (
    "region",
    "country",
    "countryalias",
    "historicalregion",
    "historicalcountry",
    "historicalcountryalias",
)


def move_content_types(apps, from_app, to_app):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = content_type_model.objects.filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        new = content_type_model.objects.filter(app_label=to_app, model=model).first()
        if new is None:
            old.app_label = to_app
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions were already made for the new app): carry every holder and
        # every log entry over.
        for permission in permission_model.objects.filter(content_type=old):
            target, _created = permission_model.objects.get_or_create(
                content_type=new, codename=permission.codename, defaults={"name": permission.name}
            )
            for group in permission.group_set.all():
                group.permissions.add(target)
            for user in permission.user_set.all():
                user.user_permissions.add(target)
        apps.get_model("admin", "LogEntry").objects.filter(content_type=old).update(
            content_type=new
        )
        old.delete()


def forwards(apps, schema_editor):
    move_content_types(apps, "agreements", "places")


def backwards(apps, schema_editor):
    move_content_types(apps, "places", "agreements")


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("agreements", "0009_places_moved"),
        ("exchanges", "0003_countries_in_places"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=None) for model in MODELS),
        migrations.RunPython(forwards, backwards),
    ]

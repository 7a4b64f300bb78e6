# The records' table gets this app's name, and their content type moves here, so the
# permissions groups and users hold on import records ("Can view import record") stay theirs.

from django.db import migrations


def move_content_type(apps, from_app, to_app):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    old = content_type_model.objects.filter(app_label=from_app, model="importrecord").first()
    if old is None:
        return
    new = content_type_model.objects.filter(app_label=to_app, model="importrecord").first()
    if new is None:
        old.app_label = to_app
        old.save(update_fields=["app_label"])
        return
    # Both exist (permissions were already made for the new app): carry every holder over.
    for permission in permission_model.objects.filter(content_type=old):
        target, _created = permission_model.objects.get_or_create(
            content_type=new, codename=permission.codename, defaults={"name": permission.name}
        )
        for group in permission.group_set.all():
            group.permissions.add(target)
        for user in permission.user_set.all():
            user.user_permissions.add(target)
    old.delete()


def forwards(apps, schema_editor):
    move_content_type(apps, "agreements", "imports")


def backwards(apps, schema_editor):
    move_content_type(apps, "imports", "agreements")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("agreements", "0003_import_record_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # The roles first gave their permissions on the records' old content type.
        ("staff", "0002_roles_cover_import_records"),
    ]

    operations = [
        migrations.AlterModelTable(name="importrecord", table=None),
        migrations.RunPython(forwards, backwards),
    ]

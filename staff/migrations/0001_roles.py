from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.migrations._roles_as_migrated import roles_create

    roles_create(apps, schema_editor)


def remove_roles(apps, schema_editor):
    from staff.migrations._roles_as_migrated import roles_remove

    roles_remove(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("agreements", "0001_initial"),
        ("exchanges", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

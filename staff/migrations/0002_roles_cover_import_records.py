from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.migrations._roles_as_migrated import roles_create

    # Run again once the import records exist, so every role may view them.
    roles_create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_roles"),
        ("agreements", "0002_import_record"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

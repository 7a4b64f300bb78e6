from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.migrations._roles_as_migrated import roles_create

    # Editors and Importers, who edit statistics, publish and unpublish their releases;
    # every role reads the releases.
    roles_create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0003_import_only_what_is_edited"),
        ("exchanges", "0002_statistics_release"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

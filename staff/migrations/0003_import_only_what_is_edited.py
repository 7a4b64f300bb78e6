from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.migrations._roles_as_migrated import roles_create

    # Importers lose the import permission on reference data (regions, countries and their
    # aliases, programme texts), which they may not add or change; every role keeps reading
    # the import records, now kept by the imports app.
    roles_create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_roles_cover_import_records"),
        ("imports", "0003_scope"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

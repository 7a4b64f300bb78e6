from django.db import migrations


def create_first_versions(apps, schema_editor):
    from staff.versions import initial_versions_create

    # Records loaded by loaddata before it made first versions (the seed) have none, so
    # their first edit could not be undone; give them one. A fresh database has no records
    # yet: nothing to do.
    initial_versions_create(
        reason="Loaded from the fact sheet", apps=apps, using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0004_roles_publish_statistics"),
        ("agreements", "0005_institution_keeps_its_agreements"),
        ("exchanges", "0002_statistics_release"),
    ]

    operations = [migrations.RunPython(create_first_versions, migrations.RunPython.noop)]

from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.migrations._roles_as_migrated import roles_create

    # Editors and Importers add, change and delete agreements' signed documents; every role
    # sees them.
    roles_create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0005_first_versions"),
        ("agreements", "0008_agreement_documents"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

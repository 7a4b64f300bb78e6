# The import records now belong to the imports app (its 0001 takes over the same table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_import_record"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportRecord")],
            database_operations=[],
        ),
    ]

# Import records no longer name the statistics' year and direction in columns of their own:
# what a file covers is one line of text, whatever the layout.

from django.db import migrations, models


def fill_scope(apps, schema_editor):
    record_model = apps.get_model("imports", "ImportRecord")
    for record in record_model.objects.exclude(academic_year=None, direction=""):
        record.scope = " ".join(
            str(part) for part in (record.academic_year, record.direction) if part
        )
        record.save(update_fields=["scope"])


def fill_year_and_direction(apps, schema_editor):
    record_model = apps.get_model("imports", "ImportRecord")
    for record in record_model.objects.exclude(scope=""):
        parts = record.scope.split()
        if parts and parts[0].isdigit():
            record.academic_year = int(parts[0])
            record.direction = " ".join(parts[1:])[:8]
            record.save(update_fields=["academic_year", "direction"])


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_own_table_and_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrecord",
            name="scope",
            field=models.CharField(blank=True, help_text='What the file covers, when it says, e.g. "2022 inbound".', max_length=255, verbose_name="scope"),
        ),
        migrations.RunPython(fill_scope, fill_year_and_direction),
        migrations.RemoveField(model_name="importrecord", name="academic_year"),
        migrations.RemoveField(model_name="importrecord", name="direction"),
        migrations.AlterField(
            model_name="importrecord",
            name="kind",
            field=models.CharField(help_text='The layout read, e.g. "statistics".', max_length=40, verbose_name="kind"),
        ),
    ]

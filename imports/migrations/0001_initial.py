# The import records were kept by the agreements app; this app takes them over with their
# table, rows and permissions (the table is renamed in 0002).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agreements", "0002_import_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="imported at")),
                        ("kind", models.CharField(choices=[("statistics", "Researcher counts"), ("memoranda", "Memoranda list"), ("records", "Records (a model's own export)")], max_length=12, verbose_name="kind")),
                        ("model_label", models.CharField(help_text='e.g. "exchanges.exchangestatistic".', max_length=100, verbose_name="records")),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        ("file_size", models.PositiveBigIntegerField(verbose_name="file size (bytes)")),
                        ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the file")),
                        ("academic_year", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="academic year")),
                        ("direction", models.CharField(blank=True, max_length=8, verbose_name="direction")),
                        ("created_count", models.PositiveIntegerField(default=0, verbose_name="new")),
                        ("updated_count", models.PositiveIntegerField(default=0, verbose_name="changed")),
                        ("unchanged_count", models.PositiveIntegerField(default=0, verbose_name="unchanged")),
                        ("missing_count", models.PositiveIntegerField(default=0, help_text="Records in the database that the file does not mention; they were kept.", verbose_name="not in file")),
                        ("summary", models.TextField(blank=True, verbose_name="what changed")),
                        ("user", models.ForeignKey(blank=True, help_text="Blank when the import ran on the command line.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="imported by")),
                    ],
                    options={
                        "verbose_name": "import record",
                        "verbose_name_plural": "import records",
                        "ordering": ["-created_at", "-pk"],
                        "default_permissions": ("view",),
                        "db_table": "agreements_importrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

# The statistics' countries now belong to the places app: the same table, so only the state
# changes (places/migrations/0002 renames the table, and the foreign keys follow it).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0002_statistics_release"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='exchangestatistic',
                    name='country',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exchange_statistics', to='places.country', verbose_name='country or region'),
                ),
                migrations.AlterField(
                    model_name='historicalexchangestatistic',
                    name='country',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.country', verbose_name='country or region'),
                ),
            ],
            database_operations=[],
        ),
    ]

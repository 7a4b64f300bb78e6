# Regions, countries and their aliases now belong to the places app (its 0001 takes over the
# same tables); the partners' and laboratories' countries point there. State only: the rows
# stay where they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_agreement_documents"),
        ("exchanges", "0003_countries_in_places"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='country',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalcountryalias',
                    name='country',
                ),
                migrations.AlterField(
                    model_name='historicalinstitution',
                    name='country',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='Leave blank for international organisations such as UNESCO.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.country', verbose_name='country or region'),
                ),
                migrations.AlterField(
                    model_name='historicalonsitelaboratory',
                    name='country',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.country', verbose_name='country or region'),
                ),
                migrations.AlterField(
                    model_name='onsitelaboratory',
                    name='country',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='laboratories', to='places.country', verbose_name='country or region'),
                ),
                migrations.AlterField(
                    model_name='institution',
                    name='country',
                    field=models.ForeignKey(blank=True, help_text='Leave blank for international organisations such as UNESCO.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='institutions', to='places.country', verbose_name='country or region'),
                ),
                migrations.RemoveField(
                    model_name='historicalcountry',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcountry',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalcountryalias',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalregion',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='CountryAlias',
                ),
                migrations.DeleteModel(
                    name='Country',
                ),
                migrations.DeleteModel(
                    name='HistoricalCountry',
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
                migrations.DeleteModel(
                    name='HistoricalCountryAlias',
                ),
                migrations.DeleteModel(
                    name='HistoricalRegion',
                ),
            ],
            database_operations=[],
        ),
    ]

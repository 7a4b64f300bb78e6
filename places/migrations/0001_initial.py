# Regions, countries and their aliases were kept by the agreements app; this app takes them
# over with their tables, rows and history (state only here: the tables are renamed in 0002).

import django.db.models.deletion
import django.db.models.functions.text
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import places.fields
import presentation.fields
import presentation.names


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agreements", "0008_agreement_documents"),
        # The roles were given on the models' old content type before they moved (0002 moves
        # it, with every group's permissions on it).
        ("staff", "0006_roles_keep_agreement_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Country',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Name as the office publishes it, e.g. "Republic of Korea", "Viet Nam".', max_length=100, unique=True, verbose_name='name')),
                        ('name_ja', places.fields.JapaneseTerritoryNameField(blank=True, code_from='iso_code', db_default='', default='', help_text='Name on the Japanese pages, e.g. 韓国; left blank, it is filled from the Unicode CLDR data by the ISO code.', max_length=100, verbose_name='Japanese name')),
                        ('name_ja_reading', presentation.fields.ReadingField(blank=True, db_default='', default='', editable=False, max_length=200, populate_from='name_ja', verbose_name='reading of the Japanese name')),
                        ('iso_code', models.CharField(blank=True, help_text='ISO 3166-1 alpha-2 code in capitals, e.g. KR. Blank only for Others.', max_length=2, verbose_name='ISO code')),
                        ('iso_alpha3', models.CharField(blank=True, help_text='ISO 3166-1 alpha-3 code in capitals, e.g. KOR.', max_length=3, verbose_name='ISO alpha-3 code')),
                        ('iso_name', models.CharField(blank=True, help_text='Name in the ISO 3166-1 standard, e.g. "Korea, Republic of".', max_length=100, verbose_name='ISO English short name')),
                    ],
                    options={
                        'db_table': 'agreements_country',
                        'verbose_name': 'country or region',
                        'verbose_name_plural': 'countries and regions',
                        'ordering': ['region__display_order', 'name'],
                        'default_permissions': ('add', 'change', 'delete', 'view', 'import', 'export'),
                    },
                    bases=(presentation.names.NamedInBothLanguages, models.Model),
                ),
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('name_ja', models.CharField(blank=True, db_default='', default='', help_text='Name on the Japanese pages, e.g. ヨーロッパ.', max_length=100, verbose_name='Japanese name')),
                        ('slug', models.SlugField(help_text='Short name used in web addresses, e.g. europe.', unique=True, verbose_name='slug')),
                        ('display_order', models.PositiveSmallIntegerField(default=0, help_text='Position in published lists; Asia is 1, Others comes last.', verbose_name='display order')),
                    ],
                    options={
                        'db_table': 'agreements_region',
                        'verbose_name': 'region',
                        'verbose_name_plural': 'regions',
                        'ordering': ['display_order', 'name'],
                        'default_permissions': ('add', 'change', 'delete', 'view', 'import', 'export'),
                    },
                    bases=(presentation.names.NamedInBothLanguages, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalCountryAlias',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('alias', models.CharField(help_text='Another spelling found in spreadsheets, e.g. "South Korea" or "韓国".', max_length=100, verbose_name='alias')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.country', verbose_name='country')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'agreements_historicalcountryalias',
                        'verbose_name': 'historical country alias',
                        'verbose_name_plural': 'historical country aliases',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalRegion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(db_index=True, max_length=100, verbose_name='name')),
                        ('name_ja', models.CharField(blank=True, db_default='', default='', help_text='Name on the Japanese pages, e.g. ヨーロッパ.', max_length=100, verbose_name='Japanese name')),
                        ('slug', models.SlugField(help_text='Short name used in web addresses, e.g. europe.', verbose_name='slug')),
                        ('display_order', models.PositiveSmallIntegerField(default=0, help_text='Position in published lists; Asia is 1, Others comes last.', verbose_name='display order')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'agreements_historicalregion',
                        'verbose_name': 'historical region',
                        'verbose_name_plural': 'historical regions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalCountry',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(db_index=True, help_text='Name as the office publishes it, e.g. "Republic of Korea", "Viet Nam".', max_length=100, verbose_name='name')),
                        ('name_ja', places.fields.JapaneseTerritoryNameField(blank=True, code_from='iso_code', db_default='', default='', help_text='Name on the Japanese pages, e.g. 韓国; left blank, it is filled from the Unicode CLDR data by the ISO code.', max_length=100, verbose_name='Japanese name')),
                        ('name_ja_reading', presentation.fields.ReadingField(blank=True, db_default='', default='', editable=False, max_length=200, populate_from='name_ja', verbose_name='reading of the Japanese name')),
                        ('iso_code', models.CharField(blank=True, help_text='ISO 3166-1 alpha-2 code in capitals, e.g. KR. Blank only for Others.', max_length=2, verbose_name='ISO code')),
                        ('iso_alpha3', models.CharField(blank=True, help_text='ISO 3166-1 alpha-3 code in capitals, e.g. KOR.', max_length=3, verbose_name='ISO alpha-3 code')),
                        ('iso_name', models.CharField(blank=True, help_text='Name in the ISO 3166-1 standard, e.g. "Korea, Republic of".', max_length=100, verbose_name='ISO English short name')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.region', verbose_name='region')),
                    ],
                    options={
                        'db_table': 'agreements_historicalcountry',
                        'verbose_name': 'historical country or region',
                        'verbose_name_plural': 'historical countries and regions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='country',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='countries', to='places.region', verbose_name='region'),
                ),
                migrations.CreateModel(
                    name='CountryAlias',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('alias', models.CharField(help_text='Another spelling found in spreadsheets, e.g. "South Korea" or "韓国".', max_length=100, verbose_name='alias')),
                        ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aliases', to='places.country', verbose_name='country')),
                    ],
                    options={
                        'db_table': 'agreements_countryalias',
                        'verbose_name': 'country alias',
                        'verbose_name_plural': 'country aliases',
                        'ordering': ['alias'],
                        'default_permissions': ('add', 'change', 'delete', 'view', 'import', 'export'),
                        'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('alias'), name='country_alias_unique_ignoring_case')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='country',
                    constraint=models.UniqueConstraint(condition=models.Q(('iso_code', ''), _negated=True), fields=('iso_code',), name='country_iso_code_unique'),
                ),
                migrations.AddConstraint(
                    model_name='country',
                    constraint=models.UniqueConstraint(condition=models.Q(('iso_alpha3', ''), _negated=True), fields=('iso_alpha3',), name='country_iso_alpha3_unique'),
                ),
                migrations.AddConstraint(
                    model_name='country',
                    constraint=models.CheckConstraint(condition=models.Q(('iso_code', ''), ('iso_code__regex', '^[A-Z]{2}$'), _connector='OR'), name='country_iso_code_two_capitals'),
                ),
                migrations.AddConstraint(
                    model_name='country',
                    constraint=models.CheckConstraint(condition=models.Q(('iso_alpha3', ''), ('iso_alpha3__regex', '^[A-Z]{3}$'), _connector='OR'), name='country_iso_alpha3_three_capitals'),
                ),
            ],
            database_operations=[],
        ),
    ]

# Every way an institution is created gets a unique slug from the model when none is given.

import agreements.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0003_import_record_moved'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalinstitution',
            name='slug',
            field=agreements.fields.UniqueSlugField(blank=True, help_text='Short name used in web addresses, e.g. university-of-bordeaux; left blank, it is made from the name.', max_length=255, populate_from='name', verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='institution',
            name='slug',
            field=agreements.fields.UniqueSlugField(blank=True, help_text='Short name used in web addresses, e.g. university-of-bordeaux; left blank, it is made from the name.', max_length=255, populate_from='name', unique=True, verbose_name='slug'),
        ),
    ]

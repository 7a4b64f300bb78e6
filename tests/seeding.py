"""The seed data for tests, written as `loaddata seed` writes it, in a tenth of the time.

`loaddata` saves the fixture's 923 objects one by one (an UPDATE, then an INSERT, each): about
0.35 s a test on SQLite and 1.7 s on PostgreSQL, for every one of the hundreds of tests that
start from the seed. Here the fixture is read once per test process and each test inserts it
with one `bulk_create` per model, resets the primary key sequences as `loaddata` does, and
gives every record its first version as the project's `loaddata` does (staff/versions.py).
Like `loaddata`, this bypasses `save()`. tests/test_seeding.py proves both ways leave the
same rows.
"""

import functools
import itertools
from pathlib import Path

from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction

from staff.versions import fixture_reason, initial_versions_create

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed.json"


@functools.cache
def _records():
    """The fixture as Python data (parsed once per process; models are built per test)."""
    return [
        serializers.serialize("python", [item.object])[0]
        for item in serializers.deserialize("json", SEED.read_text(encoding="utf-8"))
    ]


def load_seed():
    """Insert the seed into the default database, as `loaddata seed` would."""
    objects = [item.object for item in serializers.deserialize("python", _records())]
    models = []
    with transaction.atomic():
        for model, group in itertools.groupby(objects, key=type):
            model.objects.bulk_create(list(group))
            if model not in models:
                models.append(model)
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        initial_versions_create(reason=fixture_reason(["seed"]))

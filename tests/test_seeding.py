"""The suite's quick seed (tests/seeding.py) writes what `loaddata seed` writes."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from places.models import Region
from tests.seeding import load_seed

pytestmark = pytest.mark.django_db


# A version's own key and time are the moment's, not the fixture's.
MOMENT = {"history_id", "history_date"}


def snapshot():
    """Every row of every model of the seeded apps, first versions included."""
    models = [
        model
        for label in ("agreements", "exchanges")
        for model in apps.get_app_config(label).get_models()
    ]
    return {
        model.__name__: [
            {name: value for name, value in row.items() if name not in MOMENT}
            for row in model.objects.order_by("pk").values()
        ]
        for model in models
    }


def test_the_quick_seed_writes_the_rows_loaddata_writes():
    empty = snapshot()
    savepoint = transaction.savepoint()
    call_command("loaddata", "seed", verbosity=0)
    by_loaddata = snapshot()
    transaction.savepoint_rollback(savepoint)
    assert snapshot() == empty

    load_seed()

    assert snapshot() == by_loaddata
    assert len(by_loaddata["Institution"]) == 237
    assert len(by_loaddata["HistoricalInstitution"]) == 237
    assert {row["history_change_reason"] for row in by_loaddata["HistoricalInstitution"]} == {
        "Loaded from the fact sheet"
    }


def test_after_the_quick_seed_new_records_take_the_next_free_key():
    load_seed()
    highest = Region.objects.order_by("-pk").values_list("pk", flat=True).first()

    region = Region.objects.create(name="Antarctica", slug="antarctica", display_order=99)

    assert region.pk == highest + 1

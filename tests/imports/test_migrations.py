"""Moving the import records into their own app keeps every record and every role's rights."""

import pytest
from django.db import connection

from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [
    ("agreements", "0002_import_record"),
    ("staff", "0001_roles"),
    ("imports", None),
]
# Applied again from 0001, so the groups exist even after an earlier test emptied the tables.
ROLES_BEFORE_THE_MOVE = [("staff", "0002_roles_cover_import_records")]


@pytest.fixture
def before_the_move():
    try:
        migrate(BEFORE_THE_MOVE)
        yield migrate(ROLES_BEFORE_THE_MOVE)
    finally:
        migrate()


def test_import_records_and_the_rights_to_read_them_survive_the_move(before_the_move):
    old = before_the_move
    record_model = old.get_model("agreements", "ImportRecord")
    record_model.objects.create(
        kind="statistics",
        model_label="exchanges.exchangestatistic",
        file_name="researchers-2022.xlsx",
        file_size=1234,
        sha256="a" * 64,
        academic_year=2022,
        direction="inbound",
        created_count=72,
    )
    group_model = old.get_model("auth", "Group")
    viewers = group_model.objects.get(name="Viewers")
    assert viewers.permissions.filter(
        codename="view_importrecord", content_type__app_label="agreements"
    ).exists()

    new = migrate()

    record = new.get_model("imports", "ImportRecord").objects.get()
    assert (record.file_name, record.scope, record.created_count) == (
        "researchers-2022.xlsx",
        "2022 inbound",
        72,
    )
    content_type_model = new.get_model("contenttypes", "ContentType")
    assert not content_type_model.objects.filter(app_label="agreements", model="importrecord")
    for name in ("Viewers", "Editors", "Importers"):
        group = new.get_model("auth", "Group").objects.get(name=name)
        assert group.permissions.filter(
            codename="view_importrecord", content_type__app_label="imports"
        ).exists(), name
    tables = connection.introspection.table_names()
    assert "imports_importrecord" in tables
    assert "agreements_importrecord" not in tables

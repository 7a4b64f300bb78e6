"""A database built on the layout before regions and countries had an app of their own moves to
the new layout with every row, key, right, log entry and version as it was."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from agreements.models import Agreement, Institution, OnSiteLaboratory
from exchanges.models import ExchangeStatistic
from places.models import Country, CountryAlias, Region
from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

# Each project app's newest migration before the move: the schema existing databases have.
BEFORE_THE_MOVE = [
    ("agreements", "0008_agreement_documents"),
    ("exchanges", "0002_statistics_release"),
    ("imports", "0003_scope"),
    ("renewals", "0001_initial"),
    ("staff", "0006_roles_keep_agreement_documents"),
    ("places", None),
]
MOVED = ("region", "country", "countryalias")
WHEN = datetime.datetime(2026, 4, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def before_the_move():
    try:
        yield migrate(BEFORE_THE_MOVE)
    finally:
        migrate()
        # Content types were renamed under Django's cache: the next test reads them afresh.
        ContentType.objects.clear_cache()


def records_on_the_old_layout(old):
    """Records of every kind the move touches, written through the models as they were."""
    model = lambda name, app="agreements": old.get_model(app, name)  # noqa: E731
    user = old.get_model("auth", "User").objects.create(username="keeper", is_staff=True)
    europe = model("Region").objects.create(name="Europe", slug="europe", display_order=5)
    model("Region").objects.create(name="Asia", slug="asia", display_order=1)
    france = model("Country").objects.create(
        name="France", iso_code="FR", iso_alpha3="FRA", region=europe
    )
    model("Country").objects.create(name="Germany", iso_code="DE", region=europe)
    model("CountryAlias").objects.create(country=france, alias="République française")
    bordeaux = model("Institution").objects.create(
        name="University of Bordeaux", slug="university-of-bordeaux", country=france
    )
    unesco = model("Institution").objects.create(name="UNESCO", slug="unesco", country=None)
    model("Agreement").objects.create(institution=bordeaux, kind="mou", concluded_year=1998)
    model("Agreement").objects.create(institution=unesco, kind="sea", concluded_year=2005)
    laboratory = model("OnSiteLaboratory").objects.create(
        name="Bordeaux lab", slug="bordeaux-lab", departments="Engineering", country=france
    )
    laboratory.partner_institutions.add(bordeaux)
    model("ExchangeStatistic", "exchanges").objects.create(
        academic_year=2022, direction="inbound", country=france, researchers=42
    )
    for name, row in (("Region", europe), ("Country", france)):
        fields = {
            field.attname: getattr(row, field.attname)
            for field in model(name)._meta.concrete_fields
        }
        model(f"Historical{name}").objects.create(
            **fields, history_date=WHEN, history_type="+", history_user=user
        )

    content_types = old.get_model("contenttypes", "ContentType").objects
    permissions = old.get_model("auth", "Permission").objects
    readers = old.get_model("auth", "Group").objects.create(name="Reference readers")
    readers.permissions.set(
        [
            permissions.get(content_type__app_label="agreements", codename="view_region"),
            permissions.get(content_type__app_label="agreements", codename="change_country"),
        ]
    )
    user.user_permissions.add(
        permissions.get(content_type__app_label="agreements", codename="change_region")
    )
    old.get_model("imports", "ImportRecord").objects.create(
        kind="records",
        model_label="agreements.country",
        file_name="countries.csv",
        file_size=120,
        sha256="0" * 64,
        created_count=2,
    )
    old.get_model("admin", "LogEntry").objects.create(
        user=user,
        content_type=content_types.get(app_label="agreements", model="country"),
        object_id=str(france.pk),
        object_repr="France",
        action_flag=CHANGE,
        change_message="Changed the ISO name.",
        action_time=WHEN,
    )


def snapshot(apps, app_label):
    """Every row of the moved and referring tables, with its id and foreign keys."""

    def rows(app, name):
        model = apps.get_model(app, name)
        fields = [field.attname for field in model._meta.concrete_fields]
        return list(model.objects.order_by("pk").values(*fields))

    return {
        "regions": rows(app_label, "Region"),
        "countries": rows(app_label, "Country"),
        "aliases": rows(app_label, "CountryAlias"),
        "region history": rows(app_label, "HistoricalRegion"),
        "country history": rows(app_label, "HistoricalCountry"),
        "institutions": rows("agreements", "Institution"),
        "agreements": rows("agreements", "Agreement"),
        "laboratories": rows("agreements", "OnSiteLaboratory"),
        "statistics": rows("exchanges", "ExchangeStatistic"),
    }


def test_a_database_on_the_old_layout_keeps_everything_as_it_moves(before_the_move):
    old = before_the_move
    with pytest.raises(LookupError):
        old.get_model("places", "Country")
    records_on_the_old_layout(old)
    before = snapshot(old, "agreements")

    new = migrate()

    assert snapshot(new, "places") == before
    tables = set(connection.introspection.table_names())
    assert {f"places_{model}" for model in MOVED} <= tables
    assert not {f"agreements_{model}" for model in MOVED} & tables
    assert not {f"agreements_historical{model}" for model in MOVED} & tables

    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="agreements", model__in=MOVED).exists()
    readers = new.get_model("auth", "Group").objects.get(name="Reference readers")
    assert set(readers.permissions.values_list("content_type__app_label", "codename")) == {
        ("places", "view_region"),
        ("places", "change_country"),
    }

    keeper = new.get_model("auth", "User").objects.get(username="keeper")
    assert set(keeper.user_permissions.values_list("content_type__app_label", "codename")) == {
        ("places", "change_region")
    }
    imported = new.get_model("imports", "ImportRecord").objects.get(file_name="countries.csv")
    assert imported.model_label == "places.country"
    if connection.vendor == "postgresql":
        # The indexes Django finds by their name, made from the table's (the "_like" ones for
        # text lookups), follow the tables; it finds the others by introspection.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'places\\_%%' "
                "AND indexname LIKE 'agreements\\_%%\\_like'"
            )
            assert cursor.fetchall() == []

    france = Country.objects.select_related("region").get(name="France")
    assert france.region.name == "Europe"
    assert [alias.alias for alias in france.aliases.all()] == ["République française"]
    bordeaux = Institution.objects.get(slug="university-of-bordeaux")
    assert bordeaux.country == france
    assert Agreement.objects.get(institution=bordeaux).kind == "mou"
    assert OnSiteLaboratory.objects.get().country == france
    assert ExchangeStatistic.objects.get().country == france

    entry = LogEntry.objects.get(object_repr="France")
    assert entry.get_edited_object() == france
    assert entry.get_admin_url() == f"/admin/places/country/{france.pk}/change/"
    [version] = Country.history.filter(id=france.pk)
    assert (version.name, version.region_id, version.history_user.username) == (
        "France",
        france.region_id,
        "keeper",
    )
    assert version.instance == france
    assert Region.history.get(id=france.region_id).history_date == WHEN

    # The tables' keys go on from where they were, on either database.
    added = Country.objects.create(name="Spain", iso_code="ES", region=france.region)
    assert added.pk > max(row["id"] for row in before["countries"])
    assert CountryAlias.objects.create(country=added, alias="España").pk > 1


def test_rights_and_log_entries_follow_when_places_content_types_already_exist(before_the_move):
    """A database where something made places' content types and permissions before the move
    (a stray `migrate --run-syncdb`, a restored backup): the old ones are merged into them."""
    old = before_the_move
    records_on_the_old_layout(old)
    content_types = old.get_model("contenttypes", "ContentType").objects
    permissions = old.get_model("auth", "Permission").objects
    early = content_types.create(app_label="places", model="country")
    permissions.create(content_type=early, codename="change_country", name="Can change country")

    new = migrate()

    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="agreements", model__in=MOVED).exists()
    assert ContentType.objects.get_for_model(Country).pk == early.pk
    readers = new.get_model("auth", "Group").objects.get(name="Reference readers")
    assert set(readers.permissions.values_list("content_type__app_label", "codename")) == {
        ("places", "view_region"),
        ("places", "change_country"),
    }
    entry = LogEntry.objects.get(object_repr="France")
    assert entry.content_type_id == early.pk
    assert entry.get_edited_object() == Country.objects.get(name="France")

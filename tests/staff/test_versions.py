"""Every record has a first version, however it was written, so its first edit can be
undone; the history pages show what staff read: labels, one date format, reasons only when
there are some."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.commands import loaddata as django_loaddata
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Institution,
    PartnershipEvent,
)
from exchanges.models import ExchangeStatistic
from places.models import Country, Region
from staff.roles import EDITORS
from staff.versions import historical_pairs, initial_versions_create
from tests.factories import make_agreement, make_region
from tests.importing import confirm, export, upload_content
from tests.staff.admin_forms import change_form_data, log_in, staff_user

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
SEEDED = (Region, Country, Institution, Agreement, PartnershipEvent, ExchangeStatistic)
MOMENT = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"


def _first_versions(model):
    return model.history.filter(history_type="+")


def _assert_each_has_one_first_version(model, reason):
    records = model.objects.count()
    assert records > 0
    assert _first_versions(model).count() == records
    assert set(_first_versions(model).values_list("history_change_reason", flat=True)) == {reason}


def test_setup_local_gives_every_seed_record_a_first_version():
    call_command("setup_local", stdout=io.StringIO())

    for model in SEEDED:
        _assert_each_has_one_first_version(model, "Loaded from the fact sheet")


def test_loading_the_seed_twice_makes_no_second_first_version(seed):
    versions = Agreement.history.count()

    call_command("loaddata", "seed", verbosity=0)

    assert Agreement.history.count() == versions == Agreement.objects.count()


def test_another_fixture_is_named_in_its_first_versions(tmp_path):
    fixture = tmp_path / "regions-2026.json"
    fixture.write_text(
        '[{"model": "places.region", "fields": {"name": "Antarctica", '
        '"slug": "antarctica", "display_order": 9}}]'
    )

    call_command("loaddata", str(fixture), verbosity=0)

    version = Region.history.get(name="Antarctica")
    assert version.history_type == "+"
    assert version.history_change_reason == "Loaded from fixture “regions-2026.json”"


def test_an_existing_database_gets_first_versions_by_the_command():
    # As Django's own loaddata left the seed: records without any version.
    call_command(django_loaddata.Command(), "seed", verbosity=0)
    assert Agreement.history.count() == 0
    out = io.StringIO()

    call_command("create_initial_versions", stdout=out)

    made = sum(model.objects.count() for model, _history in historical_pairs())
    assert out.getvalue() == f"First versions made: {made}.\n"
    for model in SEEDED:
        _assert_each_has_one_first_version(model, "Loaded from the fact sheet")
    call_command("create_initial_versions", stdout=out)
    assert out.getvalue().endswith("First versions made: 0.\n")


def test_the_migration_gives_an_existing_database_first_versions_with_its_own_models():
    call_command(django_loaddata.Command(), "seed", verbosity=0)
    edited = Agreement.objects.get(institution__name="University of Oxford", kind="mou")
    edited.scope_note = "Edited before the migration"
    edited.save()  # has a version already: gets no first one
    # The models as a migration has them (no methods of their own), on today's tables: those
    # of 0005's time still name the regions' and countries' tables from before places had them.
    state = MigrationLoader(connection).project_state()

    made = initial_versions_create(reason="Loaded from the fact sheet", apps=state.apps)

    assert made == sum(model.objects.count() for model, _history in historical_pairs()) - 1
    assert Agreement.history.filter(history_type="+").count() == Agreement.objects.count() - 1
    assert edited.history.count() == 1


def test_an_imported_record_has_a_first_version_naming_the_file(seed):
    Agreement.objects.get(institution__name="Kasetsart University", kind=AgreementKind.SEA).delete()

    call_command("import_agreements", str(DATA / "memoranda-2024.csv"), stdout=io.StringIO())

    created = Agreement.objects.get(institution__name="Kasetsart University", kind="sea")
    first = created.history.get()
    assert first.history_type == "+"
    assert re.fullmatch(r"Import #\d+: memoranda-2024\.csv", first.history_change_reason)


@pytest.fixture
def editor(client, django_user_model):
    staff_user(django_user_model, "aiko", group=EDITORS)
    log_in(client, "aiko")
    return client


def _change(client, obj, **changes):
    url = reverse("admin:agreements_agreement_change", args=[obj.pk])
    return client.post(url, change_form_data(client.get(url), **changes))


def test_the_first_edit_of_a_seed_record_can_be_undone(seed, editor):
    bordeaux = Agreement.objects.get(institution__name="University of Bordeaux", kind="mou")
    assert bordeaux.concluded_year == 2014
    assert _change(editor, bordeaux, concluded_year="2015").status_code == 302
    first = bordeaux.history.earliest("history_id")
    revert_url = reverse(
        "admin:agreements_agreement_simple_history", args=[bordeaux.pk, first.history_id]
    )

    reverted = editor.post(revert_url, change_form_data(editor.get(revert_url)), follow=True)

    bordeaux.refresh_from_db()
    assert bordeaux.concluded_year == 2014
    [message] = [str(message) for message in reverted.context["messages"]]
    assert re.fullmatch(
        rf"Reverted “MOU \(general memorandum\) – University of Bordeaux \(2014\)” "
        rf"to the version of {MOMENT}\.",
        message,
    ), message
    assert "changed successfully" not in reverted.content.decode()


def _history_page(client, obj):
    return client.get(reverse("admin:agreements_agreement_history", args=[obj.pk])).content.decode()


def test_history_shows_labels_yes_no_and_one_date_format(editor):
    agreement = make_agreement(concluded_year=2001)
    _change(
        editor,
        agreement,
        status=AgreementStatus.EXPIRED,
        end_date="2024-03-31",
        is_published="",
    )

    page = _history_page(editor, agreement)

    assert re.search(
        r"<strong>Status:</strong>\s*In effect\s*&nbsp;&rarr;&nbsp;&nbsp;Expired", page
    )
    assert re.search(r"<strong>End date:</strong>\s*–\s*&nbsp;&rarr;&nbsp;&nbsp;2024-03-31", page)
    assert re.search(r"<strong>Published:</strong>\s*Yes\s*&nbsp;&rarr;&nbsp;&nbsp;No", page)
    assert "in_effect" not in page
    table = page.split('id="change-history"')[1].split("</table>")[0]
    dates = re.findall(r"<td>(.*?)</td>", table)
    moments = [cell for cell in dates if re.fullmatch(MOMENT, cell)]
    assert len(moments) == 2  # one per version, both in the one format
    assert not re.search(
        r"\b(a\.m\.|p\.m\.|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", table
    )


def test_the_reason_column_shows_only_when_a_version_gives_a_reason(editor):
    agreement = make_agreement(concluded_year=2001)
    _change(editor, agreement, concluded_year="2002")

    without = _history_page(editor, agreement)
    agreement.scope_note = "Graduates"
    agreement._change_reason = "Corrected from the signed copy"
    agreement.save()
    with_reason = _history_page(editor, agreement)

    assert "Change reason" not in without
    assert ">None<" not in without
    assert "Change reason" in with_reason
    assert "Corrected from the signed copy" in with_reason
    assert "None" not in with_reason.split('id="change-history"')[1]


def test_a_record_imported_from_its_own_export_has_a_first_version_naming_the_file(
    admin_client,
):
    make_region(name="Antarctica", slug="antarctica", display_order=9)
    content = export(admin_client, Region, "csv")
    Region.objects.get(slug="antarctica").delete()

    preview = upload_content(admin_client, Region, "regions-2026.csv", content)
    confirm(admin_client, Region, preview)

    first = Region.objects.get(slug="antarctica").history.get()
    assert (first.history_type, first.history_change_reason) == (
        "+",
        "Imported from regions-2026.csv",
    )

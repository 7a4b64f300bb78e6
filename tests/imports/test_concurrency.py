"""One winner: simultaneous confirms, commands and admin edits, released together behind a
barrier, many rounds, on new and on existing rows, on PostgreSQL (advisory locks) and on SQLite
(its one write lock; the suite's SQLite database is a file, so threads share it). The end state
is always one whole outcome, every loser is told why, and every import record and history entry
is true."""

import time
from functools import partial

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from exchanges.models import ExchangeStatistic
from imports.models import ImportRecord
from places.models import Country
from tests.concurrency import run_together
from tests.staff.admin_forms import change_form_data

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 8
PROCESS = reverse("admin:exchanges_exchangestatistic_process_import")
IMPORT = reverse("admin:exchanges_exchangestatistic_import")


@pytest.fixture
def countries(db):
    call_command("loaddata", "seed", verbosity=0)
    return list(Country.objects.order_by("name")[:40])


def plain_file(countries, bump):
    """A SYNTHETIC plain table of 2030 inbound counts, every count offset by `bump`."""
    lines = ["Academic year,Direction,Country/Region,Researchers"]
    lines += [f"2030,inbound,{c.name},{index + bump}" for index, c in enumerate(countries)]
    return ("\n".join(lines) + "\n").encode()


def figures():
    return dict(
        ExchangeStatistic.objects.filter(academic_year=2030).values_list(
            "country__name", "researchers"
        )
    )


def expected(countries, bump):
    return {c.name: index + bump for index, c in enumerate(countries)}


def _after(seconds, function, *args, **kwargs):
    time.sleep(seconds)
    return function(*args, **kwargs)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def preview(client, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        IMPORT,
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )
    form = response.context["confirm_form"]
    assert form, response.content[:2000]
    return {key: value for key, value in form.initial.items() if value is not None}


def stored(media_root):
    folder = media_root / "django-import-export"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("existing", [False, True], ids=["new rows", "existing rows"])
def test_two_simultaneous_confirms_end_with_one_files_figures_and_the_other_refused(
    countries, django_user_model, media_root, existing
):
    alice = django_user_model.objects.create_superuser("alice", password="pw-alice-123456")
    bob = django_user_model.objects.create_superuser("bob", password="pw-bob-1234567")
    files = {"a.csv": plain_file(countries, 1000), "b.csv": plain_file(countries, 2000)}
    outcomes = set()
    for round_number in range(ROUNDS):
        ExchangeStatistic.objects.filter(academic_year=2030).delete()
        if existing:
            call_command("import_statistics", "--year=2030", _write(media_root, countries))
        before = figures()
        records_before = set(ImportRecord.objects.values_list("pk", flat=True))
        clients = {"a.csv": logged_in(alice), "b.csv": logged_in(bob)}
        forms = {name: preview(clients[name], name, files[name]) for name in files}
        history_mark = ExchangeStatistic.history.aggregate(mark=Max("history_id"))["mark"] or 0

        responses = run_together(
            *(partial(clients[name].post, PROCESS, forms[name], follow=True) for name in files)
        )

        for response in responses:
            assert not isinstance(response, Exception), response
            assert response.status_code == 200  # never a server error
        new_records = ImportRecord.objects.exclude(pk__in=records_before)
        assert new_records.count() == 1, f"round {round_number}"
        winner = new_records.get()
        bump = 1000 if winner.file_name == "a.csv" else 2000
        assert figures() == expected(countries, bump)  # one file's figures, entirely
        loser_page = next(
            r.content.decode()
            for r, name in zip(responses, files, strict=True)
            if name != winner.file_name
        )
        assert "have changed since the preview" in loser_page
        assert "Nothing was imported" in loser_page
        assert (winner.created_count, winner.updated_count) == (
            (0, len(countries)) if existing else (len(countries), 0)
        )
        for name, count in before.items():  # the record tells what really changed
            assert f"2030 inbound {name}: {count} → {expected(countries, bump)[name]}" in (
                winner.summary
            )
        written = ExchangeStatistic.history.filter(history_id__gt=history_mark)
        assert sorted(written.values_list("history_change_reason", flat=True)) == [
            str(winner)
        ] * len(countries)
        assert stored(media_root) == []
        outcomes.add(winner.file_name)
    assert outcomes  # at least one round ran; which file wins is up to the scheduler


def _write(media_root, countries):
    path = media_root.parent / "base.csv"
    path.write_bytes(plain_file(countries, 0))
    return str(path)


def test_simultaneous_commands_apply_one_after_the_other_entirely(
    countries, tmp_path, django_user_model
):
    paths = []
    for name, bump in (("a.csv", 1000), ("b.csv", 2000)):
        path = tmp_path / name
        path.write_bytes(plain_file(countries, bump))
        paths.append(str(path))
    for _round in range(ROUNDS):
        ExchangeStatistic.objects.filter(academic_year=2030).delete()
        records_before = set(ImportRecord.objects.values_list("pk", flat=True))

        results = run_together(
            *(
                lambda path=path: call_command("import_statistics", path, verbosity=0)
                for path in paths
            )
        )

        assert not any(isinstance(result, Exception) for result in results), results
        first, second = ImportRecord.objects.exclude(pk__in=records_before).order_by("pk")
        later = 1000 if second.file_name == "a.csv" else 2000
        earlier = 3000 - later
        assert figures() == expected(countries, later)  # the later file, entirely
        assert (first.created_count, first.updated_count) == (len(countries), 0)
        assert (second.created_count, second.updated_count) == (0, len(countries))
        name = countries[0].name
        assert f"2030 inbound {name}: {earlier} → {later}" in second.summary


def test_an_admin_edit_during_an_import_is_never_lost(countries, django_user_model, media_root):
    alice = django_user_model.objects.create_superuser("alice", password="pw-alice-123456")
    editor = django_user_model.objects.create_superuser("carol", password="pw-carol-123456")
    content = plain_file(countries, 1000)
    target = countries[0]
    winners = set()
    for round_number in range(ROUNDS):
        ExchangeStatistic.objects.filter(academic_year=2030).delete()
        call_command("import_statistics", _write(media_root, countries), verbosity=0)
        row = ExchangeStatistic.objects.get(academic_year=2030, country=target)
        importer, admin = logged_in(alice), logged_in(editor)
        form = preview(importer, "a.csv", content)
        change_url = reverse("admin:exchanges_exchangestatistic_change", args=[row.pk])
        edit = change_form_data(admin.get(change_url), researchers="777")
        records_before = ImportRecord.objects.count()

        # Alternate which side starts a moment later, so both orders happen.
        import_delay, edit_delay = (0, 0.2) if round_number % 2 else (0.2, 0)
        imported, edited = run_together(
            partial(_after, import_delay, importer.post, PROCESS, form, follow=True),
            partial(_after, edit_delay, admin.post, change_url, edit),
        )

        assert imported.status_code == 200
        assert edited.status_code in (200, 302)
        import_won = ImportRecord.objects.count() == records_before + 1
        edit_won = edited.status_code == 302
        assert import_won != edit_won  # exactly one of them is applied
        row.refresh_from_db()
        if edit_won:
            assert row.researchers == 777
            assert "have changed since the preview" in imported.content.decode()
            assert f"2030 inbound {target.name}: 0 when previewed, 777 now" in (
                imported.content.decode()
            )
            winners.add("edit")
        else:
            assert row.researchers == 1000
            assert "Someone else saved this record after you opened it" in edited.content.decode()
            winners.add("import")
        latest = row.history.first()
        assert latest.researchers == row.researchers  # history agrees with the record
    assert winners == {"edit", "import"}  # both orders were tried

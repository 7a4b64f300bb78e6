"""Every admin page, read by a superuser whose browser asks for Japanese, shows none of the
project's English: each registered model's list (filters open), add and change forms (with
their inlines), history, old version and delete confirmation, the import page with a preview
and with a refused file, the export page, the actions' messages, the deleted records, the
admin's home and each app's, the password change and the login page."""

import csv
import re

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Agreement, Institution
from exchanges.models import ExchangeStatistic, StatisticsRelease
from tests.admin_records import MODELS, fullest, make_every_kind_of_record
from tests.importing import DATA
from tests.japanese import data_values, english_found, project_english

pytestmark = pytest.mark.django_db

JAPANESE = {"HTTP_ACCEPT_LANGUAGE": "ja"}
UPLOADED = [
    "researchers-inbound-2022.csv",
    "broken-subtotal.csv",
    "memoranda-2024.csv",
    "old-excel.xls",
]


@pytest.fixture
def records(seed):
    """The seed, a record of every kind the admin lists with a second version of each record
    the pages open (tests/admin_records.py), and a deleted agreement."""
    make_every_kind_of_record()
    Agreement.objects.filter(scope_note="").order_by("pk").last().delete()


def _model_pages(model, user):
    """(label, address) of each page of the model's admin that the user may open."""
    opts = model._meta
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = user
    name = f"admin:{opts.app_label}_{opts.model_name}"
    yield "list", reverse(f"{name}_changelist")
    yield "list, searched and filtered to nothing", reverse(f"{name}_changelist") + "?q=zzzz"
    if model_admin.has_add_permission(request):
        yield "add", reverse(f"{name}_add")
    record = fullest(model)
    if record is not None:
        yield "change", reverse(f"{name}_change", args=[record.pk])
        yield "history", reverse(f"{name}_history", args=[record.pk])
        if model_admin.has_delete_permission(request, record):
            yield "delete", reverse(f"{name}_delete", args=[record.pk])
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = model.history.filter(**{opts.pk.attname: record.pk}).earliest("history_id")
            yield "version", reverse(f"{name}_simple_history", args=[record.pk, version.pk])
    if isinstance(model_admin, ImportMixin):
        yield "import", reverse(f"{name}_import")
    if isinstance(model_admin, ExportMixin):
        yield "export", reverse(f"{name}_export")


def _upload(client, model, name, **options):
    opts = model._meta
    with open(DATA / name, "rb") as handle:
        return client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
            {"import_file": handle, "format": "0", "resource": "0", **options},
            **JAPANESE,
        )


def _action(client, model, action, records):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [record.pk for record in records]},
        follow=True,
        **JAPANESE,
    )


def _pages(client, user):
    """(label, response) of every page, as a Japanese superuser opens them."""
    for label, path in [
        ("home", reverse("admin:index")),
        ("deleted records", reverse("admin:deleted_records")),
        ("password change", reverse("admin:password_change")),
        *((f"app {app}", reverse("admin:app_list", args=[app])) for app in _app_labels()),
    ]:
        yield label, client.get(path, **JAPANESE)
    for model in MODELS:
        for kind, path in _model_pages(model, user):
            yield f"{model._meta.label} {kind} {path}", client.get(path, **JAPANESE)
    yield (
        "preview of researcher counts",
        _upload(
            client,
            ExchangeStatistic,
            "researchers-inbound-2022.csv",
            academic_year="2023",
            direction="inbound",
        ),
    )
    yield (
        "refused researcher counts",
        _upload(
            client,
            ExchangeStatistic,
            "broken-subtotal.csv",
            academic_year="2022",
            direction="inbound",
        ),
    )
    yield "preview of the memoranda list", _upload(client, Agreement, "memoranda-2024.csv")
    yield "refused file", _upload(client, Agreement, "old-excel.xls")
    institutions = Institution.objects.order_by("pk")[:2]
    yield (
        "delete selected",
        client.post(
            reverse("admin:agreements_institution_changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk for obj in institutions]},
            **JAPANESE,
        ),
    )
    releases = StatisticsRelease.objects.all()
    yield "unpublish action", _action(client, StatisticsRelease, "unpublish", releases)
    yield "publish action", _action(client, StatisticsRelease, "publish", releases)
    agreements = Agreement.objects.order_by("pk")[:2]
    yield "mark expired action", _action(client, Agreement, "mark_expired", agreements)


def _cells(name):
    """The file's name and every cell of it: what the preview and its problems quote."""
    if not name.endswith(".csv"):
        return [name]
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return [name, *(cell for row in csv.reader(handle) for cell in row)]


def _app_labels():
    return sorted({model._meta.app_label for model in MODELS})


@pytest.fixture
def phrases():
    return project_english()


def test_the_admin_in_japanese_shows_none_of_the_projects_english(
    records, client, admin_user, phrases
):
    client.force_login(admin_user)
    data = data_values(extra=[cell for name in UPLOADED for cell in _cells(name)])
    opened, english = [], []
    for label, response in _pages(client, admin_user):
        assert response.status_code == 200, label
        html = response.content.decode()
        assert '<html lang="ja"' in html, label
        opened.append(label)
        english += [f"{label}: {found}" for found in english_found(html, phrases, data)]
    assert len(opened) > 5 * len(MODELS)
    assert not english, "\n".join(english)


def test_the_login_page_in_japanese_shows_none_of_the_projects_english(client, db, phrases):
    html = client.get(reverse("admin:login"), **JAPANESE).content.decode()
    assert english_found(html, phrases, None) == []
    assert "国際交流協定" in html


def test_the_search_finds_english_left_on_a_page(phrases):
    """What the crawl reports: a source string on its own, one between placeholders, a field
    name, and nothing for the same words as data or inside a longer word."""
    page = (
        "<html><body><p>変更なし</p><p>Shown on the public pages.</p>"
        "<p>国 · New institution: Foo (Bar)</p><th>Year of conclusion</th>"
        '<input type="submit" value="Confirm import">'
        "<td>University of Test</td><p>Institutional</p><script>Deleted records</script>"
    )
    found = english_found(page, phrases, re.compile("University of Test"))
    assert any(item.startswith("'Shown on the public pages'") for item in found)
    assert any(item.startswith("'New institution'") for item in found)
    assert any(item.startswith("'Year of conclusion'") for item in found)
    assert any(item.startswith("'Confirm import'") for item in found)
    assert not any("University of Test" in item for item in found)
    assert not any("Institutional" in item for item in found)
    assert not any("Deleted records" in item for item in found)

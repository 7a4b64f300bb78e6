"""No request gives a server error, whoever sends it: every URL pattern of the site, public
and admin (each admin's list, add, change, history, version, delete, import and export), by
GET and POST, as an anonymous visitor, a Viewer and a superuser, with hostile values in the
path, the query and the form (tests/walking.py). Each request is rolled back, so none sees
another's writes. No page's language links lead off the site either.

Examples per pattern come from the Hypothesis profile: HYPOTHESIS_PROFILE=thorough walks
longer (see tests/conftest.py)."""

import copy
import io
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from agreements.models import Agreement, Institution
from staff.roles import VIEWERS
from tests.importing import DATA
from tests.walking import (
    HOSTILE_PAGE_NUMBERS,
    language_links,
    off_site_language_links,
    parameter_names,
    parameters,
    site_routes,
    slot_values,
    unrouted_addresses,
)

ROUTES = site_routes()
ROLES = ["anonymous", "viewer", "superuser"]
PASSWORD = "correct horse battery"

# Values a view accepts, mixed with the hostile ones so requests also get past validation.
GOOD_VALUES = ["0", "1", "2", "2022", "inbound", "mou", "europe", "fr", "on", "csv", "-name"]


def _area(route):
    if not route.is_admin:
        return "public"
    if route.model_admin is None:
        return "admin site"
    return f"admin {route.model_admin.model._meta.app_label}"


AREAS = sorted({_area(route) for route in ROUTES})


def test_the_walk_covers_every_pattern_and_every_admin_view():
    apps = {model._meta.app_label for model in admin.site._registry}
    assert {"agreements", "exchanges", "auth", "axes"} <= apps
    assert set(AREAS) == {"public", "admin site"} | {f"admin {app}" for app in apps}
    labels = {route.label.split()[0] for route in ROUTES}
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        for view in ("changelist", "add", "change", "history", "delete"):
            assert f"{prefix}_{view}" in labels
        if hasattr(model_admin, "import_action"):
            assert {f"{prefix}_import", f"{prefix}_process_import", f"{prefix}_export"} <= labels
        if hasattr(model, "history"):
            assert f"{prefix}_simple_history" in labels
    assert {"home", "institution-detail", "statistics-year", "healthz"} <= labels
    # Every public page at its English address and at its Japanese one under /ja/.
    paths = {route.label.split()[1] for route in ROUTES}
    assert {"/", "/ja/", "/agreements/<key>/", "/ja/agreements/<key>/"} <= paths
    assert {"/statistics/<year>/", "/ja/statistics/<year>/", "/ja/fact-sheet/"} <= paths
    assert not any(path.startswith(("/ja/admin", "/ja/healthz")) for path in paths)


@pytest.fixture
def walk_records(seed, client, django_user_model):
    """The seed, plus what makes every page have something to show: versions, a record
    whose institution was deleted, an import record, login attempts, the three roles."""
    for institution in Institution.objects.order_by("pk")[:3]:
        institution.notes = "Checked"
        institution.save()
    gone = Agreement.objects.filter(institution__schools__isnull=True).order_by("pk").last()
    gone.scope_note = "Before its institution closed"
    gone.save()
    # An institution with agreements cannot be deleted: its agreements go first.
    gone.institution.agreements.all().delete()
    gone.institution.delete()
    call_command("import_statistics", str(DATA / "statistics-plain.csv"), stdout=io.StringIO())
    viewer = django_user_model.objects.create_user("walker", password=PASSWORD, is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    superuser = django_user_model.objects.create_superuser("chief", password=PASSWORD)
    client.post("/admin/login/", {"username": "walker", "password": "wrong"})
    client.post("/admin/login/", {"username": "walker", "password": PASSWORD})
    return {"viewer": viewer, "superuser": superuser, "deleted agreement": gone.pk}


def _known_values(route, records):
    """Values for the route's slots that name real things, so requests reach deep."""
    model_admin = route.model_admin
    if model_admin is None:
        institution = Institution.objects.filter(is_published=True).order_by("pk").first()
        return {
            "key": [institution.slug, str(institution.pk)],
            "year": ["2022", "2023"],
            "app_label": ["agreements", "exchanges", "auth", "axes"],
            "content_type_id": [str(ContentType.objects.get_for_model(Institution).pk)],
            "object_id": [str(institution.pk)],
            "url": ["agreements/", "nothing/here/"],
        }
    model = model_admin.model
    ids = [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)]
    ids = ids[:2] + ids[-1:]
    versions = []
    try:
        history = get_history_manager_for_model(model)
    except NotHistoricalModelError:
        pass
    else:
        newest = history.order_by("-history_id").values_list(model._meta.pk.attname, "history_id")
        for pk, version in newest[:3]:
            ids.insert(0, str(pk))
            versions.append(str(version))
    if model is Agreement:
        ids.insert(0, str(records["deleted agreement"]))
    return {"object_id": ids, "id": ids, "2.0": ids, "2.1": versions or ["1"]}


def _client_for(role, records):
    client = Client()
    if role != "anonymous":
        client.force_login(records[role])
    return client


def _walk(route, client, known):
    saved_cookies = copy.deepcopy(client.cookies)
    names = parameter_names(route)

    @given(
        values=slot_values(route, known),
        query=parameters(names, GOOD_VALUES),
        form=parameters(names, GOOD_VALUES),
        method=st.sampled_from(["GET", "POST form", "POST multipart"]),
    )
    def request(values, query, form, method):
        path = route.path(values)
        client.cookies = copy.deepcopy(saved_cookies)
        with transaction.atomic():
            if method == "GET":
                response = client.get(path, query)
            elif method == "POST form":
                response = client.post(
                    f"{path}?{urlencode(query, doseq=True)}",
                    urlencode(form, doseq=True),
                    content_type="application/x-www-form-urlencoded",
                )
            else:
                response = client.post(f"{path}?{urlencode(query, doseq=True)}", form)
            transaction.set_rollback(True)
        assert response.status_code < 500, (route.label, method, path, query, form)
        assert not off_site_language_links(response), (route.label, method, path, query)

    request()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("area", AREAS)
def test_no_request_is_a_server_error(area, role, walk_records):
    client = _client_for(role, walk_records)
    for route in (route for route in ROUTES if _area(route) == area):
        _walk(route, client, _known_values(route, walk_records))


def test_page_numbers_and_paths_that_once_broke_pages_are_sent_every_time(client, seed):
    """Not left to the draw: page numbers past any list's end (a 500 on PostgreSQL) to every
    page without slots, and paths that gave a 404 page links to another site."""
    for route in ROUTES:
        if route.is_admin or route.slots:
            continue
        for number in HOSTILE_PAGE_NUMBERS:
            response = client.get(route.path({}), {"page": number})
            assert response.status_code < 500, (route.label, number)
            assert not off_site_language_links(response), (route.label, number)
    for path in unrouted_addresses():
        response = client.get(path)
        assert response.status_code == 404, path
        assert language_links(response.content.decode()), path
        assert not off_site_language_links(response), path

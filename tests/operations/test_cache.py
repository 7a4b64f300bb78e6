"""Public pages are served from the cache until a record changes; then every server sees
the change at once."""

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import get_language

from agreements.models import Institution
from operations.cache import cached_public_page
from tests.factories import make_institution
from tests.staff.admin_forms import change_form_data


@cached_public_page
def institution_count(request):
    """A stand-in public page: how many institutions there are."""
    return HttpResponse(f"{Institution.objects.count()} institutions")


@cached_public_page
def language_page(request):
    """A stand-in public page that shows the language it was made in, as <html lang> does."""
    return HttpResponse(get_language())


urlpatterns = [
    path("count/", institution_count),
    path("language/", language_page),
    path("admin/", admin.site.urls),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.operations.test_cache")]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()


def test_a_page_is_served_from_the_cache_until_a_record_changes_in_the_admin(
    client, admin_client, django_capture_on_commit_callbacks
):
    institution = make_institution(name="Cached University")
    assert client.get("/count/").content == b"1 institutions"
    make_institution(name="Written Behind The Cache's Back")
    assert client.get("/count/").content == b"1 institutions"

    url = reverse("admin:agreements_institution_change", args=[institution.pk])
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(url, change_form_data(admin_client.get(url), notes="new"))

    assert saved.status_code == 302
    assert client.get("/count/").content == b"2 institutions"


def test_signed_in_staff_always_see_the_live_page(admin_client):
    make_institution()
    assert admin_client.get("/count/").content == b"1 institutions"
    make_institution()
    assert admin_client.get("/count/").content == b"2 institutions"


def test_a_deletion_in_the_admin_empties_the_cache(
    client, admin_client, django_capture_on_commit_callbacks
):
    institution = make_institution()
    assert client.get("/count/").content == b"1 institutions"
    url = reverse("admin:agreements_institution_delete", args=[institution.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"post": "yes"})
    assert client.get("/count/").content == b"0 institutions"


def test_without_a_shared_cache_pages_are_not_cached(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    make_institution()
    assert client.get("/count/").content == b"1 institutions"
    make_institution()
    assert client.get("/count/").content == b"2 institutions"


def test_each_language_gets_its_own_cached_page(client):
    assert client.get("/language/", HTTP_ACCEPT_LANGUAGE="ja").content == b"ja"
    assert client.get("/language/", HTTP_ACCEPT_LANGUAGE="en").content == b"en"

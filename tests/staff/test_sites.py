"""Every admin list, whatever its model admin's base class, answers filters in the address it
cannot apply (an impossible date, a regular expression the database refuses, an IP filter
that is no address) as Django answers any unusable filter: back to the list, flagged, never
a server error."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import reverse

from staff.roles import EDITORS, IMPORTERS, VIEWERS
from staff.sites import OfficeAdminSite
from tests.staff.admin_forms import log_in, staff_user

pytestmark = pytest.mark.django_db


def _lists_with_a_date_hierarchy():
    return [
        (model, model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    ]


def test_the_admin_is_the_office_site_and_some_lists_have_a_date_hierarchy():
    assert isinstance(admin.site, OfficeAdminSite)
    assert _lists_with_a_date_hierarchy()


IMPOSSIBLE = [
    {"year": "9" * 30},
    {"year": "1"},
    {"year": "9999"},
    {"year": "-5"},
    {"year": "abc"},
    {"year": "2024", "month": "13"},
    {"year": "2024", "month": "9" * 30},
    {"year": "2024", "month": "2", "day": "30"},
    {"year": "2024", "month": "2", "day": "9" * 30},
]


@pytest.mark.parametrize("query", IMPOSSIBLE)
def test_an_impossible_date_goes_back_to_the_list_flagged(admin_client, query):
    for model, field in _lists_with_a_date_hierarchy():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url, {f"{field}__{part}": v for part, v in query.items()})
        assert response.status_code == 302, (model, query)
        assert response["Location"] == f"{url}?e=1", model


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2024"},
        {"year": "2"},
        {"year": "9998", "month": "12", "day": "31"},
        {"year": "２０２４", "month": "٣"},
    ],
)
def test_a_date_the_calendar_has_lists_its_records(admin_client, query):
    for model, field in _lists_with_a_date_hierarchy():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url, {f"{field}__{part}": v for part, v in query.items()})
        assert response.status_code == 200, (model, query)


def _refused_or_empty(response, url):
    """Back to the list flagged, or (where the database can answer) a list of nothing."""
    if response.status_code == 200:
        assert response.context["cl"].result_count == 0
    else:
        assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


@pytest.mark.parametrize(
    "query",
    [
        {"id__regex": "["},
        {"name__iregex": "(?P<"},
        {"id__in": "9" * 30},
        {"id__range": "1"},
        {"id__gt": "abc"},
        {"no_such_field": "1"},
    ],
)
def test_filters_the_database_refuses_go_back_to_the_list_flagged(admin_client, query):
    from tests.factories import make_institution

    make_institution(name="Filtered University")
    url = reverse("admin:agreements_institution_changelist")
    _refused_or_empty(admin_client.get(url, query), url)
    # The export of the same list, by GET (its form) and POST (the file), is no error either.
    export = reverse("admin:agreements_institution_export")
    assert admin_client.get(export, query).status_code < 500
    posted = admin_client.post(f"{export}?{urlencode(query)}", {"format": "0"})
    assert posted.status_code in (200, 302)


def test_an_ip_filter_that_is_no_address_goes_back_to_the_list_flagged(admin_client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(ip_address="192.0.2.1", username="aiko", failures_since_start=1)
    url = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(url, {"ip_address": "192.0.2.1"}).status_code == 200
    # PostgreSQL refuses to compare it with an address; SQLite compares it as text.
    _refused_or_empty(admin_client.get(url, {"ip_address": "not an address"}), url)


def test_an_empty_field_to_refer_by_is_a_400(admin_client):
    for model in admin.site._registry:
        obj = model._default_manager.first()
        if obj is None:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(url, {"_to_field": ""}).status_code == 400, model


def _home_sections(client):
    page = client.get(reverse("admin:index")).content.decode()
    office, _, security = page.partition('id="security-apps"')
    return re.findall(r'class="app-(\w+) module', office), re.findall(
        r'class="app-(\w+) module', security
    )


def test_the_home_lists_the_office_records_first_and_security_last_for_superusers(
    admin_client,
):
    office, security = _home_sections(admin_client)

    assert office[:3] == ["agreements", "exchanges", "imports"]
    assert not {"auth", "axes"} & set(office)
    assert security == ["auth", "axes"]
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Security (superusers only)" in page
    assert page.index("app-agreements") < page.index("Security (superusers only)")


@pytest.mark.parametrize("group", [VIEWERS, EDITORS, IMPORTERS])
def test_staff_see_their_records_and_no_security_tables(client, django_user_model, group):
    staff_user(django_user_model, "staffer", group=group)
    log_in(client, "staffer")

    office, security = _home_sections(client)
    page = client.get(reverse("admin:index")).content.decode()

    assert office[:3] == ["agreements", "exchanges", "imports"]
    assert security == []
    assert "Security (superusers only)" not in page
    assert "/admin/axes/" not in page
    assert client.get("/admin/axes/accessattempt/").status_code == 403

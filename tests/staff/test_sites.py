"""Every admin list with a date hierarchy, whatever its base class, answers an impossible date
as Django answers any unusable filter: back to the list, flagged, never a server error."""

import pytest
from django.contrib import admin
from django.urls import reverse

from staff.sites import OfficeAdminSite

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

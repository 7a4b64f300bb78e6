"""Every admin page of every record: closed to anonymous visitors and to staff without a
role, and hostile names (script tags, quotes) are shown as text, never run."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import OnSiteLaboratory, PartnershipEvent, Programme
from exchanges.models import StatisticsRelease
from imports.models import ImportRecord
from tests.factories import (
    make_agreement,
    make_country,
    make_institution,
    make_region,
    make_statistic,
    make_strategic_partnership,
)
from tests.staff.admin_forms import change_form_data, log_in, staff_user

pytestmark = pytest.mark.django_db

HOSTILE = """<script>alert("x")</script>'"><img src=x onerror=alert(1)>"""


@pytest.fixture
def hostile_records():
    """One record of every kind, every name hostile."""
    region = make_region(name=f"Region {HOSTILE}", slug="hostile-region")
    country = make_country(name=f"Country {HOSTILE}", region=region)
    institution = make_institution(
        name=f"University {HOSTILE}",
        slug="hostile-university",
        country=country,
        notes=HOSTILE,
    )
    partnership = make_strategic_partnership(institution=institution, description=HOSTILE)
    laboratory = OnSiteLaboratory.objects.create(
        name=f"Laboratory {HOSTILE}",
        slug="hostile-laboratory",
        departments=HOSTILE,
        country=country,
    )
    laboratory.partner_institutions.add(institution)
    return [
        region,
        country,
        institution,
        make_agreement(institution=institution, scope_note=HOSTILE, internal_notes=HOSTILE),
        partnership,
        PartnershipEvent.objects.create(
            partnership=partnership, date=datetime.date(2024, 3, 1), title=HOSTILE
        ),
        laboratory,
        Programme.objects.create(slug="hostile-programme", name=f"Programme {HOSTILE}"),
        (statistic := make_statistic(country=country)),
        StatisticsRelease.objects.get(
            academic_year=statistic.academic_year, direction=statistic.direction
        ),
    ]


def _pages(obj):
    opts = obj._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    history_id = obj.history.latest("history_id").history_id
    return [
        reverse(f"{prefix}_changelist"),
        reverse(f"{prefix}_add"),
        reverse(f"{prefix}_change", args=[obj.pk]),
        reverse(f"{prefix}_history", args=[obj.pk]),
        reverse(f"{prefix}_simple_history", args=[obj.pk, history_id]),
        reverse(f"{prefix}_delete", args=[obj.pk]),
    ]


def test_every_model_with_an_admin_is_covered(hostile_records):
    covered = {type(obj) for obj in hostile_records}
    registered = {
        model
        for model in admin.site._registry
        if model._meta.app_label in ("agreements", "exchanges")
    }
    # Import records are read-only and keep no history of their own; their pages are
    # covered in tests/agreements/test_importing.py.
    registered.discard(ImportRecord)
    assert registered <= covered


def test_anonymous_visitors_are_sent_to_log_in_from_every_admin_page(client, hostile_records):
    for obj in hostile_records:
        for url in _pages(obj):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
            assert client.post(url, {}).status_code == 302, url


def test_staff_without_a_role_are_refused_every_admin_page(
    client, django_user_model, hostile_records
):
    staff_user(django_user_model, "newcomer", group=None)
    log_in(client, "newcomer")
    for obj in hostile_records:
        for url in _pages(obj):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url


def test_hostile_names_are_shown_as_text_on_every_admin_page(admin_client, hostile_records):
    for obj in hostile_records:
        for url in _pages(obj):
            content = admin_client.get(url).content.decode()
            assert "<script>alert" not in content, url
            assert "<img src=x" not in content, url
    search = admin_client.get(
        reverse("admin:agreements_institution_changelist"), {"q": HOSTILE}
    ).content.decode()
    assert "<script>alert" not in search
    assert "&lt;script&gt;alert" in search


def test_hostile_values_in_history_diffs_and_conflict_messages_stay_text(
    admin_client, client, django_user_model
):
    agreement = make_agreement(scope_note="Plain")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    staff_user(django_user_model, "ben")
    log_in(client, "ben")
    ben_page = client.get(url)
    admin_client.post(url, change_form_data(admin_client.get(url), scope_note=HOSTILE))

    history = admin_client.get(
        reverse("admin:agreements_agreement_history", args=[agreement.pk])
    ).content.decode()
    refused = client.post(url, change_form_data(ben_page, scope_note="Ben")).content.decode()

    for page in [history, refused]:
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert" in page

"""A record's history stays readable when a record it points to was deleted, and an address
that names no version is a 404, never a server error."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Agreement, PartnershipEvent
from staff.roles import VIEWERS
from tests.factories import make_agreement, make_institution, make_strategic_partnership
from tests.staff.admin_forms import log_in, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, django_user_model):
    staff_user(django_user_model, "yui", group=VIEWERS)
    log_in(client, "yui")
    return client


def _urls(model, pk):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    history = model.history.filter(id=pk).order_by("history_id")
    return [
        reverse(f"{prefix}_history", args=[pk]),
        *(reverse(f"{prefix}_simple_history", args=[pk, row.history_id]) for row in history),
    ]


@pytest.mark.parametrize("reader", ["viewer", "admin_client"])
def test_an_agreement_whose_institution_was_deleted_keeps_a_readable_history(reader, request):
    client = request.getfixturevalue(reader)
    institution = make_institution(name="Université Fermée")
    agreement = make_agreement(institution=institution, concluded_year=1998, scope_note="All")
    agreement.scope_note = "Graduates"
    agreement.save()
    pk = agreement.pk
    agreement.delete()  # first: an institution with agreements cannot be deleted
    institution.delete()

    assert not Agreement.objects.filter(pk=pk).exists()
    for url in _urls(Agreement, pk):
        response = client.get(url)
        assert response.status_code == 200, url
        # Named after the institution's last version, as it was.
        assert "Université Fermée (1998)" in response.content.decode(), url


def test_an_event_whose_partner_institution_was_deleted_keeps_a_readable_history(admin_client):
    institution = make_institution(name="Gone Institute")
    partnership = make_strategic_partnership(institution=institution)
    event = PartnershipEvent.objects.create(
        partnership=partnership, date=datetime.date(2024, 3, 1), title="Joint symposium"
    )
    pk = event.pk
    partnership.delete()  # takes its events with it
    institution.delete()

    for url in _urls(PartnershipEvent, pk):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Joint symposium" in response.content.decode(), url


def test_the_history_list_names_each_version_of_a_record_that_still_exists(admin_client):
    agreement = make_agreement(institution=make_institution(name="Standing University"))
    page = admin_client.get(_urls(Agreement, agreement.pk)[0]).content.decode()
    assert page.count("Standing University (2010)") >= 2  # title and the version's row


@pytest.mark.parametrize(
    "path",
    [
        "{pk}/history/abc/",
        "{pk}/history/{huge}/",
        "{pk}/history/-1/",
        "abc/history/",
        "abc/history/{version}/",
        "{huge}/history/",
        "{huge}/history/{version}/",
        "{pk}/history/٣/",
    ],
)
def test_an_address_that_names_no_version_is_404(admin_client, path):
    agreement = make_agreement()
    version = agreement.history.latest("history_id").history_id
    url = reverse("admin:agreements_agreement_changelist") + path.format(
        pk=agreement.pk, version=version, huge="9" * 30
    )
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {}).status_code == 404

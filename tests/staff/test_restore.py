"""Deletes never lose data: a record others depend on cannot go, and a deleted record comes
back in one step, with what went along with it."""

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from agreements.models import (
    Agreement,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    StrategicPartnership,
)
from places.models import Country, CountryAlias
from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.factories import make_agreement, make_institution, make_strategic_partnership

pytestmark = pytest.mark.django_db

DELETED = reverse("admin:deleted_records")


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_an_institution_with_agreements_cannot_be_deleted_and_the_page_says_why(admin_client):
    institution = make_institution(name="University of Bordeaux")
    agreement = make_agreement(institution=institution, concluded_year=2014)
    make_strategic_partnership(institution=institution)
    url = reverse("admin:agreements_institution_delete", args=[institution.pk])

    page = admin_client.get(url)
    posted = admin_client.post(url, {"post": "yes"})

    assert page.status_code == posted.status_code == 200
    text = _text(page)
    assert (
        "“University of Bordeaux” cannot be deleted while other records depend on it, and "
        "nothing was deleted. End them (an agreement can be marked expired or terminated) "
        "or remove them first:"
    ) in text
    change_url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    assert f'href="{change_url}"' in page.content.decode()
    assert "Strategic partnership:" in text
    assert 'value="Yes, I’m sure"' not in page.content.decode()
    assert Institution.objects.filter(pk=institution.pk).exists()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_the_delete_action_refuses_institutions_with_agreements_in_plain_words(admin_client):
    kept = make_institution(name="Kept University")
    make_agreement(institution=kept)
    free = make_institution(name="Free University")
    changelist = reverse("admin:agreements_institution_changelist")

    for data in (
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [kept.pk, free.pk]},
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [kept.pk, free.pk], "post": "yes"},
    ):
        response = admin_client.post(changelist, data)
        assert response.status_code == 200
        assert (
            "The selected institutions cannot be deleted while other records depend on them, "
            "and nothing was deleted."
        ) in _text(response)
    assert Institution.objects.filter(pk__in=[kept.pk, free.pk]).count() == 2


def test_an_institution_a_laboratory_names_as_partner_cannot_be_deleted(admin_client):
    institution = make_institution(name="Partner University")
    laboratory = OnSiteLaboratory.objects.create(
        name="Synthetic test laboratory", slug="synthetic-test-laboratory", departments="Test"
    )
    laboratory.partner_institutions.add(institution)
    url = reverse("admin:agreements_institution_delete", args=[institution.pk])
    changelist = reverse("admin:agreements_institution_changelist")

    page = admin_client.get(url)
    posted = admin_client.post(url, {"post": "yes"})
    action = admin_client.post(
        changelist,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [institution.pk], "post": "yes"},
    )

    assert page.status_code == posted.status_code == action.status_code == 200
    lab_url = reverse("admin:agreements_onsitelaboratory_change", args=[laboratory.pk])
    assert f'href="{lab_url}"' in page.content.decode()
    assert "On-site laboratory: Synthetic test laboratory" in _text(page)
    assert "nothing was deleted" in _text(action)
    assert Institution.objects.filter(pk=institution.pk).exists()
    assert list(laboratory.partner_institutions.all()) == [institution]


def _delete_partnership_with_events():
    institution = make_institution(name="Gone Institute")
    partnership = make_strategic_partnership(institution=institution, since=2015)
    for day in (1, 2):
        PartnershipEvent.objects.create(
            partnership=partnership, date=datetime.date(2024, 3, day), title=f"Symposium {day}"
        )
    pk = partnership.pk
    return institution, pk


def test_a_deleted_partnership_comes_back_with_its_events_in_one_step(admin_client):
    institution, pk = _delete_partnership_with_events()
    delete_url = reverse("admin:agreements_strategicpartnership_delete", args=[pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not PartnershipEvent.objects.exists()

    listed = admin_client.get(DELETED)
    text = _text(listed)
    assert "Gone Institute" in text
    assert "Symposium 1 (1 March 2024)" in text
    version = StrategicPartnership.history.get(id=pk, history_type="-")
    restored = admin_client.post(
        DELETED,
        {"model": "agreements.strategicpartnership", "version": version.history_id},
        follow=True,
    )

    partnership = StrategicPartnership.objects.get(pk=pk)
    assert (partnership.institution, partnership.since) == (institution, 2015)
    assert sorted(partnership.events.values_list("title", flat=True)) == [
        "Symposium 1",
        "Symposium 2",
    ]
    [message] = [str(message) for message in restored.context["messages"]]
    assert message == "Restored “Gone Institute”. With it: 2 records deleted along with it."
    latest = partnership.history.latest("history_id")
    assert latest.history_type == "+"
    assert latest.history_change_reason.startswith("Restored; deleted ")
    assert latest.history_user.username == "admin"
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 3
    assert "Gone Institute" not in _text(admin_client.get(DELETED))


def test_an_event_deleted_on_its_own_before_its_partnership_stays_deleted(admin_client):
    _institution, pk = _delete_partnership_with_events()
    alone = PartnershipEvent.objects.get(title="Symposium 1")
    alone_url = reverse("admin:agreements_partnershipevent_delete", args=[alone.pk])
    assert admin_client.post(alone_url, {"post": "yes"}).status_code == 302
    # Deleted by the same clerk half a minute before the partnership, not by its cascade.
    alone_deleted = PartnershipEvent.history.get(id=alone.pk, history_type="-")
    delete_url = reverse("admin:agreements_strategicpartnership_delete", args=[pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    version = StrategicPartnership.history.get(id=pk, history_type="-")
    alone_deleted.history_date = version.history_date - datetime.timedelta(seconds=30)
    alone_deleted.save()

    admin_client.post(
        DELETED, {"model": "agreements.strategicpartnership", "version": version.history_id}
    )

    assert StrategicPartnership.objects.filter(pk=pk).exists()
    assert list(PartnershipEvent.objects.values_list("title", flat=True)) == ["Symposium 2"]


@pytest.mark.parametrize("posted", ["abc", "9" * 30, "999999", ""])
def test_a_restore_naming_no_deleted_version_is_refused_in_words(admin_client, posted):
    response = admin_client.post(
        DELETED, {"model": "agreements.institution", "version": posted}, follow=True
    )

    assert response.status_code == 200
    assert "That record is not deleted (any more); nothing was done." in _text(response)


def test_a_restore_without_its_kind_is_a_bad_request_and_a_get_restores_nothing(admin_client):
    institution = make_institution(name="Gone By Get University")
    pk = institution.pk
    institution.delete()
    version = Institution.history.get(id=pk, history_type="-")

    no_kind = admin_client.post(DELETED, {"version": version.history_id})
    by_get = admin_client.get(
        DELETED, {"model": "agreements.institution", "version": version.history_id}
    )
    not_a_model = admin_client.get(DELETED, {"model": "agreements"})

    assert (no_kind.status_code, by_get.status_code, not_a_model.status_code) == (400, 200, 404)
    assert not Institution.objects.filter(pk=pk).exists()


def test_a_deleted_country_comes_back_with_its_aliases(admin_client):
    country = Country.objects.create(
        name="Atlantis", iso_code="QA", region=make_institution().country.region
    )
    CountryAlias.objects.create(country=country, alias="Atlantida")
    pk = country.pk
    country.delete()
    version = Country.history.get(id=pk, history_type="-")

    admin_client.post(DELETED, {"model": "places.country", "version": version.history_id})

    assert list(CountryAlias.objects.filter(country_id=pk).values_list("alias", flat=True)) == [
        "Atlantida"
    ]


def test_a_restore_that_breaks_a_rule_is_refused_with_a_message(admin_client):
    institution = make_institution(name="Twice University")
    first = make_agreement(institution=institution, kind="mou", concluded_year=2001)
    pk = first.pk
    first.delete()
    make_agreement(institution=institution, kind="mou", concluded_year=2020)
    version = Agreement.history.get(id=pk, history_type="-")

    response = admin_client.post(
        DELETED, {"model": "agreements.agreement", "version": version.history_id}, follow=True
    )

    [message] = [str(message) for message in response.context["messages"]]
    assert message.startswith("“MOU (general memorandum) – Twice University (2001)” cannot be")
    assert "already has an agreement of this kind in effect" in message
    assert not Agreement.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(("group", "may"), [(VIEWERS, False), (EDITORS, True), (IMPORTERS, True)])
def test_restoring_is_for_those_who_may_add_the_record(as_role, group, may):
    agreement = make_agreement(concluded_year=1999)
    pk = agreement.pk
    agreement.delete()
    version = Agreement.history.get(id=pk, history_type="-")
    client = as_role(group)

    page = client.get(DELETED)
    response = client.post(
        DELETED, {"model": "agreements.agreement", "version": version.history_id}
    )

    assert page.status_code == 200
    assert "(1999)" in _text(page)
    assert ('value="Restore"' in page.content.decode()) is may
    assert response.status_code == (302 if may else 403)
    assert Agreement.objects.filter(pk=pk).exists() is may


def test_the_deleted_records_page_lists_one_kind(admin_client):
    agreement = make_agreement(concluded_year=1999)
    agreement.delete()
    event_partnership = make_strategic_partnership()
    event = PartnershipEvent.objects.create(
        partnership=event_partnership, date=datetime.date(2024, 1, 1), title="Gone event"
    )
    event.delete()

    agreements_only = _text(admin_client.get(DELETED, {"model": "agreements.agreement"}))
    every = _text(admin_client.get(DELETED))

    assert "(1999)" in agreements_only
    assert "Gone event" not in agreements_only
    assert "(1999)" in every
    assert "Gone event" in every
    assert admin_client.get(DELETED, {"model": "auth.nothing"}).status_code == 404


def test_the_deleted_records_page_names_the_kinds_in_the_admin_homes_order(admin_client):
    """Renewals re-registers the agreements' admin (last in the registry); the page still
    lists agreements' kinds first, as the admin's home does, each app's alphabetically."""
    kinds = _text(admin_client.get(DELETED)).split("Show:", 1)[1]
    names = ["Agreements", "Institutions", "Exchange statistics"]
    assert all(name in kinds for name in names)
    assert sorted(names, key=kinds.index) == names

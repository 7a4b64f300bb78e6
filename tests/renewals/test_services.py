"""The hand-over: a successor coming into effect ends the agreement it renews, which stays as
history with its reason. It happens where staff set a successor in effect (its page, the
institution's page, the records import) and through the service, never in save() alone."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.urls import reverse

from agreements.models import Agreement, AgreementKind, AgreementStatus
from renewals.services import successor_takes_over
from staff.roles import EDITORS
from tests.factories import make_agreement
from tests.importing import confirm, export, upload_content

pytestmark = pytest.mark.django_db

REASON = "Renewed: its successor took effect"


@pytest.fixture
def pair():
    """An agreement being renewed and its successor under negotiation."""
    old = make_agreement(
        kind=AgreementKind.MOU,
        concluded_year=2019,
        start_date=datetime.date(2019, 4, 1),
        end_date=datetime.date(2024, 3, 31),
        status=AgreementStatus.RENEWING,
    )
    new = make_agreement(
        institution=old.institution,
        kind=AgreementKind.MOU,
        concluded_year=2019,
        start_date=datetime.date(2024, 4, 1),
        end_date=datetime.date(2029, 3, 31),
        status=AgreementStatus.NEGOTIATING,
        predecessor=old,
    )
    return old, new


def _handed_over(old, new, user=None):
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == AgreementStatus.EXPIRED
    assert new.status == AgreementStatus.IN_EFFECT
    assert old.successor == new
    newest = old.history.first()
    assert newest.history_change_reason == REASON
    if user is not None:
        assert newest.history_user.username == user
    assert list(Agreement.objects.in_effect()) == [new]


def test_a_successor_taking_effect_ends_the_agreement_it_renews_and_keeps_it_as_history(pair):
    old, new = pair
    new.status = AgreementStatus.IN_EFFECT
    new.full_clean()
    with transaction.atomic():
        assert successor_takes_over(agreement=new, user=None) == old
        new.save()
    _handed_over(old, new)


def test_save_alone_hands_nothing_over_and_the_database_refuses_two_in_effect(pair):
    old, new = pair
    new.status = AgreementStatus.IN_EFFECT
    with pytest.raises(IntegrityError), transaction.atomic():
        new.save()
    old.refresh_from_db()
    assert old.status == AgreementStatus.RENEWING
    assert old.history.count() == 1


def test_an_agreement_that_renews_none_or_is_not_running_takes_over_from_none(pair):
    old, new = pair
    with transaction.atomic():
        assert successor_takes_over(agreement=new, user=None) is None  # still negotiating
        assert successor_takes_over(agreement=old, user=None) is None  # renews nothing
    old.refresh_from_db()
    assert old.status == AgreementStatus.RENEWING


@pytest.mark.django_db(transaction=True)
def test_the_hand_over_refuses_to_run_outside_the_successors_transaction(pair):
    old, new = pair
    new.status = AgreementStatus.IN_EFFECT
    with pytest.raises(TransactionManagementError):
        successor_takes_over(agreement=new, user=None)
    old.refresh_from_db()
    assert old.status == AgreementStatus.RENEWING


def test_set_in_effect_on_its_page_the_successor_takes_over(as_role, pair):
    from tests.staff.admin_forms import change_form_data

    old, new = pair
    client = as_role(EDITORS)
    url = reverse("admin:agreements_agreement_change", args=[new.pk])
    response = client.post(url, change_form_data(client.get(url), status=AgreementStatus.IN_EFFECT))
    assert response.status_code == 302
    _handed_over(old, new, user="editors")


def test_set_in_effect_on_the_institutions_page_the_successor_takes_over(as_role, pair):
    from tests.staff.admin_forms import change_form_data

    old, new = pair
    client = as_role(EDITORS)
    url = reverse("admin:agreements_institution_change", args=[old.institution.pk])
    page = client.get(url)
    [formset] = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Agreement
    ]
    [index] = [i for i, form in enumerate(formset.forms) if form.instance.pk == new.pk]
    response = client.post(
        url,
        change_form_data(page, **{f"{formset.prefix}-{index}-status": AgreementStatus.IN_EFFECT}),
    )
    assert response.status_code == 302, response.context["errors"]
    _handed_over(old, new, user="editors")


def test_reverted_to_a_version_in_effect_the_successor_takes_over_again(as_role, pair):
    """Reverting from history goes through the agreement's page: a successor put back in
    effect by a revert ends its predecessor again."""
    from tests.staff.admin_forms import change_form_data

    old, new = pair
    with transaction.atomic():
        new.status = AgreementStatus.IN_EFFECT
        successor_takes_over(agreement=new, user=None)
        new.save()
    in_effect = new.history.first()
    # Both set back by hand, as before the hand-over (the predecessor first: one in effect).
    new.status = AgreementStatus.NEGOTIATING
    new.save()
    old.status = AgreementStatus.RENEWING
    old.save()
    client = as_role(EDITORS)
    url = reverse("admin:agreements_agreement_simple_history", args=[new.pk, in_effect.history_id])

    response = client.post(url, change_form_data(client.get(url)))

    assert response.status_code == 302
    _handed_over(old, new, user="editors")


def test_set_in_effect_by_the_records_import_the_successor_takes_over(admin_client, pair):
    old, new = pair
    header, *rows = export(admin_client, Agreement, "csv").decode().splitlines()
    [row] = [row for row in rows if row.startswith(f"{new.pk},")]
    assert ",Negotiating," in row
    changed = "\n".join([header, row.replace(",Negotiating,", ",In effect,")]) + "\n"
    preview = upload_content(admin_client, Agreement, "a.csv", changed.encode(), resource="1")
    assert not preview.context["result"].has_validation_errors()
    old.refresh_from_db()
    assert old.status == AgreementStatus.RENEWING  # the preview changed nothing
    confirm(admin_client, Agreement, preview)
    _handed_over(old, new, user="admin")


def test_a_deleted_successor_restored_beside_its_running_predecessor_is_refused_in_words(
    admin_client, pair
):
    """Restoring puts a record back as it was; it ends no other agreement."""
    old, new = pair
    new.status = AgreementStatus.IN_EFFECT
    with transaction.atomic():
        successor_takes_over(agreement=new, user=None)
        new.save()
    pk = new.pk
    new.delete()
    old.status = AgreementStatus.IN_EFFECT
    old.save()
    version = Agreement.history.get(id=pk, history_type="-")

    response = admin_client.post(
        reverse("admin:deleted_records"),
        {"model": "agreements.agreement", "version": version.history_id},
        follow=True,
    )

    [message] = [str(message) for message in response.context["messages"]]
    assert "already has an agreement of this kind in effect" in message
    assert not Agreement.objects.filter(pk=pk).exists()
    old.refresh_from_db()
    assert old.status == AgreementStatus.IN_EFFECT

"""Bulk actions: publish and unpublish what is selected, mark agreements expired or
terminated; each change in history with a reason, and only for those who may change."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from agreements.models import (
    Agreement,
    AgreementStatus,
    Institution,
    OnSiteLaboratory,
    StrategicPartnership,
)
from exchanges.models import ExchangeStatistic
from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.factories import (
    make_agreement,
    make_institution,
    make_statistic,
    make_strategic_partnership,
)

pytestmark = pytest.mark.django_db


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _act(client, model, action, objs):
    return client.post(
        _changelist(model),
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objs]},
        follow=True,
    )


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_unpublish_then_publish_selected_institutions_with_history(as_role):
    editor = as_role(EDITORS)
    first, second = make_institution(name="Alpha"), make_institution(name="Beta")
    untouched = make_institution(name="Gamma")

    hidden = _act(editor, Institution, "unpublish_selected", [first, second])
    assert _messages(hidden) == [
        "Unpublished 2 of 2 selected institutions (the others were already)."
    ]
    assert list(Institution.objects.filter(is_published=False).order_by("name")) == [
        first,
        second,
    ]
    shown = _act(editor, Institution, "publish_selected", [first, untouched])

    assert _messages(shown) == ["Published 1 of 2 selected institutions (the others were already)."]
    assert set(Institution.objects.filter(is_published=True)) == {first, untouched}
    versions = first.history.order_by("history_id")
    assert [
        (v.history_change_reason, v.history_user and v.history_user.username) for v in versions
    ][1:] == [
        ("Unpublished from the list", "editors"),
        ("Published from the list", "editors"),
    ]
    assert untouched.history.count() == 1


def test_every_model_with_a_published_flag_offers_publishing(admin_client):
    make_agreement()
    OnSiteLaboratory.objects.create(name="Lab", slug="lab", departments="Engineering")
    make_statistic()
    for model in (Institution, Agreement, OnSiteLaboratory):
        page = admin_client.get(_changelist(model)).content.decode()
        assert 'value="publish_selected"' in page, model
        assert 'value="unpublish_selected"' in page, model
    assert (
        'value="publish_selected"'
        not in admin_client.get(_changelist(ExchangeStatistic)).content.decode()
    )


@pytest.mark.parametrize(
    ("action", "status", "reason"),
    [
        ("mark_expired", AgreementStatus.EXPIRED, "Marked expired from the list"),
        ("mark_terminated", AgreementStatus.TERMINATED, "Marked terminated from the list"),
    ],
)
def test_mark_selected_agreements_ended(as_role, action, status, reason):
    importer = as_role(IMPORTERS)
    ended = [make_agreement(kind="mou"), make_agreement(kind="sea")]
    running = make_agreement(kind="mou")

    response = _act(importer, Agreement, action, ended)

    verb = "expired" if status == AgreementStatus.EXPIRED else "terminated"
    assert _messages(response) == [f"Marked 2 of 2 selected agreements {verb}."]
    assert set(Agreement.objects.filter(status=status)) == set(ended)
    assert Agreement.objects.get(pk=running.pk).status == AgreementStatus.IN_EFFECT
    latest = ended[0].history.latest("history_id")
    assert (latest.status, latest.history_change_reason) == (status, reason)


@pytest.mark.parametrize(
    ("model", "action"),
    [
        (Institution, "unpublish_selected"),
        (Agreement, "publish_selected"),
        (Agreement, "mark_expired"),
        (Agreement, "mark_terminated"),
    ],
)
def test_a_viewer_posting_an_action_directly_changes_nothing(as_role, model, action):
    viewer = as_role(VIEWERS)
    agreement = make_agreement(is_published=False)
    obj = agreement if model is Agreement else agreement.institution
    before = [(a.status, a.is_published, a.institution.is_published) for a in [agreement]]

    page = viewer.get(_changelist(model)).content.decode()
    response = _act(viewer, model, action, [obj])

    assert f'value="{action}"' not in page
    assert response.status_code == 200
    agreement.refresh_from_db()
    agreement.institution.refresh_from_db()
    assert [(a.status, a.is_published, a.institution.is_published) for a in [agreement]] == before
    assert agreement.history.count() == 1
    assert not any("selected" in message for message in _messages(response))


def test_a_list_that_counts_per_row_publishes_too(admin_client):
    # The partnerships' list groups its rows to count events: the action locks the rows alone.
    partnership = make_strategic_partnership()

    response = _act(admin_client, StrategicPartnership, "unpublish_selected", [partnership])

    assert _messages(response) == [
        "Unpublished 1 of 1 selected strategic partnerships (the others were already)."
    ]
    partnership.refresh_from_db()
    assert partnership.is_published is False

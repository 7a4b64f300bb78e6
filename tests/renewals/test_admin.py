"""Renewing an agreement: the Renew page and the bulk action create its successor under
negotiation and mark it as being renewed, in history with a reason; refused cases change
nothing; only those who may add and change agreements may renew."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from agreements.models import Agreement, AgreementKind, AgreementStatus, RenewalType
from renewals.services import renewal_defaults
from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.factories import make_agreement, make_institution
from tests.staff.admin_forms import change_form_data, log_in

pytestmark = pytest.mark.django_db

LIST = reverse("admin:agreements_agreement_changelist")


def _renew_url(agreement):
    return reverse("admin:agreements_agreement_renew", args=[agreement.pk])


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _snapshot():
    return sorted(
        Agreement.objects.values_list("pk", "status", "predecessor_id", "start_date", "end_date")
    ), Agreement.history.count()


@pytest.fixture
def agreement():
    staff = get_user_model().objects.create_user("keeper", is_staff=True)
    return make_agreement(
        institution=make_institution(name="Université Synthétique"),
        kind=AgreementKind.MOU,
        concluded_year=2014,
        start_date=datetime.date(2019, 4, 1),
        end_date=datetime.date(2024, 3, 31),
        renewal_type=RenewalType.FIXED,
        notice_period_months=6,
        responsible_staff=staff,
        partner_contact_name="Dr Example",
        partner_contact_email="partner@example.org",
        scope_note="Covers the Faculty of Synthetic Studies.",
        internal_notes="Not copied.",
        is_published=True,
    )


def test_the_proposed_term_follows_the_old_one_in_whole_months(agreement):
    assert renewal_defaults(agreement) == {
        "start_date": datetime.date(2024, 4, 1),
        "end_date": datetime.date(2029, 3, 31),
    }
    agreement.start_date, agreement.end_date = (
        datetime.date(2020, 1, 10),
        datetime.date(2020, 1, 19),
    )
    assert renewal_defaults(agreement) == {
        "start_date": datetime.date(2020, 1, 20),
        "end_date": datetime.date(2020, 1, 29),
    }


@pytest.mark.parametrize("group", [EDITORS, IMPORTERS])
def test_renew_creates_the_successor_and_marks_the_agreement_renewing(as_role, group, agreement):
    client = as_role(group)
    change = client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    assert _renew_url(agreement) in change.content.decode()
    page = client.get(_renew_url(agreement))
    assert page.status_code == 200
    assert page.context["form"].initial == {
        "start_date": datetime.date(2024, 4, 1),
        "end_date": datetime.date(2029, 3, 31),
    }

    response = client.post(
        _renew_url(agreement),
        {"start_date": "2024-04-01", "end_date": "2029-03-31", "reason": "Five more years"},
        follow=True,
    )

    successor = Agreement.objects.get(predecessor=agreement)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:agreements_agreement_change", args=[successor.pk]
    )
    assert _messages(response) == [
        "The renewal of “MOU (general memorandum) – Université Synthétique (2014)” has started: "
        "this is its successor, under negotiation. Set it in effect once it is signed; the "
        "current agreement then expires."
    ]
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.RENEWING
    copied = [
        "institution_id",
        "kind",
        "concluded_year",
        "renewal_type",
        "scope_note",
        "notice_period_months",
        "responsible_staff_id",
        "partner_contact_name",
        "partner_contact_email",
        "is_published",
    ]
    assert [getattr(successor, name) for name in copied] == [
        getattr(agreement, name) for name in copied
    ]
    assert (successor.status, successor.start_date, successor.end_date) == (
        AgreementStatus.NEGOTIATING,
        datetime.date(2024, 4, 1),
        datetime.date(2029, 3, 31),
    )
    assert successor.internal_notes == ""
    user = get_user_model().objects.get(username=group.lower())
    [added] = successor.history.all()
    assert added.history_change_reason == (
        "Renewal of the agreement of 2019-04-01: Five more years"
    )
    assert added.history_user == user
    newest = agreement.history.first()
    assert (newest.history_change_reason, newest.history_user) == (
        "Renewal started: Five more years",
        user,
    )
    assert LogEntry.objects.filter(user=user).count() == 2
    # The renewal chain on both forms links the two.
    page = client.get(reverse("admin:agreements_agreement_change", args=[successor.pk])).content
    assert reverse("admin:agreements_agreement_change", args=[agreement.pk]).encode() in page
    # Signed: set in effect on its page, the successor ends the agreement it renews.
    successor_url = reverse("admin:agreements_agreement_change", args=[successor.pk])
    saved = client.post(
        successor_url,
        change_form_data(client.get(successor_url), status=AgreementStatus.IN_EFFECT),
    )
    assert saved.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"start_date": "", "end_date": ""}, "This field is required."),
        ({"start_date": "2024-13-01", "end_date": ""}, "Enter a valid date."),
        (
            {"start_date": "2024-04-01", "end_date": "2024-03-01"},
            "The end date must not be before the start date.",
        ),
        (
            {"start_date": "2018-04-01", "end_date": ""},
            "The new term must start after the current one started (2019-04-01).",
        ),
    ],
)
def test_bad_dates_are_refused_with_a_message_and_change_nothing(as_role, agreement, data, error):
    client = as_role(EDITORS)
    before = _snapshot()
    response = client.post(_renew_url(agreement), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (
            AgreementStatus.EXPIRED,
            "Only an agreement in effect can be renewed; this one is expired.",
        ),
        (
            AgreementStatus.TERMINATED,
            "Only an agreement in effect can be renewed; this one is terminated.",
        ),
        (
            AgreementStatus.NEGOTIATING,
            "Only an agreement in effect can be renewed; this one is negotiating.",
        ),
    ],
)
def test_an_agreement_not_in_effect_is_not_renewed(as_role, agreement, status, reason):
    agreement.status = status
    agreement.save()
    client = as_role(EDITORS)
    change = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    assert _renew_url(agreement) not in client.get(change).content.decode()
    before = _snapshot()
    for method in (client.get, client.post):
        response = method(_renew_url(agreement), {"start_date": "2024-04-01"}, follow=True)
        assert response.redirect_chain[-1][0] == change
        assert _messages(response) == [
            f"“{agreement}” cannot be renewed: {reason} Nothing was changed."
        ]
    assert _snapshot() == before


def test_an_agreement_with_a_successor_is_not_renewed_again(as_role, agreement):
    client = as_role(EDITORS)
    client.post(_renew_url(agreement), {"start_date": "2024-04-01"}, follow=True)
    before = _snapshot()
    response = client.post(_renew_url(agreement), {"start_date": "2024-04-01"}, follow=True)
    assert _messages(response) == [
        f"“{agreement}” cannot be renewed: It already has a successor. Nothing was changed."
    ]
    assert _snapshot() == before


def test_access_to_the_renew_page_by_role(client, as_role, agreement):
    url = _renew_url(agreement)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    viewer = as_role(VIEWERS)
    before = _snapshot()
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"start_date": "2024-04-01"}).status_code == 403
    change = viewer.get(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    assert url not in change.content.decode()
    assert _snapshot() == before
    # Refused before the address is looked at: no telling which agreements exist.
    assert (
        viewer.get(reverse("admin:agreements_agreement_renew", args=["99999"])).status_code == 403
    )


@pytest.mark.parametrize("right", ["add", "change"])
def test_the_renew_page_needs_the_rights_to_add_and_to_change(
    client, django_user_model, agreement, right
):
    clerk = django_user_model.objects.create_user(
        "clerk", password="correct horse battery", is_staff=True
    )
    clerk.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="agreements",
            codename__in=["view_agreement", f"{right}_agreement"],
        )
    )
    log_in(client, "clerk", "correct horse battery")
    url = _renew_url(agreement)
    before = _snapshot()

    assert client.get(url).status_code == 403
    assert client.post(url, {"start_date": "2024-04-01"}).status_code == 403
    change = client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    assert change.status_code == 200
    assert url not in change.content.decode()
    assert _snapshot() == before
    other = "change" if right == "add" else "add"
    clerk.user_permissions.add(Permission.objects.get(codename=f"{other}_agreement"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("key", ["99999", "abc", "1" * 30])
def test_an_unknown_agreement_has_no_renew_page(admin_client, key):
    assert (
        admin_client.get(reverse("admin:agreements_agreement_renew", args=[key])).status_code == 404
    )


def test_the_renew_page_in_japanese(as_role, agreement):
    client = as_role(EDITORS)
    client.cookies["django_language"] = "ja"
    page = client.get(_renew_url(agreement)).content.decode()
    assert "更新交渉を開始" in page
    response = client.post(_renew_url(agreement), {"start_date": "2024-04-01"}, follow=True)
    assert "更新交渉を開始しました" in _messages(response)[0]


def _act(client, agreements):
    return client.post(
        LIST,
        {"action": "start_renewal", ACTION_CHECKBOX_NAME: [a.pk for a in agreements]},
        follow=True,
    )


def test_start_renewal_from_the_list_renews_each_selected_agreement(as_role, agreement):
    other = make_agreement(
        kind=AgreementKind.SEA,
        concluded_year=2020,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2026, 8, 31),
    )
    response = _act(as_role(IMPORTERS), [agreement, other])
    assert _messages(response) == [
        "Started the renewal of 2 agreements: each has a successor under negotiation, with the "
        "proposed dates."
    ]
    assert sorted(
        Agreement.objects.filter(predecessor__isnull=False).values_list(
            "predecessor_id", "status", "start_date", "end_date"
        )
    ) == sorted(
        [
            (agreement.pk, "negotiating", datetime.date(2024, 4, 1), datetime.date(2029, 3, 31)),
            (other.pk, "negotiating", datetime.date(2026, 9, 1), datetime.date(2031, 8, 31)),
        ]
    )
    assert set(
        Agreement.objects.filter(pk__in=[agreement.pk, other.pk]).values_list("status", flat=True)
    ) == {"renewing"}
    assert (
        agreement.history.first().history_change_reason == "Renewal started: Started from the list"
    )


def test_start_renewal_is_all_or_nothing_and_names_the_refused(as_role, agreement):
    expired = make_agreement(kind=AgreementKind.SEA, status=AgreementStatus.EXPIRED)
    before = _snapshot()
    response = _act(as_role(EDITORS), [agreement, expired])
    assert _messages(response) == [
        f"Nothing was changed: “{expired}”: Only an agreement in effect can be renewed; this "
        "one is expired."
    ]
    assert _snapshot() == before


def test_viewers_are_not_offered_nor_allowed_start_renewal(as_role, agreement):
    viewer = as_role(VIEWERS)
    page = viewer.get(LIST).content.decode()
    assert "start_renewal" not in page
    before = _snapshot()
    _act(viewer, [agreement])
    assert _snapshot() == before

"""send_renewal_reminders: each reminder reaches a real SMTP server once, in the recipient's
language, saying which agreement and what to do; a wider window passed is not sent late."""

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone
from django.utils.formats import date_format

from agreements.models import AgreementStatus, RenewalType
from renewals.models import ReminderOutcome, ReminderProfile, RenewalReminder
from tests.factories import make_agreement, make_institution

OFFICE = "international-office@example.ac.jp"


def _in(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_renewal_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "tanaka", email="tanaka@example.ac.jp", is_staff=True, password="unused"
    )


@pytest.fixture
def bordeaux(db):
    return make_institution(name="University of Bordeaux", name_ja="ボルドー大学")


@pytest.mark.django_db
def test_the_responsible_staff_member_gets_the_reminder_once_across_two_runs(
    inbox, staff, bordeaux
):
    agreement = make_agreement(
        institution=bordeaux,
        end_date=_in(85),
        responsible_staff=staff,
        notice_period_months=6,
        partner_contact_name="Marie Curie",
        partner_contact_email="marie.curie@example.fr",
    )
    out, err = _run()
    assert err == ""
    assert "Sent: the 90-day reminder of MOU with University of Bordeaux" in out
    [(subject, body)] = inbox.to("tanaka@example.ac.jp")
    end = agreement.end_date
    assert subject == (
        f"Renewal reminder: MOU with University of Bordeaux ends on {date_format(end)}"
    )
    assert "The agreement below ends in 85 days" in body
    assert "Institution: University of Bordeaux (Testland" in body
    assert "Agreement: MOU (general memorandum)" in body
    assert "Notice period: 6 months; notice must be given by" in body
    assert "Partner contact: Marie Curie <marie.curie@example.fr>" in body
    assert "To renew it: open the agreement in the admin and start its renewal" in body
    assert (
        f"https://partners.example.ac.jp/admin/agreements/agreement/{agreement.pk}/change/" in body
    )
    assert "https://partners.example.ac.jp/admin/renewals/calendar/" in body
    assert "ボルドー大学" not in body  # English only, as the staff member reads

    # The 180-day window had passed too: not sent late, recorded as skipped.
    assert sorted(
        RenewalReminder.objects.values_list("window_days", "outcome", "recipient", "end_date")
    ) == [
        (90, ReminderOutcome.SENT, "tanaka@example.ac.jp", end),
        (180, ReminderOutcome.SKIPPED, "", end),
    ]
    out, err = _run()
    assert (out, err) == ("", "")
    assert len(inbox.messages) == 1


@pytest.mark.django_db
def test_a_first_run_twenty_days_before_the_end_sends_only_the_narrowest_window(
    inbox, staff, bordeaux
):
    make_agreement(institution=bordeaux, end_date=_in(20), responsible_staff=staff)
    out, _err = _run()
    assert len(inbox.messages) == 1
    assert "the 30-day reminder" in out
    assert "Recorded as skipped: the 90-day reminder" in out
    assert "Recorded as skipped: the 180-day reminder" in out
    assert dict(RenewalReminder.objects.values_list("window_days", "outcome")) == {
        30: "sent",
        90: "skipped",
        180: "skipped",
    }


@pytest.mark.django_db
def test_each_window_in_turn_then_a_new_end_date_gets_its_own_reminders(inbox, staff, bordeaux):
    agreement = make_agreement(institution=bordeaux, end_date=_in(170), responsible_staff=staff)
    _run()
    assert len(inbox.messages) == 1
    assert "ends in 170 days" in inbox.to("tanaka@example.ac.jp")[0][1]
    # Eighty days later the 90-day window opens (the end date moved closer instead).
    agreement.end_date = _in(90)
    agreement.save()
    _run()
    # A changed end date is a new term: its own 180-day window (skipped) and the 90-day one.
    assert len(inbox.messages) == 2
    assert "ends in 90 days" in inbox.to("tanaka@example.ac.jp")[1][1]
    # Renewed: the same agreement now ends in three years; nothing due until then.
    agreement.end_date = _in(3 * 365)
    agreement.save()
    _run()
    assert len(inbox.messages) == 2


@pytest.mark.django_db
def test_japanese_for_a_staff_member_who_chose_it(inbox, staff, bordeaux):
    ReminderProfile.objects.create(user=staff, language="ja")
    end = _in(25)
    make_agreement(
        institution=bordeaux,
        kind="sea",
        end_date=end,
        responsible_staff=staff,
        renewal_type=RenewalType.AUTOMATIC,
        notice_period_months=3,
    )
    _run()
    [(subject, body)] = inbox.to("tanaka@example.ac.jp")
    assert (
        subject
        == f"更新のお知らせ: ボルドー大学とのSEAが{end.year}年{end.month}月{end.day}日に終了します"
    )
    assert "ボルドー大学" in body
    assert "残り25日" in body
    assert "自動更新" in body
    assert "Renewal reminder" not in subject and "What to do" not in body


@pytest.mark.django_db
def test_japanese_command_output_in_a_japanese_shell(inbox, staff, bordeaux, monkeypatch):
    make_agreement(institution=bordeaux, end_date=_in(25), responsible_staff=staff)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    out, _err = _run("--dry-run")
    assert "送信予定: ボルドー大学とのMOU" in out


@pytest.mark.django_db
@pytest.mark.parametrize("staff_state", ["none", "inactive", "no e-mail", "not staff"])
def test_the_fallback_address_gets_both_languages_in_one_mail(inbox, staff, bordeaux, staff_state):
    if staff_state == "inactive":
        staff.is_active = False
    elif staff_state == "no e-mail":
        staff.email = ""
    elif staff_state == "not staff":
        staff.is_staff = False
    staff.save()
    make_agreement(
        institution=bordeaux,
        end_date=_in(60),
        responsible_staff=None if staff_state == "none" else staff,
    )
    _run()
    assert inbox.to("tanaka@example.ac.jp") == []
    [(subject, body)] = inbox.to(OFFICE)
    assert subject.startswith("Renewal reminder: MOU with University of Bordeaux ends on")
    assert " / 更新のお知らせ: ボルドー大学とのMOUが" in subject
    assert "no staff member who can receive it is responsible" in body
    assert "担当職員がいない" in body
    assert body.index("The agreement below") < body.index("ボルドー大学")


@pytest.mark.django_db
def test_agreements_not_running_or_without_a_due_window_get_nothing(inbox, staff):
    for status in (
        AgreementStatus.NEGOTIATING,
        AgreementStatus.EXPIRED,
        AgreementStatus.TERMINATED,
    ):
        make_agreement(status=status, end_date=_in(10), responsible_staff=staff)
    make_agreement(renewal_type=RenewalType.INDEFINITE, responsible_staff=staff)
    make_agreement(end_date=None, responsible_staff=staff)
    make_agreement(end_date=_in(-1), responsible_staff=staff)  # ended yesterday: too late
    make_agreement(end_date=_in(181), responsible_staff=staff)  # not yet
    out, err = _run()
    assert (out, err, inbox.messages) == ("", "", [])
    assert not RenewalReminder.objects.exists()


@pytest.mark.django_db
def test_a_renewal_under_negotiation_is_still_reminded(inbox, staff, bordeaux):
    make_agreement(
        institution=bordeaux,
        status=AgreementStatus.RENEWING,
        end_date=_in(30),
        responsible_staff=staff,
    )
    _run()
    [(_subject, body)] = inbox.to("tanaka@example.ac.jp")
    assert "Status: Renewal under negotiation" in body
    assert "Its renewal is under negotiation: once the new agreement is signed" in body
    assert "start its renewal" not in body


@pytest.mark.django_db
def test_dry_run_prints_and_neither_sends_nor_records(inbox, staff, bordeaux):
    make_agreement(institution=bordeaux, end_date=_in(20), responsible_staff=staff)
    out, err = _run("--dry-run")
    assert err == ""
    assert out.splitlines()[0].startswith(
        "Would send: the 30-day reminder of MOU with University of Bordeaux"
    )
    assert "to tanaka@example.ac.jp (en)" in out
    assert "Would record as skipped: the 180-day reminder" in out
    assert inbox.messages == []
    assert not RenewalReminder.objects.exists()
    make_agreement(end_date=_in(5))  # no one responsible: the office gets it
    out, _err = _run("--dry-run")
    assert f"to {OFFICE} (en+ja)" in out


@pytest.mark.django_db
def test_a_refused_mail_is_an_error_and_tried_again_while_a_sent_one_stays_recorded(
    inbox, staff, bordeaux, django_user_model
):
    suzuki = django_user_model.objects.create_user(
        "suzuki", email="suzuki@example.ac.jp", is_staff=True
    )
    first = make_agreement(institution=bordeaux, end_date=_in(10), responsible_staff=staff)
    second = make_agreement(end_date=_in(12), responsible_staff=suzuki)
    inbox.refuse.add("suzuki@example.ac.jp")
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError, match="tried again on the next run"):
        call_command("send_renewal_reminders", stdout=out, stderr=err)
    assert "could not be sent" in err.getvalue()
    assert "suzuki@example.ac.jp" in err.getvalue()
    assert "Sent: the 30-day reminder of MOU with University of Bordeaux" in out.getvalue()
    assert set(RenewalReminder.objects.values_list("agreement", flat=True)) == {first.pk}
    inbox.refuse.clear()
    _run()
    assert [len(inbox.to(a)) for a in ("tanaka@example.ac.jp", "suzuki@example.ac.jp")] == [1, 1]
    assert set(RenewalReminder.objects.values_list("agreement", flat=True)) == {
        first.pk,
        second.pk,
    }


@pytest.mark.django_db
def test_an_unreachable_mail_server_is_an_error_and_nothing_is_recorded(inbox, staff, settings):
    make_agreement(end_date=_in(10), responsible_staff=staff)
    settings.EMAIL_PORT = 1  # nothing listens there
    with pytest.raises(CommandError, match="tried again on the next run"):
        call_command("send_renewal_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert not RenewalReminder.objects.exists()


@pytest.mark.django_db
def test_no_one_to_tell_is_an_error_and_nothing_is_recorded(inbox, settings):
    settings.RENEWAL_REMINDER_FALLBACK_EMAIL = ""
    make_agreement(end_date=_in(10))
    err = io.StringIO()
    with pytest.raises(CommandError, match="no one to go to"):
        call_command("send_renewal_reminders", stdout=io.StringIO(), stderr=err)
    assert "RENEWAL_REMINDER_FALLBACK_EMAIL is not set" in err.getvalue()
    assert not RenewalReminder.objects.exists()
    assert inbox.messages == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("90,soon", "'soon' is not one"),
        ((90, 0), "0 is not between 1 and 3650"),
        ("", "names no window"),
        ("30,30", "names 30 days twice"),
    ],
)
def test_windows_it_cannot_read_stop_the_command(inbox, settings, days, message):
    settings.RENEWAL_REMINDER_DAYS = days
    with pytest.raises(CommandError, match=message):
        _run()


@pytest.mark.django_db
def test_without_the_site_address_the_command_refuses(inbox, settings, staff):
    settings.SITE_URL = ""
    make_agreement(end_date=_in(10), responsible_staff=staff)
    with pytest.raises(CommandError, match="DJANGO_SITE_URL is not set"):
        _run()
    assert inbox.messages == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(inbox, django_user_model):
    staff = django_user_model.objects.create_user("sato", email="sato@example.ac.jp", is_staff=True)
    agreements = [
        make_agreement(end_date=_in(days), responsible_staff=staff) for days in (5, 40, 100)
    ]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            _run()
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(inbox.to("sato@example.ac.jp")) == len(agreements)
    assert RenewalReminder.objects.filter(outcome=ReminderOutcome.SENT).count() == 3

"""Each staff member's page of reminders and calendar (per role, by GET and POST), and the
private feed: valid iCalendar, all-day dates, stable UIDs, their language, only their
agreements, and a token that stops working once renewed or once they are not active staff."""

import datetime

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from renewals.models import ReminderProfile
from staff.roles import EDITORS, IMPORTERS, VIEWERS, roles_create
from tests.factories import make_agreement, make_institution

PAGE = "/admin/renewals/calendar/"
ROLES = ["superuser", EDITORS, IMPORTERS, VIEWERS]


def _in(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def people(db, django_user_model, settings):
    from django.apps import apps

    settings.RENEWAL_REMINDER_DAYS = (180, 90, 30)
    settings.SITE_URL = "https://partners.example.ac.jp"
    roles_create(apps)
    users = {
        "superuser": django_user_model.objects.create_superuser(
            "chief", "chief@example.ac.jp", "pw"
        )
    }
    for role in (EDITORS, IMPORTERS, VIEWERS):
        user = django_user_model.objects.create_user(
            role.lower(), f"{role.lower()}@example.ac.jp", "pw", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    users["not staff"] = django_user_model.objects.create_user("visitor", "v@example.org", "pw")
    return users


def _feed(client, user):
    token = ReminderProfile.of(user).calendar_token
    return client.get(reverse("renewals_calendar_feed", args=[token]))


def _events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_has_the_page_and_its_own_feed_address(client, people, role):
    user = people[role]
    client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 200
    token = ReminderProfile.objects.get(user=user).calendar_token
    assert f'value="https://partners.example.ac.jp/calendar/{token}.ics"' in response.text
    assert "My reminders and calendar" in response.text
    # The link in the admin's user tools, on every admin page.
    index = client.get(reverse("admin:index")).text
    assert f'<a href="{PAGE}">My reminders and calendar</a>' in index


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "not staff"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_page_asks_anyone_else_to_log_in(client, people, who, method):
    if who != "anonymous":
        client.force_login(people[who])
    response = getattr(client, method)(PAGE, {"renew": "1"} if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not ReminderProfile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_renewing_the_address_ends_the_old_one_at_once(client, people, role):
    user = people[role]
    client.force_login(user)
    old = ReminderProfile.of(user).calendar_token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    response = client.post(PAGE, {"renew": "1"}, follow=True)
    assert "Your calendar has a new address; the old one no longer works." in response.text
    new = ReminderProfile.objects.get(user=user).calendar_token
    assert new != old and len(new) >= 40
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert f"/calendar/{new}.ics" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_choosing_the_language_of_reminders(client, people, role):
    user = people[role]
    client.force_login(user)
    assert ReminderProfile.of(user).language == "en"  # the site's language to begin with
    response = client.post(PAGE, {"language": "ja"}, follow=True)
    assert "The language of your reminders and calendar is saved." in response.text
    assert ReminderProfile.objects.get(user=user).language == "ja"
    response = client.post(PAGE, {"language": "fr"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert ReminderProfile.objects.get(user=user).language == "ja"


@pytest.mark.django_db
def test_the_page_in_japanese(client, people):
    client.force_login(people[VIEWERS])
    response = client.get(PAGE, headers={"accept-language": "ja"})
    assert "お知らせとカレンダー" in response.text
    assert "新しいアドレスを作る" in response.text


@pytest.mark.django_db
def test_the_feed_holds_the_end_and_reminder_dates_of_ones_own_agreements(client, people):
    editor = people[EDITORS]
    other = people[VIEWERS]
    bordeaux = make_institution(name="University of Bordeaux", name_ja="ボルドー大学")
    mine = make_agreement(institution=bordeaux, end_date=_in(200), responsible_staff=editor)
    theirs = make_agreement(end_date=_in(100), responsible_staff=other)
    make_agreement(end_date=_in(50))  # no one's
    make_agreement(end_date=_in(50), responsible_staff=editor, status="negotiating")

    response = _feed(client, editor)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    events = _events(response)
    host = "partners.example.ac.jp"
    assert set(events) == {
        f"agreement-{mine.pk}-end@{host}",
        f"agreement-{mine.pk}-reminder-180@{host}",
        f"agreement-{mine.pk}-reminder-90@{host}",
        f"agreement-{mine.pk}-reminder-30@{host}",
    }
    end = events[f"agreement-{mine.pk}-end@{host}"]
    # All-day: dates, not times; the event ends the next day (RFC 5545).
    assert end.decoded("DTSTART") == mine.end_date
    assert end.decoded("DTEND") == mine.end_date + datetime.timedelta(days=1)
    assert str(end["SUMMARY"]) == "Ends: MOU with University of Bordeaux"
    assert str(end["URL"]) == (
        f"https://partners.example.ac.jp/admin/agreements/agreement/{mine.pk}/change/"
    )
    reminder = events[f"agreement-{mine.pk}-reminder-90@{host}"]
    assert reminder.decoded("DTSTART") == mine.end_date - datetime.timedelta(days=90)
    assert str(reminder["SUMMARY"]) == (
        "Renewal reminder (90 days before the end): MOU with University of Bordeaux"
    )
    assert str(theirs.institution) not in response.content.decode()

    # A new end date moves the events: the same UIDs, new dates.
    mine.end_date = _in(400)
    mine.save()
    events = _events(_feed(client, editor))
    assert events[f"agreement-{mine.pk}-end@{host}"].decoded("DTSTART") == _in(400)

    # In the staff member's language.
    ReminderProfile.objects.filter(user=editor).update(language="ja")
    events = _events(_feed(client, editor))
    assert str(events[f"agreement-{mine.pk}-end@{host}"]["SUMMARY"]) == "終了: ボルドー大学とのMOU"


@pytest.mark.django_db
def test_someone_who_may_not_see_agreements_gets_an_empty_calendar(client, people, db):
    from django.contrib.auth import get_user_model

    bare = get_user_model().objects.create_user("bare", "bare@example.ac.jp", is_staff=True)
    make_agreement(end_date=_in(100), responsible_staff=bare)
    response = _feed(client, bare)
    assert response.status_code == 200
    assert _events(response) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["deactivated", "no longer staff"])
def test_a_former_colleagues_feed_is_gone(client, people, change):
    editor = people[EDITORS]
    token = ReminderProfile.of(editor).calendar_token
    if change == "deactivated":
        editor.is_active = False
    else:
        editor.is_staff = False
    editor.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_unknown_tokens_are_404_and_the_feed_only_reads(client, people):
    token = ReminderProfile.of(people[VIEWERS]).calendar_token
    for address in ("/calendar/x.ics", f"/calendar/{token}x.ics", f"/calendar/{token[:-1]}.ics"):
        assert client.get(address).status_code == 404
    assert client.post(f"/calendar/{token}.ics").status_code == 405
    client.force_login(people["superuser"])
    # Logged in or not, the token alone decides, and another's token shows theirs.
    assert client.get("/calendar/x.ics").status_code == 404
    assert client.post(f"/calendar/{token}.ics").status_code == 405

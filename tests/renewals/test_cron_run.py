"""The command as cron runs it: a fresh process, SMTP from the DJANGO_EMAIL_* variables, its
own messages in the shell's language, exit status 1 when the mail server refuses."""

import pytest

from tests.commands import PRODUCTION, manage, scratch_database

SETUP = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from agreements.models import Agreement, Country, Institution, Region
from renewals.models import ReminderProfile

region = Region.objects.create(name="Test region {user}", slug="test-region-{user}")
country = Country.objects.create(name="Testland {user}", region=region)
institution = Institution.objects.create(
    name="University of Bordeaux", name_ja="ボルドー大学", slug="bordeaux-{user}", country=country
)
staff = get_user_model().objects.create_user(
    "{user}", email="{user}@example.ac.jp", is_staff=True
)
ReminderProfile.objects.create(user=staff, language="ja")
Agreement.objects.create(
    institution=institution,
    kind="{kind}",
    concluded_year=2010,
    end_date=timezone.localdate() + datetime.timedelta(days={days}),
    responsible_staff=staff,
)
"""


@pytest.fixture
def database(tmp_path):
    with scratch_database("reminders", tmp_path) as url:
        result = manage("migrate", "--verbosity=0", DATABASE_URL=url, **PRODUCTION)
        assert result.returncode == 0, result.stderr
        yield url


def test_a_cron_run_sends_through_the_configured_server_once(database, smtp_server):
    host, port, inbox = smtp_server
    environment = {
        **PRODUCTION,
        "DATABASE_URL": database,
        "DJANGO_EMAIL_HOST": host,
        "DJANGO_EMAIL_PORT": str(port),
        "DJANGO_DEFAULT_FROM_EMAIL": "Partnerships <partnerships@example.ac.jp>",
        "DJANGO_SITE_URL": "https://partners.example.ac.jp",
        "DJANGO_LOG_LEVEL": "WARNING",
        "LANG": "ja_JP.UTF-8",
    }
    made = manage("shell", "-c", SETUP.format(user="tanaka", kind="mou", days=20), **environment)
    assert made.returncode == 0, made.stderr

    first = manage("send_renewal_reminders", **environment)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("送信: ボルドー大学とのMOU")
    assert "30日前のお知らせ（宛先 tanaka@example.ac.jp (ja)）" in first.stdout
    [(subject, body)] = inbox.to("tanaka@example.ac.jp")
    assert subject.startswith("更新のお知らせ: ボルドー大学とのMOUが")
    assert "次の協定は20日後" in body
    assert str(inbox.messages[0][1]["From"]) == "Partnerships <partnerships@example.ac.jp>"

    again = manage("send_renewal_reminders", **environment)
    assert (again.returncode, again.stdout) == (0, "")
    assert len(inbox.messages) == 1

    # The server refuses the next one: status 1, the reason on stderr, sent next time.
    made = manage("shell", "-c", SETUP.format(user="suzuki", kind="sea", days=10), **environment)
    assert made.returncode == 0, made.stderr
    inbox.refuse.add("*")
    refused = manage("send_renewal_reminders", **environment)
    assert refused.returncode == 1
    assert "送れませんでした" in refused.stderr
    assert "次回の実行で再び送ります" in refused.stderr
    inbox.refuse.clear()
    retried = manage("send_renewal_reminders", **environment)
    assert retried.returncode == 0, retried.stderr
    assert len(inbox.to("suzuki@example.ac.jp")) == 1
    assert len(inbox.to("tanaka@example.ac.jp")) == 1

"""The command as cron runs it: a fresh process, SMTP from the DJANGO_EMAIL_* variables, its
own messages in the shell's language, exit status 1 when the mail server refuses."""

import pytest

from tests.commands import manage
from tests.renewals.cron import cron_environment, make_scenario, migrated_database


@pytest.fixture
def database(tmp_path):
    with migrated_database("reminders", tmp_path) as url:
        yield url


def test_a_cron_run_sends_through_the_configured_server_once(database, smtp_server):
    host, port, inbox = smtp_server
    environment = cron_environment(database, host, DJANGO_EMAIL_PORT=str(port))
    make_scenario(environment, user="tanaka", kind="mou", days=20)

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
    make_scenario(environment, user="suzuki", kind="sea", days=10)
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

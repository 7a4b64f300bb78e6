"""SMTP, the site's address and the reminder settings come from the environment, with
defaults; a value the settings cannot read stops the start with a message saying why."""

import json
import sys

import pytest

from tests.commands import PRODUCTION, run

READ = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
    "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.SITE_URL, "
    "list(s.RENEWAL_REMINDER_DAYS), s.RENEWAL_REMINDER_FALLBACK_EMAIL]))"
)


def start(read=READ, **env):
    """Start Django as a production server would, with ``env``, and print what it read."""
    return run(
        [sys.executable, "-c", read],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **env},
        timeout=60,
    )


def test_defaults_are_a_local_relay_and_the_three_windows():
    result = start()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "operations.mail.EmailBackend",
        "localhost",
        25,
        "",
        "",
        False,
        "partnerships@localhost",
        "",
        [180, 90, 30],
        "",
    ]


def test_the_environment_sets_each():
    result = start(
        DJANGO_EMAIL_HOST="smtp.example.ac.jp",
        DJANGO_EMAIL_PORT="587",
        DJANGO_EMAIL_HOST_USER="partnerships",
        DJANGO_EMAIL_HOST_PASSWORD="not-a-real-password",
        DJANGO_EMAIL_USE_TLS="true",
        DJANGO_DEFAULT_FROM_EMAIL="International Office <partnerships@example.ac.jp>",
        DJANGO_SITE_URL="https://partners.example.ac.jp/",
        RENEWAL_REMINDER_DAYS="30, 120,60",
        RENEWAL_REMINDER_FALLBACK_EMAIL="international-office@example.ac.jp",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "operations.mail.EmailBackend",
        "smtp.example.ac.jp",
        587,
        "partnerships",
        "not-a-real-password",
        True,
        "International Office <partnerships@example.ac.jp>",
        "https://partners.example.ac.jp",
        [120, 60, 30],
        "international-office@example.ac.jp",
    ]


@pytest.mark.parametrize(
    ("environment", "seconds"), [({}, 30), ({"DJANGO_EMAIL_TIMEOUT": " 45 "}, 45)]
)
def test_a_conversation_with_the_mail_server_takes_30_seconds_at_most_unless_set(
    environment, seconds
):
    result = start(
        read="import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_TIMEOUT)",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(seconds)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_EMAIL_PORT", "smtp", "DJANGO_EMAIL_PORT must be a port number from 1 to 65535"),
        ("DJANGO_EMAIL_PORT", "70000", "DJANGO_EMAIL_PORT must be a port number from 1 to 65535"),
        ("DJANGO_EMAIL_USE_TLS", "maybe", "DJANGO_EMAIL_USE_TLS must be 1 or 0"),
        ("DJANGO_EMAIL_TIMEOUT", "0", "DJANGO_EMAIL_TIMEOUT must be a number of seconds from 1"),
        ("DJANGO_EMAIL_TIMEOUT", "2.5", "DJANGO_EMAIL_TIMEOUT must be a number of seconds"),
        ("DJANGO_EMAIL_TIMEOUT", "3601", "DJANGO_EMAIL_TIMEOUT must be a number of seconds"),
        ("DJANGO_DEFAULT_FROM_EMAIL", "office", "DJANGO_DEFAULT_FROM_EMAIL must be an e-mail"),
        ("DJANGO_SITE_URL", "partners.example.ac.jp", "DJANGO_SITE_URL must be the site's"),
        ("RENEWAL_REMINDER_DAYS", "90,soon", "RENEWAL_REMINDER_DAYS must be whole numbers"),
        ("RENEWAL_REMINDER_DAYS", "90,0", "0 is not between 1 and 3650 days"),
        ("RENEWAL_REMINDER_DAYS", "90,-30", "must be whole numbers"),
        ("RENEWAL_REMINDER_DAYS", "90,90", "names 90 days twice"),
        ("RENEWAL_REMINDER_DAYS", " , ", "names no window"),
        ("RENEWAL_REMINDER_FALLBACK_EMAIL", "office@", "RENEWAL_REMINDER_FALLBACK_EMAIL must be"),
    ],
)
def test_a_value_it_cannot_read_is_a_clear_error_at_start(variable, value, message):
    result = start(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr

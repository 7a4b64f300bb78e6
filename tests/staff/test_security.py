"""Production settings: deploy checks pass, start-up refuses missing secrets, responses carry
the protective headers, and repeated wrong passwords lock out the attacker only."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.commands import PRODUCTION, SHARED_CACHE, manage
from tests.staff.admin_forms import PASSWORD, log_in, staff_user


def test_deploy_check_reports_nothing_with_debug_off():
    # With the cache every app server shares: without it the API's throttle counts per
    # process, and the check says so (tests/operations/test_checks.py).
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION, **SHARED_CACHE)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_would_speak_up_if_a_protection_were_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is not set"),
    ],
)
def test_start_up_stops_with_a_clear_message_when_a_setting_is_missing(missing, message):
    environment = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_proxy_header_is_configurable_and_checked():
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        **PRODUCTION,
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    wrong = manage("check", **PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="https")
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in shown.stdout
    assert "must be a header and a value" in wrong.stderr


@pytest.mark.django_db
def test_pages_carry_csp_hsts_and_refuse_framing(client):
    response = client.get(reverse("admin:login"), secure=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get(reverse("admin:login"))
        health = client.get("/healthz")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert health.status_code == 200


@pytest.mark.django_db
def test_behind_the_proxy_its_header_counts_as_https(client):
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        response = client.get(reverse("admin:login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_hidden_from_scripts(client, django_user_model):
    staff_user(django_user_model, "aiko")
    client.get(reverse("admin:login"), secure=True)
    response = log_in(client, "aiko")
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["csrftoken"]["secure"]


ATTACKER = "203.0.113.66"
OFFICE = "192.0.2.10"


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_out_the_attacker_not_the_office(client, django_user_model):
    from django.test import Client

    staff_user(django_user_model, "aiko")
    for _attempt in range(5):
        failed = log_in(client, "aiko", password="guess", address=ATTACKER)
        assert failed.status_code in (200, 429)
    locked = log_in(client, "aiko", password=PASSWORD, address=ATTACKER)

    office = Client()
    at_the_office = log_in(office, "aiko", address=OFFICE)

    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower()
    assert at_the_office.status_code == 302
    assert office.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_four_wrong_passwords_do_not_lock_anyone_out(client, django_user_model):
    staff_user(django_user_model, "aiko")
    for _attempt in range(4):
        assert log_in(client, "aiko", password="guess", address=ATTACKER).status_code == 200
    assert log_in(client, "aiko", address=ATTACKER).status_code == 302


@pytest.mark.django_db
def test_a_locked_out_address_can_still_log_in_as_another_user(client, django_user_model):
    staff_user(django_user_model, "aiko")
    staff_user(django_user_model, "ben")
    for _attempt in range(6):
        log_in(client, "aiko", password="guess", address=ATTACKER)
    assert log_in(client, "ben", address=ATTACKER).status_code == 302


@pytest.mark.parametrize("count", ["0", "-1", "one", "1.5"])
def test_a_proxy_count_that_makes_no_sense_stops_start_up(count):
    result = manage("check", DJANGO_PROXY_COUNT=count, **PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_PROXY_COUNT must be 1 or more" in result.stderr


LOCKOUT_BEHIND_PROXIES = """
import uuid
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

name = "proxy-" + uuid.uuid4().hex[:8]
get_user_model().objects.create_user(name, password=%(password)r, is_staff=True)


def log_in(forwarded, password):
    client = Client(HTTP_HOST="partners.example.ac.jp")
    data = {"username": name, "password": password, "next": "/admin/"}
    response = client.post("/admin/login/", data, REMOTE_ADDR="10.0.0.1",
                           HTTP_X_FORWARDED_FOR=forwarded)
    return response.status_code


attacker, colleague, proxies = %(attacker)r, %(colleague)r, %(proxies)r
for attempt in range(5):
    # Whatever the attacker writes in front, the address our proxies wrote counts.
    log_in(f"6.6.6.{attempt}, 203.0.113.{attempt}, {attacker}{proxies}", "guess")
print("ATTACKER", log_in(f"6.6.6.99, {attacker}{proxies}", %(password)r))
print("COLLEAGUE", log_in(f"192.168.1.20, {colleague}{proxies}", %(password)r))
print("COLLEAGUE-FORGED", log_in(f"{attacker}, {colleague}{proxies}", %(password)r))
print("RECORDED", *sorted(set(AccessAttempt.objects.filter(username=name)
                               .values_list("ip_address", flat=True))))
"""


@pytest.mark.parametrize(("count", "proxies"), [("1", ""), ("2", ", 10.0.0.2")])
def test_behind_proxies_an_attacker_locks_out_only_their_own_address(
    command_database, count, proxies
):
    """The lockout, end to end in a server process configured by DJANGO_PROXY_COUNT."""
    script = LOCKOUT_BEHIND_PROXIES % {
        "password": PASSWORD,
        "attacker": "9.9.9.9",
        "colleague": "8.8.8.8",
        "proxies": proxies,
    }
    result = manage(
        "shell",
        "-c",
        script,
        DATABASE_URL=command_database,
        DJANGO_PROXY_COUNT=count,
        DJANGO_SECURE_SSL_REDIRECT="0",
        # Debug only so that the login page needs no collected static files.
        **{**PRODUCTION, "DJANGO_DEBUG": "1"},
    )

    assert result.returncode == 0, result.stderr
    printed = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert printed["ATTACKER"] == "429"
    assert printed["COLLEAGUE"] == "302"
    assert printed["COLLEAGUE-FORGED"] == "302"
    assert printed["RECORDED"] == "9.9.9.9"


@pytest.mark.django_db
@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_is_by_the_forwarded_address(client, django_user_model):
    """Logins all come from the proxy; each client is the address it appended."""
    from django.test import Client

    proxy = "10.0.0.1"
    staff_user(django_user_model, "aiko")
    for attempt in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "aiko", "password": "guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"6.6.6.{attempt}, {ATTACKER}",
        )
    locked = Client().post(
        reverse("admin:login"),
        {"username": "aiko", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    office = Client().post(
        reverse("admin:login"),
        {"username": "aiko", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"172.16.0.4, {OFFICE}",
    )

    assert locked.status_code == 429
    assert office.status_code == 302

"""/healthz tells the load balancer whether this app server can reach its database."""

import json

import pytest

from tests.commands import PRODUCTION, manage

ASK_HEALTH = (
    "from django.test import Client; "
    "response = Client().get('/healthz', HTTP_HOST='partners.example.ac.jp'); "
    "print('STATUS', response.status_code, response.content.decode())"
)


@pytest.mark.django_db
def test_healthy_when_the_database_answers_without_login_or_caching(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unavailable_with_a_logged_json_line_when_the_database_is_unreachable():
    result = manage(
        "shell",
        "-c",
        ASK_HEALTH,
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2",
    )
    status_line = next(line for line in result.stdout.splitlines() if line.startswith("STATUS"))
    log_lines = [json.loads(line) for line in result.stderr.splitlines()]
    failure = next(line for line in log_lines if line["logger"] == "operations.views")

    assert status_line.startswith("STATUS 503")
    assert '"database": "unreachable"' in status_line
    assert failure["level"] == "ERROR"
    assert "database unreachable" in failure["message"]
    assert failure["time"].endswith("+09:00")

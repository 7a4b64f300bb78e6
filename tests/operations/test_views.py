"""/healthz tells the load balancer, within seconds, whether this app server can reach its
database, even when the database accepts connections and then never answers."""

import json
import socket
import threading
import time

import pytest
from django.db import connection

from tests.commands import PRODUCTION, manage

ASK_HEALTH = (
    "import time; from django.test import Client; started = time.monotonic(); "
    "response = Client().get('/healthz', HTTP_HOST='partners.example.ac.jp'); "
    "print('SECONDS', round(time.monotonic() - started, 2)); "
    "print('STATUS', response.status_code, response.content.decode())"
)


@pytest.mark.django_db
def test_healthy_when_the_database_answers_without_login_or_caching(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_check_uses_a_connection_of_its_own(client, django_assert_num_queries):
    # The pages' connection runs no query for it, and is left as it was.
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert connection.settings_dict["OPTIONS"].get("connect_timeout") is None


@pytest.fixture
def silent_database():
    """A TCP port that accepts connections and never says a word, like a hung database."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    for held in accepted:
        held.close()
    listener.close()


def _ask_health(database_url):
    started = time.monotonic()
    result = manage(
        "shell",
        "-c",
        ASK_HEALTH,
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
    )
    printed = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    logs = [json.loads(line) for line in result.stderr.splitlines()]
    return printed, logs, time.monotonic() - started


def test_a_database_that_never_answers_is_unavailable_within_five_seconds(silent_database):
    port, accepted = silent_database
    printed, logs, _whole_process = _ask_health(f"postgres://nobody@127.0.0.1:{port}/nothing")

    assert accepted, "the check never reached the silent database"
    assert printed["STATUS"].startswith("503")
    assert '"database": "unreachable"' in printed["STATUS"]
    assert float(printed["SECONDS"]) < 5
    failure = next(line for line in logs if line["logger"] == "operations.views")
    assert failure["level"] == "ERROR"
    assert "database unreachable" in failure["message"]
    assert failure["time"].endswith("+09:00")


def test_a_database_that_refuses_connections_is_unavailable_at_once():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    printed, logs, _whole_process = _ask_health(f"postgres://nobody@127.0.0.1:{port}/nothing")

    assert printed["STATUS"].startswith("503")
    assert float(printed["SECONDS"]) < 5
    assert any(line["logger"] == "operations.views" for line in logs)

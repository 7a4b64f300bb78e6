"""Database connections stay open between requests, as the environment asks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]

# Five requests as Django serves them (request_started, a query, request_finished): how many
# connections served them, and is one left open afterwards?
FIVE_REQUESTS = """
import json
import django
django.setup()
from django.core import signals
from django.db import connection

seen = []  # every connection object stays referenced, so no two can share an id

def request():
    signals.request_started.send(sender=None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_backend_pid()")  # the server's process for it
            seen.append(cursor.fetchone()[0])
        else:
            cursor.execute("SELECT 1")
            seen.append(connection.connection)
    signals.request_finished.send(sender=None)

for _ in range(5):
    request()
distinct = len({id(item) if not isinstance(item, int) else item for item in seen})
pool = getattr(connection, "pool", None)
print(json.dumps({
    "connections": distinct,
    "open_after_request": connection.connection is not None,
    "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
    "health_checks": connection.settings_dict["CONN_HEALTH_CHECKS"],
    "pool": type(pool).__name__ if pool else None,
    "pool_options": connection.settings_dict["OPTIONS"].get("pool"),
    "pool_stats": pool.get_stats() if pool else None,
}))
"""


@pytest.fixture
def database_url(db, tmp_path):
    """This run's database, as a URL a second process can open."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
            f"{settings['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'connections.sqlite3'}"


def serve_five_requests(database_url, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="connection-settings-test-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_LOG_LEVEL="WARNING",
        **env,
    )
    result = subprocess.run(  # noqa: S603 - our own settings with a fixed script
        [sys.executable, "-c", FIVE_REQUESTS],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result


def test_by_default_a_connection_serves_request_after_request(database_url):
    result = serve_five_requests(database_url)
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["connections"] == 1
    assert state["open_after_request"] is True
    assert state["conn_max_age"] == 600
    assert state["health_checks"] is True
    assert state["pool"] is None


def test_conn_max_age_nought_closes_the_connection_after_each_request(database_url):
    result = serve_five_requests(database_url, DJANGO_CONN_MAX_AGE="0")
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["connections"] == 5
    assert state["open_after_request"] is False


def test_the_pool_lends_its_connections_on_postgresql_and_is_refused_elsewhere(database_url):
    result = serve_five_requests(database_url, DJANGO_DB_POOL="1", DJANGO_DB_POOL_MAX_SIZE="3")
    if connection.vendor != "postgresql":
        assert result.returncode != 0
        assert "DJANGO_DB_POOL=1 needs PostgreSQL" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["pool"] == "ConnectionPool"
    assert state["conn_max_age"] == 0
    assert state["pool_options"] == {"min_size": 1, "max_size": 3, "timeout": 10.0}
    # The requests borrowed the pool's connections, which went back to it open: one opened
    # as the pool started, perhaps one more for the first request, not one a request.
    assert state["connections"] <= 2
    assert state["pool_stats"]["connections_num"] <= 2
    assert state["pool_stats"]["pool_available"] >= 1

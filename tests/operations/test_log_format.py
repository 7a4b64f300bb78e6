"""Logs are JSON lines on stderr, with local times and their offset; what a command prints on
stdout is only what it means to print, so `dumpdata > backup.json` is a valid backup."""

import datetime
import json
import logging
import socket
import subprocess
import urllib.request
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import RequestFactory

from operations.log_format import JsonLinesFormatter
from tests.commands import PRODUCTION, PROJECT, VENV_BIN, clean_environment, manage
from tests.importing import DATA

# The seed's two 2022 tables: 1,285 researchers from abroad, 3,032 going abroad.
SEED_RESEARCHERS = 1285 + 3032


def _log_lines(text):
    """Every line of ``text`` as JSON; fails on any line that is not one."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _offset_of_the_configured_zone(moment):
    return ZoneInfo(settings.TIME_ZONE).utcoffset(moment.replace(tzinfo=None))


def test_dumpdata_on_stdout_is_valid_json_at_the_default_log_level(command_database):
    result = manage("dumpdata", "exchanges", DATABASE_URL=command_database, DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    objects = json.loads(result.stdout)
    statistics = [obj for obj in objects if obj["model"] == "exchanges.exchangestatistic"]
    assert sum(obj["fields"]["researchers"] for obj in statistics) == SEED_RESEARCHERS
    # Whatever was logged went to stderr, as JSON lines.
    _log_lines(result.stderr)


def _with_every_query_logged(database, *args):
    # In debug, DEBUG level logs each SQL query: plenty of lines that must not reach stdout.
    return manage(*args, DATABASE_URL=database, DJANGO_DEBUG="1", DJANGO_LOG_LEVEL="DEBUG")


def test_with_every_query_logged_the_logs_go_to_stderr_and_stdout_stays_json(command_database):
    result = _with_every_query_logged(command_database, "dumpdata", "exchanges")

    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) > 0
    logs = _log_lines(result.stderr)
    assert any(line["logger"] == "django.db.backends" for line in logs)
    for line in logs:
        moment = datetime.datetime.fromisoformat(line["time"])
        assert moment.utcoffset() == _offset_of_the_configured_zone(moment)


def test_an_import_command_prints_its_report_first_and_logs_elsewhere(command_database):
    result = _with_every_query_logged(
        command_database,
        "import_statistics",
        str(DATA / "researchers-inbound-2022.csv"),
        *("--year", "2022", "--direction", "inbound", "--dry-run"),
    )

    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    assert printed
    assert not any(line.startswith('{"time"') for line in printed)
    assert any(line["logger"] == "django.db.backends" for line in _log_lines(result.stderr))


def test_a_log_level_that_does_not_exist_stops_start_up_with_a_message():
    result = manage("check", DJANGO_DEBUG="1", DJANGO_LOG_LEVEL="LOUD")
    assert result.returncode != 0
    assert "DJANGO_LOG_LEVEL must be one of" in result.stderr


def _format(**extra):
    record = logging.makeLogRecord(
        {"name": "django.server", "levelname": "INFO", "msg": "GET / 200", **extra}
    )
    return json.loads(JsonLinesFormatter(time_zone=settings.TIME_ZONE).format(record))


def test_objects_passed_along_are_never_written_as_their_repr():
    with socket.socket() as connection:
        line = _format(request=connection, server_time="24/Nov/2026 10:00:00", status_code=200)
    assert line == {
        "time": line["time"],
        "level": "INFO",
        "logger": "django.server",
        "message": "GET / 200",
        "server_time": "24/Nov/2026 10:00:00",
        "status": 200,
    }
    assert "socket" not in json.dumps(line)


def test_a_request_passed_along_becomes_its_method_and_path():
    request = RequestFactory().post("/admin/login/?next=/admin/")
    line = _format(request=request, status_code=403)
    assert (line["method"], line["path"], line["status"]) == ("POST", "/admin/login/", 403)
    assert "WSGIRequest" not in json.dumps(line)


def test_times_carry_the_offset_of_the_configured_time_zone():
    line = _format()
    moment = datetime.datetime.fromisoformat(line["time"])
    assert moment.utcoffset() == _offset_of_the_configured_zone(moment)
    assert abs(moment - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(seconds=5)


def test_gunicorn_logs_its_own_lines_and_each_request_as_json_on_stderr(command_database):
    environment = clean_environment(
        **PRODUCTION,
        DATABASE_URL=command_database,
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND="127.0.0.1:0",
        WEB_CONCURRENCY="1",
    )
    server = subprocess.Popen(  # noqa: S603 - gunicorn from this environment, fixed arguments
        [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = []
        for line in server.stderr:
            seen.append(line)
            if "Listening at:" in line:
                address = json.loads(line)["message"].split("Listening at: ")[1].split()[0]
            if "Booting worker" in line:
                break
        request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
            f"{address}/healthz?from=probe",
            headers={"Host": "partners.example.ac.jp", "User-Agent": "LogProbe/1.0"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            size = len(response.read())
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=30)

    assert stdout == ""
    logs = _log_lines("".join(seen) + stderr)
    assert any(line["logger"] == "gunicorn.error" for line in logs)
    (request_line,) = [line for line in logs if line["logger"] == "operations.requests"]
    assert request_line == {
        "time": request_line["time"],
        "level": "INFO",
        "logger": "operations.requests",
        "message": "GET /healthz 200",
        "method": "GET",
        "path": "/healthz",
        "query": "from=probe",
        "status": 200,
        "bytes": size,
        "duration_ms": request_line["duration_ms"],
        "user_agent": "LogProbe/1.0",
        "client": "127.0.0.1",
    }
    assert 0 < request_line["duration_ms"] < 30_000
    moment = datetime.datetime.fromisoformat(request_line["time"])
    assert moment.utcoffset() == _offset_of_the_configured_zone(moment)

"""Settings that let the site start but serve it wrongly are reported: `check --deploy` names
a page cache or an API throttle that each process keeps alone, and translation catalogs not
compiled or older than their .po; with debug off, the ones that would make pages wrong stop
every command that runs the system checks, and gunicorn, instead.

Measured before: with DJANGO_PUBLIC_CACHE_SECONDS=600 and no Redis, about 80% of requests kept
serving unpublished figures for minutes; without Redis the API's first 429 came at request 309
instead of 121; a deployment that skipped compiling the catalogs served Japanese pages half in
English. `check --deploy` said nothing of any of them.
"""

import contextlib
import io
import json
import os
import queue
import signal
import subprocess
import threading
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from operations.catalogs import compile_stale
from tests.commands import (
    PRODUCTION,
    PROJECT,
    SHARED_CACHE,
    VENV_BIN,
    clean_environment,
    manage,
    run,
)

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SHARED = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Never reached: a check looks at the setting, it does not connect.
        "LOCATION": SHARED_CACHE["REDIS_URL"],
    }
}
NONE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

PAGE_CACHE = "operations.E002"
THROTTLE_PER_PROCESS = "operations.W002"
THROTTLE_COUNTS_NOTHING = "operations.W003"


@pytest.fixture(autouse=True)
def no_async_unsafe_from_the_browser_tests(monkeypatch):
    """The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in their worker's
    environment (tests/browser/conftest.py); a deploy check run after them in that worker
    would stop on Django's own async.E001, as a server's never would."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def _check(*args):
    """What `manage.py check ARGS` says (its warnings), or its errors when it stops."""
    said = io.StringIO()
    try:
        call_command("check", *args, stdout=io.StringIO(), stderr=said)
    except SystemCheckError as error:
        return str(error), True
    return said.getvalue(), False


# The page cache


def test_a_page_cache_in_each_process_memory_stops_start_up():
    with override_settings(CACHES=LOCAL, PUBLIC_CACHE_SECONDS=600, DEBUG=False):
        said, stopped = _check()

    assert stopped
    assert PAGE_CACHE in said
    assert "Public pages are cached for 600 s (DJANGO_PUBLIC_CACHE_SECONDS) in each process's" in (
        said
    )
    assert "HINT: Set REDIS_URL to a Redis that every app server shares" in said


@pytest.mark.parametrize(
    ("caches", "seconds", "debug"),
    [
        pytest.param(SHARED, 600, False, id="shared"),
        pytest.param(LOCAL, 0, False, id="no-page-cache"),
        pytest.param(NONE, 600, False, id="a-cache-that-keeps-nothing"),
        pytest.param(LOCAL, 600, True, id="debug-one-process"),
    ],
)
def test_a_page_cache_every_process_shares_or_none_is_fine(caches, seconds, debug):
    with override_settings(CACHES=caches, PUBLIC_CACHE_SECONDS=seconds, DEBUG=debug):
        said, stopped = _check("--deploy")

    assert PAGE_CACHE not in said
    assert not stopped, said


# The API's throttle


def test_deploy_check_warns_of_a_throttle_that_counts_in_each_process():
    with override_settings(CACHES=LOCAL):
        said, stopped = _check("--deploy")
        everyday, _ = _check()

    assert not stopped, said
    assert THROTTLE_PER_PROCESS in said
    assert "The API's throttle (api.throttling.AnonymousRate) counts each address's" in said
    # Not at every start: too loose a limit serves nothing wrong.
    assert THROTTLE_PER_PROCESS not in everyday


def test_deploy_check_warns_of_a_throttle_that_counts_nothing():
    with override_settings(CACHES=NONE):
        said, _ = _check("--deploy")

    assert THROTTLE_COUNTS_NOTHING in said
    assert "no address is ever refused" in said


def test_a_shared_cache_satisfies_the_throttle_check():
    with override_settings(CACHES=SHARED):
        said, _ = _check("--deploy")

    assert THROTTLE_PER_PROCESS not in said
    assert THROTTLE_COUNTS_NOTHING not in said


# The translation catalogs


PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Published"
msgstr "公開"
"""


@pytest.fixture
def locale(tmp_path):
    po = tmp_path / "ja" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    with override_settings(LOCALE_PATHS=[tmp_path]):
        yield po


def test_a_catalog_not_compiled_stops_start_up_with_debug_off(locale):
    with override_settings(DEBUG=False):
        said, stopped = _check()

    assert stopped
    assert "operations.E001" in said
    assert f"The translation catalog {locale} is not compiled (no django.mo)" in said
    assert "HINT: Compile them: python -m operations.catalogs" in said


def test_a_catalog_older_than_its_po_stops_start_up_with_debug_off(locale):
    [mo] = compile_stale(locale.parents[2])
    later = mo.stat().st_mtime + 10
    os.utime(locale, (later, later))
    with override_settings(DEBUG=False):
        said, stopped = _check()

    assert stopped
    assert f"The translation catalog {locale} is newer than django.mo" in said


def test_with_debug_on_a_catalog_not_compiled_is_a_warning(locale):
    with override_settings(DEBUG=True):
        said, stopped = _check()

    assert not stopped, said
    assert "operations.W001" in said


def test_compiled_catalogs_are_fine(locale):
    compile_stale(locale.parents[2])
    with override_settings(DEBUG=False):
        said, stopped = _check("--deploy")

    assert "operations.E001" not in said
    assert not stopped, said


# As an operator's shell runs them


def test_the_real_deploy_check_names_a_cache_each_process_keeps_alone():
    warned = manage("check", "--deploy", **PRODUCTION)
    stopped = manage("check", "--deploy", **PRODUCTION, DJANGO_PUBLIC_CACHE_SECONDS="600")
    shared = manage("check", "--deploy", **PRODUCTION, **SHARED_CACHE)

    assert warned.returncode == 0, warned.stderr
    assert f"({THROTTLE_PER_PROCESS}) The API's throttle" in warned.stderr
    assert stopped.returncode != 0
    assert f"({PAGE_CACHE}) Public pages are cached for 600 s" in stopped.stderr
    assert shared.returncode == 0, shared.stderr
    assert "System check identified no issues (0 silenced)." in shared.stdout


def test_gunicorn_refuses_to_serve_with_a_page_cache_each_worker_keeps_alone():
    result = run(
        [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        env={
            **PRODUCTION,
            "DJANGO_PUBLIC_CACHE_SECONDS": "600",
            "GUNICORN_BIND": "127.0.0.1:0",
            "WEB_CONCURRENCY": "2",
        },
        timeout=60,
    )

    assert result.returncode != 0
    assert "System check identified errors; not serving:" in result.stderr
    assert f"({PAGE_CACHE}) Public pages are cached for 600 s" in result.stderr
    assert "Listening at" not in result.stderr


# config/gunicorn.conf.py with a hook that logs what the master has imported, and, from its
# second reading on (a HUP), settings under which the checks fail.
_GUNICORN_PROBE = """
import json, os, runpy, sys
from pathlib import Path

readings = Path(__file__).with_name("readings")
readings.write_text(readings.read_text() + "x" if readings.exists() else "x")
if len(readings.read_text()) > 1:
    os.environ["DJANGO_PUBLIC_CACHE_SECONDS"] = "600"
globals().update(
    (name, value)
    for name, value in runpy.run_path(PROJECT_CONFIG).items()
    if not name.startswith("__")
)


def when_ready(server):
    apps = sys.modules.get("django.apps")
    server.log.info("master: " + json.dumps({
        "apps_ready": bool(apps and apps.apps.ready),
        "modules": sorted(
            name for name in sys.modules if name.split(".")[0] in PROJECT_PACKAGES
        ),
    }))
"""
PROJECT_PACKAGES = {
    "agreements", "api", "config", "exchanges", "imports", "operations", "renewals", "staff",
}  # fmt: skip


@contextlib.contextmanager
def _probed_gunicorn(tmp_path, database):
    probe = tmp_path / "gunicorn_probe.py"
    probe.write_text(
        f"PROJECT_CONFIG = {str(PROJECT / 'config' / 'gunicorn.conf.py')!r}\n"
        f"PROJECT_PACKAGES = {PROJECT_PACKAGES!r}\n" + _GUNICORN_PROBE
    )
    server = subprocess.Popen(  # noqa: S603 - gunicorn from this environment, fixed arguments
        [str(VENV_BIN / "gunicorn"), "-c", str(probe), "config.wsgi"],
        cwd=PROJECT,
        env=clean_environment(
            **PRODUCTION,
            DATABASE_URL=database,
            DJANGO_SECURE_SSL_REDIRECT="0",
            GUNICORN_BIND="127.0.0.1:0",
            WEB_CONCURRENCY="1",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in server.stderr], daemon=True
    ).start()

    def until(wanted, timeout=60):
        """The message of the first log line from now on that starts with ``wanted``."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                break
            with contextlib.suppress(ValueError):
                message = json.loads(line).get("message", "")
                if message.startswith(wanted):
                    return message
        raise AssertionError(f"gunicorn never logged {wanted!r}")

    try:
        yield server, until
    finally:
        server.terminate()
        server.wait(timeout=30)


def _health(address):
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        f"{address}/healthz", headers={"Host": "partners.example.ac.jp"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def test_gunicorns_master_checks_in_another_process_and_imports_no_app(command_database, tmp_path):
    """Workers forked after a HUP, or when max_requests recycles one, import the code as it
    is then: the master holds only the settings (and the few modules they import, none of
    which imports Django's apps), never the apps, their models or their checks."""
    with _probed_gunicorn(tmp_path, command_database) as (_server, until):
        address = until("Listening at: ").split()[2]
        master = json.loads(until("master: ").removeprefix("master: "))
        until("Booting worker")
        assert _health(address) == 200

    assert master["apps_ready"] is False
    assert set(master["modules"]) <= {
        "config", "config.settings", "config.settings_parts", "config.settings_parts.api",
        "config.settings_parts.database", "config.settings_parts.environment",
        "config.settings_parts.mail", "config.settings_parts.security", "imports",
        "imports.limits", "operations", "operations.day_windows", "operations.log_format",
    }  # fmt: skip


def test_a_check_that_fails_on_reload_is_logged_and_the_site_keeps_serving(
    command_database, tmp_path
):
    """On HUP gunicorn reads its config again and runs on_reload: an error there used to
    end the master, and the site with it."""
    with _probed_gunicorn(tmp_path, command_database) as (server, until):
        address = until("Listening at: ").split()[2]
        until("Booting worker")
        server.send_signal(signal.SIGHUP)
        logged = until("System check identified errors on reload:")
        until("Booting worker")
        assert server.poll() is None
        assert _health(address) == 200

    assert f"({PAGE_CACHE}) Public pages are cached for 600 s" in logged

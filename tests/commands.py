"""Run the project's own commands in a fresh process, as an operator's shell would, against a
database of the suite's kind (SQLite, or PostgreSQL when DATABASE_URL says so)."""

import collections
import contextlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

# What a production server's environment holds (debug off, a key, its host name).
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "8d6#production-like-key-for-this-test-only-0f3a9c2e7b5d41f6a8",
    "DJANGO_ALLOWED_HOSTS": "partners.example.ac.jp",
}
# The cache every app server shares, as docs/operators/production.md sets it. Only for what
# never reaches the cache (``check``): anything that did would wait for a server that is not
# there.
SHARED_CACHE = {"REDIS_URL": "redis://cache.example.ac.jp:6379/0"}


def clean_environment(**env):
    """This process's environment without the project's settings, plus ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL", "RENEWAL_REMINDER_"))
    }
    environment.update(env)
    return environment


def run(command, *, env=None, input=None, timeout=120):
    """Run ``command`` (a list) in the project folder; never raises on a non-zero exit."""
    return subprocess.run(  # noqa: S603 - the project's own commands with fixed arguments
        command,
        cwd=PROJECT,
        env=clean_environment(**(env or {})),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage(*args, **env):
    """``python manage.py ARGS`` with only ``env`` set of the project's settings."""
    return run([sys.executable, "manage.py", *args], env=env)


def _worker():
    # pytest-xdist runs each worker in its own process; each gets its own databases.
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@contextlib.contextmanager
def scratch_database(label, folder):
    """Yield the DATABASE_URL of a new, empty database, removed afterwards.

    SQLite: a file in ``folder``. PostgreSQL: a database beside the suite's own, named for
    ``label`` and the xdist worker, so parallel workers never share one.
    """
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{Path(folder) / f'{label}.sqlite3'}"
        return
    parts = urlsplit(suite_url)
    name = f"{parts.path.lstrip('/')}_{label}_{_worker()}"[:63]
    url = urlunsplit(parts._replace(path=f"/{name}"))
    maintenance = urlunsplit(parts._replace(path="/postgres", query=""))
    _postgres(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(maintenance, f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        _postgres(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres(url, statement):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def gunicorn(*arguments, env, workers=1):
    """Serve the project as production does (gunicorn, config/gunicorn.conf.py), with ``env``,
    on a free port of 127.0.0.1; yield its base URL and its workers' process ids once each
    worker has booted. Its log lines (stderr) are read all along, so it never waits on a full
    pipe."""
    server = subprocess.Popen(  # noqa: S603 - gunicorn from this environment, fixed arguments
        [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", *arguments, "config.wsgi"],
        cwd=PROJECT,
        env=clean_environment(**env, GUNICORN_BIND="127.0.0.1:0", WEB_CONCURRENCY=str(workers)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        address, worker_ids, seen = None, [], []
        for line in server.stderr:
            seen.append(line)
            message = _message(line)
            if message.startswith("Listening at: "):
                address = message.split()[2]
            if message.startswith("Booting worker with pid: "):
                worker_ids.append(int(message.split()[-1]))
                if len(worker_ids) == workers:
                    break
        if address is None or len(worker_ids) < workers:
            raise RuntimeError("gunicorn did not start:\n" + "".join(seen))
        # Read (and drop) the rest of the log as it comes.
        threading.Thread(target=collections.deque, args=(server.stderr, 0), daemon=True).start()
        yield address, worker_ids
    finally:
        server.terminate()
        server.wait(timeout=30)


def _message(log_line):
    try:
        return json.loads(log_line).get("message", "")
    except ValueError:  # not a log line (a traceback, say)
        return ""

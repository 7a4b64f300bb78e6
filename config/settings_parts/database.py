"""The database: DATABASE_URL (default: a SQLite file in the project), its connections kept
open between requests or pooled."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .environment import BASE_DIR, env_bool

# Connections stay open from one request to the next: opening one costs about 2.5 ms on the
# same machine, more across a network, on every request. Either each worker thread keeps its
# own for DJANGO_CONN_MAX_AGE seconds, checked (SELECT 1) before a request reuses it, or, on
# PostgreSQL with DJANGO_DB_POOL=1, psycopg's pool lends the threads of a process the
# connections it keeps open (checked as they are lent).
DB_POOL = env_bool("DJANGO_DB_POOL", default=False)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Django refuses a pool with persistent connections: the pool keeps them instead.
        conn_max_age=0 if DB_POOL else int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite allows one writer at a time. A transaction that starts as a reader and writes
    # later fails at once ("database is locked") when another holds the write lock, so every
    # transaction takes the write lock as it begins, waiting up to `timeout` seconds for it
    # (as an import waits for the import lock on PostgreSQL): two imports, or an import and
    # an admin save, then run one after the other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )
if DB_POOL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DJANGO_DB_POOL=1 needs PostgreSQL (DATABASE_URL=postgres://...); "
            "unset it to keep one connection per worker thread instead."
        )
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX_SIZE", "4")),
        # Seconds a request waits for a free connection before it fails.
        "timeout": float(os.environ.get("DJANGO_DB_POOL_TIMEOUT", "10")),
    }

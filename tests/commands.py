"""Run the project's own commands in a fresh process, as an operator's shell would."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

# What a production server's environment holds (debug off, a key, its host name).
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "8d6#production-like-key-for-this-test-only-0f3a9c2e7b5d41f6a8",
    "DJANGO_ALLOWED_HOSTS": "partners.example.ac.jp",
}


def clean_environment(**env):
    """This process's environment without the project's settings, plus ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_URL"))
    }
    environment.update(env)
    return environment


def manage(*args, **env):
    """``python manage.py ARGS`` with only ``env`` set of the project's settings."""
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

"""DJANGO_API_ANON_RATE sets the API's throttle; a value it cannot read stops the start."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
READ_RATE = (
    "import django; django.setup(); from django.conf import settings; print(settings.API_ANON_RATE)"
)


def start(**env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="rate-setting-test-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="localhost",
        **env,
    )
    return subprocess.run(  # noqa: S603 - our own settings with a fixed script
        [sys.executable, "-c", READ_RATE],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_rate_comes_from_the_environment_with_a_default():
    assert start().stdout.strip() == "120/minute"
    assert start(DJANGO_API_ANON_RATE="30/hour").stdout.strip() == "30/hour"


def test_a_rate_it_cannot_read_is_a_clear_error_at_start():
    result = start(DJANGO_API_ANON_RATE="lots")
    assert result.returncode != 0
    assert "DJANGO_API_ANON_RATE must be a number of requests per" in result.stderr

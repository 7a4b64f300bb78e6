"""DJANGO_API_ANON_RATE sets the API's throttle; a value it cannot read stops the start."""

import sys

from tests.commands import PRODUCTION, run

READ_RATE = (
    "import django; django.setup(); from django.conf import settings; print(settings.API_ANON_RATE)"
)


def start(**env):
    """Start Django as a production server would, with ``env``, and print the rate it read."""
    return run(
        [sys.executable, "-c", READ_RATE],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **env},
        timeout=60,
    )


def test_the_rate_comes_from_the_environment_with_a_default():
    assert start().stdout.strip() == "120/minute"
    assert start(DJANGO_API_ANON_RATE="30/hour").stdout.strip() == "30/hour"


def test_a_rate_it_cannot_read_is_a_clear_error_at_start():
    result = start(DJANGO_API_ANON_RATE="lots")
    assert result.returncode != 0
    assert "DJANGO_API_ANON_RATE must be a number of requests per" in result.stderr

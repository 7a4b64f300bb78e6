"""The reminders command as cron runs it: a migrated database of its own, a scenario made in
it, and the environment a cron job would give the command."""

import contextlib

from tests.commands import PRODUCTION, manage, scratch_database

# One staff member (reminders in Japanese) responsible for one agreement ending in {days} days.
SETUP = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from agreements.models import Agreement, Institution
from places.models import Country, Region
from renewals.models import ReminderProfile

region = Region.objects.create(name="Test region {user}", slug="test-region-{user}")
country = Country.objects.create(name="Testland {user}", region=region)
institution = Institution.objects.create(
    name="University of Bordeaux", name_ja="ボルドー大学", slug="bordeaux-{user}", country=country
)
staff = get_user_model().objects.create_user(
    "{user}", email="{user}@example.ac.jp", is_staff=True
)
ReminderProfile.objects.create(user=staff, language="ja")
Agreement.objects.create(
    institution=institution,
    kind="{kind}",
    concluded_year=2010,
    end_date=timezone.localdate() + datetime.timedelta(days={days}),
    responsible_staff=staff,
)
"""


@contextlib.contextmanager
def migrated_database(label, folder):
    """DATABASE_URL of a new database, migrated by `manage.py migrate` in a fresh process."""
    with scratch_database(label, folder) as url:
        result = manage("migrate", "--verbosity=0", DATABASE_URL=url, **PRODUCTION)
        assert result.returncode == 0, result.stderr
        yield url


def cron_environment(database, host, **settings):
    """A production environment sending through ``host`` in a Japanese shell, plus ``settings``."""
    return {
        **PRODUCTION,
        "DATABASE_URL": database,
        "DJANGO_EMAIL_HOST": host,
        "DJANGO_DEFAULT_FROM_EMAIL": "Partnerships <partnerships@example.ac.jp>",
        "DJANGO_SITE_URL": "https://partners.example.ac.jp",
        "DJANGO_LOG_LEVEL": "WARNING",
        "LANG": "ja_JP.UTF-8",
        **settings,
    }


def make_scenario(environment, **values):
    """SETUP run by `manage.py shell` in ``environment``."""
    made = manage("shell", "-c", SETUP.format(**values), **environment)
    assert made.returncode == 0, made.stderr

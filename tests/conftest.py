import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from operations.catalogs import compile_stale
from tests.seeding import load_seed

# Property-based tests: a few examples each in the everyday suite, many on request
# (HYPOTHESIS_PROFILE=thorough bash bin/test tests/test_no_server_errors.py).
_HYPOTHESIS = {
    "deadline": None,  # a page's time depends on the machine's load, not on the example
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
hypothesis_settings.register_profile("quick", max_examples=3, **_HYPOTHESIS)
hypothesis_settings.register_profile("thorough", max_examples=100, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def pytest_configure(config):
    """Compile the translation catalogs whose .po is newer than their .mo, so that ``pytest``
    alone reads the catalog as it is (bin/test compiles them too, through bin/_venv)."""
    compile_stale()
    # Commands speak the shell's language (operations/commands.py): the suite runs them in
    # English whatever the developer's locale, and sets LANG where it wants Japanese.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"


@pytest.fixture
def seed(db):
    """The fact sheet's curated data, as `python manage.py loaddata seed` loads it (written
    faster: tests/seeding.py)."""
    load_seed()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file of this worker's own, not in memory: threads that
    write at the same moment (tests/imports/test_concurrency.py) then meet SQLite's write lock
    as production does, instead of an in-memory database's table locks."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")  # per xdist worker
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashing():
    """Test users' passwords hashed in a thousandth of production's time (tests/hashers.py)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["tests.hashers.QuickPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def plain_http_for_tests():
    """The test client and live server speak plain HTTP; production's redirect to HTTPS is
    tested on its own in tests/staff/test_security.py."""
    from django.test import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True)
def static_files_without_collectstatic(settings):
    """Serve static files from the source folders, so tests never need `collectstatic`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise then finds the files where they are instead of in an uncollected STATIC_ROOT.
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads waiting for confirm go to a per-test folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    """Agreements' documents go to a per-test folder, never into the project's documents/."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture(autouse=True)
def content_types_read_afresh_when_a_test_commits(request):
    """Django caches each model's content type, ids included, for the whole process. A test
    rolled back at its end can leave an id in that cache whose row went with the rollback;
    the next test that commits for real (a live server's admin save) then wrote that id into
    the admin log and failed on its foreign key, far from the cause, and only in some orders
    of the suite. Tests that commit start from the database's own content types."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def command_database(tmp_path_factory):
    """DATABASE_URL of a database with the seed data, for commands run in a fresh process
    (the suite's own test database is not visible to them: in memory, or uncommitted)."""
    from tests.commands import PRODUCTION, manage, scratch_database

    with scratch_database("commands", tmp_path_factory.mktemp("commands")) as url:
        for command in (["migrate"], ["loaddata", "seed"]):
            result = manage(*command, "--verbosity=0", DATABASE_URL=url, **PRODUCTION)
            assert result.returncode == 0, result.stderr
        yield url


@pytest.fixture
def as_role(client, django_user_model):
    """Log the test client in as a new staff user in the given role's group."""
    from tests.staff.admin_forms import log_in, staff_user

    def logged_in(group):
        staff_user(django_user_model, group.lower(), group=group)
        log_in(client, group.lower())
        return client

    return logged_in


@pytest.fixture(autouse=True)
def language_reset_after_each_test():
    """A request in Japanese leaves Japanese active in the thread (Django's LocaleMiddleware
    activates a language and never deactivates it): the next test, reversing an address
    outside any request, would get /ja/ ones."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def api_allowance_whole():
    """Each test starts with the API's whole allowance for anonymous clients. The throttle
    counts requests in Django's cache, which lives as long as the test process: a test that
    opens the API's documentation page (the accessibility audit) was refused 429 when earlier
    tests in the same worker had used the minute's 120 requests from 127.0.0.1."""
    from django.core.cache import cache

    from api.throttling import AnonymousRate

    for client in ("127.0.0.1", "::1"):
        cache.delete(AnonymousRate.cache_format % {"scope": AnonymousRate.scope, "ident": client})

import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The fact sheet's curated data, as `python manage.py loaddata seed` loads it."""
    call_command("loaddata", "seed", verbosity=0)


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

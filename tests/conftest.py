import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The fact sheet's curated data, as `python manage.py loaddata seed` loads it."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads waiting for confirm go to a per-test folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

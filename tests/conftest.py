import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The fact sheet's curated data, as `python manage.py loaddata seed` loads it."""
    call_command("loaddata", "seed", verbosity=0)

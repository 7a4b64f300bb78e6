import pytest

from tests.staff.admin_forms import log_in, staff_user


@pytest.fixture
def as_role(client, django_user_model):
    """Log the test client in as a new staff user in the given role's group."""

    def logged_in(group):
        staff_user(django_user_model, group.lower(), group=group)
        log_in(client, group.lower())
        return client

    return logged_in

"""Spreadsheet import and export belong to Importers: the others see no button and get 403.

Needs the admin import/export URLs of issue 3; enabled by removing it from ``collect_ignore``
in tests/conftest.py once they are merged.
"""

import pytest
from django.urls import reverse

from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.staff.admin_forms import log_in, staff_user

pytestmark = pytest.mark.django_db

MODELS = [
    ("agreements", "institution"),
    ("agreements", "agreement"),
    ("agreements", "strategicpartnership"),
    ("agreements", "onsitelaboratory"),
    ("exchanges", "exchangestatistic"),
]


def _logged_in(client, django_user_model, group):
    staff_user(django_user_model, group.lower(), group=group)
    assert log_in(client, group.lower()).status_code == 302
    return client


@pytest.mark.parametrize(("app", "model"), MODELS)
@pytest.mark.parametrize("group", [EDITORS, VIEWERS])
def test_without_import_permission_no_button_and_403(client, django_user_model, group, app, model):
    client = _logged_in(client, django_user_model, group)
    import_url = reverse(f"admin:{app}_{model}_import")
    export_url = reverse(f"admin:{app}_{model}_export")

    changelist = client.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()

    assert import_url not in changelist
    assert export_url not in changelist
    assert client.get(import_url).status_code == 403
    assert client.post(import_url, {}).status_code == 403
    assert client.get(export_url).status_code == 403
    assert client.post(export_url, {"format": "0"}).status_code == 403


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_importers_see_both_buttons_and_open_both_forms(client, django_user_model, app, model):
    client = _logged_in(client, django_user_model, IMPORTERS)
    import_url = reverse(f"admin:{app}_{model}_import")
    export_url = reverse(f"admin:{app}_{model}_export")

    changelist = client.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()

    assert import_url in changelist
    assert export_url in changelist
    assert client.get(import_url).status_code == 200
    assert client.get(export_url).status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, app, model):
    for view in ["import", "export"]:
        response = client.get(reverse(f"admin:{app}_{model}_{view}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("group", [EDITORS, IMPORTERS, VIEWERS])
def test_every_role_may_read_the_import_records_but_not_change_them(
    client, django_user_model, group
):
    client = _logged_in(client, django_user_model, group)

    assert client.get(reverse("admin:imports_importrecord_changelist")).status_code == 200
    assert client.get(reverse("admin:imports_importrecord_add")).status_code == 403

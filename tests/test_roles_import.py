"""Importing into a model needs the rights to add and change it: per role, every model's import
and confirm addresses by direct GET and POST, not only the buttons a role sees."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.importing import upload_content
from tests.staff.admin_forms import log_in, staff_user

pytestmark = pytest.mark.django_db

# The records Importers keep, and the reference data only a superuser changes.
EDITED = [
    ("agreements", "institution"),
    ("agreements", "agreement"),
    ("agreements", "strategicpartnership"),
    ("agreements", "partnershipevent"),
    ("agreements", "onsitelaboratory"),
    ("exchanges", "exchangestatistic"),
]
REFERENCE = [("places", "region"), ("places", "country"), ("agreements", "programme")]
EVERY_MODEL = EDITED + REFERENCE
# A file each model's first import resource reads (content does not matter for 403s).
SAMPLE = b"Academic year,Direction,Country/Region,Researchers\n2031,inbound,Japan,1\n"


def _logged_in(client, django_user_model, group):
    if group == "superuser":
        django_user_model.objects.create_superuser("root", password="pw-not-needed-123")
        client.force_login(django_user_model.objects.get(username="root"))
        return client
    staff_user(django_user_model, group.lower(), group=group)
    assert log_in(client, group.lower()).status_code == 302
    return client


def _model(app, model):
    from django.apps import apps

    return apps.get_model(app, model)


def _may_import(group, app, model):
    return group == "superuser" or (group == IMPORTERS and (app, model) in EDITED)


@pytest.mark.parametrize(("app", "model"), EVERY_MODEL)
@pytest.mark.parametrize("group", [EDITORS, IMPORTERS, VIEWERS, "superuser"])
def test_import_addresses_answer_each_role_by_its_rights(
    client, django_user_model, group, app, model
):
    client = _logged_in(client, django_user_model, group)
    import_url = reverse(f"admin:{app}_{model}_import")
    confirm_url = reverse(f"admin:{app}_{model}_process_import")
    changelist = client.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()
    may = _may_import(group, app, model)

    assert (import_url in changelist) is may
    assert client.get(import_url).status_code == (200 if may else 403)
    posted = upload_content(client, _model(app, model), "sample.csv", SAMPLE)
    assert posted.status_code == (200 if may else 403)
    confirm = client.post(
        confirm_url,
        {"import_file_name": "0" * 32, "original_file_name": "sample.csv", "format": "0"},
    )
    assert confirm.status_code == (302 if may else 403)  # allowed: "no longer available"
    assert client.get(confirm_url).status_code == (405 if may else 403)


@pytest.mark.parametrize(("app", "model"), EVERY_MODEL)
@pytest.mark.parametrize("group", [EDITORS, IMPORTERS, VIEWERS])
def test_export_is_for_importers_of_every_model(client, django_user_model, group, app, model):
    client = _logged_in(client, django_user_model, group)
    export_url = reverse(f"admin:{app}_{model}_export")
    status = 200 if group == IMPORTERS else 403

    assert client.get(export_url).status_code == status
    assert client.post(export_url, {"format": "0"}).status_code == status


def test_importers_hold_no_import_permission_on_reference_data():
    codenames = set(
        Group.objects.get(name=IMPORTERS).permissions.values_list("codename", flat=True)
    )
    assert {
        "import_region",
        "import_country",
        "import_countryalias",
        "import_programme",
    }.isdisjoint(codenames)
    assert {f"import_{model}" for _app, model in EDITED} <= codenames


@pytest.mark.parametrize(("app", "model"), EVERY_MODEL)
def test_anonymous_visitors_are_sent_to_the_login_page(client, app, model):
    for view in ["import", "export", "process_import"]:
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
    assert client.post(reverse("admin:imports_importrecord_add"), {}).status_code == 403

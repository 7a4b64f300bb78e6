"""Each staff role, as a real user in its group who logs in, can do its job and no more."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.urls import reverse

from agreements.models import Programme
from staff.roles import EDITORS, IMPORTERS, VIEWERS, roles_create
from tests.factories import (
    make_agreement,
    make_country,
    make_institution,
    make_statistic,
    make_strategic_partnership,
)
from tests.staff.admin_forms import change_form_data, log_in, staff_user

pytestmark = pytest.mark.django_db

EDITED = ["institution", "agreement", "strategicpartnership", "exchangestatistic"]
REFERENCE = ["region", "country", "programme"]


@pytest.fixture
def records():
    institution = make_institution(name="Role Test University")
    return {
        "institution": institution,
        "agreement": make_agreement(institution=institution),
        "strategicpartnership": make_strategic_partnership(institution=institution),
        "exchangestatistic": make_statistic(country=institution.country),
        "country": institution.country,
        "region": institution.country.region,
        "programme": Programme.objects.create(slug="test-programme", name="Test programme"),
    }


def _url(model, view, *args):
    app = {"exchangestatistic": "exchanges", "region": "places", "country": "places"}.get(
        model, "agreements"
    )
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def _logged_in(client, django_user_model, group):
    staff_user(django_user_model, group.lower(), group=group)
    response = log_in(client, group.lower())
    assert response.status_code == 302, "the role's user could not log in"
    return client


def test_migration_creates_the_three_groups_and_none_may_manage_users():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITORS, IMPORTERS, VIEWERS}
    assert not Permission.objects.filter(
        group__name__in=[EDITORS, IMPORTERS, VIEWERS], content_type__app_label="auth"
    ).exists()


# Each group's rights as the staff migrations gave them when the apps' rules were still written
# in staff: (app, permission), regions and countries since under places, which took over their
# permissions. Whatever declares them, a group has exactly these, no more.
VIEWED = (
    {
        ("agreements", f"view_{model}")
        for model in (
            "agreement",
            "agreementdocument",
            "institution",
            "onsitelaboratory",
            "partnershipevent",
            "programme",
            "strategicpartnership",
        )
    }
    | {("places", f"view_{model}") for model in ("country", "countryalias", "region")}
    | {
        ("exchanges", "view_exchangestatistic"),
        ("exchanges", "view_statisticsrelease"),
        ("imports", "view_importrecord"),
    }
)
KEPT_BY_EDITORS = {
    ("agreements", f"{action}_{model}")
    for action in ("add", "change", "delete")
    for model in (
        "agreement",
        "agreementdocument",
        "institution",
        "onsitelaboratory",
        "partnershipevent",
        "strategicpartnership",
    )
} | {
    ("exchanges", "add_exchangestatistic"),
    ("exchanges", "change_exchangestatistic"),
    ("exchanges", "delete_exchangestatistic"),
    ("exchanges", "publish_statisticsrelease"),
}
SPREADSHEETS = (
    {
        ("agreements", f"import_{model}")
        for model in (
            "agreement",
            "institution",
            "onsitelaboratory",
            "partnershipevent",
            "strategicpartnership",
        )
    }
    | {
        ("agreements", f"export_{model}")
        for model in (
            "agreement",
            "institution",
            "onsitelaboratory",
            "partnershipevent",
            "programme",
            "strategicpartnership",
        )
    }
    | {("places", f"export_{model}") for model in ("country", "countryalias", "region")}
    | {
        ("exchanges", "import_exchangestatistic"),
        ("exchanges", "export_exchangestatistic"),
    }
)
RIGHTS = {
    VIEWERS: VIEWED,
    EDITORS: VIEWED | KEPT_BY_EDITORS,
    IMPORTERS: VIEWED | KEPT_BY_EDITORS | SPREADSHEETS,
}


def _rights(group):
    return set(
        Permission.objects.filter(group__name=group).values_list(
            "content_type__app_label", "codename"
        )
    )


@pytest.mark.parametrize("group", [VIEWERS, EDITORS, IMPORTERS])
def test_each_group_has_exactly_its_rights(group):
    assert _rights(group) == RIGHTS[group]


@pytest.mark.parametrize("group", [VIEWERS, EDITORS, IMPORTERS])
def test_making_the_roles_again_changes_no_group(group):
    roles_create(apps)

    assert _rights(group) == RIGHTS[group]


def _applied_migrations():
    return set(MigrationRecorder(connection).applied_migrations())


@pytest.mark.django_db(transaction=True)
def test_a_model_a_new_app_declares_reaches_the_groups_at_migrate_with_no_staff_migration(
    settings,
):
    before = _applied_migrations()
    example = [*settings.INSTALLED_APPS, "tests.staff.roles_example"]
    with override_settings(INSTALLED_APPS=example):
        try:
            call_command("migrate", verbosity=0)

            assert _applied_migrations() - before == {("roles_example", "0001_initial")}
            delegation = {
                VIEWERS: {"view"},
                EDITORS: {"view", "add", "change", "delete"},
                IMPORTERS: {"view", "add", "change", "delete", "import", "export"},
            }
            for group, actions in delegation.items():
                assert _rights(group) == RIGHTS[group] | {
                    ("roles_example", f"{action}_delegation") for action in actions
                }
        finally:
            call_command("migrate", "roles_example", "zero", verbosity=0)


def test_a_group_changed_by_hand_has_its_rights_again_after_migrate():
    viewers = Group.objects.get(name=VIEWERS)
    viewers.permissions.add(Permission.objects.get(codename="delete_agreement"))
    Group.objects.get(name=EDITORS).delete()

    call_command("migrate", verbosity=0)

    for group in (VIEWERS, EDITORS, IMPORTERS):
        assert _rights(group) == RIGHTS[group]


def test_an_app_that_names_no_model_of_its_own_is_refused_at_start_up(monkeypatch):
    agreements, imports = apps.get_app_config("agreements"), apps.get_app_config("imports")
    monkeypatch.setattr(type(agreements), "staff_edited", ("institution", "institutions"))
    monkeypatch.setattr(type(imports), "staff_viewed", "importrecord")

    errors = {error.id: error.msg for error in run_checks(tags=["models"])}

    assert errors == {
        "staff.E001": "ImportsConfig.staff_viewed is 'importrecord'.",
        "staff.E002": "AgreementsConfig.staff_edited names 'institutions', which is no model "
        "of the app 'agreements'.",
    }


def test_viewers_only_read():
    codenames = set(Group.objects.get(name=VIEWERS).permissions.values_list("codename", flat=True))
    assert codenames
    assert {codename.split("_")[0] for codename in codenames} == {"view"}


def test_importers_are_editors_plus_import_and_export():
    editors = set(Group.objects.get(name=EDITORS).permissions.all())
    importers = set(Group.objects.get(name=IMPORTERS).permissions.all())
    extra = {permission.codename.split("_")[0] for permission in importers - editors}
    assert editors < importers
    assert extra == {"import", "export"}
    # Importing into a model needs the rights to add and change it.
    for permission in importers - editors:
        action, model = permission.codename.split("_", 1)
        if action == "import":
            assert {f"add_{model}", f"change_{model}"} <= {p.codename for p in importers}
    assert not any(p.codename.startswith(("import_", "export_")) for p in editors)


@pytest.mark.parametrize("group", [EDITORS, IMPORTERS])
@pytest.mark.parametrize("model", EDITED)
def test_editors_and_importers_keep_the_records(client, django_user_model, records, group, model):
    client = _logged_in(client, django_user_model, group)
    pk = records[model].pk
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "add")).status_code == 200
    change_page = client.get(_url(model, "change", pk))
    assert change_page.status_code == 200
    assert 'name="_save"' in change_page.content.decode()
    assert client.get(_url(model, "history", pk)).status_code == 200
    assert client.get(_url(model, "delete", pk)).status_code == 200


@pytest.mark.parametrize("group", [EDITORS, IMPORTERS, VIEWERS])
@pytest.mark.parametrize("model", REFERENCE)
def test_reference_data_is_read_only_for_every_role(
    client, django_user_model, records, group, model
):
    client = _logged_in(client, django_user_model, group)
    pk = records[model].pk
    assert client.get(_url(model, "changelist")).status_code == 200
    change_page = client.get(_url(model, "change", pk))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()
    assert client.get(_url(model, "add")).status_code == 403
    assert client.get(_url(model, "delete", pk)).status_code == 403


@pytest.mark.parametrize("model", EDITED + REFERENCE)
def test_viewers_see_records_and_history_but_cannot_change_them(
    client, django_user_model, records, model
):
    client = _logged_in(client, django_user_model, VIEWERS)
    pk = records[model].pk
    assert client.get(_url(model, "changelist")).status_code == 200
    change_page = client.get(_url(model, "change", pk))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()
    history = client.get(_url(model, "history", pk))
    assert history.status_code == 200
    assert client.get(_url(model, "add")).status_code == 403
    assert client.get(_url(model, "delete", pk)).status_code == 403
    assert client.post(_url(model, "delete", pk), {"post": "yes"}).status_code == 403


def test_a_viewer_cannot_save_a_change_or_revert(client, django_user_model, admin_client):
    agreement = make_agreement(concluded_year=2001)
    page = admin_client.get(_url("agreement", "change", agreement.pk))
    admin_client.post(
        _url("agreement", "change", agreement.pk), change_form_data(page, concluded_year="2002")
    )
    first_version = agreement.history.earliest("history_id")
    client = _logged_in(client, django_user_model, VIEWERS)

    refused = client.post(
        _url("agreement", "change", agreement.pk), change_form_data(page, concluded_year="1999")
    )
    revert_url = _url("agreement", "simple_history", agreement.pk, first_version.pk)
    revert_page = client.get(revert_url)

    assert refused.status_code == 403
    assert 'value="Revert"' not in revert_page.content.decode()
    assert client.post(revert_url, change_form_data(revert_page)).status_code == 403
    agreement.refresh_from_db()
    assert agreement.concluded_year == 2002


def test_an_editor_changes_an_agreement_through_the_admin(client, django_user_model):
    agreement = make_agreement(concluded_year=2001)
    client = _logged_in(client, django_user_model, EDITORS)
    page = client.get(_url("agreement", "change", agreement.pk))

    response = client.post(
        _url("agreement", "change", agreement.pk), change_form_data(page, concluded_year="2003")
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.concluded_year == 2003
    assert agreement.history.latest("history_id").history_user.username == "editors"


@pytest.mark.parametrize("group", [EDITORS, IMPORTERS, VIEWERS])
def test_only_a_superuser_manages_users(client, django_user_model, admin_client, group):
    client = _logged_in(client, django_user_model, group)
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
    ]:
        assert client.get(url).status_code == 403
        assert admin_client.get(url).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index


def test_a_staff_user_in_no_group_sees_no_records(client, django_user_model):
    staff_user(django_user_model, "newcomer", group=None)
    log_in(client, "newcomer")
    assert client.get(_url("institution", "changelist")).status_code == 403
    assert "You don’t have permission to view or edit anything" in (
        client.get(reverse("admin:index")).content.decode()
    )


def test_countries_can_be_listed_by_every_role_for_autocomplete(client, django_user_model):
    make_country(name="Autocompletia")
    client = _logged_in(client, django_user_model, EDITORS)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Autocomp",
            "app_label": "agreements",
            "model_name": "institution",
            "field_name": "country",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Autocompletia"]


def test_making_the_roles_in_a_running_process_leaves_every_app_dumpable(db, seed):
    """The tests (and any code) that make the roles with the project's own registry: dumpdata
    in the same process still finds every app's records (it once found none, and the documented
    backup came out empty)."""
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    roles_create(apps)
    dumped = io.StringIO()
    call_command("dumpdata", "places.region", stdout=dumped)

    assert '"model": "places.region"' in dumped.getvalue()
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before

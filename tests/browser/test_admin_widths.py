"""Every admin page fits a 1366 x 768 laptop screen without sideways scrolling, in Chromium.

The pages are read from the admin site's registry, so a model registered later is measured
too: each model's list, add form, change form (the record with the most inline rows), history
and one old version, for a Viewer here, in English and in Japanese (whose labels are wider);
a superuser's pages (every admin page) are measured by the accessibility audit at the laptop's
width, which opens them all anyway (tests/browser/test_accessibility.py). Screenshots of every
page go to test-artifacts/admin-widths/ (not in git), to look at what was measured.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import connections
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests.admin_records import MODELS, fullest
from tests.browser.admin_screens import (
    FORM_FIELDS,
    LAPTOP,
    LOCALES,
    PHONE,
    as_request,
    log_in,
    reads_as_text,
    sideways,
)
from tests.factories import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(model, user):
    """The admin's addresses for this model that the user may open, with a short name each."""
    opts = model._meta
    model_admin = admin.site._registry[model]
    name = f"admin:{opts.app_label}_{opts.model_name}"
    if not model_admin.has_view_or_change_permission(as_request(user)):
        return []
    pages = [("list", reverse(f"{name}_changelist"))]
    if model_admin.has_add_permission(as_request(user)):
        pages.append(("add", reverse(f"{name}_add")))
    record = fullest(model)
    if record is not None:
        pages.append(("change", reverse(f"{name}_change", args=[record.pk])))
        pages.append(("history", reverse(f"{name}_history", args=[record.pk])))
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = model.history.filter(**{opts.pk.attname: record.pk}).earliest("history_id")
            pages.append(
                ("version", reverse(f"{name}_simple_history", args=[record.pk, version.pk]))
            )
    return pages


@pytest.mark.parametrize("language", LOCALES)
def test_every_admin_page_a_viewer_opens_fits_a_laptop_screen(
    language, records, viewer, live_server, browser, artifacts
):
    user = viewer
    folder = artifacts / "admin-widths" / language / "viewer"
    folder.mkdir(parents=True, exist_ok=True)
    context, page = log_in(browser, live_server, user.username, LOCALES[language])
    measured, too_wide, editable = [], [], []
    for model in MODELS:
        for kind, path in _pages(model, user):
            response = page.goto(live_server.url + path)
            label = f"{model._meta.label} {kind} {path}"
            assert response.status == 200, label
            assert page.locator("html").get_attribute("lang") == language, label
            page.screenshot(path=folder / f"{model._meta.label_lower}-{kind}.png", full_page=True)
            measured.append(label)
            too_wide.extend(f"{label}: {found}" for found in sideways(page))
            # A record the user may not change, and any old version, are read as text.
            if reads_as_text(page, kind, model, user):
                editable.append(label)
    context.close()
    connections.close_all()
    # Every model the user may see was opened with a record in it.
    opened = {label.split()[0] for label in measured if " change " in label}
    visible = {model._meta.label for model in MODELS if _pages(model, user)}
    assert opened == visible
    assert not too_wide, "\n".join(too_wide)
    assert not editable, "Editable-looking fields on read-only pages:\n" + "\n".join(editable)


def test_an_old_version_reads_as_text_and_reverting_restores_it(
    live_server, browser, superuser, viewer
):
    agreement = make_agreement(concluded_year=2014, scope_note="Synthetic note, first version")
    first = agreement.history.get()
    agreement.concluded_year = 2015
    agreement.scope_note = "Synthetic note, second version"
    agreement.save()
    version_path = reverse(
        "admin:agreements_agreement_simple_history", args=[agreement.pk, first.history_id]
    )

    context, page = log_in(browser, live_server, viewer.username)
    page.goto(live_server.url + version_path)
    assert page.locator(FORM_FIELDS).count() == 0
    year = page.locator(".field-concluded_year div.readonly")
    assert year.inner_text() == "2014"
    assert page.locator("input[value=Revert]").count() == 0
    context.close()

    context, page = log_in(browser, live_server, superuser.username)
    page.goto(live_server.url + version_path)
    assert page.locator(FORM_FIELDS).count() == 0
    assert page.locator(".field-scope_note div.readonly").inner_text() == (
        "Synthetic note, first version"
    )
    with page.expect_navigation():
        page.locator("input[value=Revert]").first.click()
    context.close()
    agreement.refresh_from_db()
    assert (agreement.concluded_year, agreement.scope_note) == (
        2014,
        "Synthetic note, first version",
    )
    connections.close_all()


@pytest.mark.parametrize("language", LOCALES)
def test_the_reminders_and_calendar_page_fits_a_laptop_and_a_phone(
    language, live_server, browser, viewer, artifacts
):
    """The staff page outside the registry: its address box and its list of agreements with
    long names wrap at a phone's width too."""
    institution = make_agreement().institution
    institution.name = "Test University of Very Long Names and Synthetic Examples " * 3
    institution.name_ja = "テスト用のとても長い名前の大学" * 4
    institution.save()
    institution.agreements.update(
        responsible_staff=viewer, end_date=datetime.date.today() + datetime.timedelta(days=99)
    )
    folder = artifacts / "admin-widths" / language / "viewer"
    folder.mkdir(parents=True, exist_ok=True)
    context, page = log_in(browser, live_server, viewer.username, LOCALES[language])
    path = reverse("renewals:calendar")
    too_wide = []
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert page.locator("#feed-url").input_value().endswith(".ics")
        assert page.locator(".renewal-agreements li").count() == 1
        page.screenshot(path=folder / f"renewals-calendar-{name}.png", full_page=True)
        too_wide.extend(f"{path} [{name}]: {found}" for found in sideways(page))
    context.close()
    connections.close_all()
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("language", LOCALES)
def test_the_renewal_pages_fit_a_laptop_and_a_phone(language, live_server, browser, superuser):
    """The admin's home with its renewal dashboard, and an agreement's Renew page (outside the
    registry's pages), with long names, at a laptop's and a phone's width."""
    from django.utils import timezone

    soon = timezone.localdate() + datetime.timedelta(days=20)
    agreement = make_agreement(start_date=soon - datetime.timedelta(days=365 * 5), end_date=soon)
    region = agreement.institution.country.region
    region.name = "Test Region of Very Long Names for Synthetic Examples"
    region.name_ja = "テスト用のとても長い名前の地域" * 2
    region.save()
    context, page = log_in(browser, live_server, superuser.username, LOCALES[language])
    too_wide = []
    for path in (
        reverse("admin:index"),
        reverse("admin:agreements_agreement_renew", args=[agreement.pk]),
    ):
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            response = page.goto(live_server.url + path)
            assert response.status == 200
            too_wide.extend(
                f"{path} [{name}]: {found}"
                for found in sideways(page, admin_home=path == reverse("admin:index"))
            )
    assert page.locator("#id_start_date").count() == 1
    context.close()
    connections.close_all()
    assert not too_wide, "\n".join(too_wide)

"""Every admin page fits a 1366 x 768 laptop screen without sideways scrolling, in Chromium.

The pages are read from the admin site's registry, so a model registered later is measured
too: each model's list, add form, change form (the record with the most inline rows), history
and one old version, for a superuser and for a Viewer, in English and in Japanese (whose labels
are wider). Screenshots of every page go to test-artifacts/admin-widths/ (not in git), to look
at what was measured.
"""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connections
from django.db.models import Count
from django.forms.models import _get_foreign_key
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from agreements.models import (
    Agreement,
    AgreementDocument,
    DocumentKind,
    Institution,
    OnSiteLaboratory,
)
from imports.models import ImportRecord
from places.models import Country
from staff.roles import VIEWERS, roles_create
from tests.factories import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PASSWORD = "correct horse battery"
# The fields of a form, wherever the admin puts them: fieldsets and inlines.
FORM_FIELDS = "#content-main fieldset :is(input:not([type=hidden]), select, textarea)"

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def groups(db):
    # The groups a migration made are gone in a test after one that flushed the database.
    roles_create(apps)


@pytest.fixture
def records(seed, groups):
    """The seed, the roles' groups, and a record of each kind the seed has none of, so that
    every list has rows."""
    laboratory = OnSiteLaboratory.objects.create(
        name="Test laboratory of synthetic sciences (for the width tests)",
        slug="test-laboratory",
        departments="Test Department of Examples; Test Graduate School of Samples",
        country=Country.objects.get(name="France"),
        research_field="Synthetic test data and the measurement of page widths",
        established=datetime.date(2020, 4, 1),
        website="https://laboratory.example.org/",
        description="A synthetic laboratory, named as such.",
    )
    laboratory.partner_institutions.set(Institution.objects.filter(country__name="France")[:3])
    AccessFailureLog.objects.create(
        username="nobody",
        ip_address="192.0.2.10",
        user_agent="Test browser (synthetic)",
        http_accept="text/html",
        path_info="/admin/login/",
        locked_out=False,
    )
    ImportRecord.objects.create(
        kind="statistics",
        model_label="exchanges.exchangestatistic",
        file_name="test-researcher-counts-2022-inbound-synthetic-file-name.xlsx",
        file_size=12345,
        sha256="0" * 64,
        scope="2022 inbound",
        created_count=12,
        updated_count=3,
        unchanged_count=69,
        summary="12 new, 3 changed, 69 unchanged.",
    )
    _signed_documents(Agreement.objects.order_by("pk").first())
    # An old version of every record the pages open: one save adds a version after the first.
    for model in MODELS:
        record = _fullest(model)
        if record is not None and _has_history(model):
            record.save()


def _signed_documents(agreement):
    """A signed agreement and an amendment with long names, real PDFs in DOCUMENTS_ROOT: the
    agreement's page then has the widest documents table."""
    import hashlib
    import io

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from pypdf import PdfWriter

    for kind, title, name in [
        (DocumentKind.SIGNED, "", "学生交流協定書_署名済み_2024年4月1日_最終版_スキャン.pdf"),
        (
            DocumentKind.AMENDMENT,
            "Amendment 1: doctoral students and short-term research visits included",
            "Amendment-1-doctoral-students-and-short-term-research-visits-signed-copy.pdf",
        ),
    ]:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        content = buffer.getvalue()
        AgreementDocument.objects.create(
            agreement=agreement,
            kind=kind,
            title=title,
            signed_on=datetime.date(2024, 4, 1),
            file=ContentFile(content, name="upload.pdf"),
            original_name=name,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=timezone.now(),
        )


def _has_history(model):
    return hasattr(model, "history") and issubclass(model.history.model, HistoricalChanges)


def _fullest(model):
    """The record whose change form has the most inline rows (the widest, the longest)."""
    model_admin = admin.site._registry[model]
    records = model._default_manager.order_by("pk")
    counts = [
        Count(_get_foreign_key(model, inline.model, fk_name=inline.fk_name).related_query_name())
        for inline in model_admin.inlines
    ]
    if counts:
        records = records.annotate(_inline_rows=sum(counts[1:], counts[0]))
        records = records.order_by("-_inline_rows", "pk")
    return records.first()


def _as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _pages(model, user):
    """The admin's addresses for this model that the user may open, with a short name each."""
    opts = model._meta
    model_admin = admin.site._registry[model]
    name = f"admin:{opts.app_label}_{opts.model_name}"
    if not model_admin.has_view_or_change_permission(_as(user)):
        return []
    pages = [("list", reverse(f"{name}_changelist"))]
    if model_admin.has_add_permission(_as(user)):
        pages.append(("add", reverse(f"{name}_add")))
    record = _fullest(model)
    if record is not None:
        pages.append(("change", reverse(f"{name}_change", args=[record.pk])))
        pages.append(("history", reverse(f"{name}_history", args=[record.pk])))
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = model.history.filter(**{opts.pk.attname: record.pk}).earliest("history_id")
            pages.append(
                ("version", reverse(f"{name}_simple_history", args=[record.pk, version.pk]))
            )
    return pages


def _log_in(browser, live_server, username, locale="en-US"):
    # The browser's language is the admin's until staff choose one (Accept-Language).
    context = browser.new_context(viewport=LAPTOP, locale=locale)
    page = context.new_page()
    # A wrong password first, so that the login lockout's own tables have rows to list.
    for name, password in (("nobody", "wrong"), (username, PASSWORD)):
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", name)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("input[type=submit]")
    assert page.url == f"{live_server.url}{reverse('admin:index')}"
    return context, page


# What scrolls sideways: the page itself, or a box inside it that scrolls (Django's list
# scrolls its table inside the page, hiding columns at the right).
SIDEWAYS = """() => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) {
    found.push(`the page: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
  }
  const content = document.querySelector("#content");
  const padding = parseFloat(getComputedStyle(content).paddingRight);
  const edge = content.getBoundingClientRect().right - padding;
  const past = new Set();
  for (const box of content.querySelectorAll("*")) {
    const name = box.id ? `#${box.id}` : `${box.tagName.toLowerCase()}.${box.className}`;
    const overflow = getComputedStyle(box).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth) {
      found.push(`${name}: shows ${box.clientWidth} of ${box.scrollWidth} px`);
    }
    // Or sticks out of the page's content, under the edge of its module.
    const right = box.getBoundingClientRect().right;
    if (right > edge + 1) {
      past.add(box);
      if (!past.has(box.parentElement)) {
        found.push(`${name}: ends at ${Math.round(right)} px, past the content's ${edge} px`);
      }
    }
  }
  return found;
}"""


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "", PASSWORD)


@pytest.fixture
def viewer(django_user_model, groups):
    user = django_user_model.objects.create_user("reader", "", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=VIEWERS))
    return user


# Japanese labels are wider than English ones: every page is measured in both languages.
LOCALES = {"en": "en-US", "ja": "ja-JP"}


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("role", ["superuser", "viewer"])
def test_every_admin_page_fits_a_laptop_screen(
    role, language, request, records, live_server, browser, artifacts
):
    user = request.getfixturevalue(role)
    folder = artifacts / "admin-widths" / language / role
    folder.mkdir(parents=True, exist_ok=True)
    context, page = _log_in(browser, live_server, user.username, LOCALES[language])
    measured, too_wide, editable = [], [], []
    for model in MODELS:
        for kind, path in _pages(model, user):
            response = page.goto(live_server.url + path)
            label = f"{model._meta.label} {kind} {path}"
            assert response.status == 200, label
            assert page.locator("html").get_attribute("lang") == language, label
            page.screenshot(path=folder / f"{model._meta.label_lower}-{kind}.png", full_page=True)
            measured.append(label)
            too_wide.extend(f"{label}: {found}" for found in page.evaluate(SIDEWAYS))
            # A record the user may not change, and any old version, are read as text.
            read_only = kind == "version" or (
                kind == "change"
                and not admin.site._registry[model].has_change_permission(_as(user))
            )
            if read_only and page.locator(FORM_FIELDS).count():
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

    context, page = _log_in(browser, live_server, viewer.username)
    page.goto(live_server.url + version_path)
    assert page.locator(FORM_FIELDS).count() == 0
    year = page.locator(".field-concluded_year div.readonly")
    assert year.inner_text() == "2014"
    assert page.locator("input[value=Revert]").count() == 0
    context.close()

    context, page = _log_in(browser, live_server, superuser.username)
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


PHONE = {"width": 390, "height": 844}


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
    context, page = _log_in(browser, live_server, viewer.username, LOCALES[language])
    path = reverse("renewals:calendar")
    too_wide = []
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert page.locator("#feed-url").input_value().endswith(".ics")
        assert page.locator(".renewal-agreements li").count() == 1
        page.screenshot(path=folder / f"renewals-calendar-{name}.png", full_page=True)
        too_wide.extend(f"{path} [{name}]: {found}" for found in page.evaluate(SIDEWAYS))
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
    context, page = _log_in(browser, live_server, superuser.username, LOCALES[language])
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
                for found in page.evaluate(SIDEWAYS)
                # Django's home puts its recent actions in #content's right padding on purpose
                # (a negative margin): inside the screen, though past the content's edge.
                if not found.startswith("#content-related:")
            )
    assert page.locator("#id_start_date").count() == 1
    context.close()
    connections.close_all()
    assert not too_wide, "\n".join(too_wide)

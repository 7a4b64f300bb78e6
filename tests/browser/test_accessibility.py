"""WCAG 2.1 AA (JIS X 8341-3:2016) in Chromium: axe-core finds no violation on any page, and
every focus indicator has 3:1 contrast against what is behind it (WCAG 1.4.11). At the laptop's
width the admin's pages are also measured as tests/browser/test_admin_widths.py measures a
Viewer's: nothing scrolls sideways, an old version reads as text (one visit, both checks).

The pages come from the URLconf and the admin registry (tests/walking.py), so a new page is
audited as soon as it exists: every public page anonymously, every admin page as a superuser
(each model's list with its filters, add form, change form with its inlines filled, history,
an old version, delete confirmation, import page, export page; previews of real uploaded
files; the deleted records, the index, each app's page, login, password change), at a laptop's
and a phone's width. A pattern that is not a page (a download, a redirect, JSON) is named in
NOT_PAGES with the reason; any other pattern the audit does not open fails the test.

axe-core runs from the npm package's local file, never a CDN (tests/browser/axe.py).
"""

import datetime
import json

import pytest
from django.contrib import admin
from django.db import connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Agreement, AgreementKind, AgreementStatus, Institution
from exchanges.models import ExchangeStatistic, StatisticsRelease
from tests.admin_records import fullest
from tests.browser.admin_screens import FORM_FIELDS, LAPTOP, PASSWORD, sideways
from tests.browser.axe import axe_source, axe_violations
from tests.importing import DATA
from tests.walking import site_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The admin in each language, as the browser asks for it (Accept-Language).
ADMIN_LANGUAGES = {"en": "en-GB", "ja": "ja-JP"}
WIDTHS = {
    "laptop": {"viewport": LAPTOP},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}

# URL patterns that answer with something other than a page to read, by route name (or the
# end of one, after the model's name).
NOT_PAGES = {
    "healthz": "plain text for the load balancer",
    "logout": "POST only; answers with a redirect",
    "autocomplete": "JSON for the autocomplete boxes",
    "jsi18n": "a script",
    "view_on_site": "a redirect to the public page",
    "unnamed": "redirects (an old admin address, the catch-all)",
    "_import_template": "a spreadsheet download",
    "_process_import": "the confirm button's target: it imports and redirects to the list",
    "renewals_calendar_feed": "a staff member's iCalendar feed (text/calendar), for calendar apps",
    "agreement_document_download": "a PDF download (an agreement's signed document)",
}


def _not_a_page(name):
    return any(name == key or (key.startswith("_") and name.endswith(key)) for key in NOT_PAGES)


API_DOCS = "/api/v1/docs/"


def _api_data(route):
    """The open data API's addresses answer in JSON (the schema in YAML); its documentation
    page, Swagger UI, is audited like the other pages, once it has drawn the operations."""
    path = route.label.split()[1]
    return path.startswith("/api/") and path != API_DOCS


def _published_year():
    return StatisticsRelease.objects.order_by("-academic_year").values_list(
        "academic_year", flat=True
    )[0]


def _widest_institution():
    """The published institution with the most agreements: its table is the widest."""
    from django.db.models import Count

    return (
        Institution.objects.filter(is_published=True)
        .annotate(rows=Count("agreements"))
        .order_by("-rows", "pk")
        .first()
    )


def public_pages():
    """(route name, address) of every public page, slots filled with published records, plus
    the list filtered and refusing a filter."""
    slot_values = {
        "key": lambda: _widest_institution().slug,
        "year": lambda: str(_published_year()),
    }
    pages = []
    for route in site_routes():
        name = route.label.split()[0]
        if route.is_admin or _not_a_page(name) or _api_data(route):
            continue
        unknown = [slot.name for slot in route.slots if slot.name not in slot_values]
        assert not unknown, f"{route.label}: teach the audit a value for {unknown}"
        pages.append(
            (name, route.path({slot.name: slot_values[slot.name]() for slot in route.slots}))
        )
    # The list filtered, and refusing a filter, at its address in each language.
    for list_path in [path for name, path in pages if name == "list"]:
        pages.append(("list", f"{list_path}?region=europe&kind=sea"))
        pages.append(("list", f"{list_path}?concluded_after=2020&concluded_before=2010"))
    return pages


def _admin_name(model, view):
    return f"{model._meta.app_label}_{model._meta.model_name}_{view}"


def admin_pages(user):
    """(route name, address) of every admin page the user may open, read from the registry."""
    request = RequestFactory().get("/admin/")
    request.user = user
    refused = set()
    pages = [
        ("index", reverse("admin:index")),
        ("deleted_records", reverse("admin:deleted_records")),
        ("password_change", reverse("admin:password_change")),
        ("password_change_done", reverse("admin:password_change_done")),
        ("calendar", reverse("renewals:calendar")),
    ]
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        pages.append(("app_list", reverse("admin:app_list", args=[app_label])))
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        model_admin = admin.site._registry[model]
        views = ["changelist"]
        allowed = {"add": model_admin.has_add_permission(request)}
        if hasattr(model_admin, "import_action"):
            allowed["import"] = model_admin.has_import_permission(request)
        if hasattr(model_admin, "export_action"):
            allowed["export"] = model_admin.has_export_permission(request)
        views += [view for view, ok in allowed.items() if ok]
        refused |= {_admin_name(model, view) for view, ok in allowed.items() if not ok}
        pages += [
            (_admin_name(model, view), reverse(f"admin:{_admin_name(model, view)}"))
            for view in views
        ]
        record = fullest(model)
        assert record is not None, f"{model._meta.label}: the audit needs a record to open"
        views = ["change", "history"]
        if model_admin.has_delete_permission(request, record):
            views.append("delete")
        else:
            refused.add(_admin_name(model, "delete"))
        for view in views:
            name = _admin_name(model, view)
            pages.append((name, reverse(f"admin:{name}", args=[record.pk])))
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = model.history.filter(**{model._meta.pk.attname: record.pk}).earliest(
                "history_id"
            )
            name = _admin_name(model, "simple_history")
            pages.append((name, reverse(f"admin:{name}", args=[record.pk, version.pk])))
        if model is Agreement:
            # The Renew page, of an agreement in effect that has no successor yet.
            renewable = Agreement.objects.in_effect().filter(successor__isnull=True).first()
            name = _admin_name(model, "renew")
            pages.append((name, reverse(f"admin:{name}", args=[renewable.pk])))
        if model._meta.label == "auth.User":
            name = _admin_name(model, "password_change")
            pages.append((name, reverse(f"admin:{name}", args=[record.pk])))
    return pages, refused


# Previews of real files, as staff upload them: (model, file, form fields to fill).
PREVIEWS = [
    (Agreement, "memoranda-2024.csv", {}),
    (ExchangeStatistic, "researchers-inbound-2022.csv", {"#id_direction": "inbound"}),
    (ExchangeStatistic, "broken-country.csv", {"#id_direction": "inbound"}),
]


def _upload(page, base, model, file_name, choices):
    page.goto(base + reverse(f"admin:{_admin_name(model, 'import')}"))
    page.set_input_files("#id_import_file", str(DATA / file_name))
    if page.locator("#id_academic_year").count():
        page.fill("#id_academic_year", "2022")
    for selector, value in choices.items():
        page.select_option(selector, value)
    with page.expect_navigation():
        page.locator("form:has(#id_import_file) [type=submit]").first.click()


# Focus each element the keyboard reaches, after a Tab press has put the page in keyboard
# mode (so :focus-visible applies as it does for keyboard users), and compare the indicator's
# colour with the colour behind it: the nearest background, layers of transparency composed.
FOCUS_CONTRAST = """() => {
  const parse = (text) => {
    const m = text.match(/rgba?\\(([\\d.]+),? ([\\d.]+),? ([\\d.]+)(?:,? \\/? ?([\\d.]+))?\\)/);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const over = (top, below) => top.slice(0, 3).map(
    (c, i) => c * top[3] + below[i] * (1 - top[3])).concat([1]);
  const behind = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] === 1) break;
      }
    }
    return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const name = (element) => {
    let text = element.tagName.toLowerCase();
    if (element.id) return `${text}#${element.id}`;
    if (element.name) return `${text}[name=${element.name}]`;
    if (element.className && typeof element.className === "string") {
      text += "." + element.className.trim().split(/\\s+/).join(".");
    }
    const label = (element.textContent || "").trim().slice(0, 30);
    return label ? `${text} "${label}"` : text;
  };
  const reachable = [...document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex]")]
    .filter((element) => element.tabIndex >= 0 && !element.disabled
      && element.type !== "hidden" && element.getClientRects().length > 0
      && getComputedStyle(element).visibility !== "hidden");
  const found = [];
  for (const element of reachable) {
    element.focus();
    if (document.activeElement !== element) continue;
    const style = getComputedStyle(element);
    if (style.outlineStyle === "auto") {
      found.push(`${name(element)}: the browser's default ring, not a colour the site chose`);
      continue;
    }
    let indicator = null;
    let reach = 0;
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
      indicator = parse(style.outlineColor);
      reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
    } else if (style.boxShadow !== "none") {
      indicator = parse(style.boxShadow);
      reach = 1;
    }
    if (!element.matches(":focus-visible") || !indicator || indicator[3] === 0) {
      found.push(`${name(element)}: no focus indicator`);
      continue;
    }
    // What is painted just outside the element, where the ring is, on each of its sides.
    const box = element.getBoundingClientRect();
    const middle = [(box.left + box.right) / 2, (box.top + box.bottom) / 2];
    const sides = [[box.left - reach, middle[1]], [box.right + reach, middle[1]],
      [middle[0], box.top - reach], [middle[0], box.bottom + reach]];
    let worst = null;
    for (const [x, y] of sides) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const under = document.elementsFromPoint(x, y).find(
        (node) => node !== element && !element.contains(node));
      const background = behind(under || element.parentElement || element);
      const contrast = ratio(over(indicator, background), background);
      if (!worst || contrast < worst[0]) worst = [contrast, background];
    }
    if (!worst) worst = [ratio(indicator, behind(element.parentElement || element)),
      behind(element.parentElement || element)];
    if (worst[0] < 3) {
      const drawn = style.outlineStyle === "none" ? style.boxShadow : style.outlineColor;
      found.push(`${name(element)}: ${drawn} on `
        + `rgb(${worst[1].slice(0, 3).map(Math.round).join(", ")}) is `
        + `${worst[0].toFixed(2)}:1`);
    }
  }
  if (document.activeElement) document.activeElement.blur();
  return {checked: reachable.length, found};
}"""


def _focus(page, where):
    page.keyboard.press("Tab")
    result = page.evaluate(FOCUS_CONTRAST)
    # The same style fails on every row of a list: say it once a page, with how many.
    lines = {}
    for line in result["found"]:
        element, problem = line.split(": ", 1)
        lines.setdefault(problem, []).append(element)
    return result["checked"], [
        f"{where}: {problem} ({elements[0]}"
        + (f" and {len(elements) - 1} more)" if len(elements) > 1 else ")")
        for problem, elements in lines.items()
    ]


def _report(kind, audited, violations):
    assert audited, "No page was audited"
    # Every page has something the keyboard reaches (the skip link, the header's links).
    unreached = [where for where, checked in audited if not checked]
    assert not unreached, "No focusable element found on:\n" + "\n".join(unreached)
    assert not violations, f"{len(violations)} {kind} on {len(audited)} pages:\n" + "\n".join(
        violations
    )


def _check(page, response_or_none, where, source, audited, violations):
    if response_or_none is not None:
        assert response_or_none.status == 200, f"{where}: {response_or_none.status}"
    violations += axe_violations(page, source, where)
    checked, problems = _focus(page, where)
    violations += problems
    audited.append((where, checked))


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_meet_wcag_21_aa(width, live_server, seed, browser):
    source = axe_source()
    context = browser.new_context(**WIDTHS[width])
    page = context.new_page()
    audited, violations = [], []
    pages = public_pages()
    for _name, path in pages:
        response = page.goto(live_server.url + path)
        # The Content-Security-Policy is on while axe runs: the audit sees the page as served.
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if path == API_DOCS:  # drawn by script after the schema arrives
            page.locator(".opblock-summary-path").first.wait_for(timeout=15000)
        _check(page, response, f"{path} [{width}]", source, audited, violations)
    context.close()
    connections.close_all()
    assert {name for name, _ in pages} >= {"home", "list", "institution-detail", "fact-sheet"}
    _report("accessibility problems", audited, violations)


# The admin's pages are audited in shards, so that the suite's workers share them: each
# shard is about a minute of a worker's time at one width in one language.
ADMIN_SHARDS = 3


def _admin_audit_setup(responsible):
    # A change in the memoranda file, so that its preview shows a row to change.
    bordeaux = Agreement.objects.get(
        institution__name="University of Bordeaux",
        kind=AgreementKind.MOU,
        status=AgreementStatus.IN_EFFECT,
    )
    bordeaux.concluded_year -= 1
    # The superuser is responsible for it: their reminders page lists it with its dates.
    bordeaux.responsible_staff = responsible
    bordeaux.end_date = timezone.localdate() + datetime.timedelta(days=100)
    bordeaux.save()


@pytest.mark.parametrize("shard", range(ADMIN_SHARDS))
@pytest.mark.parametrize("language", ADMIN_LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_admin_pages_meet_wcag_21_aa(
    width,
    language,
    shard,
    records,
    superuser,
    live_server,
    browser,
    artifacts,
):
    source = axe_source()
    base = live_server.url
    _admin_audit_setup(superuser)
    # Staff read the admin in their browser's language.
    context = browser.new_context(**WIDTHS[width], locale=ADMIN_LANGUAGES[language])
    page = context.new_page()
    audited, violations = [], []
    where = f"{width}, {language}"
    # The login page, anonymously, with a wrong password first: the lockout's lists get rows.
    for username, password in (("nobody", "wrong"), (superuser.username, PASSWORD)):
        response = page.goto(base + reverse("admin:login"))
        if username == "nobody" and shard == 0:
            _check(page, response, f"/admin/login/ [{where}]", source, audited, violations)
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("input[type=submit]")
    assert page.url == base + reverse("admin:index")
    assert page.locator("html").get_attribute("lang").startswith(language)

    pages, _refused = admin_pages(superuser)
    too_wide, editable = [], []
    folder = artifacts / "admin-widths" / language / "superuser"
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in pages[shard::ADMIN_SHARDS]:
        response = page.goto(base + path)
        _check(page, response, f"{path} [{where}]", source, audited, violations)
        assert page.locator("html").get_attribute("lang").startswith(language), path
        if width == "laptop":
            # What tests/browser/test_admin_widths.py measures on a Viewer's pages.
            page.screenshot(path=folder / f"{name}.png", full_page=True)
            admin_home = path == reverse("admin:index")
            too_wide += [f"{path}: {found}" for found in sideways(page, admin_home=admin_home)]
            # An old version reads as text (a superuser may change every record itself).
            if name.endswith("_simple_history") and page.locator(FORM_FIELDS).count():
                editable.append(path)
    for model, file_name, choices in PREVIEWS[shard::ADMIN_SHARDS]:
        _upload(page, base, model, file_name, choices)
        preview = f"preview of {file_name} [{where}]"
        assert page.locator("#content").count(), preview
        _check(page, None, preview, source, audited, violations)
        if width == "laptop":
            too_wide += [f"{preview}: {found}" for found in sideways(page)]
    context.close()
    connections.close_all()
    _report("accessibility problems", audited, violations)
    assert not too_wide, "Sideways scrolling at 1366 x 768:\n" + "\n".join(too_wide)
    assert not editable, "Editable-looking fields on read-only pages:\n" + "\n".join(editable)


def test_the_admin_audit_opens_every_admin_page(
    client,
    records,
    superuser,
):
    """Every admin URL pattern is audited by one of the shards, named as not a page, or
    refused to a superuser."""
    # As in each shard, a wrong password, then the right one: the lockout's lists get rows.
    for username, password in (("nobody", "wrong"), (superuser.username, PASSWORD)):
        client.post(reverse("admin:login"), {"username": username, "password": password})
    pages, refused = admin_pages(superuser)
    opened = {name for name, _ in pages} | {"login"} | refused
    missing = sorted(
        route.label
        for route in site_routes()
        if route.is_admin
        and route.label.split()[0] not in opened
        and not _not_a_page(route.label.split()[0])
    )
    assert not missing, "Admin pages the audit does not open:\n" + "\n".join(missing)


def test_the_audit_fails_on_a_page_with_violations(live_server, browser):
    """The audit itself: a form field with no label and a pale focus ring are both caught."""
    source = axe_source()
    context = browser.new_context(**WIDTHS["laptop"])
    page = context.new_page()
    page.set_content(
        "<!doctype html><html lang=en><head><title>Bad</title>"
        "<style>:focus-visible { outline: 3px solid #f0b400; }</style></head>"
        "<body><main><h1>Bad</h1><input type=text><a href=#x>Link</a></main></body></html>"
    )
    found = axe_violations(page, source, "bad page")
    checked, problems = _focus(page, "bad page")
    context.close()
    assert any(": label (" in line for line in found), json.dumps(found)
    assert checked == 2
    assert problems == [
        "bad page: rgb(240, 180, 0) on rgb(255, 255, 255) is 1.87:1 (input and 1 more)"
    ]

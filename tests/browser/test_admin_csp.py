"""The admin works in a real browser under the Content-Security-Policy: no violations on the
login page, a changelist, a change form with autocomplete and "add another", and history."""

import pytest
from django.db import connections
from django.urls import reverse

from agreements.models import Institution
from tests.factories import make_agreement, make_country, make_institution

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def browser_page(browser):
    """A Chromium page (the session's, from tests/browser/conftest.py) recording CSP
    violations and script errors."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    yield page, console
    context.close()


def _violations(page, console):
    reported = page.evaluate("window.__cspViolations")
    logged = [line for line in console if "Content Security Policy" in line or "pageerror" in line]
    return reported + logged


@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_content_security_policy(
    live_server, browser_page, django_user_model
):
    page, console = browser_page
    django_user_model.objects.create_superuser("chief", "", "correct horse battery")
    country = make_country(name="Cspland")
    institution = make_institution(name="Policy University", country=country)
    make_agreement(institution=institution)
    make_country(name="Autocompletia", region=country.region)
    seen = []

    def visit(path):
        page.goto(live_server.url + path)
        assert not _violations(page, console), path
        seen.append(path)

    visit(reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    assert not _violations(page, console)

    visit(reverse("admin:agreements_institution_changelist"))
    assert page.locator("#result_list").get_by_text("Policy University").is_visible()

    change_url = reverse("admin:agreements_institution_change", args=[institution.pk])
    visit(change_url)
    # Autocomplete: select2 asks the server for countries as the user types.
    page.click("#id_country + .select2 .select2-selection")
    page.fill(".select2-search__field", "Autocomp")
    page.locator(".select2-results__option", has_text="Autocompletia").click()
    # The inline's "Add another" link adds a blank agreement row by script.
    rows_before = page.locator("#agreements-group tr.form-row").count()
    page.locator("#agreements-group .add-row a").click()
    assert page.locator("#agreements-group tr.form-row").count() == rows_before + 1
    page.locator("#agreements-group tr.dynamic-agreements .inline-deletelink").click()
    page.fill("#id_website", "https://policy.example.org/")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:agreements_institution_changelist')}")
    assert not _violations(page, console)
    institution = Institution.objects.get(pk=institution.pk)
    assert institution.country.name == "Autocompletia"
    assert institution.website == "https://policy.example.org/"

    visit(reverse("admin:agreements_institution_history", args=[institution.pk]))
    assert page.get_by_text("https://policy.example.org/").first.is_visible()
    first = institution.history.earliest("history_id")
    visit(
        reverse(
            "admin:agreements_institution_simple_history",
            args=[institution.pk, first.history_id],
        )
    )
    assert page.locator("input[value=Revert]").first.is_visible()
    assert len(seen) == 5
    # The ORM calls above ran while Playwright's loop was running, on a connection of their
    # own context that PostgreSQL would otherwise still hold when the test database is dropped.
    connections.close_all()

"""The API's documentation page works in Chromium under the site's Content-Security-Policy,
with Swagger UI's scripts and styles served by the app itself (drf-spectacular-sidecar)."""

import pytest

from tests.browser.axe import axe_source, axe_violations
from tests.factories import make_agreement

pytestmark = pytest.mark.browser

RECORD = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.mark.django_db(transaction=True)
def test_the_documentation_page_lists_the_api_and_tries_a_request(live_server, browser):
    make_agreement()
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD)
    problems, requests = [], []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/institutions/").first
    operation.wait_for(timeout=15000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/statistics/").count()
    # Try it out: the page calls the API from the browser and shows its answer.
    operation.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=15000)
    assert status.inner_text().strip().startswith("200")
    # Open, tried and answered, the operation still meets WCAG 2.1 AA (the audit in
    # test_accessibility.py sees the page as it loads).
    violations = axe_violations(page, axe_source(), "/api/v1/docs/ after Try it out")
    assert not violations, "\n".join(violations)
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests)
    context.close()

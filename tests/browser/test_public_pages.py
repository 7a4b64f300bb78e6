"""A visitor in a real browser: filter, page through, download, and read on a phone."""

import csv
import io
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, seed):
    return live_server.url


def test_a_visitor_filters_the_list_and_pages_through_it(site, desktop):
    page = desktop
    page.goto(f"{site}/agreements/")
    page.get_by_label("Region:", exact=True).select_option("europe")
    page.get_by_label("Agreement:", exact=True).select_option("sea")
    page.get_by_role("button", name="Show agreements").click()
    page.wait_for_url("**/agreements/?*region=europe*")
    assert "kind=sea" in page.url
    counts = page.locator("#counts").inner_text()
    assert counts.startswith("79 institutions")
    first_page = page.locator("table.memoranda tbody th[scope=row]").all_inner_texts()
    assert len(first_page) == 50

    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page=2*")
    assert "region=europe" in page.url
    assert "kind=sea" in page.url
    second_page = page.locator("table.memoranda tbody th[scope=row]").all_inner_texts()
    assert len(second_page) == 29
    assert not set(first_page) & set(second_page)
    assert page.locator("#counts").inner_text() == counts


def test_a_nonsense_filter_shows_a_message_beside_the_form(site, desktop):
    desktop.goto(f"{site}/agreements/?concluded_after=1e1000000")
    error = desktop.locator("#id_concluded_after_error")
    assert error.inner_text().strip() == "Enter a whole number."
    assert error.is_visible()


def test_a_visitor_downloads_the_filtered_list_as_csv(site, desktop):
    desktop.goto(f"{site}/agreements/?country=fr&kind=sea")
    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("agreements-")
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Region", "Country/Region", "Institution"]
    assert len(rows) == 1 + 11
    assert ["Europe", "France", "University of Bordeaux", "2014", "2015", "yes"] in rows


def test_the_keyboard_reaches_the_skip_link_first(site, desktop):
    desktop.goto(f"{site}/statistics/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("location.hash") == "#content"


def test_the_list_works_with_javascript_off(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/agreements/")
    page.get_by_label("Strategic partners only").check()
    page.get_by_role("button", name="Show agreements").click()
    page.wait_for_url("**strategic=1*")
    assert page.locator("#counts").inner_text().startswith("5 institutions")
    context.close()


SCREENSHOT_PAGES = {
    "home": "/",
    "agreements": "/agreements/?region=europe",
    "agreements-error": "/agreements/?concluded_after=2020&concluded_before=2010",
    "institution": "/agreements/universite-grenoble-alpes-uga/",
    "statistics": "/statistics/2022/",
    "strategic-partnerships": "/strategic-partnerships/",
    "on-site-laboratories": "/on-site-laboratories/",
    "fact-sheet": "/fact-sheet/",
}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_screenshots_and_no_sideways_scrolling(site, request, artifacts, viewport):
    page = request.getfixturevalue(viewport)
    for name, path in SCREENSHOT_PAGES.items():
        response = page.goto(f"{site}{path}")
        assert response.status == 200, path
        # The page itself never scrolls sideways; wide tables scroll inside their own box.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.screenshot(path=artifacts / f"{name}-{viewport}.png", full_page=True)
        assert overflow <= 0, f"{path} is {overflow}px too wide at {viewport} width"
    assert page.locator("link[href$='site.css']").count() == 1


def test_the_fact_sheet_prints_on_a4(site, desktop, artifacts):
    desktop.goto(f"{site}/fact-sheet/")
    pdf = desktop.pdf(path=artifacts / "fact-sheet.pdf", format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    # Every page is A4 (595 x 842 points); the whole sheet stays a handout, not a book.
    media_boxes = re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)
    sizes = {tuple(round(float(n)) for n in box.split()[2:]) for box in media_boxes}
    assert sizes == {(595, 842)}
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 12
    desktop.emulate_media(media="print")
    assert desktop.locator(".site-header").is_hidden()


RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_every_page_works_under_a_strict_content_security_policy(site, desktop):
    """Issue 5 serves the site with default-src 'self': nothing here may need more."""

    def with_strict_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "default-src 'self'"}
        route.fulfill(response=response, headers=headers)

    desktop.route("**/*", with_strict_policy)
    desktop.add_init_script(RECORD_VIOLATIONS)
    for path in SCREENSHOT_PAGES.values():
        desktop.goto(f"{site}{path}")
        assert desktop.evaluate("window.__cspViolations") == [], path
        # The stylesheet was allowed and applied: the header has the site's colour.
        colour = desktop.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert colour == "rgb(138, 21, 56)", path
    # A request still in flight (e.g. the favicon) must not outlive the page with an error.
    desktop.unroute_all(behavior="ignoreErrors")

"""The Japanese pages in a real browser: Japanese glyphs drawn in a Japanese font, no
sideways scrolling on a laptop or a phone, and the fact sheet printed on A4 in Japanese."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JAPANESE_PAGES = {
    "home": "/ja/",
    "agreements": "/ja/agreements/?region=europe",
    "agreements-error": "/ja/agreements/?concluded_after=2020&concluded_before=2010",
    "institution": "/ja/agreements/university-of-bordeaux/",
    "statistics": "/ja/statistics/2022/",
    "strategic-partnerships": "/ja/strategic-partnerships/",
    "on-site-laboratories": "/ja/on-site-laboratories/",
    "fact-sheet": "/ja/fact-sheet/",
    "not-found": "/ja/no-such-page/",
}
VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def site(live_server, seed):
    return live_server.url


def fonts_drawing(page, selector):
    """The fonts Chromium drew an element's text with, and how many glyphs each drew."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_japanese_pages_draw_japanese_glyphs_and_never_scroll_sideways(
    site, browser, artifacts, viewport
):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        locale="ja-JP",
    )
    page = context.new_page()
    for name, path in JAPANESE_PAGES.items():
        response = page.goto(f"{site}{path}")
        assert response.status == (404 if name == "not-found" else 200), path
        assert page.locator("html").get_attribute("lang") == "ja"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.screenshot(path=artifacts / f"ja-{name}-{viewport}.png", full_page=True)
        assert overflow <= 0, f"{path} is {overflow}px too wide at {width}px"
        # The site's name in Japanese: every glyph from a font that has Japanese characters,
        # none from a Latin font's empty boxes.
        site_name = page.locator(".site-name a").inner_text()
        assert re.fullmatch(r"[\u3000-\u30ff\u4e00-\u9fff]+", site_name), site_name
        fonts = fonts_drawing(page, ".site-name a")
        assert fonts, path
        assert all(re.search(r"CJK|JP|Japanese|Gothic", family) for family in fonts), fonts
        assert sum(fonts.values()) == len(site_name), fonts
    context.close()


def test_the_japanese_fact_sheet_prints_on_a4_in_a_japanese_font(site, browser, artifacts):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{site}/ja/fact-sheet/")
    pdf = page.pdf(path=artifacts / "ja-fact-sheet.pdf", format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    media_boxes = re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)
    assert {tuple(round(float(n)) for n in box.split()[2:]) for box in media_boxes} == {(595, 842)}
    # As in English, a handout, not a book (Japanese text is no longer on paper).
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 12
    # The Japanese headings are set in the Japanese font, embedded in the file.
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSans(Mono)?CJK", pdf)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    context.close()

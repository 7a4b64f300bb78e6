"""Every public page in English at its usual address and in Japanese under /ja/: the switch
between them, hreflang, <html lang>, the page cache, error pages, and a crawl of the Japanese
pages for English text not marked as English."""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agreements.models import Institution, OnSiteLaboratory
from tests.factories import make_statistic
from tests.walking import off_site_language_links

pytestmark = pytest.mark.django_db

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip

# Words Japanese publications of international offices print as they are: the agreements'
# and partnerships' abbreviations (MOU, SEA, SP), the download formats and the program that
# opens one (CSV, XLSX, JSON, Excel). Names, URLs and numbers need no entry: names are
# marked lang="en", and only words of two Latin letters or more are looked for.
SAME_IN_JAPANESE = {"MOU", "SEA", "SP", "CSV", "XLSX", "JSON", "Excel"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Addresses, and a query string quoted in a message (?format=csv).
URL = re.compile(r"https?://\S+|www\.\S+|\?[\w=&]+")


class LanguageOfText(HTMLParser):
    """Each text node and each aria-label of a page, with the language it is marked in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, language)
        self.texts = []  # (language, text, where)
        self.html_lang = None

    @property
    def language(self):
        return self.stack[-1][1] if self.stack else None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        language = attributes.get("lang", self.language)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        for name in ("aria-label", "title", "alt", "placeholder"):
            if attributes.get(name):
                self.texts.append((language, attributes[name], f"<{tag} {name}>"))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip() and self.stack and self.stack[-1][0] not in {"script", "style"}:
            self.texts.append((self.language, data.strip(), f"<{self.stack[-1][0]}>"))


def unmarked_english(html):
    """Text in a Japanese part of the page with English words in it, as (where, text)."""
    parser = LanguageOfText()
    parser.feed(html)
    # A <title> is plain text and cannot mark a part of it as English: an English name in
    # it (an institution's, where it has no Japanese form) must be one the page marks.
    marked = sorted({text for language, text, _ in parser.texts if language == "en"}, key=len)
    found = []
    for language, text, where in parser.texts:
        if language != "ja":
            continue
        unmarked = text
        if where == "<title>":
            for english in reversed(marked):
                unmarked = unmarked.replace(english, "")
        # Download formats are also written in lower case, as the address takes them.
        words = {
            word
            for word in ENGLISH_WORD.findall(URL.sub("", unmarked))
            if word not in SAME_IN_JAPANESE and word.upper() not in SAME_IN_JAPANESE
        }
        if words:
            found.append((where, text))
    return found


def test_the_crawler_finds_english_that_is_not_marked():
    page = (
        '<html lang="ja"><body><h1>協定</h1><p>Agreements by region</p>'
        '<p><span lang="en">University of Bordeaux</span> MOU 2014</p>'
        '<nav aria-label="Main"></nav><a href="https://example.org/x">https://example.org/x</a>'
        "</body></html>"
    )
    assert unmarked_english(page) == [("<p>", "Agreements by region"), ("<nav aria-label>", "Main")]
    title = '<html lang="ja"><head><title>{} · 国際交流</title></head><body>{}</body></html>'
    marked = '<h1><span lang="en">Lund University</span></h1>'
    assert unmarked_english(title.format("Lund University", marked)) == []
    assert unmarked_english(title.format("Lund University", "<h1>ルンド大学</h1>")) == [
        ("<title>", "Lund University · 国際交流")
    ]


@pytest.fixture
def laboratory(seed):
    """One laboratory as staff would enter it (the seed names none): its texts in English."""
    bordeaux = Institution.objects.get(slug="university-of-bordeaux")
    laboratory = OnSiteLaboratory.objects.create(
        name="Test Laboratory for the Language Crawl",
        country=bordeaux.country,
        departments="Graduate School of Testing",
        research_field="Software testing",
        is_published=True,
    )
    laboratory.partner_institutions.add(bordeaux)
    return laboratory


def japanese_pages():
    bordeaux = Institution.objects.get(slug="university-of-bordeaux")
    school = Institution.objects.filter(parent__isnull=False, is_published=True).first()
    return [
        "/ja/",
        "/ja/agreements/",
        "/ja/agreements/?region=europe&kind=sea&page=2",
        "/ja/agreements/?q=university&ordering=-mou",
        "/ja/agreements/?country=fr&ordering=name",
        "/ja/agreements/?strategic=1",
        "/ja/agreements/?concluded_after=1e1000000",
        "/ja/agreements/?region=0",
        "/ja/agreements/?q=no+such+institution+anywhere",
        "/ja/agreements/?format=123",
        f"/ja/agreements/{bordeaux.slug}/",
        f"/ja/agreements/{school.slug}/",
        "/ja/strategic-partnerships/",
        "/ja/on-site-laboratories/",
        "/ja/statistics/",
        "/ja/statistics/2022/",
        "/ja/statistics/2021/",
        "/ja/statistics/1999/",
        "/ja/fact-sheet/",
        "/ja/no-such-page/",
    ]


def test_every_japanese_page_marks_its_english_text_as_english(client, laboratory):
    # A second year, so that the statistics pages show changes against the year before.
    france = Institution.objects.get(slug="university-of-bordeaux").country
    make_statistic(academic_year=2021, direction="inbound", country=france, researchers=10)
    problems = {}
    for url in japanese_pages():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        html = response.content.decode()
        assert '<html lang="ja">' in html, url
        found = unmarked_english(html)
        if found:
            problems[url] = found
    assert problems == {}


def test_a_bad_host_gets_a_japanese_400_page_under_ja(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/ja/agreements/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "このリクエストには応答できません" in html
    assert unmarked_english(html) == []
    # No absolute address built from a host this site does not serve.
    assert "attacker.example" not in html


def test_english_stays_at_todays_addresses_even_for_a_japanese_browser(client, seed):
    response = client.get("/agreements/", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Academic exchange agreements</h1>" in html
    japanese = client.get("/ja/agreements/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ja">' in japanese
    assert "<h1>学術交流協定</h1>" in japanese


def test_a_public_page_varies_by_its_address_alone_and_the_admin_by_the_browser(client, seed):
    english = client.get("/agreements/", HTTP_ACCEPT_LANGUAGE="ja")
    japanese = client.get("/ja/agreements/")
    assert english["Content-Language"] == "en"
    assert japanese["Content-Language"] == "ja"
    assert "Accept-Language" not in english.get("Vary", "")
    assert "Accept-Language" not in japanese.get("Vary", "")
    assert "Accept-Language" in client.get("/admin/login/").get("Vary", "")


def test_addresses_reverse_in_the_active_language(seed):
    bordeaux = Institution.objects.get(slug="university-of-bordeaux")
    with translation.override("en"):
        assert reverse("agreements:list") == "/agreements/"
        assert bordeaux.get_absolute_url() == "/agreements/university-of-bordeaux/"
    with translation.override("ja"):
        assert reverse("home") == "/ja/"
        assert reverse("agreements:list") == "/ja/agreements/"
        assert reverse("exchanges:statistics-year", args=[2022]) == "/ja/statistics/2022/"
        assert reverse("exchanges:fact-sheet") == "/ja/fact-sheet/"
        assert bordeaux.get_absolute_url() == "/ja/agreements/university-of-bordeaux/"
        # The admin and the health check have one address, in no language's prefix.
        assert reverse("admin:index") == "/admin/"
        assert reverse("healthz") == "/healthz"


def test_links_on_a_japanese_page_stay_in_japanese(client, seed):
    html = client.get("/ja/agreements/?country=fr").content.decode()
    assert 'href="/ja/agreements/university-of-bordeaux/"' in html
    assert 'href="/ja/statistics/"' in html
    assert 'href="/statistics/"' not in html.split("</nav>", 2)[1]


@pytest.mark.parametrize(
    ("url", "other"),
    [
        (
            "/agreements/?region=europe&kind=sea&page=2",
            "/ja/agreements/?region=europe&kind=sea&page=2",
        ),
        ("/ja/agreements/?q=Bordeaux&ordering=-mou", "/agreements/?q=Bordeaux&ordering=-mou"),
        ("/ja/statistics/2022/", "/statistics/2022/"),
        ("/", "/ja/"),
        ("/ja/", "/"),
        ("/ja/no-such-page/?x=1", "/no-such-page/?x=1"),
    ],
)
def test_the_switch_leads_to_the_same_page_in_the_other_language(client, seed, url, other):
    response = client.get(url)
    html = response.content.decode()
    language = "en" if url.startswith("/ja") else "ja"
    name = "English" if language == "en" else "日本語"
    address = other.replace("&", "&amp;")
    link = f'<a href="{address}" hreflang="{language}" lang="{language}">{name}</a>'
    assert link in html
    followed = client.get(other)
    assert followed.status_code == response.status_code
    assert f'<html lang="{language}">' in followed.content.decode()


def test_every_page_links_to_both_languages_by_absolute_address(client, seed):
    html = client.get("/ja/agreements/?region=asia&page=2").content.decode()
    query = "?region=asia&amp;page=2"
    assert (
        f'<link rel="alternate" hreflang="en" href="http://testserver/agreements/{query}">' in html
    )
    assert (
        f'<link rel="alternate" hreflang="ja" href="http://testserver/ja/agreements/{query}">'
        in html
    )
    assert (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver/agreements/{query}">'
        in html
    )


def test_the_page_cache_keeps_the_languages_apart(client, seed, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    first_english = client.get("/statistics/2022/").content.decode()
    first_japanese = client.get("/ja/statistics/2022/").content.decode()
    # Served again, now from the cache, each in its own language whatever the browser says.
    again_english = client.get("/statistics/2022/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    again_japanese = client.get("/ja/statistics/2022/", HTTP_ACCEPT_LANGUAGE="en").content
    assert '<html lang="en">' in first_english
    assert '<html lang="ja">' in first_japanese
    assert again_english == first_english
    assert again_japanese.decode() == first_japanese
    assert "2022年度" in first_japanese
    assert "2022年度" not in first_english


def test_the_admin_follows_the_staff_members_language_not_the_public_default(client):
    japanese = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="ja"' in japanese.content.decode()
    english = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en"' in english.content.decode()
    assert client.get("/ja/admin/").status_code == 404
    assert client.get("/ja/healthz").status_code == 404


def test_error_pages_speak_the_language_of_their_address(client, seed):
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ja")
    japanese = client.get("/ja/no-such-page/")
    assert english.status_code == japanese.status_code == 404
    assert "<h1>Page not found</h1>" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "<h1>ページが見つかりません</h1>" in japanese.content.decode()
    missing_year = client.get("/ja/statistics/1999/").content.decode()
    assert "1999年度の数値はありません" in missing_year
    assert 'href="/ja/statistics/2022/">2022年度</a>' in missing_year


def test_japanese_pages_write_years_dates_and_numbers_the_japanese_way(client, seed):
    statistics = client.get("/ja/statistics/2022/").content.decode()
    assert "<h1>2022年度 研究者交流</h1>" in statistics
    assert "2022年4月1日から2023年3月31日まで" in statistics
    assert '<span aria-current="page">2022年度</span>' in statistics
    assert "3,032" in statistics  # researchers going abroad, grouped by thousands
    fact_sheet = client.get("/ja/fact-sheet/").content.decode()
    assert "2022年度（2022年4月1日～2023年3月31日）" in fact_sheet
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日現在", fact_sheet)
    # An event known to the month: 2024年3月, where the English page says March 2024.
    bordeaux = client.get("/ja/agreements/university-of-bordeaux/").content.decode()
    assert '<time datetime="2024-03-01">2024年3月</time>' in bordeaux
    english = client.get("/agreements/university-of-bordeaux/").content.decode()
    assert '<time datetime="2024-03-01">March 2024</time>' in english
    home = client.get("/ja/").content.decode()
    assert "人（2022年度 研究者派遣）" in home


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/agreements/",
        "/agreements/?region=europe&kind=sea&ordering=-mou&page=2",
        "/agreements/university-of-bordeaux/",
        "/strategic-partnerships/",
        "/on-site-laboratories/",
        "/statistics/2022/",
        "/fact-sheet/",
    ],
)
def test_a_japanese_page_runs_the_same_queries_as_its_english_one(client, seed, url):
    counted = {}
    for address in (url, f"/ja{url}"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        counted[address] = len(captured)
    assert counted[f"/ja{url}"] == counted[url], counted


def links_by_language(html):
    """The hreflang alternates, then the switch's link, as {hreflang: [href, ...]}."""
    links = {}
    alternates = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]*)">', html)
    switch = [
        (lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', html)
    ]
    for hreflang, href in alternates + switch:
        links.setdefault(hreflang, []).append(unescape(href))
    return links


# What the request's path may hold to lead a link off the site: a second slash, a backslash
# (browsers read it as a slash), either percent-encoded, a tab or newline (browsers drop them).
PATHS_TOWARDS_ANOTHER_SITE = [
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "/%2Fevil.example/",
    "/%5Cevil.example/",
    "/%2F%2Fevil.example/",
    "/%5C%5Cevil.example/",
    "/%09/evil.example/",
    "/\t/evil.example/",
    "/%0A/evil.example/",
    "/\n/evil.example/",
    "/%0D%0A/evil.example/",
]


@pytest.mark.parametrize("prefix", ["", "/ja"])
@pytest.mark.parametrize("path", PATHS_TOWARDS_ANOTHER_SITE)
def test_language_links_stay_on_this_site_whatever_the_path_holds(client, prefix, path):
    # PATH_INFO as a server hands it over: the test client would read "//evil.example/" as
    # a host, and drop tabs and newlines.
    response = client.get("/", PATH_INFO=unquote(prefix + path))
    assert response.status_code == 404
    assert set(links_by_language(response.content.decode())) == {"en", "ja", "x-default"}
    assert off_site_language_links(response) == []


@pytest.mark.parametrize(
    ("url", "english", "japanese"),
    [
        # The two addresses: a 404 page linked to //evil.example/ and /\evil.example/.
        ("/ja//evil.example/", "/", "/ja/"),
        ("/ja/\\evil.example/", "/%5Cevil.example/", "/ja/%5Cevil.example/"),
        ("/%2Fevil.example/", "/", "/ja/"),
        ("/ja/%09/evil.example/", "/%09/evil.example/", "/ja/%09/evil.example/"),
    ],
)
def test_the_language_links_of_a_hostile_address_lead_to_pages_on_this_site(
    client, url, english, japanese
):
    response = client.get(url)
    assert response.status_code == 404
    links = links_by_language(response.content.decode())
    # The alternates, then the switch's link to the language the page is not in.
    if url.startswith("/ja/"):
        assert links["en"] == [f"http://testserver{english}", english]
        assert links["ja"] == [f"http://testserver{japanese}"]
    else:
        assert links["en"] == [f"http://testserver{english}"]
        assert links["ja"] == [f"http://testserver{japanese}", japanese]
    assert links["x-default"] == [f"http://testserver{english}"]


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/ja/agreements/?q=//evil.example/", "/agreements/?q=//evil.example/"),
        ("/agreements/?next=%5C%5Cevil.example", "/ja/agreements/?next=%5C%5Cevil.example"),
    ],
)
def test_a_query_that_names_another_site_stays_in_the_query(client, seed, url, other):
    response = client.get(url)
    assert response.status_code == 200
    links = links_by_language(response.content.decode())
    language = "en" if url.startswith("/ja/") else "ja"
    assert other in links[language]
    assert f"http://testserver{other}" in links[language]

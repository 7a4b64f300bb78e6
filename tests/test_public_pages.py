"""What every public page promises: escaped names, no inline code, a fixed number of queries."""

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import (
    Agreement,
    AgreementKind,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    StrategicPartnership,
)
from exchanges.models import Direction
from places.models import Country, Region
from tests.factories import make_statistic
from tests.synthetic import synthetic_records

HOSTILE = "<script>alert(1)</script> & \"Quote\" 'U'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Quote&quot; &#x27;U&#x27;"

PAGES = [
    "/",
    "/agreements/",
    "/agreements/?q=synthetic&region=synthetic-region-1&ordering=-mou",
    "/strategic-partnerships/",
    "/on-site-laboratories/",
    "/statistics/",
    "/statistics/2022/",
    "/fact-sheet/",
]


DOWNLOADS = [
    "/agreements/?format=csv",
    "/agreements/?format=xlsx&kind=sea",
    "/statistics/2022/?format=json",
]
# The list: the filter form's regions and countries, the totals and the page (one query on
# PostgreSQL, which counts in the same pass; two on SQLite), its footnotes, the programme's
# text. The overview: partners by region, the latest year's researchers. Statistics: the
# years, then one query for both tables. The fact sheet: programmes, partnerships, events,
# the latest year, its tables, the memoranda and their footnotes.
LIST_QUERIES = 5 if connection.vendor == "postgresql" else 6
EXPECTED_QUERIES = {
    "/": 2,
    "/agreements/": LIST_QUERIES,
    "/agreements/?q=synthetic&region=synthetic-region-1&ordering=-mou": LIST_QUERIES,
    "/strategic-partnerships/": 3,
    "/on-site-laboratories/": 3,
    "/statistics/": 2,
    "/statistics/2022/": 2,
    "/fact-sheet/": 7,
    "/agreements/?format=csv": 3,
    "/agreements/?format=xlsx&kind=sea": 3,
    "/statistics/2022/?format=json": 2,
}
EXPECTED_DETAIL_QUERIES = 6


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [20, 3000])
def test_each_page_runs_a_fixed_number_of_queries_whatever_the_size(client, size):
    synthetic_records(size)
    detail = Institution.objects.get(name="Synthetic University 00000").get_absolute_url()
    counted = {url: queries_for(client, url) for url in [*PAGES, detail, *DOWNLOADS]}
    assert counted == {**EXPECTED_QUERIES, detail: EXPECTED_DETAIL_QUERIES}


class PageStructure(HTMLParser):
    """Collect what assistive technology relies on: headings, labels, form controls."""

    def __init__(self):
        super().__init__()
        self.headings = []
        self.label_targets = set()
        self.controls = []
        self.inline_code = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.label_targets.add(attributes.get("for"))
        if tag in {"input", "select", "textarea"}:
            self.controls.append(attributes.get("id"))
        if tag == "script" or "style" in attributes or tag == "style":
            self.inline_code.append(tag)
        self.inline_code += [name for name in attributes if name.startswith("on")]


@pytest.mark.parametrize(
    "url",
    [
        *PAGES,
        "/agreements/university-of-bordeaux/",
        "/agreements/?region=atlantis",
        "/statistics/1999/",
    ],
)
def test_pages_are_structured_for_screen_readers_and_carry_no_inline_code(client, seed, url):
    response = client.get(url)
    structure = PageStructure()
    structure.feed(response.content.decode())
    assert structure.headings.count(1) == 1, "one h1 a page"
    assert structure.headings[0] == 1
    for previous, current in zip(structure.headings, structure.headings[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {structure.headings}"
    assert set(structure.controls) <= structure.label_targets, "every field has a label"
    # Issue 5 sets a Content-Security-Policy of default-src 'self': no inline script or style.
    assert structure.inline_code == []
    assert 'lang="en"' in response.content.decode()
    assert 'href="#content"' in response.content.decode()


@pytest.fixture
def hostile_records(db):
    region = Region.objects.create(name=HOSTILE, slug="hostile", display_order=1)
    country = Country.objects.create(name=HOSTILE, region=region)
    institution = Institution.objects.create(name=HOSTILE, slug="hostile-u", country=country)
    Agreement.objects.create(
        institution=institution, kind=AgreementKind.MOU, concluded_year=2000, scope_note=HOSTILE
    )
    partnership = StrategicPartnership.objects.create(institution=institution, description=HOSTILE)
    PartnershipEvent.objects.create(
        partnership=partnership, date="2024-03-01", title=HOSTILE, place=HOSTILE
    )
    laboratory = OnSiteLaboratory.objects.create(
        name=HOSTILE, slug="hostile-lab", departments=HOSTILE, country=country
    )
    laboratory.partner_institutions.add(institution)
    make_statistic(academic_year=2022, direction=Direction.INBOUND, country=country, researchers=7)
    return institution


@pytest.mark.parametrize("url", [*PAGES, "/agreements/hostile-u/", "/agreements/?q=%3Cscript"])
def test_a_hostile_name_displays_as_text_on_every_page(client, hostile_records, url):
    text = client.get(url).content.decode()
    assert HOSTILE_ESCAPED in text
    assert "<script" not in text


def test_a_hostile_search_is_shown_back_as_text(client, hostile_records):
    text = client.get("/agreements/", {"q": HOSTILE}).content.decode()
    assert f'value="{HOSTILE_ESCAPED}"' in text
    assert "<script" not in text


def test_a_hostile_name_is_plain_text_in_downloads(client, hostile_records):
    rows = list(
        csv.reader(io.StringIO(client.get("/agreements/?format=csv").content.decode("utf-8-sig")))
    )
    assert rows[1][:3] == [HOSTILE, HOSTILE, HOSTILE]
    records = json.loads(client.get("/statistics/2022/?format=json").content)
    assert records[0]["Country/Region"] == HOSTILE


def test_public_pages_come_from_the_cache_until_a_record_changes(
    client, seed, settings, django_assert_num_queries
):
    from django.core.cache import cache

    from operations.cache import public_cache_bump

    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    first = client.get("/agreements/", {"q": "bordeaux"})
    assert "University of Bordeaux" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get("/agreements/", {"q": "bordeaux"})
    assert again.content == first.content
    Institution.objects.filter(name="University of Bordeaux").update(is_published=False)
    public_cache_bump()  # what every write path does once it has committed
    assert "University of Bordeaux" not in client.get("/agreements/?q=bordeaux").content.decode()

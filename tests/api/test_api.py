"""The open data API (/api/v1/) answers what the public pages show, and nothing else."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from openapi_spec_validator import validate

from agreements.models import Agreement, AgreementKind, Institution, StrategicPartnership
from exchanges.models import Direction, ReleaseState, StatisticsRelease
from tests.factories import make_agreement, make_country, make_institution, make_statistic

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LISTS = [
    "institutions",
    "agreements",
    "countries",
    "regions",
    "strategic-partnerships",
    "statistics",
    "statistics/regions",
]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def every_row(client, path, **params):
    """Every result of a list, following its next links."""
    rows = []
    url = f"{API}{path}/"
    response = client.get(url, {**params, "page_size": 500})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def test_the_schema_is_valid_openapi_3_and_names_every_list(client, seed):
    response = client.get(f"{API}schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in LISTS:
        assert f"/api/v1/{path}/" in schema["paths"]
    parameters = {
        parameter["name"]
        for parameter in schema["paths"]["/api/v1/institutions/"]["get"]["parameters"]
    }
    assert {
        "region",
        "country",
        "kind",
        "strategic",
        "concluded_after",
        "concluded_before",
        "q",
        "ordering",
        "page",
    } <= parameters


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "europe", "kind": "mou"},
        {"country": "fr"},
        {"q": "univ"},
        {"strategic": "1"},
        {"concluded_after": "2000", "concluded_before": "2015", "ordering": "-mou"},
        {"region": "others"},
        {"ordering": "name"},
        {"kind": "sea", "ordering": "-sea"},
    ],
)
def test_institutions_are_the_public_lists_rows_in_its_order(client, seed, params):
    page = client.get(reverse("agreements:list"), {**params, "format": "json"})
    public = [list(row.values())[2] for row in json.loads(page.content)]
    api = every_row(client, "institutions", **params)
    assert public, params  # each case matches something, so the comparison says something
    assert [row["name_en"] for row in api] == public


def test_an_institution_carries_its_country_agreements_partnership_and_page(client, seed):
    bordeaux = Institution.objects.get(slug="university-of-bordeaux")
    Agreement.objects.filter(institution=bordeaux, kind=AgreementKind.MOU).update(
        end_date="2029-03-31"
    )
    by_slug = client.get(f"{API}institutions/university-of-bordeaux/").json()
    by_id = client.get(f"{API}institutions/{bordeaux.pk}/").json()
    assert by_slug == by_id
    assert by_slug["country"] == {"code": "FR", "name": "France"}
    assert by_slug["region"] == {"slug": "europe", "name": "Europe"}
    assert by_slug["agreements"] == [
        {"kind": "mou", "concluded_year": 2014, "valid_until": "2029-03-31"},
        {"kind": "sea", "concluded_year": 2015, "valid_until": None},
    ]
    assert by_slug["page"] == "http://testserver/agreements/university-of-bordeaux/"
    # The end date the API gives is the one the public page shows, in each language.
    page = client.get(reverse("agreements:institution-detail", args=["university-of-bordeaux"]))
    assert '<time datetime="2029-03-31">31 March 2029</time>' in page.content.decode()
    japanese = client.get("/ja/agreements/university-of-bordeaux/").content.decode()
    assert '<time datetime="2029-03-31">2029年3月31日</time>' in japanese
    strategic = client.get(f"{API}institutions/national-taiwan-university/").json()
    assert strategic["strategic_partnership"] is not None


def test_schools_and_parents_are_shown_only_when_published(client, seed):
    parent = make_institution(name="Test Parent University")
    make_agreement(institution=parent)
    school = make_institution(name="Test School of Law", parent=parent, country=parent.country)
    hidden = make_institution(
        name="Test Hidden School", parent=parent, country=parent.country, is_published=False
    )
    body = client.get(f"{API}institutions/{parent.slug}/").json()
    assert [child["name"] for child in body["schools"]] == ["Test School of Law"]
    assert client.get(f"{API}institutions/{school.slug}/").json()["parent"]["slug"] == parent.slug
    assert client.get(f"{API}institutions/{hidden.slug}/").status_code == 404


def test_statistics_are_the_published_pages_figures(client, seed):
    page = client.get(reverse("exchanges:statistics-year", args=[2022]), {"format": "json"})
    public = sorted(
        (list(row.values())[2], list(row.values())[3]) for row in json.loads(page.content)
    )
    api = sorted(
        (row["country"]["name"], row["researchers"])
        for row in every_row(client, "statistics", academic_year=2022)
    )
    assert public and api == public
    inbound = every_row(client, "statistics", academic_year=2022, direction="inbound")
    subtotals = every_row(client, "statistics/regions", academic_year=2022, direction="inbound")
    assert sum(row["researchers"] for row in inbound) == 1285  # the fact sheet's total
    assert sum(row["researchers"] for row in subtotals) == 1285
    europe = [row for row in subtotals if row["region"]["slug"] == "europe"]
    assert europe[0]["researchers"] == sum(
        row["researchers"] for row in inbound if row["region"]["slug"] == "europe"
    )


def test_strategic_partnerships_are_the_public_pages(client, seed):
    page = client.get(reverse("agreements:strategic-partnerships")).content.decode()
    api = every_row(client, "strategic-partnerships")
    assert api
    for partnership in api:
        assert partnership["institution"]["name"] in page
    assert len(api) == StrategicPartnership.objects.public().count()


SECRET = "Staff-only-7f3a"
STAFF_KEYS = {"notes", "internal_notes", "is_published", "published_by", "published_at", "state"}


def walk(client):
    """Every answer of the API: each list, every page of it, and each detail it links to."""
    bodies = []
    for path in LISTS:
        rows = every_row(client, path)
        bodies.append(json.dumps(rows, ensure_ascii=False))
        for row in rows:
            if path == "institutions":
                bodies.append(client.get(f"{API}institutions/{row['slug']}/").content.decode())
            if path == "countries" and row["code"]:
                bodies.append(client.get(f"{API}countries/{row['code']}/").content.decode())
    return bodies


def keys_of(value):
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


def test_no_staff_field_unpublished_record_or_draft_figure_appears_anywhere(client, seed, settings):
    settings.API_ANON_RATE = "100000/minute"  # the walk makes hundreds of requests
    country = make_country(name="Test Land")
    hidden = make_institution(name=f"{SECRET} hidden university", country=country)
    hidden.is_published = False
    hidden.save()
    make_agreement(institution=hidden)
    shown = make_institution(name="Test Shown University", country=country, notes=SECRET)
    make_agreement(institution=shown, internal_notes=SECRET)
    unpublished_agreement = make_agreement(
        institution=shown, kind=AgreementKind.SEA, scope_note=f"{SECRET} scope"
    )
    unpublished_agreement.is_published = False
    unpublished_agreement.save()
    StrategicPartnership.objects.create(
        institution=shown, description=f"{SECRET} partnership", is_published=False
    )
    make_statistic(country=country, academic_year=2030, researchers=77, published=False)
    bodies = walk(client)
    assert any("Test Shown University" in body for body in bodies)  # the walk reaches it
    for body in bodies:
        assert SECRET not in body
        assert '"academic_year": 2030' not in body and '"academic_year":2030' not in body
        assert not keys_of(json.loads(body)) & STAFF_KEYS
    shown_body = client.get(f"{API}institutions/{shown.slug}/").json()
    assert shown_body["strategic_partnership"] is None
    assert [agreement["kind"] for agreement in shown_body["agreements"]] == ["mou"]


def test_an_unchanged_answer_is_a_304_and_a_change_makes_a_new_one(client, seed):
    url = f"{API}institutions/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
    assert japanese["ETag"] != etag  # another language, another answer
    assert "Accept-Language" in japanese["Vary"]
    bordeaux = Institution.objects.get(slug="university-of-bordeaux")
    bordeaux.website = "https://www.u-bordeaux.fr/"
    bordeaux.save()  # a change, with its history as the admin and imports write it
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_published_release_changes_the_statistics_etag(client, seed):
    url = f"{API}statistics/"
    etag = client.get(url)["ETag"]
    release = StatisticsRelease.objects.get(academic_year=2022, direction=Direction.INBOUND)
    release.state = ReleaseState.DRAFT
    release.save()
    answer = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200 and answer["ETag"] != etag
    assert all(row["direction"] == "outbound" for row in answer.json()["results"])


def test_anonymous_clients_are_throttled_at_the_configured_rate(client, seed, settings):
    settings.API_ANON_RATE = "3/minute"
    answers = [client.get(f"{API}regions/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    other = client.get(f"{API}regions/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # counted per client address


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["institutions/", "institutions/university-of-bordeaux/"])
def test_writes_are_refused_with_405(client, seed, method, path):
    response = getattr(client, method)(f"{API}{path}", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert Institution.objects.filter(slug="university-of-bordeaux").exists()


def test_writes_are_refused_to_staff_too(admin_client, seed):
    response = admin_client.post(f"{API}regions/", {"slug": "x", "name": "X"})
    assert response.status_code == 405


def test_any_site_may_read_the_api_but_not_the_admin(client, seed):
    answer = client.get(f"{API}regions/", HTTP_ORIGIN="https://survey.example.org")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    preflight = client.options(
        f"{API}regions/",
        HTTP_ORIGIN="https://survey.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    admin = client.get("/admin/login/", HTTP_ORIGIN="https://survey.example.org")
    assert "Access-Control-Allow-Origin" not in admin


def test_names_follow_the_clients_language(client, seed):
    Institution.objects.filter(slug="university-of-bordeaux").update(name_ja="ボルドー大学")
    english = client.get(f"{API}institutions/university-of-bordeaux/").json()
    japanese = client.get(
        f"{API}institutions/university-of-bordeaux/", HTTP_ACCEPT_LANGUAGE="ja"
    ).json()
    assert english["name"] == "University of Bordeaux"
    assert japanese["name"] == "ボルドー大学"
    assert japanese["name_en"] == "University of Bordeaux"
    assert japanese["name_ja"] == "ボルドー大学"
    # A name with no Japanese form stays English rather than disappearing.
    oxford = client.get(f"{API}institutions/", {"q": "Oxford"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert oxford.json()["results"][0]["name"] == "University of Oxford"


HOSTILE = [
    "\x00",
    "1e1000000",
    "9" * 30,
    "١٢",
    "²",
    "-1",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "x" * 5000,
    "ＦＲ",
    "",
]
PARAMETERS = {
    "institutions": [
        "region",
        "country",
        "kind",
        "strategic",
        "concluded_after",
        "concluded_before",
        "q",
        "ordering",
        "page",
        "page_size",
    ],
    "agreements": ["kind", "status", "country", "region", "institution", "concluded_after", "page"],
    "countries": ["region", "page_size"],
    "strategic-partnerships": ["region", "country"],
    "statistics": ["academic_year", "direction", "country", "region", "page"],
    "statistics/regions": ["academic_year", "direction", "region"],
}


@pytest.mark.parametrize("path", sorted(PARAMETERS))
def test_hostile_parameters_get_a_400_that_names_them_never_a_500(client, seed, path):
    for name in PARAMETERS[path]:
        for value in HOSTILE:
            response = client.get(f"{API}{path}/", {name: value})
            assert response.status_code in (200, 400, 404), (name, value, response.status_code)
            if response.status_code == 400 and "\x00" in value:
                assert b"NUL character" in response.content  # refused before any view
            elif response.status_code == 400:
                assert name in response.json(), (name, value)
    for key in ["\x00", "%00", "x" * 300, "١", "../../etc/passwd", "' OR 1=1"]:
        assert client.get(f"{API}institutions/{key}/").status_code in (404, 400)


def test_the_institution_list_costs_the_same_queries_whatever_its_rows(
    client, seed, django_assert_num_queries
):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}institutions/", {"page_size": 500}).status_code == 200
        return len(captured)

    few = queries()
    country = make_country(name="Test Many Land")
    for number in range(40):
        institution = make_institution(name=f"Test Many {number}", country=country)
        make_agreement(institution=institution)
        make_institution(name=f"Test Many School {number}", parent=institution, country=country)
    assert queries() == few


def test_the_documentation_page_is_served_by_the_app_itself(client, seed):
    page = client.get(f"{API}docs/").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses
    assert all(address.startswith("/") for address in addresses), addresses
    assert "<script>" not in page  # no inline script: the page works under the site's CSP


def select_options(page, name):
    """(value, label) of each option of the page's <select name=…>, the blank one left out."""
    select = re.search(rf'<select name="{name}".*?</select>', page, flags=re.DOTALL).group(0)
    return [
        (value, label.strip())
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    ]


def test_regions_and_countries_are_those_the_public_pages_offer(client, seed):
    page = client.get(reverse("agreements:list")).content.decode()
    regions = [(row["slug"], row["name"]) for row in every_row(client, "regions")]
    assert regions == select_options(page, "region")
    statistics = client.get(reverse("exchanges:statistics-year", args=[2022]), {"format": "json"})
    in_statistics = {list(row.values())[2] for row in json.loads(statistics.content)}
    in_the_list = {label for _value, label in select_options(page, "country")}
    api = {row["name"] for row in every_row(client, "countries")}
    assert in_statistics - in_the_list  # some countries are named only by the statistics
    assert api == in_the_list | in_statistics


def test_an_institutions_agreements_are_those_on_its_page(client, seed):
    for slug in ["university-of-bordeaux", "national-taiwan-university", "university-of-oxford"]:
        page = client.get(reverse("agreements:institution-detail", args=[slug])).content.decode()
        table = re.search(r"<tbody>(.*?)</tbody>", page, flags=re.DOTALL).group(1)
        years = re.findall(r'<td class="number">(\d{4})</td>', table)
        on_page = sorted(int(year) for year in years)
        api = every_row(client, "agreements", institution=slug)
        assert on_page and sorted(row["concluded_year"] for row in api) == on_page


def test_countries_and_regions_are_named_in_japanese_for_a_japanese_client(client, seed):
    france = client.get(f"{API}countries/fr/", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert france["name"] == "フランス"
    assert france["region"]["name"] == "ヨーロッパ"
    assert client.get(f"{API}countries/fr/").json()["name"] == "France"
    korea = client.get(f"{API}institutions/", {"country": "kr"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert korea.json()["results"][0]["country"]["name"] == "韓国"
    # The Japanese list's rows, names and order (by reading) for a search in Japanese.
    page = client.get("/ja/agreements/", {"q": "フランス", "ordering": "name", "format": "json"})
    public = [list(row.values())[2] for row in json.loads(page.content)]
    japanese = client.get(
        f"{API}institutions/",
        {"q": "フランス", "ordering": "name", "page_size": 500},
        HTTP_ACCEPT_LANGUAGE="ja",
    ).json()["results"]
    assert public and [row["name"] for row in japanese] == public


def test_an_unknown_country_or_region_is_a_404_that_says_so(client, seed):
    country = client.get(f"{API}countries/zz/")
    assert country.status_code == 404
    assert country.json()["detail"] == "No country has this code."
    assert client.get(f"{API}regions/atlantis/").status_code == 404
    assert client.get(f"{API}countries/zz/", HTTP_ACCEPT_LANGUAGE="ja").json()["detail"] == (
        "このコードの国・地域はありません。"
    )

"""Names in both languages: where the Japanese names come from, and how a page shows them."""

import json
from pathlib import Path

import pytest
from babel import Locale
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from agreements.models import Institution
from places.models import Country, Region
from places.names import japanese_spellings, japanese_territory_name
from presentation.names import local_name, reading
from tests.factories import make_country, make_institution, make_region

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed.json"


def render(source, using="django", **context):
    return engines[using].from_string(source).render(context)


# -- where the names come from --------------------------------------------------------------


@pytest.mark.django_db
def test_every_seed_country_has_the_cldr_japanese_name(seed):
    countries = Country.objects.exclude(iso_code="")
    assert countries.count() == 120
    for country in countries:
        assert country.name_ja == japanese_territory_name(country.iso_code), country.name
        assert country.name_ja_reading == reading(country.name_ja)
    names = dict(countries.values_list("iso_code", "name_ja"))
    # The short forms an office prints: CLDR's for Korea, ISO's short form for Hong Kong.
    assert names["KR"] == "韓国" == Locale("ja").territories["KR"]
    assert (names["FR"], names["US"], names["CN"], names["MM"]) == (
        "フランス",
        "アメリカ合衆国",
        "中国",
        "ミャンマー",
    )
    assert Country.objects.get(name="Others").name_ja == "その他"


def test_hong_kong_and_macao_get_the_short_form():
    assert japanese_territory_name("HK") == "香港"
    assert japanese_territory_name("MO") == "マカオ"
    assert "中華人民共和国香港特別行政区" in japanese_spellings("HK")


def test_korea_is_spelled_as_cldr_and_as_iso_3166():
    assert japanese_spellings("KR")[:2] == ("韓国", "大韓民国")


@pytest.mark.django_db
def test_regions_are_named_from_cldr_macro_regions_where_one_matches(seed):
    names = dict(Region.objects.values_list("slug", "name_ja"))
    territories = Locale("ja").territories
    assert names["asia"] == territories["142"] == "アジア"
    assert names["europe"] == territories["150"]
    assert names["north-america"] == territories["021"]
    assert names["latin-america"] == territories["419"]
    assert names["oceania"] == territories["009"]
    assert names["africa"] == territories["002"]
    assert (names["middle-east"], names["others"]) == ("中東", "その他")


def test_the_seed_file_carries_the_library_names_not_typed_ones():
    """The fixture (loaded raw, without the fields' filling) holds what the libraries give."""
    records = json.loads(SEED.read_text(encoding="utf-8"))
    countries = [r["fields"] for r in records if r["model"] == "places.country"]
    for country in countries:
        if country["iso_code"]:
            assert country["name_ja"] == japanese_territory_name(country["iso_code"])
        assert country["name_ja_reading"] == reading(country["name_ja"])


@pytest.mark.django_db
def test_a_country_added_without_a_japanese_name_gets_cldr_s():
    country = make_country(name="Republic of Korea", iso_code="KR")
    assert country.name_ja == "韓国"
    assert Country.objects.get(pk=country.pk).name_ja_reading == "かんこく"


@pytest.mark.django_db
def test_a_japanese_name_written_by_staff_is_kept_and_its_reading_follows():
    country = make_country(name="Republic of Korea", iso_code="KR", name_ja="大韓民国")
    assert Country.objects.get(pk=country.pk).name_ja == "大韓民国"
    institution = make_institution(country=country, name_ja="延世大学校")
    assert institution.name_ja_reading == "よんせだいがっこう"
    institution.name_ja = "高麗大学校"
    institution.save()
    assert Institution.objects.get(pk=institution.pk).name_ja_reading.startswith("こうらい")


@pytest.mark.django_db
def test_staff_edit_a_country_s_japanese_name_in_the_admin(admin_client, seed):
    korea = Country.objects.get(iso_code="KR")
    url = reverse("admin:places_country_change", args=[korea.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="name_ja"' in page and 'value="韓国"' in page
    response = admin_client.post(
        url,
        {
            "name": korea.name,
            "name_ja": "大韓民国",
            "region": korea.region_id,
            "iso_code": "KR",
            "iso_alpha3": "KOR",
            "iso_name": korea.iso_name,
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    korea.refresh_from_db()
    assert (korea.name_ja, korea.name_ja_reading) == ("大韓民国", "だいかんみんこく")
    listed = admin_client.get(reverse("admin:places_country_changelist"), {"q": "大韓民国"})
    assert "Republic of Korea" in listed.content.decode()


@pytest.mark.django_db
def test_admin_lists_search_japanese_names(admin_client, seed):
    institution = Institution.objects.get(name="University of Bordeaux")
    institution.name_ja = "ボルドー大学"
    institution.save()
    found = admin_client.get(reverse("admin:agreements_institution_changelist"), {"q": "ボルドー"})
    assert "University of Bordeaux" in found.content.decode()
    assert "ボルドー大学" in found.content.decode()
    by_country = admin_client.get(
        reverse("admin:agreements_agreement_changelist"), {"q": "フランス"}
    )
    assert "University of Bordeaux" in by_country.content.decode()
    regions = admin_client.get(reverse("admin:places_region_changelist"), {"q": "中東"})
    assert "Middle East" in regions.content.decode()


# -- the migration fills a database that already holds records ------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_every_country_and_region_already_there():
    executor = MigrationExecutor(connection)
    old = executor.migrate([("agreements", "0005_institution_keeps_its_agreements")]).apps
    try:
        region = old.get_model("agreements", "Region").objects.create(
            name="Europe", slug="europe", display_order=5
        )
        country_model = old.get_model("agreements", "Country")
        country_model.objects.create(name="France", iso_code="FR", region=region)
        country_model.objects.create(name="Hong Kong", iso_code="HK", region=region)
        after = ("agreements", "0006_names_in_japanese")
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        # The models as they were then: regions and countries later moved to places.
        new = executor.loader.project_state(after).apps
        countries = dict(
            new.get_model("agreements", "Country").objects.values_list("iso_code", "name_ja")
        )
        assert countries == {"FR": "フランス", "HK": "香港"}
        assert new.get_model("agreements", "Region").objects.get().name_ja == "ヨーロッパ"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# -- showing a name in the active language ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("using", ["django", "jinja2"])
def test_the_filter_shows_the_japanese_name_on_japanese_pages(using):
    country = make_country(name="France", iso_code="FR")
    named = make_institution(name="University of Bordeaux", name_ja="ボルドー大学", country=country)
    unnamed = make_institution(name="Sciences Po <Paris>", country=country)
    template = (
        "{% load names %}" if using == "django" else ""
    ) + "{{ a|local_name }}|{{ b|local_name }}|{{ c|local_name }}|{{ x|local_name(y) }}"
    if using == "django":
        template = template.replace("x|local_name(y)", "x|local_name:y")
    context = {"a": named, "b": unnamed, "c": country, "x": "Japan", "y": "日本"}
    with translation.override("en"):
        assert render(template, using, **context) == (
            "University of Bordeaux|Sciences Po &lt;Paris&gt;|France|Japan"
        )
    with translation.override("ja"):
        assert render(template, using, **context) == (
            'ボルドー大学|<span lang="en">Sciences Po &lt;Paris&gt;</span>|フランス|日本'
        )


@pytest.mark.django_db
def test_plain_values_fall_back_to_english_with_the_same_mark():
    with translation.override("ja"):
        assert render("{% load names %}{{ 'Others'|local_name:'' }}") == (
            '<span lang="en">Others</span>'
        )
        assert local_name("Japan", "日本") == "日本"
        assert local_name("Testland", "") == "Testland"
    with translation.override("en"):
        assert local_name("Japan", "日本") == "Japan"


@pytest.mark.django_db
def test_records_tell_their_name_in_the_active_language():
    region = make_region(name="Europe", name_ja="ヨーロッパ")
    with translation.override("ja"):
        assert region.local_name == "ヨーロッパ"
    with translation.override("en"):
        assert region.local_name == "Europe"


# -- search and order on the public pages ------------------------------------------------------

LIST_URL = "/agreements/"
# The Japanese pages are the same addresses under /ja/ (a public page's language is its
# address, whatever the browser asks).
JA_LIST_URL = "/ja/agreements/"


def listed_names(response):
    return [row.name for row in response.context["rows"]]


@pytest.fixture
def bordeaux(seed):
    institution = Institution.objects.get(name="University of Bordeaux")
    institution.name_ja = "ボルドー大学"
    institution.save()
    return institution


@pytest.mark.django_db
def test_search_finds_japanese_institution_and_country_names(client, bordeaux):
    assert listed_names(client.get(LIST_URL, {"q": "大学"})) == ["University of Bordeaux"]
    french = listed_names(client.get(LIST_URL, {"q": "フランス"}))
    assert "University of Bordeaux" in french and len(french) > 1
    assert french == listed_names(client.get(LIST_URL, {"country": "fr"}))
    # English still works, for the institution and for its country.
    assert "University of Bordeaux" in listed_names(client.get(LIST_URL, {"q": "bordeaux"}))
    assert "University of Bordeaux" in listed_names(client.get(LIST_URL, {"q": "France"}))


@pytest.mark.django_db
def test_japanese_pages_show_and_sort_by_japanese_names(client, bordeaux):
    page = client.get(JA_LIST_URL, {"region": "asia"}).content.decode()
    # The countries of Asia by their reading: 韓国 (かんこく), 台湾 (たいわん), 中国 (ちゅうごく),
    # not by code point (中 < 台 < 韓).
    positions = [page.index(f"<td>{name}</td>") for name in ("韓国", "台湾", "中国")]
    assert positions == sorted(positions)
    choices = [label for _code, label in _country_choices(client)]
    assert choices.index("韓国") < choices.index("台湾") < choices.index("中国")
    # An institution with a Japanese name shows it; one without, its English name marked.
    europe = client.get(JA_LIST_URL, {"country": "fr"}).content.decode()
    assert ">ボルドー大学</a>" in europe
    other = Institution.objects.filter(country__iso_code="FR", name_ja="").exclude(agreements=None)[
        0
    ]
    assert f'<span lang="en">{escape(other.name)}</span></a>' in europe
    assert "<td>フランス</td>" in europe
    english = client.get(LIST_URL, {"country": "fr"}).content.decode()
    assert ">University of Bordeaux</a>" in english and "ボルドー大学" not in english


def _country_choices(client):
    from agreements.filters import country_choices

    with translation.override("ja"):
        return country_choices()


@pytest.mark.django_db
def test_ordering_by_name_on_japanese_pages_follows_the_reading(client, seed):
    france = Country.objects.get(iso_code="FR")
    for name, name_ja in [
        ("Test Univ Sa", "東京テスト大学"),  # とうきょう…
        ("Test Univ Ka", "金沢テスト大学"),  # かなざわ… (金 comes after 東 by code point)
        ("Test Univ Zz", ""),
    ]:
        institution = make_institution(name=name, name_ja=name_ja, country=france)
        institution.agreements.create(kind="mou", concluded_year=2020)
    names = listed_names(client.get(JA_LIST_URL, {"q": "Test Univ", "ordering": "name"}))
    assert names == ["Test Univ Zz", "Test Univ Ka", "Test Univ Sa"]
    backwards = listed_names(client.get(JA_LIST_URL, {"q": "Test Univ", "ordering": "-name"}))
    assert backwards == names[::-1]
    assert listed_names(client.get(LIST_URL, {"q": "Test Univ", "ordering": "name"})) == [
        "Test Univ Ka",
        "Test Univ Sa",
        "Test Univ Zz",
    ]


@pytest.mark.django_db
def test_statistics_in_japanese_name_and_sort_the_countries(client, seed):
    page = client.get("/ja/statistics/2022/").content.decode()
    assert "アジア" in page and "ヨーロッパ" in page
    positions = [page.index(f'class="country">{name}<') for name in ("韓国", "台湾", "中国")]
    assert positions == sorted(positions)
    english = client.get("/statistics/2022/").content.decode()
    assert 'class="country">Republic of Korea<' in english and "韓国" not in english


@pytest.mark.django_db
@pytest.mark.parametrize("size", [20, 300])
def test_japanese_pages_run_the_queries_english_ones_do(client, size):
    from django.test.utils import CaptureQueriesContext

    from tests.synthetic import synthetic_records

    synthetic_records(size)
    Institution.objects.filter(pk__in=Institution.objects.all()[:5]).update(name_ja="テスト大学")
    urls = [
        "/",
        "/agreements/",
        "/agreements/?ordering=name",
        "/agreements/?q=テスト",
        "/statistics/2022/",
        "/fact-sheet/",
        "/agreements/?format=csv",
        "/statistics/2022/?format=csv",
    ]

    def counted(prefix=""):
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{prefix}{url}").status_code == 200, url
            result[url] = len(captured)
        return result

    assert counted("/ja") == counted()


# -- downloads --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_downloads_on_japanese_pages_carry_japanese_names_with_the_formula_guard(client, bordeaux):
    import csv
    import io

    bordeaux.name_ja = "=ボルドー大学"
    bordeaux.save()
    response = client.get(JA_LIST_URL, {"country": "fr", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    bordeaux_row = next(row for row in rows if row[2] == "'=ボルドー大学")
    assert bordeaux_row[:2] == ["ヨーロッパ", "フランス"]
    english = client.get(LIST_URL, {"country": "fr", "format": "csv"})
    rows = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert ["Europe", "France", "University of Bordeaux"] in [row[:3] for row in rows]

    statistics = client.get("/ja/statistics/2022/", {"format": "csv"})
    lines = list(csv.reader(io.StringIO(statistics.content.decode("utf-8-sig"))))
    countries = [line[2] for line in lines[1:] if line[1] == "アジア"]
    assert countries.index("韓国") < countries.index("台湾") < countries.index("中国")


@pytest.mark.django_db
def test_strategic_partners_follow_the_reading_on_japanese_pages(client, seed):
    from agreements.models import StrategicPartnership

    partners = list(
        StrategicPartnership.objects.select_related("institution").order_by("institution__name")
    )
    first, last = partners[0].institution, partners[-1].institution
    first.name_ja, last.name_ja = "和歌山テスト", "愛知テスト"  # わかやま…, あいち…
    first.save()
    last.save()
    page = client.get("/ja/strategic-partnerships/").content.decode()

    def position(institution):  # shown by its Japanese name or, until the page uses it, English
        found = [page.find(text) for text in (institution.name_ja, escape(institution.name))]
        return min(index for index in found if index >= 0)

    assert position(last) < position(first)
    english = client.get("/strategic-partnerships/").content.decode()
    assert english.index(escape(first.name)) < english.index(escape(last.name))

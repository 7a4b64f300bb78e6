"""Imports read Japanese headers and country names as well as English; exports follow the
language of the page that asks for them."""

import csv
import io

import pytest
from django.utils import translation

from agreements.models import Agreement, Institution
from exchanges.models import ExchangeStatistic
from exchanges.resources import ExchangeStatisticResource
from imports.models import ImportRecord
from places.models import Country
from tests.importing import confirm, export, page_text, upload

pytestmark = pytest.mark.django_db

EXPECTED_2023 = {
    ("inbound", "KR"): 50,
    ("inbound", "VN"): 9,
    ("inbound", "FR"): 12,
    ("outbound", "KR"): 30,
    ("outbound", "CN"): 170,
}


def counts_2023():
    return {
        (row.direction, row.country.iso_code): row.researchers
        for row in ExchangeStatistic.objects.filter(academic_year=2023).select_related("country")
    }


@pytest.mark.parametrize("name", ["statistics-plain-ja.csv", "statistics-plain-ja-cp932.csv"])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_plain_table_with_japanese_headers_and_country_names(seed, admin_client, name, language):
    """年度, 方向, 国・地域, 人数; 大韓民国 (ISO) and 韓国 (CLDR) are both Korea."""
    hong_kong = Country.objects.create(
        name="Hong Kong", iso_code="HK", region=Country.objects.get(iso_code="CN").region
    )
    admin_client.cookies["django_language"] = language
    preview = upload(admin_client, ExchangeStatistic, name, HTTP_ACCEPT_LANGUAGE=language)
    assert "The file was refused" not in page_text(preview), page_text(preview)[:3000]
    confirm(admin_client, ExchangeStatistic, preview)
    assert counts_2023() == {**EXPECTED_2023, ("outbound", "HK"): 4}
    assert hong_kong.name_ja == "香港"


def test_unknown_japanese_country_is_refused_naming_file_row_and_column(seed, admin_client):
    before = ExchangeStatistic.objects.count()
    preview = upload(admin_client, ExchangeStatistic, "broken-statistics-ja.xlsx")
    text = page_text(preview)
    assert "The file was refused" in text
    problems = {(p.row, p.column): p.message for p in preview.context["result"].problems}
    assert "フランソ" in problems[(2, "C (国・地域)")]
    assert "is not a known country or region" in problems[(2, "C (国・地域)")]
    assert "is not a number" in problems[(3, "D (人数)")]
    assert ExchangeStatistic.objects.count() == before
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize("name", ["memoranda-ja.csv", "memoranda-ja.xlsx"])
def test_memoranda_list_with_japanese_headers_regions_and_countries(seed, admin_client, name):
    bordeaux = Institution.objects.get(name="University of Bordeaux")
    preview = upload(admin_client, Agreement, name)
    text = page_text(preview)
    assert "The file was refused" not in text, text[:3000]
    confirm(admin_client, Agreement, preview)
    years = dict(
        Agreement.objects.in_effect()
        .filter(institution=bordeaux)
        .values_list("kind", "concluded_year")
    )
    assert years == {"mou": 2015, "sea": 2016}


def test_the_admin_export_in_japanese_titles_and_names_in_japanese(seed, admin_client):
    titles = ("Academic year", "Direction", "Country/Region", "Researchers")
    with translation.override("ja"):
        exported = ExchangeStatisticResource().export(
            ExchangeStatistic.objects.filter(country__iso_code="KR").order_by("direction")
        )
        # Titled when exported, in the catalog's Japanese (国・地域 …), not when first loaded.
        japanese_titles = [translation.gettext(title) for title in titles]
    with translation.override("en"):
        english = ExchangeStatisticResource().export(
            ExchangeStatistic.objects.filter(country__iso_code="KR").order_by("direction")
        )
    assert list(exported.headers) == japanese_titles
    assert [row[2] for row in exported] == ["韓国", "韓国"]
    assert list(english.headers) == list(titles)
    assert [row[2] for row in english] == ["Republic of Korea", "Republic of Korea"]


def test_an_export_from_the_japanese_admin_imports_back_unchanged(seed, admin_client):
    admin_client.cookies["django_language"] = "ja"
    content = export(
        admin_client, ExchangeStatistic, "csv", query="?academic_year=2022&direction=inbound"
    )
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert "韓国" in [line[2] for line in lines]
    admin_client.cookies["django_language"] = "en"
    from tests.importing import upload_content

    preview = upload_content(admin_client, ExchangeStatistic, "exported-ja.csv", content)
    text = page_text(preview)
    assert "The file was refused" not in text, text[:3000]
    assert "Nothing to change" in text


def test_template_of_a_layout_is_titled_in_the_active_language(seed):
    from agreements.memoranda import MemorandaLayout

    with translation.override("en"):
        english = MemorandaLayout.headers()
    assert english == ["Country/Region", "Institution", "MOU", "SEA", "Japanese name"]
    # Each title, and each column's Japanese spelling, is read whatever the language.
    for language in ("en", "ja"):
        with translation.override(language):
            assert MemorandaLayout.column("country").matches("国・地域")
            assert MemorandaLayout.column("country").matches("Country/Region")
            assert MemorandaLayout.column("institution").matches("機関名")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_published_layout_exported_in_japanese_imports_back_unchanged(
    seed, admin_client, file_format
):
    from tests.importing import upload_content

    admin_client.cookies["django_language"] = "ja"
    content = export(
        admin_client,
        ExchangeStatistic,
        file_format,
        resource="1",
        query="?direction__exact=inbound&academic_year__exact=2022",
    )
    if file_format == "csv":
        text = content.decode("utf-8-sig")
        assert "アジア (506)" in text and "\n韓国," in text
        assert "Republic of Korea" not in text
    before = sorted(ExchangeStatistic.objects.values_list("pk", "researchers"))
    admin_client.cookies["django_language"] = "en"
    preview = upload_content(
        admin_client,
        ExchangeStatistic,
        f"published-ja.{file_format}",
        content,
        academic_year="2022",
        direction="inbound",
    )
    assert "The file was refused" not in page_text(preview), page_text(preview)[:3000]
    assert "Nothing to change" in page_text(preview)
    assert sorted(ExchangeStatistic.objects.values_list("pk", "researchers")) == before

"""The public pages on researcher exchanges: each year's statistics."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from exchanges.models import Direction, ExchangeStatistic
from places.models import Country
from tests.factories import make_country, make_region, make_statistic


def page_text(response):
    return response.content.decode()


def test_the_latest_year_has_both_directions_by_region_with_subtotals_and_shares(client, seed):
    response = client.get("/statistics/")
    assert response.status_code == 200
    assert response.context["year"] == 2022
    inbound, outbound = response.context["tables"]
    assert inbound.direction == Direction.INBOUND
    assert (inbound.total.researchers, outbound.total.researchers) == (1285, 3032)
    asia = inbound.regions[0]
    assert (asia.name, asia.researchers) == ("Asia", 506)
    assert round(asia.share, 1) == 39.4
    assert [r.researchers for r in outbound.regions] == [858, 103, 649, 64, 1160, 59, 138, 1]
    text = page_text(response)
    assert "1,160" in text
    assert "39.4%" in text
    assert "Change" not in text  # no 2021 figures to compare with


def test_the_change_from_the_previous_year_where_it_exists(client, seed):
    china = Country.objects.get(name="China")
    make_statistic(country=china, academic_year=2021, researchers=150)
    make_statistic(country=china, academic_year=2021, direction=Direction.OUTBOUND, researchers=30)
    response = client.get("/statistics/2022/")
    text = page_text(response)
    assert '<th scope="col" class="number">Change</th>' in text
    inbound, outbound = response.context["tables"]
    china_in = next(c for c in inbound.regions[0].countries if c.name == "China")
    china_out = next(c for c in outbound.regions[0].countries if c.name == "China")
    assert (china_in.change, china_out.change) == (16, -9)
    assert "+16" in text
    assert "\u22129" in text
    india = next(c for c in inbound.regions[0].countries if c.name == "India")
    assert india.change is None  # no India figure in 2021: no change shown, not +53


def test_the_chart_is_an_accessible_svg_with_the_data_beside_it(client, seed):
    text = page_text(client.get("/statistics/2022/"))
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in text
    assert '<title id="chart-title">Researchers by region, 2022</title>' in text
    assert "Researchers from abroad: Asia 506, Oceania 34" in text
    assert text.count('class="bar bar-1"') == 8
    assert text.count('class="bar bar-2"') == 8
    # The largest bar (Europe going abroad, 1,160) spans the whole bar area.
    assert 'width="520.0" height="16" class="bar bar-2"' in text


@pytest.mark.parametrize("year", ["1999", "2100", "99999999999999999999"])
def test_an_unknown_year_is_a_404_listing_the_years(client, seed, year):
    response = client.get(f"/statistics/{year}/")
    assert response.status_code == 404
    text = page_text(response)
    assert f"No figures for {year}" in text
    assert 'href="/statistics/2022/"' in text


@pytest.mark.django_db
def test_statistics_without_any_figures_say_so(client):
    response = client.get("/statistics/")
    assert response.status_code == 200
    assert "No figures are published yet." in page_text(response)


def test_the_statistics_csv_has_one_row_per_direction_and_country(client, seed):
    response = client.get("/statistics/2022/", {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="researchers-2022.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Direction", "Region", "Country/Region", "Researchers"]
    assert len(rows) == 1 + ExchangeStatistic.objects.count()
    assert ["Researchers from abroad", "North America", "United States of America", "153"] in rows
    assert ["Researchers going abroad", "Europe", "France", "204"] in rows


def test_the_statistics_xlsx_and_json_keep_counts_as_numbers(client, seed):
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/statistics/2022/", {"format": "xlsx"}).content)
    )
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert sum(row[3] for row in rows if row[0] == "Researchers from abroad") == 1285
    records = json.loads(client.get("/statistics/2022/", {"format": "json"}).content)
    assert (
        sum(r["Researchers"] for r in records if r["Direction"] == "Researchers going abroad")
        == 3032
    )


def test_an_unknown_statistics_format_is_a_400(client, seed):
    response = client.get("/statistics/2022/", {"format": "docx"})
    assert response.status_code == 400
    assert "“docx” is not a download format" in page_text(response)


@pytest.mark.django_db
def test_a_formula_like_country_name_is_inert_in_the_statistics_csv(client):
    make_statistic(country=make_country(name="=1+2", region=make_region(name="+Region")))
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/statistics/2022/", {"format": "csv"}).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[1][1:] == ["'+Region", "'=1+2", "1"]


@pytest.mark.django_db
def test_the_year_links_lead_to_each_year(client):
    country = make_country()
    years = [2002, 2020, 2022, 2200 - 100]
    for year in years:
        make_statistic(country=country, academic_year=year)
    text = page_text(client.get("/statistics/2020/"))
    for year in years:
        if year != 2020:
            assert (
                f'<a href="{reverse("exchanges:statistics-year", args=[year])}">{year}</a>' in text
            )
    assert '<span aria-current="page">2020</span>' in text

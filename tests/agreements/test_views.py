"""The public memoranda list, one institution's page, strategic partners and laboratories."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from agreements.models import AgreementKind, AgreementStatus, OnSiteLaboratory, PartnershipEvent
from tests.factories import (
    make_agreement,
    make_country,
    make_institution,
    make_region,
    make_strategic_partnership,
)

LIST_URL = "/agreements/"


def page_text(response):
    return response.content.decode()


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def names_on_page(response):
    return [row.name for row in response.context["rows"]]


@pytest.mark.django_db
def test_url_names_are_the_contract():
    assert reverse("home") == "/"
    assert reverse("agreements:list") == "/agreements/"
    assert reverse("agreements:institution-detail", args=["kyoto"]) == "/agreements/kyoto/"
    assert reverse("agreements:strategic-partnerships") == "/strategic-partnerships/"
    assert reverse("agreements:on-site-laboratories") == "/on-site-laboratories/"
    assert reverse("exchanges:statistics") == "/statistics/"
    assert reverse("exchanges:statistics-year", args=[2022]) == "/statistics/2022/"
    assert reverse("exchanges:fact-sheet") == "/fact-sheet/"


def test_the_list_counts_every_partner_of_the_fact_sheet(client, seed):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "237 institutions, 194 MOU, 153 SEA." in page_text(response)
    # 50 a page, grouped like the fact sheet: Asia first, Bhutan before Brunei.
    assert names_on_page(response)[:2] == [
        "Royal University of Bhutan",
        "University of Brunei Darussalam",
    ]
    assert len(response.context["rows"]) == 50
    assert "direct cooperation and exchange agreements" in page_text(response)


def test_rows_within_a_country_are_in_order_of_conclusion_as_printed(client, seed):
    response = client.get(LIST_URL, {"country": "cn"})
    names = names_on_page(response)
    assert names[:3] == ["Northwest University", "Wuhan University", "Peking University"]
    assert names[-1] == "Hong Kong Polytechnic University"


def test_only_published_agreements_and_institutions_appear(client, db):
    country = make_country(iso_code="FR")
    shown = make_agreement(institution=make_institution(name="Shown University", country=country))
    make_agreement(
        institution=make_institution(name="Hidden University", country=country, is_published=False)
    )
    make_agreement(
        institution=make_institution(name="Draft Agreement U", country=country),
        is_published=False,
    )
    make_agreement(
        institution=make_institution(name="Lapsed Agreement U", country=country),
        status=AgreementStatus.EXPIRED,
    )
    shown.internal_notes = "STAFF ONLY: renegotiating"
    shown.save()
    shown.institution.notes = "STAFF ONLY: contact"
    shown.institution.save()
    text = page_text(client.get(LIST_URL))
    assert "Shown University" in text
    for absent in ("Hidden University", "Draft Agreement U", "Lapsed Agreement U", "STAFF ONLY"):
        assert absent not in text
    assert "STAFF ONLY" not in page_text(client.get(shown.institution.get_absolute_url()))


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        ({"region": "europe"}, 96),
        ({"region": "others"}, 11),
        ({"country": "fr"}, 16),
        ({"kind": "sea"}, 153),
        ({"kind": "mou"}, 194),
        ({"strategic": "1"}, 5),
        ({"q": "polytechnic"}, 2),
        ({"country": "gb", "kind": "mou", "concluded_before": "1999"}, 4),
        ({"kind": "sea", "concluded_after": "2022", "concluded_before": "2022"}, 2),
    ],
)
def test_filters_narrow_the_list(client, seed, query, expected_count):
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    assert response.context["totals"]["institutions"] == expected_count


def test_filters_combine_on_one_and_the_same_agreement(client, db):
    """An MOU of 1990 and an SEA of 2020 do not make an SEA concluded before 2000."""
    institution = make_institution(name="Two Agreements U")
    make_agreement(institution=institution, kind=AgreementKind.MOU, concluded_year=1990)
    make_agreement(institution=institution, kind=AgreementKind.SEA, concluded_year=2020)
    response = client.get(LIST_URL, {"kind": "sea", "concluded_before": "2000"})
    assert names_on_page(response) == []
    response = client.get(LIST_URL, {"kind": "mou", "concluded_before": "2000"})
    assert names_on_page(response) == ["Two Agreements U"]


def test_the_strategic_filter_and_its_mark(client, seed):
    response = client.get(LIST_URL, {"strategic": "1"})
    assert set(names_on_page(response)) == {
        "National Taiwan University",
        "University of Vienna",
        "University of Bordeaux",
        "Universität Hamburg",
        "University of Zurich",
    }
    assert page_text(response).count('class="mark"') == 5
    assert 'name="strategic" value="1" id="id_strategic" checked' in page_text(response)


def test_the_search_looks_in_the_japanese_name_too(client, db):
    make_agreement(
        institution=make_institution(name="University of Bordeaux", name_ja="ボルドー大学")
    )
    assert names_on_page(client.get(LIST_URL, {"q": "ボルドー"})) == ["University of Bordeaux"]


def test_orderings_are_stable_and_reversible(client, seed):
    newest = names_on_page(client.get(LIST_URL, {"ordering": "-mou"}))
    assert newest[0] in {"Can Tho University", "The Jackson Laboratory"}  # 2023
    a_to_z = names_on_page(client.get(LIST_URL, {"ordering": "name"}))
    assert a_to_z[:2] == ["Aalto University", "Academia Sinica"]
    z_to_a = names_on_page(client.get(LIST_URL, {"ordering": "-name", "page": "5"}))
    assert z_to_a[-1] == "Aalto University"


def test_every_institution_appears_once_across_the_pages(client, seed):
    seen = []
    for page in range(1, 6):
        seen += names_on_page(client.get(LIST_URL, {"ordering": "mou", "page": page}))
    assert len(seen) == 237
    assert len(set(seen)) == 237


def test_pagination_keeps_the_filters(client, seed):
    response = client.get(LIST_URL, {"region": "europe", "kind": "sea"})
    text = page_text(response)
    assert 'href="?region=europe&amp;kind=sea&amp;page=2"' in text
    assert 'href="?region=europe&amp;kind=sea&amp;format=csv"' in text
    second = client.get(LIST_URL, {"region": "europe", "kind": "sea", "page": "2"})
    assert 'href="?region=europe&amp;kind=sea&amp;page=1"' in page_text(second)


@pytest.mark.parametrize("page", ["999", "abc", "-1", "1e1000000"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, seed, page):
    response = client.get(LIST_URL, {"page": page})
    assert response.status_code == 200
    assert len(response.context["rows"]) > 0


@pytest.mark.parametrize(
    "page", ["184467440737095518", "9" * 30, "\uff19" * 20, "-99999999999999999999"]
)
@pytest.mark.parametrize(
    ("url", "filters", "last_page"),
    [
        (LIST_URL, {}, "Page 5 of 5"),
        ("/ja/agreements/", {}, "5ページ中5ページ目"),
        (LIST_URL, {"region": "europe", "kind": "mou"}, "Page 2 of 2"),
        ("/ja/agreements/", {"region": "europe", "kind": "mou"}, "2ページ中2ページ目"),
    ],
)
def test_a_page_number_no_list_reaches_shows_the_last_page(
    client, seed, page, url, filters, last_page
):
    # On PostgreSQL such a number once went into the page's OFFSET as it came: a 500.
    response = client.get(url, {**filters, "page": page})
    assert response.status_code == 200
    assert last_page in page_text(response)
    number = response.context["page_obj"].number
    assert names_on_page(response) == names_on_page(client.get(url, {**filters, "page": number}))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"concluded_after": "1e1000000"}, "Enter a whole number."),
        ({"concluded_after": "9" * 5000}, "Enter a whole number."),
        ({"concluded_before": "3000"}, "less than or equal to 2100"),
        ({"region": "atlantis"}, "Select a valid choice. atlantis is not one of"),
        ({"country": "zz"}, "Select a valid choice. zz is not one of"),
        ({"kind": "treaty"}, "Select a valid choice."),
        ({"strategic": "yes please"}, "Select a valid choice."),
        ({"ordering": "password"}, "Select a valid choice."),
        ({"q": "x" * 500}, "at most 200 characters"),
        (
            {"concluded_after": "2020", "concluded_before": "2010"},
            "is later than “concluded in or before” (2010)",
        ),
    ],
)
def test_a_filter_value_that_makes_no_sense_gets_a_message_beside_the_form(
    client, seed, query, message
):
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    text = page_text(response)
    assert message in text
    assert 'role="alert"' in text
    assert "Correct the filters marked beside the form" in text
    assert response.context["rows"] == []


def test_a_screen_reader_hears_the_message_with_the_field(client, seed):
    text = page_text(client.get(LIST_URL, {"country": "zz"}))
    assert 'aria-invalid="true" aria-describedby="id_country_error"' in text
    assert 'id="id_country_error"' in text


@pytest.mark.django_db
def test_an_empty_list_says_so(client):
    response = client.get(LIST_URL)
    assert "No agreement matches these filters." in page_text(response)


def test_the_csv_download_holds_every_matching_row_not_one_page(client, seed):
    response = client.get(LIST_URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="agreements-')
    rows = csv_rows(response)
    assert rows[0] == [
        "Region",
        "Country/Region",
        "Institution",
        "MOU year",
        "SEA year",
        "Strategic partner",
    ]
    assert len(rows) == 1 + 237
    assert ["Europe", "France", "University of Bordeaux", "2014", "2015", "yes"] in rows
    assert ["Others", "", "UNESCO Chairs", "2018", "", "no"] in rows


def test_downloads_follow_the_filters(client, seed):
    rows = csv_rows(client.get(LIST_URL, {"country": "fr", "kind": "sea", "format": "csv"}))
    assert len(rows) == 1 + 11
    assert {row[1] for row in rows[1:]} == {"France"}


def test_the_xlsx_download_keeps_years_as_numbers(client, seed):
    response = client.get(LIST_URL, {"format": "xlsx", "region": "oceania"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 9
    assert ("Oceania", "Australia", "University of Queensland", 1981, 2012, "no") in rows
    # Bold headers that stay in view, every column's width fitted to its text.
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert all(sheet.column_dimensions[cell.column_letter].customWidth for cell in sheet[1])


def test_the_json_download(client, seed):
    response = client.get(LIST_URL, {"format": "json", "strategic": "1"})
    assert response["Content-Type"] == "application/json"
    records = json.loads(response.content)
    assert len(records) == 5
    assert {
        "Region": "Asia",
        "Country/Region": "Taiwan",
        "Institution": "National Taiwan University",
        "MOU year": 2005,
        "SEA year": 2005,
        "Strategic partner": "yes",
    } in records


def test_formula_text_is_made_inert_in_spreadsheets_and_kept_exact_in_json(client, db):
    make_agreement(institution=make_institution(name='=HYPERLINK("http://evil.example","x")'))
    make_agreement(institution=make_institution(name="@SUM(A1)"))
    rows = csv_rows(client.get(LIST_URL, {"format": "csv"}))
    names = {row[2] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)"}
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(LIST_URL, {"format": "xlsx"}).content)
    ).active
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == names
    records = json.loads(client.get(LIST_URL, {"format": "json"}).content)
    assert {record["Institution"] for record in records} == {
        '=HYPERLINK("http://evil.example","x")',
        "@SUM(A1)",
    }


@pytest.mark.parametrize("value", ["pdf", "", "<b>csv</b>"])
def test_an_unknown_download_format_is_a_clear_400(client, seed, value):
    response = client.get(LIST_URL, {"format": value})
    assert response.status_code == 400
    text = page_text(response)
    assert "is not a download format. Choose csv, xlsx or json" in text
    assert "<b>csv</b>" not in text


def test_a_download_with_invalid_filters_is_a_clear_400(client, seed):
    response = client.get(LIST_URL, {"format": "csv", "region": "atlantis"})
    assert response.status_code == 400
    assert "The filters are not valid: Select a valid choice." in page_text(response)


def test_an_institution_by_slug_and_by_id(client, seed):
    from agreements.models import Institution

    grenoble = Institution.objects.get(name="Université Grenoble Alpes (UGA)")
    by_slug = client.get(grenoble.get_absolute_url())
    by_id = client.get(f"/agreements/{grenoble.pk}/")
    assert by_slug.status_code == by_id.status_code == 200
    text = page_text(by_slug)
    assert "<h1>Université Grenoble Alpes (UGA)</h1>" in text
    assert "The SEA does not include Sciences Po Grenoble-UGA" in text
    assert "Sciences Po Grenoble (School of Political Studies of UGA)" in text  # a school
    school = client.get(Institution.objects.get(name__startswith="Grenoble INP").get_absolute_url())
    assert "Part of" in page_text(school)
    assert grenoble.get_absolute_url() in page_text(school)


def test_an_institution_shows_its_strategic_partnership_events_and_laboratories(client, db):
    institution = make_institution(name="Partner U")
    make_agreement(institution=institution)
    partnership = make_strategic_partnership(institution=institution, since=2015)
    PartnershipEvent.objects.create(
        partnership=partnership,
        date="2024-03-01",
        date_precision="month",
        title="Joint Symposium 2024",
        place="Partner U",
    )
    laboratory = OnSiteLaboratory.objects.create(
        name="Partner Field Lab", slug="partner-field-lab", departments="Engineering"
    )
    laboratory.partner_institutions.add(institution)
    text = page_text(client.get(institution.get_absolute_url()))
    assert "Strategic partner since 2015." in text
    assert "March 2024" in text
    assert "Joint Symposium 2024" in text
    assert "Partner Field Lab" in text


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["no-such-place", "999999", "99999999999999999999999"])
def test_an_unknown_or_unpublished_institution_is_404(client, key):
    make_institution(name="Unlisted U", slug="unlisted-u", is_published=False)
    assert client.get(f"/agreements/{key}/").status_code == 404
    assert client.get("/agreements/unlisted-u/").status_code == 404


def test_the_strategic_partnerships_page(client, seed):
    response = client.get("/strategic-partnerships/")
    text = page_text(response)
    assert response.status_code == 200
    assert "world-leading academic institutions" in text
    assert text.count('class="card"') == 5
    assert "Strategic Partnership Symposium 2024" in text


def test_the_on_site_laboratories_page_with_an_empty_register(client, seed):
    text = page_text(client.get("/on-site-laboratories/"))
    assert "Promote world-leading cutting-edge research collaboration" in text
    assert "Double degree programs with partner universities" in text
    assert "none is published yet" in text


def test_the_on_site_laboratories_page_lists_only_published_laboratories(client, db):
    partner = make_institution(name="Lab Partner U")
    hidden_partner = make_institution(name="Hidden Partner U", is_published=False)
    laboratory = OnSiteLaboratory.objects.create(
        name="Shown Lab", slug="shown-lab", departments="Graduate School of Engineering"
    )
    laboratory.partner_institutions.add(partner, hidden_partner)
    OnSiteLaboratory.objects.create(
        name="Draft Lab", slug="draft-lab", departments="x", is_published=False
    )
    text = page_text(client.get("/on-site-laboratories/"))
    assert "Shown Lab" in text
    assert "Lab Partner U" in text
    assert "Draft Lab" not in text
    assert "Hidden Partner U" not in text


@pytest.mark.django_db
def test_the_region_filter_lists_regions_and_the_country_filter_iso_codes(client):
    region = make_region(name="Europe", slug="europe")
    make_agreement(
        institution=make_institution(
            country=make_country(name="France", iso_code="FR", region=region)
        )
    )
    text = page_text(client.get(LIST_URL))
    assert '<option value="europe">Europe</option>' in text
    assert '<option value="fr">France</option>' in text
    assert '<label for="id_q">Institution name contains:</label>' in text


@pytest.mark.parametrize("key", ["²", "2²", "٣"])
def test_institution_address_with_non_ascii_digits_is_not_found(client, seed, key):
    assert client.get(f"/agreements/{key}/").status_code == 404


@pytest.mark.parametrize("key", ["café", "a b", "%25", "a.b", "{{ 7*7 }}"])
def test_an_address_that_cannot_be_a_slug_is_404_without_a_query(
    client, seed, django_assert_num_queries, key
):
    with django_assert_num_queries(0):
        assert client.get(f"/agreements/{key}/").status_code == 404

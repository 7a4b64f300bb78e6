"""The memoranda list's edges: SEA only, no country, empty years in the order, flags."""

import csv
import io

import pytest

from agreements.listing import listed_agreements, memoranda_rows, with_addresses
from agreements.models import AgreementKind, AgreementStatus, Institution
from tests.factories import (
    make_agreement,
    make_country,
    make_institution,
    make_region,
    make_strategic_partnership,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/agreements/"


def names(response):
    return [row.name for row in response.context["rows"]]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def partners():
    """Synthetic partners covering every shape a row can take."""
    europe = make_region(name="Test Europe", slug="test-europe", display_order=5)
    others = make_region(name="Others", slug="others", display_order=8)
    france = make_country(name="Testland France", iso_code="FR", region=europe)

    def partner(name, country=france, **agreements):
        institution = make_institution(name=name, country=country)
        for kind, year in agreements.items():
            make_agreement(institution=institution, kind=kind, concluded_year=year)
        return institution

    made = {
        "both": partner("Both Agreements U", mou=1990, sea=2005),
        "sea only": partner("SEA Only U", sea=1995),
        "mou only": partner("MOU Only U", mou=2010),
        "unplaced": partner("Unplaced Network", country=None, mou=2001),
        "unplaced sea": partner("Unplaced SEA Network", country=None, sea=1999),
    }
    return {"europe": europe, "others": others, **made}


def test_an_institution_with_only_an_sea_is_listed_with_no_mou(client, partners):
    response = client.get(LIST_URL)
    row = next(row for row in response.context["rows"] if row.name == "SEA Only U")
    assert (row.mou_year, row.sea_year, row.first_year) == (None, 1995, 1995)
    assert response.context["totals"] == {"institutions": 5, "mou": 3, "sea": 3}
    download = csv_rows(client.get(LIST_URL, {"format": "csv"}))
    assert ["Test Europe", "Testland France", "SEA Only U", "", "1995", "no"] in download


def test_institutions_without_a_country_are_listed_under_others_last(client, partners):
    response = client.get(LIST_URL)
    rows = response.context["rows"]
    assert [row.name for row in rows[-2:]] == ["Unplaced SEA Network", "Unplaced Network"]
    assert {row.region_label for row in rows[-2:]} == {"Others"}
    assert client.get(LIST_URL, {"region": "others"}).context["totals"]["institutions"] == 2
    download = csv_rows(client.get(LIST_URL, {"format": "csv", "region": "others"}))
    assert download[1:] == [
        ["Others", "", "Unplaced SEA Network", "", "1999", "no"],
        ["Others", "", "Unplaced Network", "2001", "", "no"],
    ]


# Without the year ordered by: last, whichever the direction, by name.
NO_MOU = ("SEA Only U", "Unplaced SEA Network")
NO_SEA = ("MOU Only U", "Unplaced Network")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (
            "mou",
            [*("Both Agreements U", "Unplaced Network", "MOU Only U"), *NO_MOU],
        ),
        (
            "-mou",
            [*("MOU Only U", "Unplaced Network", "Both Agreements U"), *NO_MOU],
        ),
        (
            "sea",
            [*("SEA Only U", "Unplaced SEA Network", "Both Agreements U"), *NO_SEA],
        ),
        (
            "-sea",
            [*("Both Agreements U", "Unplaced SEA Network", "SEA Only U"), *NO_SEA],
        ),
    ],
)
def test_ordering_by_a_year_puts_institutions_without_one_last_by_name(
    client, partners, ordering, expected
):
    assert names(client.get(LIST_URL, {"ordering": ordering})) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "sea", "concluded_after": "1996"}, {"Both Agreements U", "Unplaced SEA Network"}),
        ({"kind": "mou", "concluded_after": "1996"}, {"MOU Only U", "Unplaced Network"}),
        ({"concluded_after": "2002"}, {"Both Agreements U", "MOU Only U"}),
        ({"kind": "sea", "concluded_before": "1995"}, {"SEA Only U"}),
        ({"kind": "mou"}, {"Both Agreements U", "MOU Only U", "Unplaced Network"}),
        (
            {"concluded_after": "1995", "concluded_before": "1999"},
            {"SEA Only U", "Unplaced SEA Network"},
        ),
    ],
)
def test_kind_and_years_select_institutions_by_one_agreement(client, partners, query, expected):
    response = client.get(LIST_URL, query)
    assert set(names(response)) == expected
    assert response.context["totals"]["institutions"] == len(expected)
    download = csv_rows(client.get(LIST_URL, {**query, "format": "csv"}))
    assert {row[2] for row in download[1:]} == expected


def test_only_published_records_count_for_the_list(client, partners):
    france = partners["both"].country
    hidden_partnership = make_institution(name="Unpublished Partnership U", country=france)
    make_agreement(institution=hidden_partnership, concluded_year=2000)
    make_strategic_partnership(institution=hidden_partnership, is_published=False)
    draft = make_institution(name="Draft SEA U", country=france)
    make_agreement(institution=draft, kind=AgreementKind.MOU, concluded_year=2001)
    make_agreement(
        institution=draft,
        kind=AgreementKind.SEA,
        concluded_year=2002,
        is_published=False,
        scope_note="Draft note",
    )
    renewed = make_institution(name="Renewed U", country=france)
    make_agreement(institution=renewed, concluded_year=1980, status=AgreementStatus.EXPIRED)
    make_agreement(institution=renewed, concluded_year=2015, scope_note="Renewed in 2015.")
    make_agreement(
        institution=make_institution(name="Hidden U", country=france, is_published=False),
        concluded_year=2003,
    )
    response = client.get(LIST_URL, {"q": "U"})
    rows = {row.name: row for row in response.context["rows"]}
    assert "Hidden U" not in rows
    assert rows["Unpublished Partnership U"].is_strategic is False
    assert (rows["Draft SEA U"].mou_year, rows["Draft SEA U"].sea_year) == (2001, None)
    assert rows["Renewed U"].mou_year == 2015
    assert [note.scope_note for _number, note in response.context["footnotes"]] == [
        "Renewed in 2015."
    ]
    assert client.get(LIST_URL, {"strategic": "1"}).context["totals"]["institutions"] == 0


def test_each_row_s_years_are_those_of_its_listed_agreements(partners):
    """The list joins the agreements itself; it must agree with listed_agreements()."""
    for row in memoranda_rows():
        for kind, year in ((AgreementKind.MOU, row.mou_year), (AgreementKind.SEA, row.sea_year)):
            listed = listed_agreements().filter(institution=row, kind=kind)
            assert list(listed.values_list("concluded_year", flat=True)) == (
                [] if year is None else [year]
            )


def test_row_addresses_are_what_reverse_gives(partners):
    odd = ["with space", "percent%20", "ümlaut", "question?mark", "hash#tag", "a&b=c"]
    institutions = list(Institution.objects.all())
    for slug, institution in zip(odd, institutions, strict=False):
        institution.slug = slug
    for institution, address in with_addresses(institutions):
        assert address == institution.get_absolute_url()

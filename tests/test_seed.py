"""The seed fixture says what Kyoto University's fact sheet says, with the extraction slips fixed.

Source: shared/seed/000_629f3431958978ea.txt; every departure from its literal text is listed in
fixtures/CORRECTIONS.md.
"""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum

from agreements.models import (
    Agreement,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    Programme,
    StrategicPartnership,
)
from exchanges.models import ExchangeStatistic
from places.models import Country, CountryAlias, Region
from tests.seeding import load_seed

pytestmark = pytest.mark.django_db

YEAR = 2022

# The fact sheet's printed subtotals: (researchers from abroad, researchers going abroad).
PRINTED_SUBTOTALS = {
    "asia": (506, 858),
    "oceania": (34, 103),
    "north-america": (194, 649),
    "latin-america": (11, 64),
    "europe": (420, 1160),
    "middle-east": (34, 59),
    "africa": (38, 138),
    "others": (48, 1),
}

INTERNATIONAL_WITHOUT_COUNTRY = {
    "United Nations University",
    "ASEAN University Network (AUN)",
    "United Nations Educational, Scientific and Cultural Organization (UNESCO)",
    "ASEAN+3 University Network (ASEAN+3 UNet)",
    "ITER International Fusion Energy Organization",
    "Center for International Forestry Research (CIFOR)",
    "Food and Agriculture Organization of the United Nations (FAO)",
    "United Nations Development Programme (UNDP)",
    "UNESCO Chairs",
    "Organisation for Economic Co-operation and Development (OECD)",
}


@pytest.fixture(autouse=True)
def seed():
    load_seed()


def institution(name):
    return Institution.objects.select_related("country__region", "parent").get(name=name)


def researchers(direction, country):
    return ExchangeStatistic.objects.get(
        academic_year=YEAR, direction=direction, country__name=country
    ).researchers


# --- Academic Exchange Memoranda -------------------------------------------------------------


def test_the_memoranda_list_has_237_partners_with_194_mous_and_153_seas():
    assert Institution.objects.count() == 237
    assert Institution.objects.public().count() == 237
    assert Agreement.objects.of_kind("mou").count() == 194
    assert Agreement.objects.of_kind("sea").count() == 153
    assert Agreement.objects.public().in_effect().count() == 194 + 153


def test_each_partner_has_at_most_one_mou_and_one_sea_and_at_least_one_of_them():
    assert not Institution.objects.filter(agreements__isnull=True).exists()
    for kind in ("mou", "sea"):
        counted = Agreement.objects.of_kind(kind).values("institution").distinct().count()
        assert counted == Agreement.objects.of_kind(kind).count()


@pytest.mark.parametrize(
    ("name", "mou", "sea"),
    [
        ("Northwest University", 1980, None),
        ("Université Paris Cité", 1979, 2015),
        ("University of Birmingham", 2015, 2011),
        ("Chinese University of Hong Kong", None, 2007),
        ("The Jackson Laboratory", 2023, None),
        ("Organisation for Economic Co-operation and Development (OECD)", 2019, None),
    ],
)
def test_years_of_conclusion_are_as_printed(name, mou, sea):
    years = dict(
        Agreement.objects.filter(institution__name=name).values_list("kind", "concluded_year")
    )
    assert years.get("mou") == mou
    assert years.get("sea") == sea


def test_the_five_strategic_partners():
    assert set(StrategicPartnership.objects.values_list("institution__name", flat=True)) == {
        "National Taiwan University",
        "University of Vienna",
        "University of Bordeaux",
        "Universität Hamburg",
        "University of Zurich",
    }
    # The sheet does not say since when; nothing is invented.
    assert not StrategicPartnership.objects.filter(since__isnull=False).exists()


def test_no_name_keeps_a_footnote_mark():
    assert not Institution.objects.filter(name__regex=r"[¹²]").exists()
    assert not Institution.objects.filter(name__endswith=" ").exists()


def test_slugs_are_the_slugified_names():
    assert institution("Universität Hamburg").slug == "universitat-hamburg"
    assert institution("Koç University").slug == "koc-university"


@pytest.mark.parametrize(
    ("name", "country"),
    [
        # Country labels printed one row too low in the extracted text.
        ("North-Eastern Hill University", "India"),
        ("National Research and Innovation Agency (BRIN)", "Indonesia"),
        ("China Medical University", "Taiwan"),
        ("Can Tho University", "Viet Nam"),
        # Rows whose label was the misplaced OCEANIA heading, or a label on another row.
        ("University of Queensland", "Australia"),
        ("Charles Darwin University", "Australia"),
        ("University of Auckland", "New Zealand"),
        ("University of Otago", "New Zealand"),
        # Rows after a page break with no label.
        ("University of Maryland, College Park", "United States of America"),
        ("University of California, Los Angeles", "United States of America"),
        ("The Jackson Laboratory", "United States of America"),
        ("University of Muenster", "Germany"),
        ("Sciences Po Grenoble (School of Political Studies of UGA)", "France"),
        ("Grenoble INP (Graduate schools of Engineering and Management of UGA)", "France"),
        # Unchanged neighbours of the moved rows.
        ("Indian Institute of Science", "India"),
        ("National University of Laos", "Laos"),
        ("Kasetsart University", "Thailand"),
        ("Vietnam Academy of Social Sciences", "Viet Nam"),
        ("University of Chile", "Chile"),
        # Hong Kong universities are published under China.
        ("University of Hong Kong", "China"),
        ("Hong Kong Polytechnic University", "China"),
    ],
)
def test_partners_are_in_their_real_country(name, country):
    assert institution(name).country.name == country


def test_country_groups_are_in_order_of_conclusion_once_rows_are_in_their_country():
    # The office lists each country's partners by year of conclusion; a row left under the wrong
    # label breaks that order, which is how the shifted labels were spotted.
    # The sort key is the MOU year, or the SEA year where there is no MOU ("mou" sorts first).
    for country in Country.objects.filter(institutions__isnull=False).distinct():
        years = [
            inst.agreements.order_by("kind").first().concluded_year
            for inst in country.institutions.order_by("pk")
        ]
        assert years == sorted(years), (country.name, years)


def test_partner_countries_sit_in_the_region_they_are_printed_under():
    assert institution("University of Queensland").country.region.slug == "oceania"
    assert institution("Can Tho University").country.region.slug == "asia"
    assert institution("Lomonosov Moscow State University").country.region.slug == "europe"
    assert institution("Koç University").country.region.slug == "middle-east"


def test_only_international_bodies_listed_under_others_have_no_country():
    without = Institution.objects.filter(country__isnull=True)
    assert set(without.values_list("name", flat=True)) == INTERNATIONAL_WITHOUT_COUNTRY
    assert set(without.values_list("kind", flat=True)) == {"international_organisation", "network"}


def test_jica_is_a_japanese_agency_listed_under_others():
    jica = institution("Japan International Cooperation Agency (JICA)")
    assert jica.kind == "government_agency"
    assert jica.country.iso_code == "JP"
    assert jica.country.region.slug == "others"
    # Japan is there only for JICA.
    assert list(Institution.objects.filter(country__name="Japan")) == [jica]
    assert not ExchangeStatistic.objects.filter(country__name="Japan").exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("National Research and Innovation Agency (BRIN)", "government_agency"),
        ("National Science and Technology Development Agency", "government_agency"),
        ("Academia Sinica", "research_institute"),
        ("French National Center for Scientific Research (CNRS)", "research_institute"),
        ("The Jackson Laboratory", "research_institute"),
        ("Bureau de coopération interuniversitaire (BCI)", "network"),
        ("Agropolis International", "network"),
        ("United Nations University", "international_organisation"),
        ("Kyungpook National University", "university"),
    ],
)
def test_institution_kinds(name, kind):
    assert institution(name).kind == kind


def test_grenoble_schools_belong_to_uga_and_its_sea_excludes_them():
    uga = institution("Université Grenoble Alpes (UGA)")
    assert set(uga.schools.values_list("name", flat=True)) == {
        "Sciences Po Grenoble (School of Political Studies of UGA)",
        "Grenoble INP (Graduate schools of Engineering and Management of UGA)",
    }
    assert Institution.objects.filter(parent__isnull=False).count() == 2
    assert uga.agreements.get(kind="sea").scope_note == (
        "The SEA does not include Sciences Po Grenoble-UGA, Grenoble INP-UGA, or ENSAG-UGA."
    )
    assert uga.agreements.get(kind="mou").scope_note == ""
    # ENSAG-UGA is named only in the footnote; it is not a partner row.
    assert not Institution.objects.filter(name__icontains="ENSAG").exists()


def test_partnership_events_show_month_and_year():
    shown = {
        event.title: (event.partnership.institution.name, event.display_date, event.place)
        for event in PartnershipEvent.objects.select_related("partnership__institution")
    }
    assert shown == {
        "The University of Bordeaux-Kyoto University Strategic Partnership Symposium 2024": (
            "University of Bordeaux",
            "March 2024",
            "University of Bordeaux",
        ),
        "Renewal of the Strategic Partnership Agreement between Kyoto University and "
        "National Taiwan University": ("National Taiwan University", "August 2023", ""),
    }


# --- Researchers from abroad / going abroad ----------------------------------------------------


@pytest.mark.parametrize("region", PRINTED_SUBTOTALS)
@pytest.mark.parametrize(("direction", "column"), [("inbound", 0), ("outbound", 1)])
def test_regional_subtotals_match_the_printed_ones(region, direction, column):
    sums = dict(
        ExchangeStatistic.objects.for_year(YEAR)
        .of_direction(direction)
        .values_list("country__region__slug")
        .annotate(total=Sum("researchers"))
    )
    assert sums.get(region) == PRINTED_SUBTOTALS[region][column]


@pytest.mark.parametrize(("direction", "total"), [("inbound", 1285), ("outbound", 3032)])
def test_totals_match_the_printed_ones(direction, total):
    rows = ExchangeStatistic.objects.for_year(YEAR).of_direction(direction)
    assert rows.aggregate(total=Sum("researchers"))["total"] == total


def test_one_row_per_printed_country():
    assert ExchangeStatistic.objects.of_direction("inbound").count() == 72
    assert ExchangeStatistic.objects.of_direction("outbound").count() == 113
    assert ExchangeStatistic.objects.latest_year() == YEAR


def test_usa_inbound_153_counts_for_north_america_not_asia():
    row = ExchangeStatistic.objects.get(
        direction="inbound", country__name="United States of America"
    )
    assert row.researchers == 153
    assert row.country.region.slug == "north-america"


def test_outbound_europe_row_printed_as_panama_is_sweden():
    assert researchers("outbound", "Sweden") == 27
    assert researchers("outbound", "Panama") == 4
    assert Country.objects.get(name="Panama").region.slug == "latin-america"
    assert researchers("inbound", "Sweden") == 8


def test_the_others_row():
    assert researchers("inbound", "Others") == 48
    assert researchers("outbound", "Others") == 1


# --- Countries, regions, programme texts -------------------------------------------------------


def test_regions_in_published_order():
    assert list(Region.objects.values_list("slug", flat=True)) == [
        "asia",
        "oceania",
        "north-america",
        "latin-america",
        "europe",
        "middle-east",
        "africa",
        "others",
    ]
    assert Region.objects.get(slug="europe").name == "Europe"


def test_every_country_but_others_has_iso_codes():
    for country in Country.objects.exclude(name="Others"):
        assert re.fullmatch(r"[A-Z]{2}", country.iso_code), country.name
        assert re.fullmatch(r"[A-Z]{3}", country.iso_alpha3), country.name
        assert country.iso_name, country.name
    others = Country.objects.get(name="Others")
    assert (others.iso_code, others.iso_alpha3, others.iso_name) == ("", "", "")
    assert others.region.slug == "others"


@pytest.mark.parametrize(
    ("name", "iso_code", "iso_alpha3", "iso_name", "region"),
    [
        ("Republic of Korea", "KR", "KOR", "Korea, Republic of", "asia"),
        ("Taiwan", "TW", "TWN", "Taiwan, Province of China", "asia"),
        ("Laos", "LA", "LAO", "Lao People's Democratic Republic", "asia"),
        ("Solomon", "SB", "SLB", "Solomon Islands", "oceania"),
        ("Czech Republic", "CZ", "CZE", "Czechia", "europe"),
        ("Russia", "RU", "RUS", "Russian Federation", "europe"),
        ("Kyrgyz", "KG", "KGZ", "Kyrgyzstan", "europe"),
        ("Kosovo", "XK", "XKX", "Kosovo", "europe"),
        ("Vatican", "VA", "VAT", "Holy See", "europe"),
        ("Turkey", "TR", "TUR", "Türkiye", "middle-east"),
        ("Republic of South Africa", "ZA", "ZAF", "South Africa", "africa"),
        (
            "Democratic Republic of the Congo",
            "CD",
            "COD",
            "Congo, Democratic Republic of the",
            "africa",
        ),
    ],
)
def test_countries_as_published_with_iso_names(name, iso_code, iso_alpha3, iso_name, region):
    country = Country.objects.get(name=name)
    assert (country.iso_code, country.iso_alpha3, country.iso_name, country.region.slug) == (
        iso_code,
        iso_alpha3,
        iso_name,
        region,
    )


def test_aliases_point_to_the_published_names_and_repeat_none():
    aliases = dict(CountryAlias.objects.values_list("alias", "country__name"))
    assert aliases["South Korea"] == "Republic of Korea"
    assert aliases["Vietnam"] == "Viet Nam"
    assert aliases["USA"] == "United States of America"
    assert aliases["UK"] == "United Kingdom"
    known = {n.lower() for n in Country.objects.values_list("name", flat=True)}
    known |= {n.lower() for n in Country.objects.values_list("iso_name", flat=True)}
    assert not {a.lower() for a in aliases} & known


def test_programme_texts():
    texts = {p.slug: p for p in Programme.objects.all()}
    assert set(texts) == {
        "strategic-partnerships",
        "on-site-laboratories",
        "academic-exchange-memoranda",
    }
    labs = texts["on-site-laboratories"]
    assert labs.name == "On-site Laboratory Initiative"
    assert len(labs.aims_list) == 3
    assert labs.outcomes_list[-1] == "Promotion of academia-industry collaboration"
    assert texts["strategic-partnerships"].summary.startswith("Kyoto University has established")
    assert texts["academic-exchange-memoranda"].summary.endswith(
        "www.oc.kyoto-u.ac.jp/agreement/en/list"
    )
    # The sheet names no laboratory, so none is invented.
    assert not OnSiteLaboratory.objects.exists()


def test_loading_twice_changes_nothing():
    models = [
        m for app in ("agreements", "exchanges") for m in apps.get_app_config(app).get_models()
    ]

    def snapshot():
        return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}

    before = snapshot()
    call_command("loaddata", "seed", verbosity=0)
    assert snapshot() == before
    assert sum(len(rows) for rows in before.values()) > 0

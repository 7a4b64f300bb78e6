import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from agreements.models import (
    Agreement,
    AgreementKind,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    Programme,
)
from tests.factories import (
    make_agreement,
    make_country,
    make_institution,
    make_region,
    make_statistic,
    make_strategic_partnership,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:places_region_changelist",
    "admin:places_country_changelist",
    "admin:agreements_institution_changelist",
    "admin:agreements_agreement_changelist",
    "admin:agreements_strategicpartnership_changelist",
    "admin:agreements_partnershipevent_changelist",
    "admin:agreements_onsitelaboratory_changelist",
    "admin:agreements_programme_changelist",
    "admin:exchanges_exchangestatistic_changelist",
]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_every_changelist_and_add_form_opens_on_the_seed_data(admin_client, seed, url_name):
    response = admin_client.get(reverse(url_name))
    assert response.status_code == 200
    add_url = reverse(url_name.replace("_changelist", "_add"))
    assert admin_client.get(add_url).status_code == 200


def test_institution_change_page_shows_its_agreements_and_schools(admin_client, seed):
    uga = Institution.objects.get(name="Université Grenoble Alpes (UGA)")
    response = admin_client.get(reverse("admin:agreements_institution_change", args=[uga.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "The SEA does not include Sciences Po Grenoble-UGA" in content
    assert "Sciences Po Grenoble (School of Political Studies of UGA)" in content


def test_agreement_kinds_are_abbreviated_with_the_full_name_as_a_title(admin_client, seed):
    response = admin_client.get(reverse("admin:agreements_agreement_changelist"), {"q": "Bordeaux"})
    content = response.content.decode()
    assert '<abbr title="MOU (general memorandum)">MOU</abbr>' in content
    assert '<abbr title="SEA (student exchange agreement)">SEA</abbr>' in content

    bordeaux = Institution.objects.get(name="University of Bordeaux")
    response = admin_client.get(reverse("admin:agreements_institution_change", args=[bordeaux.pk]))
    mou = '<option value="mou" title="MOU (general memorandum)" selected>MOU</option>'
    assertContains(response, mou, count=1, html=True)
    sea = '<option value="sea" title="SEA (student exchange agreement)" selected>SEA</option>'
    assertContains(response, sea, count=1, html=True)


def test_institution_list_shows_mou_and_sea_years_and_strategic_mark(admin_client, seed):
    response = admin_client.get(
        reverse("admin:agreements_institution_changelist"), {"q": "Bordeaux"}
    )
    content = response.content.decode()
    assert "University of Bordeaux" in content
    assert '<td class="field-mou_year">2014</td>' in content
    assert '<td class="field-sea_year">2015</td>' in content
    assert "icon-yes" in content


def test_strategic_filter_lists_the_five_partners(admin_client, seed):
    response = admin_client.get(
        reverse("admin:agreements_institution_changelist"), {"strategic": "1"}
    )
    assert sorted(str(obj) for obj in response.context["cl"].result_list) == [
        "National Taiwan University",
        "University of Bordeaux",
        "University of Vienna",
        "University of Zurich",
        "Universität Hamburg",
    ]


def test_agreement_filters_by_kind_and_region(admin_client, seed):
    response = admin_client.get(
        reverse("admin:agreements_agreement_changelist"),
        {"kind__exact": "sea", "institution__country__region__id__exact": _region_id("oceania")},
    )
    assert response.status_code == 200
    result = response.context["cl"].result_list
    # Queensland, Melbourne, UNSW, Sydney, ANU, Adelaide, Charles Darwin, Auckland, Otago
    assert len(result) == 9
    assert {agreement.kind for agreement in result} == {"sea"}


def _region_id(slug):
    from places.models import Region

    return Region.objects.get(slug=slug).pk


def test_autocomplete_finds_institutions_by_name(admin_client, seed):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Hamburg",
            "app_label": "agreements",
            "model_name": "agreement",
            "field_name": "institution",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Universität Hamburg"]


def test_staff_can_add_an_agreement_through_the_admin(admin_client, seed):
    institution = Institution.objects.get(name="University of Oxford")
    response = admin_client.post(
        reverse("admin:agreements_agreement_add"),
        {
            "institution": institution.pk,
            "kind": "sea",
            "concluded_year": "2025",
            "status": "in_effect",
            "renewal_type": "fixed",  # the select's default, which a browser sends
            "is_published": "on",
            # The documents table's counts, as the page sends them with no document added.
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert institution.agreements.get(kind=AgreementKind.SEA).concluded_year == 2025


def test_second_agreement_of_a_kind_in_effect_is_refused_with_a_message(admin_client, seed):
    institution = Institution.objects.get(name="University of Oxford")
    response = admin_client.post(
        reverse("admin:agreements_agreement_add"),
        {
            "institution": institution.pk,
            "kind": "mou",
            "concluded_year": "2025",
            "status": "in_effect",
            "is_published": "on",
        },
    )
    assert response.status_code == 200
    assert "already has an agreement of this kind in effect" in response.content.decode()
    assert institution.agreements.filter(kind=AgreementKind.MOU).count() == 1


def test_implausible_year_is_refused(admin_client, seed):
    institution = Institution.objects.get(name="University of Oxford")
    response = admin_client.post(
        reverse("admin:agreements_agreement_add"),
        {
            "institution": institution.pk,
            "kind": "sea",
            "concluded_year": "198",
            "status": "in_effect",
        },
    )
    assert response.status_code == 200
    assert "between 1900 and 2100" in response.content.decode()
    assert not Agreement.objects.filter(concluded_year=198).exists()


def _changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def _fill(rows):
    """Synthetic rows of every kind the changelists show."""
    region = make_region()
    for number in range(rows):
        country = make_country(region=region)
        institution = make_institution(country=country)
        make_agreement(institution=institution, kind=AgreementKind.MOU)
        make_agreement(institution=institution, kind=AgreementKind.SEA, concluded_year=2012)
        if number % 3 == 0:
            partnership = make_strategic_partnership(institution=institution)
            PartnershipEvent.objects.create(
                partnership=partnership, date=datetime.date(2024, 3, 1), title="Test symposium"
            )
        laboratory = OnSiteLaboratory.objects.create(
            name=f"Test laboratory {institution.pk}",
            slug=f"test-laboratory-{institution.pk}",
            departments="Test department",
            country=country,
        )
        laboratory.partner_institutions.add(institution)
        Programme.objects.create(slug=f"test-programme-{institution.pk}", name="Test programme")
        make_statistic(country=country, researchers=number)


def test_changelist_query_count_does_not_grow_with_rows(admin_client):
    # Every changelist on the same rows: filling 305 rows of every kind is most of the time.
    _fill(5)
    few = {name: _changelist_queries(admin_client, reverse(name)) for name in CHANGELISTS}
    _fill(300)
    many = {name: _changelist_queries(admin_client, reverse(name)) for name in CHANGELISTS}
    assert [name for name in CHANGELISTS if many[name][1] <= few[name][1]] == []
    grown = {
        name: f"{few[name][0]} queries for {few[name][1]} rows, {many[name][0]} for {many[name][1]}"
        for name in CHANGELISTS
        if many[name][0] != few[name][0]
    }
    assert grown == {}


def test_agreements_filter_by_the_decade_they_were_concluded_in(admin_client, seed):
    url = reverse("admin:agreements_agreement_changelist")
    page = admin_client.get(url).content.decode()
    # The sidebar offers decades, newest first, and one choice for what came before.
    decade = datetime.date.today().year // 10 * 10
    assert (
        page.index(f"{decade}–{decade + 9}") < page.index("1980–1989") < page.index("before 1970")
    )
    eighties = admin_client.get(url, {"concluded": "1980"}).context["cl"].result_list
    assert eighties and {a.concluded_year // 10 for a in eighties} == {198}
    assert len(eighties) == Agreement.objects.filter(concluded_year__range=(1980, 1989)).count()
    old = make_agreement(concluded_year=1965)
    earlier = admin_client.get(url, {"concluded": "earlier"}).context["cl"].result_list
    assert list(earlier) == [old]  # the seed's oldest is 1979


def test_a_single_conclusion_year_is_still_one_address_away(admin_client, seed):
    url = reverse("admin:agreements_agreement_changelist")
    result = admin_client.get(url, {"concluded_year": "2014"}).context["cl"].result_list
    assert result and {agreement.concluded_year for agreement in result} == {2014}


def test_an_unknown_decade_lists_everything_rather_than_failing(admin_client, seed):
    url = reverse("admin:agreements_agreement_changelist")
    response = admin_client.get(url, {"concluded": "19x0"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == Agreement.objects.count()

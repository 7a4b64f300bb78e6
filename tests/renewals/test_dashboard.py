"""The renewal dashboard on the admin's home: each count at its window's boundaries, each a
link to the agreements list filtered to exactly those rows, counts by region, shown only to
those who may see agreements, in a fixed number of queries."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import AgreementKind, AgreementStatus
from renewals.terms import months_added
from staff.roles import EDITORS, VIEWERS
from tests.factories import make_agreement, make_country, make_institution, make_region

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
LIST = reverse("admin:agreements_agreement_changelist")
DAY = datetime.timedelta(days=1)


def _agreement(name, end, status=AgreementStatus.IN_EFFECT, country="any"):
    institution = make_institution(name=name, **({} if country == "any" else {"country": country}))
    return make_agreement(
        institution=institution, kind=AgreementKind.MOU, end_date=end, status=status
    )


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def boundaries(today):
    """Agreements on each side of each window's edges, in two regions and none."""
    asia = make_country(name="Testland Asia", region=make_region(name="Test Asia", display_order=1))
    europe = make_country(
        name="Testland Europe", region=make_region(name="Test Europe", display_order=2)
    )
    made = {
        "ends today": _agreement("Ends Today", today, country=asia),
        "ends at 3 months": _agreement("Three", months_added(today, 3), country=europe),
        "ends a day after 3 months": _agreement(
            "Three Plus", months_added(today, 3) + DAY, country=None
        ),
        "ends at 6 months": _agreement("Six", months_added(today, 6), country=asia),
        "ends at 12 months": _agreement("Twelve", months_added(today, 12), country=asia),
        "ends a day after 12 months": _agreement("Twelve Plus", months_added(today, 12) + DAY),
        "ended yesterday": _agreement("Yesterday", today - DAY, country=europe),
        "renewing, ended": _agreement(
            "Renewing", today - 30 * DAY, status=AgreementStatus.RENEWING, country=asia
        ),
        "expired": _agreement("Expired", today + DAY, status=AgreementStatus.EXPIRED),
        "no end": _agreement("No End", None),
        "negotiating": _agreement("Negotiating", None, status=AgreementStatus.NEGOTIATING),
    }
    return made


EXPECTED = {
    "ending-3": {"ends today", "ends at 3 months"},
    "ending-6": {"ends today", "ends at 3 months", "ends a day after 3 months", "ends at 6 months"},
    "ending-12": {
        "ends today",
        "ends at 3 months",
        "ends a day after 3 months",
        "ends at 6 months",
        "ends at 12 months",
    },
    "overdue": {"ended yesterday", "renewing, ended"},
    "negotiating": {"renewing, ended", "negotiating"},
}


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return {str(agreement.pk) for agreement in response.context["cl"].result_list}


def _dashboard(page):
    return re.search(r'<div class="module renewal-dashboard".*?</div>', page, re.S).group(0)


def test_each_count_at_its_boundaries_links_to_exactly_its_rows(admin_client, boundaries):
    page = admin_client.get(HOME).content.decode()
    dashboard = _dashboard(page)
    by_pk = {str(agreement.pk): name for name, agreement in boundaries.items()}
    for key, names in EXPECTED.items():
        url = f"{LIST}?state={key}"
        row = re.search(rf'<tr id="renewals-{key}">.*?</tr>', dashboard, re.S).group(0)
        assert f'<td><a href="{url}">{len(names)}</a></td>' in row, key
        assert {by_pk[pk] for pk in _listed(admin_client, url)} == names, key


def test_counts_by_region_link_to_the_regions_rows(admin_client, boundaries):
    dashboard = _dashboard(admin_client.get(HOME).content.decode())
    row = re.search(r'<tr id="renewals-ending-12">.*?</tr>', dashboard, re.S).group(0)
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', row)
    assert [text for _url, text in links] == [
        "Test Asia: 3",
        "Test Europe: 1",
        "Others: 1",
    ]
    counts = [len(_listed(admin_client, url.replace("&amp;", "&"))) for url, _text in links]
    assert counts == [3, 1, 1]


def test_the_old_state_filters_still_work(admin_client, boundaries):
    assert {str(boundaries["no end"].pk)} <= _listed(admin_client, f"{LIST}?state=active")
    assert str(boundaries["ended yesterday"].pk) in _listed(admin_client, f"{LIST}?state=expired")


def test_the_dashboard_in_japanese(admin_client, boundaries):
    admin_client.cookies["django_language"] = "ja"
    dashboard = _dashboard(admin_client.get(HOME).content.decode())
    for text in (
        "協定の更新",
        "3か月以内に終了",
        "終了日を過ぎても有効のまま",
        "交渉中（新規・更新）",
        "地域別",
    ):
        assert text in dashboard


def test_only_those_who_may_see_agreements_see_it(client, as_role, django_user_model, boundaries):
    viewer = as_role(VIEWERS)
    assert "renewal-dashboard" in viewer.get(HOME).content.decode()
    viewer.logout()
    from tests.staff.admin_forms import log_in, staff_user

    user = staff_user(django_user_model, "statistician", group=None)
    user.user_permissions.add(Permission.objects.get(codename="view_exchangestatistic"))
    log_in(client, "statistician")
    page = client.get(HOME).content.decode()
    assert "renewal-dashboard" not in page
    assert "Renewals" not in page


@pytest.mark.parametrize("size", [1, 40])
def test_the_home_runs_a_fixed_number_of_queries(as_role, today, size):
    client = as_role(EDITORS)
    client.get(HOME)  # the session and permissions are read once a request either way
    for number in range(size):
        region = make_region(name=f"Test region {number}x")
        country = make_country(name=f"Testland {number}x", region=region)
        _agreement(f"Ending {number}", today + DAY, country=country)
        _agreement(f"Overdue {number}", today - DAY, country=country)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    assert f'<a href="{LIST}?state=ending-3">{size}</a>' in response.content.decode()
    # Session, user, the user's permissions (groups and own), the admin log's recent
    # actions, and the dashboard's one query.
    assert len(captured) == HOME_QUERIES, [query["sql"] for query in captured]


HOME_QUERIES = 6

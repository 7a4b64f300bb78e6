"""An institution's agreements as a timeline per kind, on its admin page and its public page:
concluded 2014, renewed 2019 and 2024; in English and Japanese; the public page without
agreements under negotiation or the office's own fields."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags

from agreements.models import AgreementKind, AgreementStatus
from renewals.services import agreement_renew, successor_takes_over
from tests.factories import make_agreement, make_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_generations():
    """An MOU concluded in 2014, renewed in 2019 and in 2024, and a renewal being negotiated
    for 2029; an SEA concluded in 2020."""
    user = get_user_model().objects.create_user("keeper", is_staff=True)
    institution = make_institution(name="University of Timelines", name_ja="年表大学")
    first = make_agreement(
        institution=institution,
        kind=AgreementKind.MOU,
        concluded_year=2014,
        start_date=datetime.date(2014, 4, 1),
        end_date=datetime.date(2019, 3, 31),
        responsible_staff=user,
        partner_contact_name="Secret Contact Person",
        partner_contact_email="secret.contact@example.org",
        internal_notes="Internal remark nobody outside may read",
    )
    chain = [first]
    for year in (2019, 2024, 2029):
        successor = agreement_renew(
            agreement=chain[-1],
            start_date=datetime.date(year, 4, 1),
            end_date=datetime.date(year + 5, 3, 31),
            user=user,
        )
        if year != 2029:
            successor.status = AgreementStatus.IN_EFFECT
            with transaction.atomic():
                successor_takes_over(agreement=successor, user=user)
                successor.save()
        chain.append(successor)
    sea = make_agreement(
        institution=institution,
        kind=AgreementKind.SEA,
        concluded_year=2020,
        start_date=datetime.date(2020, 9, 1),
        end_date=datetime.date(2025, 8, 31),
    )
    return institution, chain, sea


def _text(html):
    return re.sub(r"\s+", " ", strip_tags(html))


def test_the_admin_page_shows_each_kinds_timeline_with_links(admin_client, three_generations):
    institution, chain, sea = three_generations
    page = admin_client.get(
        reverse("admin:agreements_institution_change", args=[institution.pk])
    ).content.decode()
    text = _text(page)
    assert "MOU: concluded 2014, renewed 2019 and 2024" in text
    assert "SEA: concluded 2020" in text
    assert "Renewal: 1 April 2024 – 31 March 2029 (Renewal under negotiation)" in text
    assert "Renewal: 1 April 2029 – 31 March 2034 (Negotiating)" in text
    assert "Conclusion: 1 April 2014 – 31 March 2019 (Expired)" in text
    for agreement in [*chain, sea]:
        assert reverse("admin:agreements_agreement_change", args=[agreement.pk]) in page


def test_the_public_page_shows_the_published_timeline(client, three_generations):
    institution, _chain, _sea = three_generations
    page = client.get(institution.get_absolute_url()).content.decode()
    text = _text(page)
    assert "Agreements over time" in text
    assert "MOU: concluded 2014, renewed 2019 and 2024" in text
    assert "Renewal: 1 April 2024 – 31 March 2029 (Renewal under negotiation)" in text
    # The renewal under negotiation, and the office's own fields, stay inside.
    assert "2034" not in text
    for private in (
        "Secret Contact Person",
        "secret.contact@example.org",
        "Internal remark",
        "keeper",
    ):
        assert private not in page
    # The end date where published, as before.
    assert '<time datetime="2029-03-31">31 March 2029</time>' in page


def test_the_timelines_in_japanese(client, admin_client, three_generations):
    institution, _chain, _sea = three_generations
    public = _text(client.get(f"/ja{institution.get_absolute_url()}").content.decode())
    assert "協定の経過" in public
    assert "MOU：2014年締結、2019年・2024年更新" in public
    assert "更新：2024年4月1日～2029年3月31日（更新交渉中）" in public
    assert "有効期限" in public
    admin_client.cookies["django_language"] = "ja"
    staff = _text(
        admin_client.get(
            reverse("admin:agreements_institution_change", args=[institution.pk])
        ).content.decode()
    )
    assert "MOU：2014年締結、2019年・2024年更新" in staff


def test_a_step_says_only_the_dates_that_are_known(client):
    """The fact sheet gives years, not dates: its agreements' steps show no range of blanks."""
    institution = make_institution(name="University of Few Dates")
    make_agreement(institution=institution, kind=AgreementKind.MOU, concluded_year=2001)
    make_agreement(
        institution=institution,
        kind=AgreementKind.SEA,
        concluded_year=2021,
        start_date=datetime.date(2021, 4, 1),
    )
    text = _text(client.get(institution.get_absolute_url()).content.decode())
    assert "MOU: concluded 2001 Conclusion (In effect)" in text
    assert "Conclusion: 1 April 2021 onwards (In effect)" in text
    assert "…" not in text
    japanese = _text(client.get(f"/ja{institution.get_absolute_url()}").content.decode())
    assert "締結（有効）" in japanese
    assert "締結：2021年4月1日から（有効）" in japanese

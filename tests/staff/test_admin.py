"""Every change is kept and shown field by field, can be reverted, and is never overwritten
by a colleague's later save."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementStatus
from staff.roles import EDITORS
from tests.factories import make_agreement, make_institution
from tests.staff.admin_forms import change_form_data, log_in, staff_user

pytestmark = pytest.mark.django_db


def _change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


@pytest.fixture
def editors(client, django_user_model):
    """Two editors, each logged in on their own browser."""
    from django.test import Client

    staff_user(django_user_model, "aiko", group=EDITORS)
    staff_user(django_user_model, "ben", group=EDITORS)
    second = Client()
    assert log_in(client, "aiko").status_code == 302
    assert log_in(second, "ben", address="192.0.2.11").status_code == 302
    return client, second


def test_history_page_shows_who_changed_which_field_from_what_to_what(editors):
    aiko, _ben = editors
    agreement = make_agreement(concluded_year=2001, scope_note="Undergraduates only")
    page = aiko.get(_change_url(agreement))

    saved = aiko.post(
        _change_url(agreement),
        change_form_data(page, concluded_year="2004", scope_note="All students"),
    )
    history = aiko.get(_history_url(agreement)).content.decode()

    assert saved.status_code == 302
    assert "aiko" in history
    assert "Year of conclusion:</strong>\n                    2001" in history
    assert "2004" in history
    assert "Scope note:</strong>\n                    Undergraduates only" in history
    assert "All students" in history


def test_an_earlier_version_can_be_restored_from_the_history(editors):
    aiko, _ben = editors
    agreement = make_agreement(concluded_year=2001, scope_note="Undergraduates only")
    page = aiko.get(_change_url(agreement))
    aiko.post(
        _change_url(agreement),
        change_form_data(page, concluded_year="2004", scope_note="All students"),
    )
    first = agreement.history.earliest("history_id")
    revert_url = reverse(
        "admin:agreements_agreement_simple_history", args=[agreement.pk, first.history_id]
    )

    revert_page = aiko.get(revert_url)
    reverted = aiko.post(revert_url, change_form_data(revert_page))

    assert 'value="Revert"' in revert_page.content.decode()
    assert reverted.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.concluded_year, agreement.scope_note) == (2001, "Undergraduates only")
    latest = agreement.history.latest("history_id")
    assert latest.history_user.username == "aiko"
    assert latest.history_change_reason.startswith("Reverted to the version of ")
    assert agreement.history.count() == 3


def test_the_later_of_two_saves_is_refused_with_what_changed_meanwhile(editors):
    aiko, ben = editors
    agreement = make_agreement(concluded_year=2001, scope_note="Undergraduates only")
    aiko_page = aiko.get(_change_url(agreement))
    ben_page = ben.get(_change_url(agreement))

    first = aiko.post(_change_url(agreement), change_form_data(aiko_page, concluded_year="2004"))
    later = ben.post(
        _change_url(agreement), change_form_data(ben_page, scope_note="Graduate students")
    )

    assert first.status_code == 302
    assert later.status_code == 200
    message = later.content.decode()
    assert "Someone else saved this record after you opened it" in message
    assert "aiko changed agreement" in message
    assert "year of conclusion: “2001” → “2004”" in message
    agreement.refresh_from_db()
    assert (agreement.concluded_year, agreement.scope_note) == (2004, "Undergraduates only")
    assert agreement.history.count() == 2

    # Having seen the message, saving the same form again keeps ben's edits knowingly.
    again = ben.post(_change_url(agreement), change_form_data(later))
    assert again.status_code == 302
    agreement.refresh_from_db()
    assert agreement.scope_note == "Graduate students"


def test_a_change_to_an_inline_record_meanwhile_also_refuses_the_save(editors):
    aiko, ben = editors
    institution = make_institution(name="Concurrent University")
    agreement = make_agreement(institution=institution, concluded_year=2001)
    ben_page = ben.get(_change_url(institution))
    aiko_page = aiko.get(_change_url(agreement))

    aiko.post(
        _change_url(agreement),
        change_form_data(aiko_page, status=AgreementStatus.EXPIRED),
    )
    later = ben.post(
        _change_url(institution), change_form_data(ben_page, website="https://example.org/")
    )

    assert later.status_code == 200
    message = later.content.decode()
    assert "status: “In effect” → “Expired”" in message
    institution.refresh_from_db()
    assert institution.website == ""
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.EXPIRED


def test_a_refused_save_keeps_other_errors_and_the_users_edits(editors):
    aiko, ben = editors
    agreement = make_agreement(concluded_year=2001)
    aiko_page = aiko.get(_change_url(agreement))
    ben_page = ben.get(_change_url(agreement))
    aiko.post(_change_url(agreement), change_form_data(aiko_page, concluded_year="2004"))

    later = ben.post(
        _change_url(agreement),
        change_form_data(ben_page, scope_note="Ben's note", concluded_year="198"),
    )

    content = later.content.decode()
    assert "Someone else saved this record" in content
    assert "Ben&#x27;s note" in content
    agreement.refresh_from_db()
    assert agreement.concluded_year == 2004


def test_saves_one_after_another_are_not_refused(editors):
    aiko, _ben = editors
    agreement = make_agreement(concluded_year=2001)
    for year in ["2002", "2003"]:
        page = aiko.get(_change_url(agreement))
        assert (
            aiko.post(
                _change_url(agreement), change_form_data(page, concluded_year=year)
            ).status_code
            == 302
        )
    agreement.refresh_from_db()
    assert agreement.concluded_year == 2003


def test_a_revert_over_a_newer_change_is_refused_too(editors):
    aiko, ben = editors
    agreement = make_agreement(concluded_year=2001)
    page = aiko.get(_change_url(agreement))
    aiko.post(_change_url(agreement), change_form_data(page, concluded_year="2002"))
    first = agreement.history.earliest("history_id")
    revert_url = reverse(
        "admin:agreements_agreement_simple_history", args=[agreement.pk, first.history_id]
    )
    revert_page = ben.get(revert_url)
    page = aiko.get(_change_url(agreement))
    aiko.post(_change_url(agreement), change_form_data(page, concluded_year="2003"))

    refused = ben.post(revert_url, change_form_data(revert_page))

    assert refused.status_code == 200
    assert "“2002” → “2003”" in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.concluded_year == 2003


@pytest.mark.parametrize("value", ["inbound", "9" * 30, "-1", "1.5"])
def test_a_refused_form_with_a_key_that_cannot_be_one_is_shown_again(admin_client, value):
    institution = make_institution(name="Autocomplete University")
    url = reverse("admin:agreements_agreement_add")
    response = admin_client.post(
        url, {"institution": value, "kind": "mou", "concluded_year": "2001", "status": "x"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["institution"]
    # A real key is still shown as chosen.
    again = admin_client.post(url, {"institution": institution.pk, "kind": "nonsense"})
    assert "Autocomplete University" in again.content.decode()


def test_each_row_s_action_checkbox_is_the_one_django_renders(admin_client):
    """The admin's select-all script finds the rows' checkboxes by their name and class."""
    from django.contrib import admin

    institution = make_institution(name='<b>"Quoted" & Co</b>')
    model_admin = admin.site._registry[type(institution)]
    ours = model_admin.action_checkbox(institution)
    assert ours == admin.ModelAdmin.action_checkbox(model_admin, institution)
    assert 'aria-label="Select this object for an action - &lt;b&gt;&quot;Quoted' in ours
    changelist = admin_client.get(reverse("admin:agreements_institution_changelist"))
    assert ours in changelist.content.decode()


def _filter_choices(response, title):
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == title)
    return [choice["display"] for choice in spec.choices(response.context["cl"])]


def test_list_filters_offer_what_the_rows_use_as_django_s_own_filters_would(admin_client):
    """Country, region and year filters list only values that some row has."""
    from django.contrib.admin import RelatedOnlyFieldListFilter

    from exchanges.admin import ExchangeStatisticAdmin
    from tests.factories import make_country, make_region, make_statistic

    first, second = make_region(name="First region"), make_region(name="Second region")
    unused_region = make_region(name="Unused region")
    make_country(name="Unused land", region=unused_region)
    make_country(name="Another unused land", region=first)
    make_statistic(country=make_country(name="Used land", region=first), academic_year=2022)
    make_statistic(country=make_country(name="Other land", region=second), academic_year=2019)
    url = reverse("admin:exchanges_exchangestatistic_changelist")
    response = admin_client.get(url)
    assert _filter_choices(response, "country or region") == ["All", "Used land", "Other land"]
    assert _filter_choices(response, "region") == ["All", "First region", "Second region"]
    assert _filter_choices(response, "academic year") == ["All", "2019", "2022"]

    original = ExchangeStatisticAdmin.list_filter
    ExchangeStatisticAdmin.list_filter = [
        "academic_year",
        ("country__region", RelatedOnlyFieldListFilter),
        ("country", RelatedOnlyFieldListFilter),
    ]
    try:
        djangos = admin_client.get(url)
    finally:
        ExchangeStatisticAdmin.list_filter = original
    for title in ("country or region", "region", "academic year"):
        assert _filter_choices(response, title) == _filter_choices(djangos, title)


def test_every_row_of_a_changelist_links_to_its_own_record(admin_client):
    institutions = [make_institution(name=f"Linked University {n}") for n in range(12)]
    text = admin_client.get(reverse("admin:agreements_institution_changelist")).content.decode()
    for institution in institutions:
        change = reverse("admin:agreements_institution_change", args=[institution.pk])
        assert f'<a href="{change}">{institution.name}</a>' in text


def test_the_statistics_list_counts_its_rows_once(admin_client):
    """A national import makes 100,000 rows: '(N total)' would count them all again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_statistic

    for year in (2021, 2022):
        make_statistic(academic_year=year)
    url = reverse("admin:exchanges_exchangestatistic_changelist")

    def counts(query):
        with CaptureQueriesContext(connection) as captured:
            text = admin_client.get(url + query).content.decode()
        return sum("COUNT(" in q["sql"] for q in captured.captured_queries), text

    queries, text = counts("")
    assert queries == 1
    assert "Show all" not in text
    queries, text = counts("?academic_year=2022")
    assert queries == 1
    assert "1 result (" in text
    assert ">Show all</a>" in text

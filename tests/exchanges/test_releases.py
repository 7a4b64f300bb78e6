"""Statistics releases: imports write drafts; staff publish them; the public sees only those."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from exchanges.models import Direction, ExchangeStatistic, ReleaseState, StatisticsRelease
from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.factories import make_release, make_statistic
from tests.importing import confirm, page_text, upload
from tests.staff.admin_forms import log_in, staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:exchanges_statisticsrelease_changelist")
# The plain table of the issue: a few 2023 rows (71 from abroad, 204 going abroad).
PLAIN_2023 = "statistics-plain.csv"
PUBLIC_PAGES = ["/", "/statistics/", "/statistics/2022/", "/fact-sheet/"]
DOWNLOADS = [f"/statistics/2022/?format={file_format}" for file_format in ("csv", "xlsx", "json")]


def release(year, direction):
    return StatisticsRelease.objects.get(academic_year=year, direction=direction)


def import_plain_2023(admin_client):
    preview = upload(admin_client, ExchangeStatistic, PLAIN_2023)
    assert preview.status_code == 200
    confirm(admin_client, ExchangeStatistic, preview)
    assert ExchangeStatistic.objects.filter(academic_year=2023).count() == 6
    return preview


def act(client, action, *releases):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(r.pk) for r in releases]},
        follow=True,
    )


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_seed_years_are_published(seed):
    assert sorted(StatisticsRelease.objects.values_list("academic_year", "direction", "state")) == [
        (2022, "inbound", "published"),
        (2022, "outbound", "published"),
    ]


def test_an_imported_year_is_a_draft_seen_nowhere_in_public_until_published(
    seed, admin_client, client
):
    preview = import_plain_2023(admin_client)

    text = page_text(preview)
    assert "2023 researchers from abroad is a draft: confirming this import changes no" in text
    assert "2023 researchers going abroad is a draft" in text
    assert release(2023, "inbound").state == ReleaseState.DRAFT
    assert release(2023, "outbound").state == ReleaseState.DRAFT
    assert release(2023, "inbound").history.get().history_type == "+"

    home = page_text(client.get("/"))
    assert "1,285</span> researchers from abroad in 2022" in home
    assert "3,032</span> researchers going abroad in 2022" in home
    assert "2023" not in home
    for url in PUBLIC_PAGES:
        text = page_text(client.get(url))
        assert "/statistics/2023/" not in text, url
    latest = client.get("/statistics/")
    assert latest.context["year"] == 2022
    assert [table.total.researchers for table in latest.context["tables"]] == [1285, 3032]
    assert client.get("/statistics/2023/").status_code == 404
    assert client.get("/statistics/2023/?format=csv").status_code == 404
    for url in DOWNLOADS:
        assert b"2023" not in client.get(url).content
    fact_sheet = client.get("/fact-sheet/")
    assert [table.year for table, _rows in fact_sheet.context["sections"]] == [2022, 2022]

    done = act(admin_client, "publish", release(2023, "inbound"), release(2023, "outbound"))
    assert "Published: 2023 researchers from abroad, 2023 researchers going abroad." in (
        page_text(done)
    )

    home = page_text(client.get("/"))
    assert "71</span> researchers from abroad in 2023" in home
    assert "204</span> researchers going abroad in 2023" in home
    statistics = client.get("/statistics/")
    assert statistics.context["year"] == 2023
    assert [table.total.researchers for table in statistics.context["tables"]] == [71, 204]
    fact_sheet = client.get("/fact-sheet/")
    assert [table.year for table, _rows in fact_sheet.context["sections"]] == [2023, 2023]
    rows = csv_rows(client.get("/statistics/2023/?format=csv").content)
    assert ["Researchers going abroad", "Europe", "United Kingdom", "170"] in rows


def test_each_direction_shows_its_own_latest_published_year(seed, admin_client, client):
    import_plain_2023(admin_client)
    act(admin_client, "publish", release(2023, "inbound"))

    home = page_text(client.get("/"))
    assert "71</span> researchers from abroad in 2023" in home
    assert "3,032</span> researchers going abroad in 2022" in home
    fact_sheet = client.get("/fact-sheet/")
    years = {table.direction: table.year for table, _rows in fact_sheet.context["sections"]}
    assert years == {"inbound": 2023, "outbound": 2022}
    assert "3,032" in page_text(fact_sheet)

    page = client.get("/statistics/2023/")
    assert [table.direction for table in page.context["tables"]] == ["inbound"]
    text = page_text(page)
    assert "Researchers going abroad: the latest published figures are for" in text
    assert "204" not in text  # the draft's total, and never "0" in its place
    # The draft's change against 2022 (204 - 3,032) is on no page.
    assert "2,828" not in text
    rows = csv_rows(client.get("/statistics/2023/?format=csv").content)
    assert {row[0] for row in rows[1:]} == {"Researchers from abroad"}
    data = json.loads(client.get("/statistics/2023/?format=json").content)
    assert {row["Direction"] for row in data} == {"Researchers from abroad"}


def test_a_published_year_whose_counts_were_all_deleted_gives_way_to_the_one_before(
    seed, admin_client, client
):
    import_plain_2023(admin_client)
    act(admin_client, "publish", release(2023, "inbound"), release(2023, "outbound"))
    ExchangeStatistic.objects.filter(academic_year=2023).delete()

    assert client.get("/statistics/").status_code == 200
    assert client.get("/statistics/").context["year"] == 2022
    assert client.get("/statistics/2023/").status_code == 404
    home = page_text(client.get("/"))
    assert "1,285</span> researchers from abroad in 2022" in home
    assert "3,032</span> researchers going abroad in 2022" in home


def test_a_change_is_shown_only_against_a_published_previous_year(seed, client):
    china = ExchangeStatistic.objects.get(
        academic_year=2022, direction="inbound", country__name="China"
    ).country
    make_statistic(country=china, academic_year=2023, researchers=200)
    make_statistic(country=china, academic_year=2023, direction=Direction.OUTBOUND, researchers=20)
    page = client.get("/statistics/2023/")
    assert [table.compared for table in page.context["tables"]] == [True, True]
    assert "Change</th>" in page_text(page)

    StatisticsRelease.objects.filter(academic_year=2022, direction="outbound").update(
        state=ReleaseState.DRAFT
    )
    page = client.get("/statistics/2023/")
    inbound, outbound = page.context["tables"]
    assert (inbound.compared, outbound.compared) == (True, False)
    assert inbound.total.change == 200 - 1285
    assert outbound.total.change is None
    assert page_text(page).count("Change</th>") == 1


def test_staff_preview_a_draft_year_under_a_banner_and_visitors_get_a_404(
    seed, admin_client, client, django_user_model
):
    import_plain_2023(admin_client)

    assert client.get("/statistics/2023/").status_code == 404
    staff = admin_client.get("/statistics/2023/")
    text = page_text(staff)
    assert staff.status_code == 200
    assert 'class="draft-banner"' in text
    assert "Draft: not published." in text
    assert "Researchers from abroad, Researchers going abroad for 2023 are a draft" in text
    assert [table.total.researchers for table in staff.context["tables"]] == [71, 204]
    # Downloads stay published figures only, for staff too.
    assert admin_client.get("/statistics/2023/?format=csv").status_code == 404

    staff_user(django_user_model, "vera", group=VIEWERS)
    log_in(client, "vera")
    assert "Draft: not published." in page_text(client.get("/statistics/2023/"))
    client.logout()
    staff_user(django_user_model, "norole", group=None)
    log_in(client, "norole")
    assert client.get("/statistics/2023/").status_code == 404

    act(admin_client, "publish", release(2023, "inbound"), release(2023, "outbound"))
    assert "draft-banner" not in page_text(admin_client.get("/statistics/2023/"))


def test_reimporting_into_a_published_year_keeps_it_published_and_the_preview_says_so(
    seed, admin_client, client
):
    import_plain_2023(admin_client)
    act(admin_client, "publish", release(2023, "inbound"), release(2023, "outbound"))
    ExchangeStatistic.objects.filter(academic_year=2023, researchers=170).update(researchers=1)

    preview = upload(admin_client, ExchangeStatistic, PLAIN_2023)
    text = page_text(preview)
    assert (
        "2023 researchers going abroad is published: confirming this import changes the public "
        "pages at once" in text
    )
    assert "2023 researchers from abroad is published" not in text  # nothing changes there
    confirm(admin_client, ExchangeStatistic, preview)

    assert release(2023, "outbound").state == ReleaseState.PUBLISHED
    assert "204</span> researchers going abroad in 2023" in page_text(client.get("/"))


def test_a_confirm_is_refused_when_the_year_was_published_after_the_preview(seed, admin_client):
    import_plain_2023(admin_client)
    ExchangeStatistic.objects.filter(academic_year=2023, researchers=170).update(researchers=1)
    preview = upload(admin_client, ExchangeStatistic, PLAIN_2023)
    act(admin_client, "publish", release(2023, "outbound"))

    done = confirm(admin_client, ExchangeStatistic, preview)

    assert "release 2023 outbound: draft when previewed, published now" in page_text(done)
    assert ExchangeStatistic.objects.filter(academic_year=2023, researchers=1).count() == 1


def test_the_changelist_shows_each_year_and_direction_with_its_total_state_who_and_when(
    seed, admin_client
):
    import_plain_2023(admin_client)
    act(admin_client, "publish", release(2023, "outbound"))
    response = admin_client.get(CHANGELIST)
    text = page_text(response)
    assert [
        (r.academic_year, r.direction, r.researchers) for r in response.context["cl"].result_list
    ] == [
        (2023, "inbound", 71),
        (2023, "outbound", 204),
        (2022, "inbound", 1285),
        (2022, "outbound", 3032),
    ]
    assert "Draft" in text and "Published" in text
    assert release(2023, "outbound").published_by.username == "admin"
    assert release(2023, "outbound").published_at is not None
    # The totals come in the list's own query: more releases, the same number of queries.
    before = len(_queries(admin_client))
    for year in range(2000, 2010):
        make_release(academic_year=year, direction="inbound")
    assert len(_queries(admin_client)) == before


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(CHANGELIST).status_code == 200
    return captured.captured_queries


def test_publishing_and_unpublishing_are_in_the_history_with_who_and_why(seed, admin_client):
    import_plain_2023(admin_client)
    inbound = release(2023, "inbound")
    act(admin_client, "publish", inbound)
    act(admin_client, "unpublish", inbound)

    history = list(inbound.history.order_by("history_id"))
    assert [(h.state, h.history_change_reason) for h in history] == [
        ("draft", "Draft made by an import of its figures"),
        ("published", "Published"),
        ("draft", "Unpublished"),
    ]
    assert [h.history_user.username for h in history[1:]] == ["admin", "admin"]
    assert release(2023, "inbound").published_by is None
    history_page = admin_client.get(
        reverse("admin:exchanges_statisticsrelease_history", args=[inbound.pk])
    )
    assert history_page.status_code == 200
    assert "Unpublished" in page_text(history_page)


def test_an_action_on_an_already_published_year_changes_nothing_and_says_so(seed, admin_client):
    done = act(admin_client, "publish", release(2022, "inbound"))
    assert "Already so, nothing changed: 2022 researchers from abroad." in page_text(done)
    # Only the seed's first version: the action wrote none.
    assert list(release(2022, "inbound").history.values_list("history_type", flat=True)) == ["+"]


@pytest.mark.parametrize(
    ("group", "may_publish"),
    [(EDITORS, True), (IMPORTERS, True), (VIEWERS, False)],
)
def test_roles_that_edit_statistics_publish_by_a_direct_post_others_cannot(
    seed, admin_client, client, django_user_model, group, may_publish
):
    import_plain_2023(admin_client)
    staff_user(django_user_model, "clerk", group=group)
    log_in(client, "clerk")
    listing = page_text(client.get(CHANGELIST))
    assert ('value="publish"' in listing) is may_publish

    act(client, "publish", release(2023, "inbound"))

    expected = ReleaseState.PUBLISHED if may_publish else ReleaseState.DRAFT
    assert release(2023, "inbound").state == expected
    act(client, "unpublish", release(2022, "inbound"))
    expected = ReleaseState.DRAFT if may_publish else ReleaseState.PUBLISHED
    assert release(2022, "inbound").state == expected


def test_staff_without_a_role_and_everyone_adding_or_deleting_releases_are_refused(
    seed, admin_client, client, django_user_model
):
    staff_user(django_user_model, "norole", group=None)
    log_in(client, "norole")
    assert client.get(CHANGELIST).status_code == 403
    assert act(client, "unpublish", release(2022, "inbound")).status_code == 403
    assert release(2022, "inbound").state == ReleaseState.PUBLISHED
    # Releases change only by publishing and unpublishing, even for a superuser.
    inbound = release(2022, "inbound")
    assert admin_client.get(reverse("admin:exchanges_statisticsrelease_add")).status_code == 403
    delete = reverse("admin:exchanges_statisticsrelease_delete", args=[inbound.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:exchanges_statisticsrelease_change", args=[inbound.pk])
    admin_client.post(change, {"state": "draft"})
    assert release(2022, "inbound").state == ReleaseState.PUBLISHED
    assert User.objects.filter(username="norole").exists()


def test_a_count_added_in_the_admin_for_a_new_year_is_a_draft(seed, admin_client, client):
    china = ExchangeStatistic.objects.filter(country__name="China").first().country
    add = reverse("admin:exchanges_exchangestatistic_add")
    admin_client.post(
        add,
        {"academic_year": 2024, "direction": "inbound", "country": china.pk, "researchers": 5},
    )
    assert ExchangeStatistic.objects.filter(academic_year=2024).count() == 1
    assert release(2024, "inbound").state == ReleaseState.DRAFT
    assert client.get("/statistics/2024/").status_code == 404

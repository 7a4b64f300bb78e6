"""The publish_statistics command: each option, its messages, its errors."""

import io

import pytest
from django.core.management import CommandError, call_command

from exchanges.models import ReleaseState, StatisticsRelease
from tests.commands import PRODUCTION, manage
from tests.factories import make_statistic
from tests.importing import DATA

pytestmark = pytest.mark.django_db


def publish(*args):
    out = io.StringIO()
    call_command("publish_statistics", *args, stdout=out)
    return out.getvalue()


def states(year):
    return dict(
        StatisticsRelease.objects.filter(academic_year=year).values_list("direction", "state")
    )


@pytest.fixture
def drafts_2023(seed):
    make_statistic(academic_year=2023, researchers=40, published=False)
    make_statistic(academic_year=2023, researchers=2, published=False)
    make_statistic(academic_year=2023, direction="outbound", researchers=7, published=False)


def test_a_year_publishes_both_directions_and_says_so(drafts_2023):
    output = publish("2023")

    assert output.splitlines() == [
        "Published 2023 researchers from abroad (42 researchers).",
        "Published 2023 researchers going abroad (7 researchers).",
    ]
    assert states(2023) == {"inbound": "published", "outbound": "published"}
    release = StatisticsRelease.objects.get(academic_year=2023, direction="inbound")
    assert release.published_at is not None and release.published_by is None
    assert release.history.latest("history_id").history_change_reason == "Published"


def test_one_direction_only(drafts_2023):
    assert publish("2023", "--direction", "outbound") == (
        "Published 2023 researchers going abroad (7 researchers).\n"
    )
    assert states(2023) == {"inbound": "draft", "outbound": "published"}


def test_unpublish_makes_a_year_a_draft_again(drafts_2023):
    publish("2023")
    output = publish("2023", "--direction", "inbound", "--unpublish")

    assert output == "Unpublished 2023 researchers from abroad (42 researchers): now a draft.\n"
    assert states(2023) == {"inbound": "draft", "outbound": "published"}
    assert publish("2023", "--unpublish").splitlines() == [
        "2023 researchers from abroad (42 researchers) is already a draft; nothing changed.",
        "Unpublished 2023 researchers going abroad (7 researchers): now a draft.",
    ]


def test_publishing_twice_changes_nothing_and_says_so(seed):
    assert publish("2022").splitlines() == [
        "2022 researchers from abroad (1,285 researchers) is already published; nothing changed.",
        "2022 researchers going abroad (3,032 researchers) is already published; nothing changed.",
    ]
    # Only the seed's first version: publishing again wrote none.
    history = StatisticsRelease.objects.get(academic_year=2022, direction="inbound").history
    assert list(history.values_list("history_type", flat=True)) == ["+"]


def test_a_direction_without_figures_is_left_alone(seed):
    make_statistic(academic_year=2024, researchers=3, published=False)

    assert publish("2024").splitlines() == [
        "Published 2024 researchers from abroad (3 researchers).",
        "2024 researchers going abroad: no figures, left alone.",
    ]
    assert states(2024) == {"inbound": "published"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2030"], "There are no figures for 2030; import them first."),
        (["twenty"], "“twenty” is not an academic year: give a year between 1950 and 2100"),
        (["1800"], "“1800” is not an academic year"),
    ],
)
def test_errors_are_command_errors_that_change_nothing(seed, args, message):
    with pytest.raises(CommandError, match=message):
        publish(*args)
    assert states(2022) == {"inbound": "published", "outbound": "published"}


def test_a_direction_without_figures_asked_by_name_is_an_error(seed):
    make_statistic(academic_year=2024, researchers=3, published=False)
    with pytest.raises(
        CommandError, match="There are no figures for 2024 researchers going abroad"
    ):
        publish("2024", "--direction", "outbound")
    assert states(2024) == {"inbound": ReleaseState.DRAFT}


def test_an_unknown_direction_is_refused_by_name(seed):
    with pytest.raises(CommandError, match="invalid choice: 'sideways'"):
        publish("2022", "--direction", "sideways")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1800"], "CommandError: “1800” is not an academic year"),
        (["2031"], "CommandError: There are no figures for 2031; import them first."),
    ],
)
def test_from_the_shell_an_error_is_one_line_without_a_traceback(command_database, args, message):
    result = manage("publish_statistics", *args, DATABASE_URL=command_database, **PRODUCTION)

    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_importing_a_new_year_from_the_command_line_says_it_is_a_draft(seed):
    out = io.StringIO()
    call_command("import_statistics", str(DATA / "statistics-plain.csv"), stdout=out)

    assert "Check: 2023 researchers from abroad is a draft" in out.getvalue()
    assert states(2023) == {"inbound": "draft", "outbound": "draft"}

"""Months added to a date and taken away, and a renewed term as long as the old one."""

import datetime

import pytest

from renewals.terms import months_added, term_end

D = datetime.date


@pytest.mark.parametrize(
    ("date", "months", "expected"),
    [
        (D(2024, 1, 15), 3, D(2024, 4, 15)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),  # the shorter month's last day
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # in a leap year
        (D(2024, 5, 31), -3, D(2024, 2, 29)),  # taken away: 31 May - 3 months
        (D(2025, 5, 31), -3, D(2025, 2, 28)),
        (D(2024, 2, 10), -6, D(2023, 8, 10)),  # across the year
        (D(2024, 1, 31), -12, D(2023, 1, 31)),
        (D(2024, 3, 31), 0, D(2024, 3, 31)),
    ],
)
def test_months_added_and_taken_away_keep_the_day_or_the_months_last(date, months, expected):
    assert months_added(date, months) == expected


def test_a_term_of_whole_months_is_renewed_in_months_and_any_other_in_days():
    assert term_end(D(2019, 4, 1), D(2024, 3, 31), D(2024, 4, 1)) == D(2029, 3, 31)
    assert term_end(D(2020, 1, 10), D(2020, 1, 19), D(2020, 1, 20)) == D(2020, 1, 29)

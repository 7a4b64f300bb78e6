"""The figure filters print exactly what Django's own number_format and floatformat print."""

import random

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import number_format

from exchanges.templatetags.figures import grouped, signed, tenths

INTEGERS = [0, 1, 7, 999, 1000, 1285, 3032, 65535, 1_000_000, 123_456_789]
SHARES = [
    0.0,
    100.0,
    39.37743190661479,
    12.25,
    12.35,
    0.05,
    0.04999999999999999,
    99.95,
    33.333333333333336,
    1e-05,
    2.675,
    -0.04,
    -1.25,
]


@pytest.fixture(params=["en", "ja"])
def language(request):
    with translation.override(request.param):
        yield request.param


def test_grouped_and_signed_print_what_number_format_prints(language):
    for value in [-1_234_567, -1000, -5]:
        assert grouped(value) == number_format(value, force_grouping=True)
    for value in INTEGERS:
        expected = number_format(value, force_grouping=True)
        assert grouped(value) == expected
        assert signed(value) == (f"+{expected}" if value else "±0")
        assert signed(-value) == (f"\u2212{expected}" if value else "±0")
    assert grouped(None) == signed(None) == ""


def test_tenths_prints_what_floatformat_one_prints(language):
    generator = random.Random(14)
    # Shares as the statistics compute them: a count times 100.0 over a total.
    computed = [
        float(part) * 100.0 / total
        for total in [generator.randint(1, 5000) for _ in range(300)]
        for part in {0, 1, total // 3, total // 2, total}
    ]
    for value in [*SHARES, *computed, 5, None]:
        assert tenths(value) == floatformat(value, 1), value

"""Figures as the public reads them: signed changes, shares and thousands separators.

A statistics page prints thousands of figures. Django's number_format() looks the active
language's separators up again for each one, and floatformat goes through it too; these
filters look them up once per language and call the same numberformat.format(), so they
print exactly what Django's own would (tests/exchanges/test_figures.py compares them).
"""

import functools
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language, pgettext

register = template.Library()

TENTH = Decimal("0.1")


@functools.cache
def _separators(language):
    return (
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        get_format("NUMBER_GROUPING", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
    )


@receiver(setting_changed)
def _forget_separators(**kwargs):
    _separators.cache_clear()


class PrintedLine(NamedTuple):
    name: str
    researchers: str
    share: str
    change: str


class Figures:
    """Figures written the active language's way, its separators looked up once.

    A table of a thousand rows formats three thousand figures: make one Figures for it.
    """

    def __init__(self):
        self.decimal_separator, self.grouping, self.thousand_separator = _separators(get_language())
        # Python's own grouping is Django's whenever the groups are of three.
        self.groups_of_three = self.grouping == 3

    def format(self, value, decimal_places=None, *, force_grouping):
        if self.groups_of_three and force_grouping and type(value) is int:
            return f"{value:,}".replace(",", self.thousand_separator)
        return numberformat.format(
            value,
            self.decimal_separator,
            decimal_places,
            self.grouping,
            self.thousand_separator,
            force_grouping=force_grouping,
            use_l10n=True,
        )

    def line(self, line):
        """A table line's name and figures as text: researchers, share and change."""
        return PrintedLine(
            line.name,
            self.grouped(line.researchers),
            self.tenths(line.share),
            self.signed(line.change),
        )

    def grouped(self, value):
        """1285 as 1,285, as the fact sheet prints it."""
        if value is None or value == "":
            return ""
        return self.format(value, force_grouping=True)

    def signed(self, value):
        """A change as +12, a true minus sign before a fall, or ±0; blank without a base."""
        if value is None or value == "":
            return ""
        if value > 0:
            return f"+{self.format(value, force_grouping=True)}"
        if value < 0:
            return f"\u2212{self.format(-value, force_grouping=True)}"
        return "±0"

    def tenths(self, value):
        """A share with one decimal, rounded half up: what floatformat:1 prints."""
        if type(value) is float and math.isfinite(value) and abs(value) < 1e15:
            # floatformat's own path for an everyday float, less its general checks.
            rounded = Decimal(repr(value)).quantize(TENTH, ROUND_HALF_UP)
            text = f"{rounded:f}" if rounded else "0.0"
            if not settings.USE_THOUSAND_SEPARATOR:
                return text.replace(".", self.decimal_separator)
            return self.format(text, 1, force_grouping=False)
        return floatformat(value, 1)


@register.filter
def signed(value):
    """Show a change as +12, a true minus sign before a fall, or ±0; blank without a base."""
    return Figures().signed(value)


@register.filter
def grouped(value):
    """1285 as 1,285, as the fact sheet prints it."""
    return Figures().grouped(value)


@register.filter(is_safe=True)
def tenths(value):
    """A share with one decimal, rounded half up: what floatformat:1 prints, faster."""
    return Figures().tenths(value)


@register.filter
def academic_year(year):
    """An academic year as the page's language writes it: 2022, or 2022年度 in Japanese."""
    return pgettext("academic year", "%(year)s") % {"year": year}

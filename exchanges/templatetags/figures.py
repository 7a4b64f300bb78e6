"""Figures as the public reads them: signed changes, shares and thousands separators.

A statistics page prints thousands of figures. Django's number_format() looks the active
language's separators up again for each one, and floatformat goes through it too; these
filters look them up once per language and call the same numberformat.format(), so they
print exactly what Django's own would (tests/exchanges/test_figures.py compares them).
"""

import functools
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, getcontext

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

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


def _format(value, decimal_places=None, *, force_grouping):
    decimal_separator, grouping, thousand_separator = _separators(get_language())
    return numberformat.format(
        value,
        decimal_separator,
        decimal_places,
        grouping,
        thousand_separator,
        force_grouping=force_grouping,
        use_l10n=True,
    )


@register.filter
def signed(value):
    """Show a change as +12, a true minus sign before a fall, or ±0; blank without a base."""
    if value is None or value == "":
        return ""
    if value > 0:
        return f"+{_format(value, force_grouping=True)}"
    if value < 0:
        return f"\u2212{_format(-value, force_grouping=True)}"
    return "±0"


@register.filter
def grouped(value):
    """1285 as 1,285, as the fact sheet prints it."""
    if value is None or value == "":
        return ""
    return _format(value, force_grouping=True)


@register.filter(is_safe=True)
def tenths(value):
    """A share with one decimal, rounded half up: what floatformat:1 prints, faster."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        try:
            number = Decimal(str(float(value)))
        except (ValueError, InvalidOperation, TypeError):
            return ""
    if not number.is_finite():
        return str(value)
    _sign, digits, exponent = number.as_tuple()
    # As floatformat: enough precision that quantize never raises for a long value.
    units = len(digits) + (-exponent if number != int(number) else exponent)
    precision = max(getcontext().prec, 1 + units + 1)
    rounded = number.quantize(TENTH, ROUND_HALF_UP, Context(prec=precision))
    text = f"{rounded:f}"
    if text.startswith("-") and not rounded:
        text = text[1:]
    return _format(text, 1, force_grouping=False)

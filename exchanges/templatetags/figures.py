"""Figures as the public reads them: signed changes and thousands separators."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def signed(value):
    """Show a change as +12, a true minus sign before a fall, or ±0; blank without a base."""
    if value is None or value == "":
        return ""
    if value > 0:
        return f"+{number_format(value, force_grouping=True)}"
    if value < 0:
        return f"\u2212{number_format(-value, force_grouping=True)}"
    return "±0"


@register.filter
def grouped(value):
    """1285 as 1,285, as the fact sheet prints it."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)

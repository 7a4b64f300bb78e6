"""Dates on the public pages as each language writes them (1 March 2019, 2019年3月1日)."""

from django import template
from django.utils import dateformat
from django.utils.translation import pgettext

from agreements.models import DatePrecision

register = template.Library()


@register.filter
def event_date(event):
    """A partnership event's date to the precision it is known, in the page's language."""
    if event.date_precision == DatePrecision.YEAR:
        layout = pgettext("date format: a year alone", "Y")
    elif event.date_precision == DatePrecision.MONTH:
        layout = pgettext("date format: a month of a year", "F Y")
    else:
        layout = pgettext("date format: a day", "j F Y")
    return dateformat.format(event.date, layout)


@register.filter
def full_date(date):
    """A day in the page's language: 31 March 2029, 2029年3月31日."""
    if not date:
        return ""
    return dateformat.format(date, pgettext("date format: a day", "j F Y"))

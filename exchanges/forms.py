"""The statistics import's extra choices: the academic year and the direction."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.forms import SpreadsheetConfirmForm, SpreadsheetImportForm

from .models import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR, Direction


def _year_field(**kwargs):
    return forms.IntegerField(
        required=False, min_value=EARLIEST_ACADEMIC_YEAR, max_value=LATEST_ACADEMIC_YEAR, **kwargs
    )


def _direction_choices():
    return [("", "---"), *((d.value, f"{d.label} ({d.value})") for d in Direction)]


class StatisticsImportForm(SpreadsheetImportForm):
    academic_year = _year_field(
        label=_("Academic year"),
        help_text=_(
            "Required for the published layout, e.g. 2022 for April 2022 to March 2023. "
            "A plain table carries its own years; if you fill this in, they must agree."
        ),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=_direction_choices,
        help_text=_("Required for the published layout."),
    )


class StatisticsConfirmImportForm(SpreadsheetConfirmForm):
    academic_year = _year_field(widget=forms.HiddenInput())
    direction = forms.ChoiceField(
        required=False, choices=_direction_choices, widget=forms.HiddenInput()
    )

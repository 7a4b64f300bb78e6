from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReminderProfile


class LanguageForm(forms.ModelForm):
    class Meta:
        model = ReminderProfile
        fields = ["language"]


class RenewalForm(forms.Form):
    start_date = forms.DateField(
        label=_("start of the new term"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Proposed: the day after the current term ends."),
    )
    end_date = forms.DateField(
        label=_("end of the new term"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Proposed: as long a term as the current one. Leave blank for no fixed end or "
            "while the date is not agreed."
        ),
    )
    reason = forms.CharField(
        label=_("note for the history"),
        required=False,
        max_length=60,
        help_text=_('Optional, e.g. "Partner asked for a five-year renewal."'),
    )

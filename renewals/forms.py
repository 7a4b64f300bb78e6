from django import forms

from .models import ReminderProfile


class LanguageForm(forms.ModelForm):
    class Meta:
        model = ReminderProfile
        fields = ["language"]

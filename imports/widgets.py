"""Cell widgets that write what staff read and read back what they write."""

from django.utils.translation import gettext as _
from import_export import widgets

from .text import fold


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its label ("University"); read from the label or the stored code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.labels = {value: str(label) for value, label in choices}
        self.spellings = {}
        for value, label in self.labels.items():
            self.spellings[fold(value)] = value
            self.spellings[fold(label)] = value

    def clean(self, value, row=None, **kwargs):
        text = fold(value)
        if not text:
            return ""
        if text not in self.spellings:
            known = ", ".join(f'"{label}"' for label in self.labels.values())
            raise ValueError(
                _('"%(value)s" is not one of %(known)s.') % {"value": value, "known": known}
            )
        return self.spellings[text]

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return self.labels.get(value, value)

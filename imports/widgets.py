"""Cell widgets that write what staff read and read back what they write."""

from django.utils.translation import gettext as _
from import_export import widgets

from .text import fold, in_every_language


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its label in the page's language ("University", "大学"); read from
    its label in any language or the stored code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.labels = dict(choices)  # translated when written, in the language of the moment
        self._spellings = None

    @property
    def spellings(self):
        if self._spellings is None:
            self._spellings = {}
            for value, label in self.labels.items():
                self._spellings[fold(value)] = value
                for rendering in in_every_language(label):
                    self._spellings.setdefault(fold(rendering), value)
        return self._spellings

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
        return str(self.labels.get(value, value))

"""Find a country however a spreadsheet spells it: name, ISO codes, ISO name or a staff alias,
in English or Japanese (the record's Japanese name, CLDR's and ISO 3166's: 韓国, 大韓民国)."""

import difflib

from django.utils.translation import gettext as _

from imports.text import fold

from .models import Country, CountryAlias
from .names import japanese_spellings

# Suggestions cost a scan of every spelling: a file full of unknown names gets this many.
SUGGESTIONS = 50


class CountryMatcher:
    """Every known spelling of every country, loaded in two queries and matched by dict lookup."""

    def __init__(self):
        self.countries = {}
        self.by_spelling = {}
        self.seen = {}
        self.suggested = {}
        for country in Country.objects.select_related("region"):
            self.countries[country.pk] = country
            for spelling in (
                country.name,
                country.iso_code,
                country.iso_alpha3,
                country.iso_name,
                country.name_ja,
            ):
                if spelling:
                    self.by_spelling.setdefault(fold(spelling), country)
        # The libraries' Japanese names after every record's own: a staff-written name wins.
        for country in self.countries.values():
            for spelling in japanese_spellings(country.iso_code):
                self.by_spelling.setdefault(fold(spelling), country)
        for alias, country_id in CountryAlias.objects.values_list("alias", "country_id"):
            self.by_spelling.setdefault(fold(alias), self.countries[country_id])

    def match(self, text):
        """The country spelled `text`, or None."""
        # A national file repeats each spelling thousands of times: fold each once.
        try:
            return self.seen[text]
        except KeyError:
            country = self.seen[text] = self.by_spelling.get(fold(text))
            return country

    def closest(self, text, limit=3):
        """Published names of the countries spelled most like `text`, best first."""
        if text in self.suggested:
            return self.suggested[text]
        if len(self.suggested) >= SUGGESTIONS:
            return []
        spellings = difflib.get_close_matches(fold(text), self.by_spelling, n=limit * 3, cutoff=0.6)
        names = []
        for spelling in spellings:
            name = self.by_spelling[spelling].name
            if name not in names:
                names.append(name)
        self.suggested[text] = names[:limit]
        return self.suggested[text]

    def unknown(self, text):
        """The message for a spelling that matches no country, with the closest known ones."""
        message = _('"%(text)s" is not a known country or region.') % {"text": text}
        closest = self.closest(text)
        if closest:
            return message + " " + _("Closest known: %(names)s.") % {"names": ", ".join(closest)}
        return message + " " + _("Add the spelling as an alias in the admin if it is right.")

"""Find a country however a spreadsheet spells it: name, ISO codes, ISO name or a staff alias."""

import difflib
import unicodedata

from .models import Country, CountryAlias


def fold(text):
    """Compare spellings ignoring case, surrounding and repeated spaces, and accents."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


class CountryMatcher:
    """Every known spelling of every country, loaded in two queries and matched by dict lookup."""

    def __init__(self):
        self.countries = {}
        self.by_spelling = {}
        self.seen = {}
        for country in Country.objects.select_related("region"):
            self.countries[country.pk] = country
            for spelling in (country.name, country.iso_code, country.iso_alpha3, country.iso_name):
                if spelling:
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
        spellings = difflib.get_close_matches(fold(text), self.by_spelling, n=limit * 3, cutoff=0.6)
        names = []
        for spelling in spellings:
            name = self.by_spelling[spelling].name
            if name not in names:
                names.append(name)
        return names[:limit]

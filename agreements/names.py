"""Names in both languages: the Japanese name on Japanese pages where there is one.

How to show a record's name in the active language (no query: the names are on the row):

- Templates: ``{% load names %}{{ institution|local_name }}`` (any record with ``name`` and
  ``name_ja``: an institution, a country, a region), or for plain values
  ``{{ row.country_name|local_name:row.country_name_ja }}`` (English, then Japanese). It
  prints escaped HTML: on a Japanese page the Japanese name where there is one, otherwise
  the English name as ``<span lang="en">…</span>``, so a screen reader reads it in English.
  On an English page the English name, unmarked.
- Jinja2 fragments: the same ``local_name`` filter, with the same arguments.
- Python (downloads, form choices, messages): ``record.local_name`` or
  ``local_name(name, name_ja)`` give the text without markup.

The Japanese names of countries come from CLDR (Babel); the ISO 3166 Japanese names
(pycountry's translations) are read too, as spellings an import accepts. Sorting on Japanese
pages uses a stored reading in hiragana (``name_ja_reading``, from pykakasi): see
``japanese_order()``.
"""

import functools
import gettext
import re

import pycountry
from babel import Locale
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.html import format_html
from django.utils.translation import get_language

JAPANESE = "ja"

# CLDR's default Japanese names of Hong Kong and Macao are the long official forms
# ("中華人民共和国香港特別行政区"); CLDR also has the short form (alt="short"), which an office
# prints, but Babel leaves alternative forms out. ISO 3166's Japanese short name (pycountry)
# is that same short form.
SHORT_FORM_FROM_ISO = {"HK", "MO"}
BRACKETED = re.compile(r"\s*[(（][^)）]*[)）]")


def japanese_active():
    """Whether the active language is Japanese ("ja", "ja-jp")."""
    return (get_language() or "").split("-")[0].lower() == JAPANESE


def local_name(name, name_ja=""):
    """The Japanese name on Japanese pages where there is one, otherwise the English name."""
    if name_ja and japanese_active():
        return name_ja
    return name or ""


def local_name_html(name, name_ja=""):
    """local_name() as HTML, the English name marked lang="en" on a Japanese page."""
    if not japanese_active():
        return format_html("{}", name or "")
    if name_ja:
        return format_html("{}", name_ja)
    if not name:
        return format_html("")
    return format_html('<span lang="en">{}</span>', name)


class NamedInBothLanguages:
    """A record with an English ``name`` and a Japanese ``name_ja``."""

    @property
    def local_name(self):
        """The name in the active language (the English one where there is no Japanese)."""
        return local_name(self.name, self.name_ja)


# -- Where the Japanese names come from ---------------------------------------------------


@functools.cache
def _iso_japanese():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[JAPANESE])


def iso_japanese_names(code):
    """ISO 3166-1's Japanese names of a country (pycountry's translations), short first.

    "大韓民国 (韓国)" gives both "大韓民国" and "韓国".
    """
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return []
    names = []
    for attribute in ("name", "common_name", "official_name"):
        english = getattr(country, attribute, None)
        if not english:
            continue
        translated = _iso_japanese().gettext(english)
        if translated == english:
            continue  # not translated
        for part in re.split(r"\s*[(（]\s*|\s*[)）]\s*", translated):
            if part and part not in names:
                names.append(part)
    return names


@functools.cache
def japanese_territory_name(code):
    """The Japanese name an office prints for a country or region code (CLDR), or "".

    "KR" → "韓国", "US" → "アメリカ合衆国", "HK" → "香港", "142" (Asia) → "アジア". CLDR's
    bracketed additions are left out, as a table prints the name: "ミャンマー (ビルマ)" →
    "ミャンマー", "コンゴ民主共和国(キンシャサ)" → "コンゴ民主共和国".
    """
    code = (code or "").upper()
    if not code:
        return ""
    if code in SHORT_FORM_FROM_ISO:
        iso = iso_japanese_names(code)
        if iso:
            return iso[0]
    return BRACKETED.sub("", Locale(JAPANESE).territories.get(code, "")).strip()


# The office's regions and the CLDR macro-regions (UN M49 codes) they match.
CLDR_REGIONS = {
    "asia": "142",
    "oceania": "009",
    "north-america": "021",  # Northern America (US, Canada); 003 would add Central America
    "latin-america": "419",
    "europe": "150",
    "africa": "002",
}
# Two of the office's groups have no CLDR region: its "Middle East" (Iran, Israel, Jordan,
# Oman, Qatar, Saudi Arabia, Turkey, UAE) is part of CLDR's Western Asia (西アジア), which
# also holds the Caucasus and Cyprus; "Others" is not a place. The office's own words.
OFFICE_REGIONS = {"middle-east": "中東", "others": "その他"}


def japanese_region_name(slug):
    """The Japanese name of one of the office's regions, by its slug, or ""."""
    if slug in CLDR_REGIONS:
        return japanese_territory_name(CLDR_REGIONS[slug])
    return OFFICE_REGIONS.get(slug, "")


@functools.cache
def japanese_spellings(code):
    """Every Japanese name of a country the libraries know: CLDR's and ISO 3166's."""
    cldr = Locale(JAPANESE).territories.get((code or "").upper(), "")
    spellings = [japanese_territory_name(code), cldr, *iso_japanese_names(code)]
    return tuple(dict.fromkeys(spelling for spelling in spellings if spelling))


# -- Reading, for sorting ------------------------------------------------------------------


@functools.cache
def _kakasi():
    import pykakasi  # loads its dictionaries (a third of a second): only when first needed

    return pykakasi.kakasi()


def reading(name_ja):
    """The reading of a Japanese name in hiragana, for sorting: "韓国" → "かんこく".

    Kanji sorted by code point follow their radicals, not their sound (中国 would come after
    韓国 and 台湾 for no visible reason); a reading sorts them as a Japanese index does, and
    the same on SQLite and PostgreSQL. Latin letters and digits are kept, lower-cased.
    """
    if not name_ja:
        return ""
    return "".join(part["hira"] for part in _kakasi().convert(name_ja)).lower()


def japanese_order(prefix=""):
    """An expression ordering rows by their Japanese name, for Japanese pages.

    By the reading of the Japanese name; rows with no Japanese name by their English name,
    lower-cased, which puts them first (Latin letters come before kana), A to Z.
    `prefix` reaches a related record: "country__".
    """
    return Coalesce(NullIf(F(f"{prefix}name_ja_reading"), Value("")), Lower(F(f"{prefix}name")))

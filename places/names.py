"""Where the Japanese names of countries and regions come from.

The Japanese names of countries come from CLDR (Babel); the ISO 3166 Japanese names
(pycountry's translations) are read too, as spellings an import accepts. How a name is shown
in the page's language: presentation/names.py.
"""

import functools
import gettext
import re

import pycountry
from babel import Locale

from presentation.names import JAPANESE

# CLDR's default Japanese names of Hong Kong and Macao are the long official forms
# ("中華人民共和国香港特別行政区"); CLDR also has the short form (alt="short"), which an office
# prints, but Babel leaves alternative forms out. ISO 3166's Japanese short name (pycountry)
# is that same short form.
SHORT_FORM_FROM_ISO = {"HK", "MO"}
BRACKETED = re.compile(r"\s*[(（][^)）]*[)）]")


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

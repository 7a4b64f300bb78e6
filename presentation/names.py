"""Names in both languages: the Japanese name on Japanese pages where there is one.

How to show a record's name in the active language (no query: the names are on the row):

- Templates: ``{% load names %}{{ institution|local_name }}`` (any record with ``name`` and
  ``name_ja``: an institution, a country, a region), or for plain values
  ``{{ row.country_name|local_name:row.country_name_ja }}`` (English, then Japanese). It
  prints escaped HTML: on a Japanese page the Japanese name where there is one, otherwise
  the English name as ``<span lang="en">…</span>``, so a screen reader reads it in English.
  On an English page the English name, unmarked.
- Jinja2 fragments: the same ``local_name`` filter, with the same arguments.
- Python (downloads, form choices, messages, the API): ``record.local_name`` or
  ``local_name(name, name_ja)`` give the text without markup.

Sorting on Japanese pages uses a stored reading in hiragana (``name_ja_reading``, from
pykakasi): see ``japanese_order()``. Where the Japanese names of countries and regions come
from: places/names.py.
"""

import functools

from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.html import format_html
from django.utils.translation import get_language

JAPANESE = "ja"


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
        return format_html("{}", "")
    return format_html('<span lang="en">{}</span>', name)


class NamedInBothLanguages:
    """A record with an English ``name`` and a Japanese ``name_ja``."""

    @property
    def local_name(self):
        """The name in the active language (the English one where there is no Japanese)."""
        return local_name(self.name, self.name_ja)


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

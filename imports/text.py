"""How a clerk's spreadsheet text is compared and read: spellings, counts and column names."""

import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
# The largest count every supported database stores in an integer column.
MAX_COUNT = 2_147_483_647


def fold(text):
    """Compare spellings ignoring case, surrounding and repeated spaces, and accents."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def in_every_language(text):
    """A translatable text as each of the site's languages writes it ("Country/Region",
    "国・地域"): a file is read whatever language the page that took it was in."""
    from django.conf import settings
    from django.utils import translation

    renderings = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendering = str(text)
        if rendering not in renderings:
            renderings.append(rendering)
    return renderings


def column_label(index, header):
    """Name a column the way a spreadsheet user sees it: B (Number of researchers)."""
    letter = get_column_letter(index + 1)
    return f"{letter} ({header})" if header else letter


def cell_text(row, index):
    """A cell as trimmed text; "" for a missing or empty cell."""
    value = row[index] if index is not None and index < len(row) else None
    return "" if value is None else str(value).strip()


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def parse_count(value):
    """A head count from a cell, or (None, why not) in words a clerk understands."""
    if isinstance(value, bool):
        return None, _("is not a number")
    if isinstance(value, float):
        if not value.is_integer():
            return None, _("%(v)s is not a whole number") % {"v": value}
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            return None, _("%(v)s is negative") % {"v": value}
        if value > MAX_COUNT:
            return None, _("%(v)s is too large") % {"v": value}
        return value, None
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if text == "":
        return None, _("is empty; a count is required")
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    if text.isdigit():
        return parse_count(int(text))
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None, _('"%(v)s" is not a number') % {"v": value}
    if number < 0:
        return None, _("%(v)s is negative") % {"v": value}
    return None, _("%(v)s is not a whole number") % {"v": value}

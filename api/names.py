"""A record's name in the client's language: the Japanese form where known, else the English."""

from django.utils.translation import get_language


def wants_japanese():
    return (get_language() or "").startswith("ja")


def local_name(record, english="name", japanese="name_ja"):
    """The Japanese name on a Japanese request when the record has one, else the English."""
    if record is None:
        return None
    if wants_japanese():
        value = getattr(record, japanese, "")
        if value:
            return value
    return getattr(record, english)

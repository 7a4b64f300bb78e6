"""Names in the active language: ``{% load names %}{{ institution|local_name }}``.

``{{ record|local_name }}`` for a record with ``name`` and ``name_ja`` (institution, country,
region); ``{{ english|local_name:japanese }}`` for plain values, e.g.
``{{ row.country_name|local_name:row.country_name_ja }}``. On a Japanese page it prints the
Japanese name, or the English one marked ``<span lang="en">``; on an English page the English
name. Escaped; no query. See presentation/names.py.
"""

from django import template

from presentation.names import local_name_html

register = template.Library()


@register.filter
def local_name(value, name_ja=None):
    """A record's name in the active language, as HTML; see the module's docstring."""
    return names_html(value, name_ja)


def names_html(value, name_ja=None):
    if name_ja is None and hasattr(value, "name"):
        return local_name_html(value.name, getattr(value, "name_ja", ""))
    return local_name_html("" if value is None else str(value), name_ja or "")

"""The same public page in each language: the switch in the header and the hreflang links."""

import re
from typing import NamedTuple

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_script_prefix
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language_from_path, get_language_info

register = template.Library()

# A path on this site: one slash, then no second one. "//evil.example/" (and "/\\evil.example/",
# which browsers read alike) would be a link to another site, and so would be its absolute
# address: build_absolute_uri() takes the host from such a path.
SAME_SITE_PATH = re.compile(r"/(?![/\\])")


class LanguageAddress(NamedTuple):
    code: str
    name: str  # in its own language: "English", "日本語"
    address: str  # path and query, as a link on the page
    absolute: str  # scheme and host too, as <link rel="alternate"> wants
    current: bool


@register.simple_tag(takes_context=True)
def language_addresses(context):
    """This page's address in every language, its query string (filters, page) kept.

    Every public address is the English one behind a language prefix (``/ja/agreements/``),
    so the other language's address is the same path with the prefix added or removed: an
    unknown address (a 404 page) has its counterpart too, and no URL is resolved again.
    Every address is a path on this site, whatever the request's path holds.
    """
    request = context.get("request")
    if request is None:
        return []
    path = request.path_info
    prefix = get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :] or "/"
    # Percent-encoded again (path_info is decoded): a tab, newline or backslash stays %09,
    # %0A or %5C, where a browser would drop the first two and read the last as a slash.
    path = escape_uri_path(path)
    if not SAME_SITE_PATH.match(path):
        path = "/"  # "/ja//evil.example/" has no counterpart: each language's home page
    query = request.META.get("QUERY_STRING", "")
    script_prefix = get_script_prefix().rstrip("/")
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    addresses = []
    for code, _name in settings.LANGUAGES:
        local_path = path if code == settings.LANGUAGE_CODE else f"/{code}{path}"
        address = f"{script_prefix}{local_path}" + (f"?{query}" if query else "")
        try:
            absolute = request.build_absolute_uri(address)
        except DisallowedHost:
            # A 400 page for a host this site does not serve: no absolute address to give.
            absolute = ""
        addresses.append(
            LanguageAddress(
                code, get_language_info(code)["name_local"], address, absolute, code == current
            )
        )
    return addresses

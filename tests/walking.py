"""Every URL pattern of the site, read from the URLconf, and Hypothesis strategies for the
hostile requests a walker sends to each: NUL and control characters, 30-digit and Unicode
digits, long strings, SQL and template syntax, in the path, the query and the form; and the
language links a page answers with, which must stay on the site."""

import dataclasses
import re
from html import unescape
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.forms.models import _get_foreign_key
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import strategies as st

from agreements.filters import MemorandaFilter


@dataclasses.dataclass(frozen=True)
class Slot:
    """A value the pattern takes from the path, and what the pattern accepts there."""

    name: str
    regex: str


@dataclasses.dataclass(frozen=True)
class Route:
    """One URL pattern: literal path pieces and slots in order, and its model admin."""

    label: str
    parts: tuple
    model_admin: admin.ModelAdmin | None = None

    @property
    def slots(self):
        return [part for part in self.parts if isinstance(part, Slot)]

    def path(self, values):
        return "/" + "".join(
            part if isinstance(part, str) else quote(values[part.name], safe="")
            for part in self.parts
        )

    @property
    def is_admin(self):
        return bool(self.parts) and self.parts[0] == "admin/"


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>(?:[^()\\]|\\.)*)\)")
_REGEX_SPECIAL = re.compile(r"(?<!\\)[.*+?\[\]{}|()^$]")


def _pieces(pattern, position, language=None):
    """The literal text and slots of one level of a URL pattern."""
    if isinstance(pattern, LocalePrefixPattern):
        # i18n_patterns(prefix_default_language=False): no prefix for the default language.
        return [] if language == settings.LANGUAGE_CODE else [f"{language}/"]
    if isinstance(pattern, RoutePattern):
        route, pieces, start = str(pattern), [], 0
        for match in _ROUTE_PARAMETER.finditer(route):
            pieces.append(route[start : match.start()])
            name = match["parameter"]
            pieces.append(Slot(name, pattern.converters[name].regex))
            start = match.end()
        pieces.append(route[start:])
        return [piece for piece in pieces if piece != ""]
    if isinstance(pattern, RegexPattern):
        source = pattern.regex.pattern.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        pieces, start = [], 0
        for index, match in enumerate(_REGEX_GROUP.finditer(source)):
            pieces.append(_literal(source[start : match.start()]))
            pieces.append(Slot(match["name"] or f"{position}.{index}", match["body"]))
            start = match.end()
        pieces.append(_literal(source[start:]))
        return [piece for piece in pieces if piece != ""]
    raise TypeError(f"Unknown kind of URL pattern: {pattern!r}")


def _literal(text):
    if _REGEX_SPECIAL.search(text):
        raise ValueError(f"Cannot walk the regex part {text!r}: teach tests/walking.py it.")
    return re.sub(r"\\(.)", r"\1", text)


def _walk(patterns, prefix=()):
    for pattern in patterns:
        chain = (*prefix, pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, chain)
        else:
            yield chain


def site_routes():
    """Every leaf pattern of the URLconf, as a Route."""
    registry = {
        (model._meta.app_label, model._meta.model_name): model_admin
        for model, model_admin in admin.site._registry.items()
    }
    routes = []
    for chain in _walk(get_resolver().url_patterns):
        in_languages = any(isinstance(level.pattern, LocalePrefixPattern) for level in chain)
        # A pattern under i18n_patterns() is walked at each language's address.
        for language in [code for code, _name in settings.LANGUAGES] if in_languages else [None]:
            parts = []
            for position, level in enumerate(chain):
                parts.extend(_pieces(level.pattern, position, language))
            leaf: URLPattern = chain[-1]
            admin_of = None
            if len(chain) == 3 and str(chain[0].pattern) == "admin/":
                app_label, model_name = str(chain[1].pattern).strip("/").split("/")
                admin_of = registry[(app_label, model_name)]
            label = "/" + "".join(p if isinstance(p, str) else f"<{p.name}>" for p in parts)
            routes.append(Route(f"{leaf.name or 'unnamed'} {label}", tuple(parts), admin_of))
    return routes


# Page numbers past any list's end, in any digits: PostgreSQL's OFFSET overflowed on them.
HOSTILE_PAGE_NUMBERS = ["184467440737095518", "9" * 30, "\uff19" * 20, "-99999999999999999999"]

# What a path may hold, decoded, after a language's prefix to lead the page's language links
# off the site: a second slash, a backslash (browsers read it as a slash), a tab or newline
# before one (browsers drop them).
OFF_SITE_PATHS = [
    "/evil.example/",
    "//evil.example/",
    "\\evil.example/",
    "\t/evil.example/",
    "\n/evil.example/",
    "\r\n/evil.example/",
]

# Hostile values: what people who break things send.
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\t\r\n\x0b\x0c",
    "9" * 30,
    "-" + "9" * 30,
    "1e1000000",
    "0",
    "-1",
    "٣",
    "²",
    "１２３",
    "१९९८",
    "x" * 5_000,
    "é" * 1_000,
    "' OR '1'='1' --",
    '" OR ""="',
    "1; DROP TABLE auth_user; --",
    "1 UNION SELECT password FROM auth_user",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${7*7}",
    "<script>alert(1)</script>",
    "%00",
    "%",
    "../../etc/passwd",
    "\ufeff",
    "\u202e",
    "😀",
    "NaN",
    "None",
    "[]",
    "agreements.agreement=" + "9" * 30,
    *HOSTILE_PAGE_NUMBERS,
    *OFF_SITE_PATHS,
]


def unrouted_addresses():
    """Paths no pattern has, at each language's address, going on with OFF_SITE_PATHS.

    Percent-encoded (%2F, %5C, %09): the test client would read "//evil.example/" as a host
    and drop a tab; the view sees the path decoded, as a server hands over one sent raw.
    """
    prefixes = [
        "/" if code == settings.LANGUAGE_CODE else f"/{code}/" for code, _name in settings.LANGUAGES
    ]
    return [prefix + quote(path, safe="") for prefix in prefixes for path in OFF_SITE_PATHS]


_LANGUAGE_LINK = re.compile(
    r'<link rel="alternate" hreflang="[\w-]+" href="(?P<alternate>[^"]*)">'
    r'|<a href="(?P<switch>[^"]*)" hreflang="\w+"'
)
# One slash, then neither a second one nor a backslash; no tab or newline a browser drops.
_SAME_SITE_PATH = re.compile(r"/(?![/\\])[^\t\n\r]*")


def language_links(html):
    """The hreflang alternates' and the language switch's addresses, in the page's order."""
    return [
        unescape(match["alternate"] or match["switch"]) for match in _LANGUAGE_LINK.finditer(html)
    ]


def off_site_language_links(response, site="http://testserver"):
    """The language links of an HTML page that are not plain paths on this site."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return [
        href
        for href in language_links(response.content.decode())
        if not _SAME_SITE_PATH.fullmatch(href.removeprefix(site))
    ]


# Random text without NUL (HOSTILE has it; here it would stop too many requests at the door)
# and without lone surrogates (not sendable as UTF-8 at all).
_TEXT = st.text(
    alphabet=st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    _TEXT,
    st.from_regex(r"-?[0-9]{1,40}", fullmatch=True),
)

# Names the views read from queries and forms, beside each model admin's own.
COMMON_NAMES = [
    "q",
    "p",
    "o",
    "e",
    "all",
    "page",
    "_popup",
    "_to_field",
    "_changelist_filters",
    "_facets",
    "next",
    "format",
    "resource",
    "export_items",
    "import_file",
    "import_file_name",
    "original_file_name",
    "academic_year",
    "direction",
    "year",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "action",
    "_selected_action",
    "select_across",
    "index",
    "post",
    "_save",
    "_continue",
    "_addanother",
    "_saveasnew",
    "_history_marks",
    "username",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "usable_password",
    *MemorandaFilter.base_filters,
    # The API's own (api/filters.py, api/pagination.py).
    "status",
    "institution",
    "page_size",
]


LOOKUPS = ["exact", "isnull", "in", "range", "gt", "regex", "iregex", "year", "contains"]


def parameter_names(route):
    """What the route's view may read: the common names and its model admin's own."""
    names = list(COMMON_NAMES)
    model_admin = route.model_admin
    if model_admin is None:
        return names
    model = model_admin.model
    for field in model._meta.get_fields():
        if field.concrete:
            names += [field.name, field.attname, f"{field.name}__id__exact"]
            # Django lets the address filter a list by any lookup on the model's own fields.
            names += [f"{field.name}__{lookup}" for lookup in LOOKUPS]
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, tuple):
            names += [f"{entry[0]}__id__exact", f"{entry[0]}__exact", f"{entry[0]}__isnull"]
        else:
            names.append(getattr(entry, "parameter_name", "") or "")
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    for inline in model_admin.inlines:
        key = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        prefix = key.remote_field.get_accessor_name(model=False)
        names += [f"{prefix}-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS")]
        names += [f"{prefix}-0-{field.name}" for field in inline.model._meta.concrete_fields]
    return [name for name in names if name]


def parameters(names, known):
    """A query or form: a few names, each with hostile or known-good values."""
    value = st.one_of(st.sampled_from(known), HOSTILE_TEXT) if known else HOSTILE_TEXT
    return st.dictionaries(
        keys=st.one_of(st.sampled_from(names), HOSTILE_TEXT),
        values=st.lists(value, min_size=1, max_size=2),
        max_size=5,
    )


def slot_values(route, known):
    """Values for the route's slots: known-good ones (real ids, slugs, years) or hostile."""
    return st.fixed_dictionaries(
        {
            slot.name: st.one_of(st.sampled_from(known.get(slot.name) or ["1"]), HOSTILE_TEXT)
            for slot in route.slots
        }
    )

"""Read a page as a Japanese reader sees it, and find the project's English left in it.

The project's English is what it asks to have translated: the catalog's msgids (the source
strings) and the names of its models, fields and choices. A page's data (institution and
country names as recorded, file names, user names) is not the project's wording, and is
taken out of the text before it is searched.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.text import capfirst

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "ja" / "LC_MESSAGES" / "django.po"

# Shorter source strings are too often part of other words or of data to search for alone.
MINIMUM_LENGTH = 4
# Placeholders split a msgid into the fragments a page can show.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")
# Text the browser shows besides text nodes: buttons, hints, labels for screen readers.
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
BUTTON_TYPES = {"submit", "button", "reset"}
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}


def read_catalog(path=CATALOG):
    with open(path, "rb") as handle:
        return read_po(handle, locale="ja")


# Elements that never have an end tag: they open no subtree.
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


class _Visible(HTMLParser):
    """Text nodes and shown attributes, leaving out scripts and styles, and what the page
    itself marks as English (``lang="en"`` on a Japanese page: a name with no Japanese
    form, a spelling an import accepts)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.hidden = 0
        self.open = []  # the tags open, each with whether it hides what it holds

    def handle_startendtag(self, tag, attrs):
        self._shown_attributes(tag, dict(attrs))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in VOID_ELEMENTS:
            self._shown_attributes(tag, attributes)
            return
        hides = tag in HIDDEN_ELEMENTS or (attributes.get("lang") or "").startswith("en")
        self.open.append((tag, hides))
        self.hidden += hides
        if not self.hidden:
            self._shown_attributes(tag, attributes)

    def _shown_attributes(self, tag, attributes):
        if self.hidden:
            return
        for name in SHOWN_ATTRIBUTES & attributes.keys():
            self.texts.append(attributes[name] or "")
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_TYPES:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        # Close up to the matching tag, as a browser does with unclosed <p> and <li>.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                for _tag, hides in self.open[index:]:
                    self.hidden -= hides
                del self.open[index:]
                return

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def visible_texts(html):
    """Each piece of text the page shows, whitespace folded, the <title> included."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts if text.strip()]


def project_english():
    """A pattern of the project's English a Japanese page must not show: the fragments of
    every msgid between its placeholders, and every model, field and choice name, unless
    the Japanese is the same (MOU, ROR ID); each whole, the longest found first."""
    phrases = set()
    for message in read_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if source in strings:
                continue  # the same in both languages: "MOU", "ROR ID"
            phrases.update(part.strip(" .,:;()“”\"'") for part in PLACEHOLDER.split(source))
    for english, japanese in _model_names():
        if english != japanese:
            phrases.update({english, capfirst(english)})
    phrases = sorted((p for p in phrases if len(p) >= MINIMUM_LENGTH), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, phrases)) + r")(?![\w-])")


def _model_names():
    def both(lazy):
        with translation.override("en"):
            english = str(lazy)
        with translation.override("ja"):
            japanese = str(lazy)
        return english, japanese

    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {"agreements", "exchanges", "imports", "staff"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        yield both(model._meta.verbose_name)
        yield both(model._meta.verbose_name_plural)
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name"):
                yield both(field.verbose_name)
            for _value, label in getattr(field, "flatchoices", None) or []:
                yield both(label)


def data_values(extra=()):
    """A pattern of every text the database holds in the project's records and the accounts'
    names, and of ``extra`` (the cells of the files a test uploads), each whole: what a page
    shows as data, not as the project's wording."""
    values = {" ".join(str(value).split()) for value in extra if str(value).strip()}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue  # the same values, plus reasons, which are partly the project's words
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value:
                    values.add(" ".join(str(value).split()))
                    values.update(" ".join(line.split()) for line in str(value).splitlines())
    # Longest first, so that a name is taken out whole before a shorter one inside it.
    ordered = sorted((value for value in values if value), key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def _without_data(text, data):
    return data.sub(" ", text) if data else text


ENGLISH_WORDS = re.compile(r"[A-Za-z][a-z]+(?:[ '’-][A-Za-z][a-z]+)+")


def english_words(html, data):
    """Runs of English words in the page's visible text, its data taken out (a diagnostic)."""
    found = []
    for text in visible_texts(html):
        found += ENGLISH_WORDS.findall(_without_data(text, data))
    return found


def english_found(html, phrases, data):
    """The project's English in the page's visible text, each with the text it was found in."""
    found = []
    for text in visible_texts(html):
        for match in phrases.finditer(_without_data(text, data)):
            found.append(f"{match.group()!r} in {text!r}")
    return found

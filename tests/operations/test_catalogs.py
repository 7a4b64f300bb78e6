"""The catalogs are compiled with Babel whenever a .po is newer than its .mo, and the .mo
reads as the .po says (fuzzy guesses left out)."""

import gettext
import os

from operations.catalogs import compile_stale

PO = """\
msgid ""
msgstr ""
"Language: ja\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "Published"
msgstr "{published}"

#, fuzzy
msgid "Draft"
msgstr "下書き（推測）"
"""


def _catalog(locale, published="公開"):
    po = locale / "ja" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(PO.format(published=published), encoding="utf-8")
    return po


def _read(mo):
    with open(mo, "rb") as handle:
        return gettext.GNUTranslations(handle)


def test_a_catalog_without_its_mo_is_compiled_and_reads_as_written(tmp_path):
    po = _catalog(tmp_path)
    [mo] = compile_stale(tmp_path)
    assert mo == po.with_suffix(".mo")
    translations = _read(mo)
    assert translations.gettext("Published") == "公開"
    assert translations.gettext("Draft") == "Draft"  # a fuzzy guess is never shown


def test_only_a_catalog_newer_than_its_mo_is_compiled_again(tmp_path):
    po = _catalog(tmp_path)
    [mo] = compile_stale(tmp_path)
    assert compile_stale(tmp_path) == []
    _catalog(tmp_path, published="公開中")
    later = mo.stat().st_mtime + 10
    os.utime(po, (later, later))
    assert compile_stale(tmp_path) == [mo]
    assert _read(mo).gettext("Published") == "公開中"

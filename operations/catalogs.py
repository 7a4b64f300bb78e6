"""Compile the translation catalogs (locale/*/LC_MESSAGES/*.po) into the .mo files Django
reads, with Babel: a fresh machine needs no GNU gettext to run the site or its tests.

The .mo files are generated, never committed: bin/_venv (so bin/start, bin/manage and
bin/test), the test session and a deployment (``python -m operations.catalogs``) compile a
catalog whenever its .po is newer than its .mo.
"""

import os
import sys
import tempfile
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def stale_catalogs(locale=LOCALE):
    """The .po files whose .mo is missing or older."""
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            yield po


def compile_catalog(po):
    """Write ``po``'s .mo beside it, atomically (parallel test workers may compile at once)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    mo = po.with_suffix(".mo")
    handle, temporary = tempfile.mkstemp(dir=po.parent, prefix=".", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as target:
            # Fuzzy entries are left out, as msgfmt does: a guess is never shown to a reader.
            write_mo(target, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mo


def compile_stale(locale=LOCALE):
    """Compile every catalog whose .po is newer than its .mo; return the .mo files written."""
    return [compile_catalog(po) for po in stale_catalogs(locale)]


if __name__ == "__main__":
    for written in compile_stale():
        print(f"Compiled {written.relative_to(LOCALE.parent)}", file=sys.stderr)

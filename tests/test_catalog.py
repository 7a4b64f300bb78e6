"""The Japanese catalog is complete: every entry translated, none fuzzy, each keeping its
placeholders; and current: it holds exactly the strings the code and templates mark, as
the makemessages command of docs/developers/translation.md finds them (run here on a copy of
the project)."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.commands import PROJECT, clean_environment
from tests.japanese import CATALOG, read_catalog

# What the copy leaves out: what makemessages is told to ignore, and what is not source.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "node_modules", "__pycache__", ".*_cache", ".hypothesis",
    "test-artifacts", "media", "staticfiles", "*.sqlite3", "*.mo", "tests", "benchmarks",
    "loadtest",
)  # fmt: skip


def _key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _untranslated(catalog):
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalog = read_catalog()
    assert len(catalog) > 500
    assert not catalog.fuzzy, "the header is marked fuzzy: Babel would not compile the catalog"
    assert _untranslated(catalog) == []


def test_every_translation_keeps_the_placeholders_of_its_source():
    # Babel's checks: the same %(name)s placeholders, one form for Japanese (no plural).
    problems = [
        f"{message.id!r}: {'; '.join(map(str, errors))}"
        for message, errors in read_catalog().check()
    ]
    assert problems == []


def _makemessages_command():
    """The documented command, the one everyone regenerates the catalog with."""
    page = (PROJECT / "docs" / "developers" / "translation.md").read_text()
    [command] = re.findall(r"^bash bin/manage (makemessages .*)$", page, flags=re.MULTILINE)
    return command.split()


def _regenerate(project):
    result = subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", *_makemessages_command()],
        cwd=project,
        env=clean_environment(DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with open(project / "locale" / "ja" / "LC_MESSAGES" / "django.po", "rb") as handle:
        from babel.messages.pofile import read_po

        return read_po(handle, locale="ja")


def _differences(committed, regenerated):
    """What regenerating would change: strings missing from the catalog, or left in it."""
    before = {_key(message) for message in committed if message.id}
    after = {_key(message) for message in regenerated if message.id}
    return (
        [f"not in the catalog: {key!r}" for key in sorted(after - before, key=str)]
        + [f"no longer in the code: {key!r}" for key in sorted(before - after, key=str)]
        + _untranslated(regenerated)
    )


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("CI is set but GNU gettext (xgettext) is missing: .ci/run installs it.")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("catalog") / "project"
    shutil.copytree(PROJECT, copy, ignore=NOT_COPIED)
    return copy


def test_the_catalog_holds_exactly_the_strings_the_code_marks(project_copy):
    regenerated = _regenerate(project_copy)
    assert _differences(read_catalog(CATALOG), regenerated) == []


def test_a_new_string_without_its_translation_is_found(project_copy):
    """What the test above reports when someone marks a string and forgets the catalog."""
    (project_copy / "operations" / "forgotten.py").write_text(
        "from django.utils.translation import gettext as _\n\n"
        'NEW = _("A sentence added without its Japanese")\n'
    )
    try:
        regenerated = _regenerate(project_copy)
    finally:
        (project_copy / "operations" / "forgotten.py").unlink()
    found = _differences(read_catalog(CATALOG), regenerated)
    assert "not in the catalog: 'A sentence added without its Japanese'" in found
    assert "untranslated: 'A sentence added without its Japanese'" in found

"""The documentation stays one for each reader: README an entrance of at most 150 lines, every
page of docs/ in the site's nav, and the site built in strict mode, loading nothing from
elsewhere. (The commands the pages show are run by tests/test_readme.py.)"""

import re
import shutil
import subprocess

import yaml

from tests.commands import PROJECT, VENV_BIN, clean_environment

DOCS = PROJECT / "docs"


def test_readme_is_an_entrance_of_at_most_150_lines():
    lines = (PROJECT / "README.md").read_text().splitlines()
    assert len(lines) <= 150


def _nav_pages(entries):
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            yield from _nav_pages(value)
        else:
            yield value


def test_every_page_of_docs_is_in_the_nav_and_every_nav_entry_is_a_page():
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text())
    in_nav = list(_nav_pages(config["nav"]))
    pages = sorted(str(page.relative_to(DOCS)) for page in DOCS.rglob("*.md"))
    assert sorted(in_nav) == pages
    assert len(in_nav) == len(set(in_nav)), "a page is in the nav twice"


def _build(project, site):
    # Never with --quiet: it hides the warnings from strict mode, and the build passes with
    # broken links (mkdocs/mkdocs#4126).
    return subprocess.run(  # noqa: S603 - the locked environment's mkdocs, fixed arguments
        [str(VENV_BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=clean_environment(NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_page_left_out_of_the_nav_or_a_broken_link_fails_the_build(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(DOCS, project / "docs")
    shutil.copy(PROJECT / "mkdocs.yml", project)
    (project / "fixtures").mkdir()
    shutil.copy(PROJECT / "fixtures" / "CORRECTIONS.md", project / "fixtures")
    assert _build(project, tmp_path / "site").returncode == 0

    (project / "docs" / "stray.md").write_text("# Not in the nav\n")
    result = _build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "stray.md" in result.stderr

    (project / "docs" / "stray.md").unlink()
    with open(project / "docs" / "api.md", "a") as page:
        page.write("\n[Gone](staff/records.md#no-such-heading)\n")
    result = _build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-heading" in result.stderr


def test_the_site_builds_in_strict_mode_and_loads_nothing_from_elsewhere(tmp_path):
    site = tmp_path / "site"
    result = _build(PROJECT, site)
    assert result.returncode == 0, result.stdout + result.stderr

    html = {page: page.read_text() for page in site.rglob("*.html")}
    assert len(html) > len(list(DOCS.rglob("*.md")))  # every page, and the 404 page
    # What a browser loads by itself: scripts, stylesheets, fonts, images, frames. Links the
    # reader may follow are fine.
    loaded = re.compile(
        r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"(?:https?:)?//"
        r"|<link\b(?![^>]*\brel=\"(?:canonical|alternate)\")[^>]*\bhref=\"(?:https?:)?//"
    )
    assert [str(page) for page, text in html.items() if loaded.search(text)] == []
    # Material fetches Mermaid from a CDN as soon as a page holds a diagram of it.
    assert [str(page) for page, text in html.items() if 'class="mermaid"' in text] == []
    # The seed's correction notes, kept in fixtures/, are on the site.
    corrections = (site / "staff" / "seed-corrections" / "index.html").read_text()
    assert "Corrections to the researcher tables" in corrections

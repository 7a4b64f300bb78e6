"""The commands of README and the documentation (docs/) work as printed: each one that needs no
server runs here, in order, in a fresh folder and fresh databases, and every command README or
a page of docs/ shows is listed below, run or not run with the reason, so they cannot drift
apart."""

import csv
import dataclasses
import datetime
import json
import os
import re
import shutil
import subprocess
import sys

import openpyxl

from tests.commands import (
    PRODUCTION,
    PROJECT,
    SHARED_CACHE,
    clean_environment,
    scratch_database,
)
from tests.importing import DATA

README = PROJECT / "README.md"
DOCS = PROJECT / "docs"
# How a command written inline in the prose begins (a block shows only commands).
INLINE_COMMAND = (
    "bash ", "python ", "python3 ", ".venv/bin/", "uv ", "npm ", "apt-get ", "pg_dump ",
    "pg_restore ", "rsync ", "tar ", "curl ", "gunicorn ",
)  # fmt: skip
PASSWORD = "a new password for the office 42"


@dataclasses.dataclass
class Run:
    """Run it; ``database`` names which scratch database it works on."""

    database: str = "local"
    production: bool = False
    stdin: str | None = None
    prints: str = ""
    postgres_only: bool = False
    shared_cache: bool = False


@dataclasses.dataclass
class NotRun:
    why: str


BACKUP = (
    "bash bin/manage dumpdata --natural-foreign --natural-primary --exclude=contenttypes "
    "--exclude=auth.permission --exclude=sessions --output=backup-$(date +%F).json"
)

API = NotRun("asks a running server; tests/api/test_api.py makes the same requests")
BENCHMARK = NotRun("a benchmark of several minutes; docs/performance.md holds its figures")
SYSTEM_PACKAGE = NotRun("installs a system package (apt-get, as root)")

# Every command README and docs/ show, in the order they are run here.
COMMANDS = {
    "bash bin/start": NotRun("serves the site; its steps are bin/manage setup_local + runserver"),
    "bash bin/test": NotRun("runs this suite"),
    "bash bin/test tests/operations/test_views.py": NotRun("runs this suite"),
    "bash bin/test -m browser": NotRun("runs this suite"),
    "bash bin/test -k healthz": NotRun("runs this suite"),
    "bash bin/test -n 0 -x --pdb tests/operations": NotRun("runs this suite, interactively"),
    "bash bin/test -n 0 tests/browser/test_accessibility.py": NotRun("runs this suite's audit"),
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/partnerships bash bin/test": NotRun(
        "runs this suite"
    ),
    "HYPOTHESIS_PROFILE=thorough bash bin/test tests/test_no_server_errors.py": NotRun(
        "runs this suite's request walk, for long"
    ),
    "bash .ci/run": NotRun("runs CI: the lint phase, then this suite on both databases"),
    ".venv/bin/lint-imports": NotRun("checks the layers' contracts; CI's lint phase runs it"),
    ".venv/bin/mkdocs serve": NotRun("serves the documentation site"),
    '.venv/bin/mkdocs build --strict --site-dir "$(mktemp -d)"': NotRun(
        "CI's lint phase runs it; tests/test_docs.py builds the site the same way"
    ),
    "npm ci": NotRun("installs axe-core; bin/test and CI run it"),
    "apt-get install chromium": SYSTEM_PACKAGE,
    "apt-get install gettext": SYSTEM_PACKAGE,
    "apt-get install npm": SYSTEM_PACKAGE,
    "uv sync --locked": NotRun("installs the lock; bin/_venv runs it for every command here"),
    "bash bin/manage setup_local": Run(prints="Seed data loaded: 237 partner institutions."),
    "bash bin/manage changepassword admin": Run(
        stdin=f"{PASSWORD}\n{PASSWORD}\n", prints="Password changed successfully"
    ),
    "bash bin/manage dumpdata exchanges > exchanges.json": Run(),
    "bash bin/manage loaddata seed": Run(prints="Installed"),
    "bash bin/manage create_initial_versions": Run(prints="First versions made: 0."),
    "bash bin/manage clear_import_uploads --hours 24": Run(),
    "bash bin/manage import_statistics researchers-2023.xlsx --year 2023 --direction inbound "
    "--dry-run": Run(prints="Dry run"),
    "bash bin/manage import_statistics researchers-2023.xlsx --year 2023 --direction inbound": (
        Run()
    ),
    "bash bin/manage publish_statistics 2023 --direction inbound": Run(
        prints="Published 2023 researchers from abroad"
    ),
    "bash bin/manage publish_statistics 2023 --direction inbound --unpublish": Run(
        prints="Unpublished 2023 researchers from abroad"
    ),
    "LANG=ja_JP.UTF-8 bash bin/manage publish_statistics 2023 --direction inbound": Run(
        prints="2023年度 海外からの受入研究者"
    ),
    "bash bin/manage import_agreements memoranda-2025.csv --dry-run": Run(prints="Dry run"),
    "bash bin/manage import_agreements memoranda-2025.csv": Run(),
    # The seed's agreements have no end dates: nothing is due.
    "bash bin/manage send_renewal_reminders --dry-run": Run(prints="Nothing to send."),
    BACKUP: Run(),
    "bash bin/manage migrate": Run(database="restored"),
    "bash bin/manage loaddata backup-2026-04-01.json": Run(database="restored", prints="Installed"),
    'pg_dump --format=custom --file=partnerships.dump "$DATABASE_URL"': Run(postgres_only=True),
    'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" partnerships.dump': Run(
        postgres_only=True
    ),
    'tar --create --gzip --file=documents.tar.gz --directory="$DJANGO_DOCUMENTS_ROOT" .': NotRun(
        "an operator's copy of a server's folder; tests/agreements/test_documents.py proves "
        "that files are only ever added"
    ),
    'tar --extract --gzip --file=documents.tar.gz --directory="$DJANGO_DOCUMENTS_ROOT"': NotRun(
        "an operator's restore of a server's folder"
    ),
    "python3 -m venv .venv && .venv/bin/pip install uv && .venv/bin/uv sync --locked": NotRun(
        "installs into a server's own environment; bin/_venv installs the same lock"
    ),
    ". .venv/bin/activate": NotRun("a server's shell; tests.commands runs the venv's Python"),
    "export DJANGO_SECRET_KEY=… DJANGO_ALLOWED_HOSTS=partners.example.ac.jp "
    "DATABASE_URL=postgres://partnerships:…@db.example.ac.jp:5432/partnerships "
    "REDIS_URL=redis://cache.example.ac.jp:6379/0 "
    "DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https": NotRun(
        "placeholders; the production environment is set as tests.commands.PRODUCTION, "
        "with tests.commands.SHARED_CACHE where the command never reaches the cache"
    ),
    "python -m operations.catalogs": Run(production=True),
    "python manage.py migrate": Run(production=True),
    "python manage.py collectstatic --noinput": Run(production=True),
    "python manage.py check --deploy": Run(
        production=True, shared_cache=True, prints="System check identified no issues"
    ),
    "gunicorn -c config/gunicorn.conf.py config.wsgi": NotRun(
        "serves; started by tests/operations/test_log_format.py"
    ),
    "python manage.py axes_reset_username NAME": Run(production=True),
    ".venv/bin/uv sync --locked --extra dev --extra loadtest": NotRun("installs locust"),
    ".venv/bin/uv lock": NotRun("rewrites uv.lock; CI's uv lock --check proves it current"),
    ".venv/bin/uv lock --upgrade-package django": NotRun("rewrites uv.lock to newer versions"),
    ".venv/bin/uv lock --upgrade": NotRun("rewrites uv.lock to newer versions"),
    ".venv/bin/python loadtest/run.py --seconds 60": NotRun("serves and loads it for a minute"),
    ".venv/bin/python benchmarks/import_speed.py": BENCHMARK,
    ".venv/bin/python benchmarks/hostile_files.py": BENCHMARK,
    ".venv/bin/python benchmarks/pages.py": BENCHMARK,
    ".venv/bin/python benchmarks/pages.py --stages 5000 --rounds 15": BENCHMARK,
    ".venv/bin/python benchmarks/pages.py --stages 5000": BENCHMARK,
    ".venv/bin/python benchmarks/pages.py --stages 5000 --only agreements --rounds 15": BENCHMARK,
    ".venv/bin/python benchmarks/pages.py --stages 5000 --only agreements --rounds 15 "
    "--language ja": BENCHMARK,
    "bash bin/manage makemessages -l ja --no-location --no-obsolete -i tests -i benchmarks "
    "-i loadtest -i test-artifacts": NotRun(
        "rewrites the catalog; tests/test_catalog.py runs it on a copy of the project"
    ),
    "curl 'http://127.0.0.1:8000/api/v1/institutions/?region=europe&kind=sea&ordering=name'": API,
    "curl 'http://127.0.0.1:8000/api/v1/institutions/university-of-bordeaux/'": API,
    "curl -H 'Accept-Language: ja' 'http://127.0.0.1:8000/api/v1/institutions/?q=大学'": API,
    "curl 'http://127.0.0.1:8000/api/v1/statistics/?academic_year=2022&direction=inbound"
    "&region=asia'": API,
    "curl 'http://127.0.0.1:8000/api/v1/statistics/regions/?academic_year=2022'": API,
    "curl -i -H 'If-None-Match: \"…\"' 'http://127.0.0.1:8000/api/v1/institutions/'": API,
    "python manage.py …": NotRun("a pattern, not a command"),
    "python manage.py": NotRun("names the tool, not a command"),
    'rsync --archive "$DJANGO_DOCUMENTS_ROOT/" backup-host:partnerships-documents/': NotRun(
        "an operator's copy of a server's folder to another machine"
    ),
}


def pages():
    """README and every page of docs/, in a fixed order."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def shown_commands(text):
    """Each command in a page's shell blocks, continuation lines joined, comments dropped, and
    each command written inline in its prose."""
    commands = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            command = " ".join(re.sub(r"(^|\s)#\s.*$", "", line).split())
            if command:
                commands.append(command)
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    for span in re.findall(r"`([^`\n]+)`", prose):
        if span.startswith(INLINE_COMMAND):
            commands.append(" ".join(span.split()))
    return commands


def commands_by_page():
    """Where each command is shown: command -> the pages, relative to the project."""
    where = {}
    for page in pages():
        for command in shown_commands(page.read_text()):
            where.setdefault(command, []).append(str(page.relative_to(PROJECT)))
    return where


def test_every_command_in_readme_and_docs_is_listed_here_and_nothing_else():
    shown = commands_by_page()
    only_shown = {command: shown[command] for command in set(shown) - set(COMMANDS)}
    assert set(shown) == set(COMMANDS), (
        f"shown but not listed here: {only_shown}; "
        f"listed here but shown nowhere: {set(COMMANDS) - set(shown)}"
    )


def test_readme_shows_the_two_quick_start_commands():
    assert {"bash bin/start", "bash bin/test"} <= set(shown_commands(README.read_text()))


def test_the_apps_own_hints_name_readme_commands():
    hint = re.search(
        r'f"(bash bin/manage changepassword) \{username\}"',
        (PROJECT / "agreements/management/commands/setup_local.py").read_text(),
    )
    assert hint is not None
    assert f"{hint.group(1)} admin" in COMMANDS


def _prepare_files(folder):
    """The files the examples of README and docs/ name, made from the samples in tests/data."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    with open(DATA / "statistics-plain.csv", encoding="utf-8") as plain:
        rows = [line.rstrip("\n") for line in plain]
    table = list(csv.reader(rows))
    sheet.append(table[0])
    for year, direction, country, count in table[1:]:
        if (year, direction) == ("2023", "inbound"):
            sheet.append([int(year), direction, country, int(count)])
    workbook.save(folder / "researchers-2023.xlsx")
    shutil.copy(DATA / "memoranda-2024.csv", folder / "memoranda-2025.csv")


def _as_run_here(command):
    """The command with this checkout's paths: the pages show them relative to the project."""
    command = command.replace("bash bin/", f"bash {PROJECT}/bin/")
    command = command.replace("python manage.py", f"{sys.executable} {PROJECT}/manage.py")
    command = command.replace("python -m ", f"cd {PROJECT} && {sys.executable} -m ")
    return command.replace("axes_reset_username NAME", "axes_reset_username admin")


def test_each_command_shown_that_needs_no_server_runs_as_printed(tmp_path):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    folder = tmp_path / "work"
    folder.mkdir()
    _prepare_files(folder)
    with (
        scratch_database("readme", tmp_path) as local,
        scratch_database("restored", tmp_path) as restored,
    ):
        databases = {"local": local, "restored": restored}
        ran = []
        for command, how in COMMANDS.items():
            if isinstance(how, NotRun) or (how.postgres_only and not on_postgres):
                continue
            if command == "bash bin/manage loaddata backup-2026-04-01.json":
                # README restores "the backup of 1 April"; here, the one just made.
                today = datetime.date.today().isoformat()
                shutil.copy(folder / f"backup-{today}.json", folder / "backup-2026-04-01.json")
            env = {
                "DATABASE_URL": databases[how.database],
                "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            }
            if how.production:
                env.update(PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path / "static"))
            if how.shared_cache:
                env.update(SHARED_CACHE)
            result = subprocess.run(  # noqa: S603 - README's own commands
                ["bash", "-c", _as_run_here(command)],  # noqa: S607
                cwd=folder,
                env=clean_environment(**env),
                input=how.stdin,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
                # No terminal: changepassword reads the password from stdin, never a tty.
                start_new_session=True,
            )
            assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
            assert how.prints in result.stdout, f"{command}\n{result.stdout}"
            ran.append(command)

    assert len(json.loads((folder / "exchanges.json").read_text())) > 0
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert len(ran) == sum(
        isinstance(how, Run) and (on_postgres or not how.postgres_only) for how in COMMANDS.values()
    )

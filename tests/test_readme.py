"""README's commands work as printed: each one that needs no server runs here, in order, in a
fresh folder and fresh databases, and every command README shows is listed below, so the two
cannot drift apart."""

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

# Every command README shows, in the order they are run here.
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
    ".venv/bin/python benchmarks/import_speed.py": NotRun("a benchmark of several minutes"),
    ".venv/bin/python benchmarks/hostile_files.py": NotRun("a benchmark of several minutes"),
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
}


def readme_commands():
    """Each command in README's shell blocks, continuation lines joined, comments dropped,
    and each `bash bin/…` or `python manage.py …` written inline in the prose."""
    text = README.read_text()
    commands = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            command = " ".join(re.sub(r"(^|\s)#\s.*$", "", line).split())
            if command:
                commands.append(command)
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    for span in re.findall(r"`([^`\n]+)`", prose):
        if span.startswith(("bash bin/", "python manage.py", ".venv/bin/")):
            commands.append(" ".join(span.split()))
    return commands


def test_every_command_in_readme_is_listed_here_and_nothing_else():
    shown = set(readme_commands())
    assert shown == set(COMMANDS), (
        f"in README only: {shown - set(COMMANDS)}; here only: {set(COMMANDS) - shown}"
    )


def test_the_apps_own_hints_name_readme_commands():
    hint = re.search(
        r'f"(bash bin/manage changepassword) \{username\}"',
        (PROJECT / "agreements/management/commands/setup_local.py").read_text(),
    )
    assert hint is not None
    assert f"{hint.group(1)} admin" in COMMANDS


def _prepare_files(folder):
    """The files README's examples name, made from the samples in tests/data."""
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
    """The command with this checkout's paths: README's are relative to the project."""
    command = command.replace("bash bin/", f"bash {PROJECT}/bin/")
    command = command.replace("python manage.py", f"{sys.executable} {PROJECT}/manage.py")
    command = command.replace("python -m ", f"cd {PROJECT} && {sys.executable} -m ")
    return command.replace("axes_reset_username NAME", "axes_reset_username admin")


def test_each_readme_command_that_needs_no_server_runs_as_printed(tmp_path):
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

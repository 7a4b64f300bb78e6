"""How fast each uncached page answers as the records grow, against Django's own floor.

Not a test. Run from the project root:

    python benchmarks/pages.py                          # SQLite (a file, as in production)
    DATABASE_URL=postgres://user@host:5432/db python benchmarks/pages.py

It builds a throw-away test database (Django's test_<name>), loads the seed, and measures every
public page, the downloads and the admin changelists through Django's test client in this one
process, with the page cache off. Each round requests `/admin/login/` (the reference: a page
of the admin that reads no record) right before each page, so the ratio compares figures taken
under the same load; the table prints each page's median, that ratio, and the ratio of their
CPU time (which other jobs on a shared machine do not stretch).

Stages: the seed; the seed plus 1,000 and plus 5,000 SYNTHETIC institutions ("Synthetic
University NNNNN", each with an MOU, every third with an SEA, every tenth with a scope note,
every hundredth without a country); then, at +5,000, a SYNTHETIC 100,000-row statistics table
(500 "Synthetic country NNN" x 100 academic years x 2 directions, written by bulk_create).
PostgreSQL is analyzed after each stage, as autovacuum would leave it. SQLite is not: nothing
runs ANALYZE on a SQLite file in production (pass --analyze-sqlite to see the difference).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ["DJANGO_PUBLIC_CACHE_SECONDS"] = "0"  # the uncached pages are what is measured
# The API's throttle still counts every request (its cost is measured), but never refuses one.
os.environ["DJANGO_API_ANON_RATE"] = "1000000000/second"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.measured_pages import ADMIN_PAGES, PUBLIC_PAGES, STATISTICS_PAGES  # noqa: E402

REFERENCE = "/admin/login/"
SYNTHETIC_COUNTRIES_FOR_INSTITUTIONS = 50
# --language ja: the pages as a Japanese browser asks for them (Accept-Language).
LANGUAGE_HEADERS = {}


def synthetic_institutions(start, stop):
    """SYNTHETIC partners numbered start..stop-1 with their agreements, in synthetic countries."""
    from agreements.models import Agreement, AgreementKind, Institution
    from places.models import Country, Region

    regions = [r for r in Region.objects.order_by("display_order") if r.slug != "others"]
    countries = list(Country.objects.filter(name__startswith="Synthetic land").order_by("name"))
    if not countries:
        countries = Country.objects.bulk_create(
            Country(name=f"Synthetic land {n:02}", region=regions[n % len(regions)])
            for n in range(SYNTHETIC_COUNTRIES_FOR_INSTITUTIONS)
        )
    with transaction.atomic():
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"Synthetic University {n:05}",
                slug=f"synthetic-university-{n:05}",
                country=None if n % 100 == 99 else countries[n % len(countries)],
            )
            for n in range(start, stop)
        )
        Agreement.objects.bulk_create(
            Agreement(
                institution=institution,
                kind=kind,
                concluded_year=1960 + (n * 7 + (kind == AgreementKind.SEA) * 3) % 65,
                scope_note="Synthetic scope note." if n % 10 == 0 and kind == "mou" else "",
            )
            for n, institution in zip(range(start, stop), institutions, strict=True)
            for kind in AgreementKind.values[: 2 if n % 3 == 0 else 1]
        )


def synthetic_statistics():
    """SYNTHETIC researcher counts: 500 countries x 100 academic years x 2 directions."""
    from exchanges.models import Direction, ExchangeStatistic, ReleaseState, StatisticsRelease
    from places.models import Country, Region

    regions = list(Region.objects.order_by("display_order"))
    with transaction.atomic():
        countries = Country.objects.bulk_create(
            Country(name=f"Synthetic country {n:03}", region=regions[n % len(regions)])
            for n in range(500)
        )
        ExchangeStatistic.objects.bulk_create(
            (
                ExchangeStatistic(
                    academic_year=year,
                    direction=direction,
                    country=country,
                    researchers=(year + index) % 97,
                )
                for year in range(1990, 2090)
                for direction in Direction.values
                for index, country in enumerate(countries)
            ),
            batch_size=5000,
        )
        # Every synthetic year is published, as the seed's 2022 is.
        StatisticsRelease.objects.bulk_create(
            (
                StatisticsRelease(
                    academic_year=year, direction=direction, state=ReleaseState.PUBLISHED
                )
                for year in range(1990, 2090)
                for direction in Direction.values
            ),
            ignore_conflicts=True,
        )
    return ExchangeStatistic.objects.count()


def analyze(force=False):
    if connection.vendor == "postgresql" or force:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def clients():
    from django.contrib.auth.models import User

    visitor = Client(headers=LANGUAGE_HEADERS)
    staff = Client(headers=LANGUAGE_HEADERS)
    user = User.objects.filter(username="benchmark-admin").first() or User.objects.create_superuser(
        "benchmark-admin", "benchmark@example.invalid", None
    )
    staff.force_login(user)
    return visitor, staff


class CpuClock:
    """CPU time this process and its PostgreSQL server process have used, in ms.

    Wall time counts the waits for a core that other jobs on a shared machine hold; CPU time
    is the work a request costs, whoever else runs. This process's is exact, and its median
    is taken like the wall time's; the server's is read from /proc in clock ticks (10 ms), so
    only its mean over many requests says anything.
    """

    def __init__(self):
        self.server = None
        if connection.vendor == "postgresql" and Path("/proc").is_dir():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.server = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        self.tick = 1000 / os.sysconf("SC_CLK_TCK")

    def __call__(self):
        server = 0
        if self.server is not None:
            fields = self.server.read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) * self.tick
        return time.process_time() * 1000, server


def timed_get(client, url, clock=None):
    before = clock() if clock else (0, 0)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    after = clock() if clock else (0, 0)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, after[0] - before[0], after[1] - before[1]


def cpu_of(samples):
    """Median CPU time of this process plus the server's mean, per request."""
    return statistics.median(own for _wall, own, _server in samples) + statistics.mean(
        server for _wall, _own, server in samples
    )


def measure(pages, rounds):
    """Interleave the reference with each page, `rounds` times; medians and query counts."""
    visitor, staff = clients()
    for label, url, _goal in pages:  # warm up: templates, translations, URL resolvers
        client = staff if label.startswith("admin") else visitor
        timed_get(client, url)
        timed_get(visitor, REFERENCE)
    queries = {}
    for label, url, _goal in pages:
        client = staff if label.startswith("admin") else visitor
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[label] = len(captured)
    clock = CpuClock()
    reference, timings = [], {label: [] for label, _url, _goal in pages}
    for _round in range(rounds):
        for label, url, _goal in pages:
            client = staff if label.startswith("admin") else visitor
            reference.append(timed_get(visitor, REFERENCE, clock))
            timings[label].append(timed_get(client, url, clock))
    floor = statistics.median(wall for wall, _own, _server in reference)
    cpu_floor = cpu_of(reference)
    return {
        "reference_ms": floor,
        "reference_cpu_ms": cpu_floor,
        "pages": {
            label: {
                "ms": statistics.median(wall for wall, _own, _server in values),
                "ratio": statistics.median(wall for wall, _own, _server in values) / floor,
                "cpu_ms": cpu_of(values),
                "cpu_ratio": cpu_of(values) / cpu_floor,
                "queries": queries[label],
            }
            for label, values in timings.items()
        },
    }


def print_table(vendor, stages, pages):
    names = list(stages)
    print(
        f"\n{vendor}: median ms (its ratio to {REFERENCE} in the same loop / the ratio of their"
        " CPU time, this process's median and its PostgreSQL server's mean) [queries];"
        " past the goal: w by wall time, c by CPU time"
    )
    width = 30
    header = f"{'page':<42}{'goal':>6}" + "".join(f"{name:>{width}}" for name in names)
    print(header)
    print("-" * len(header))
    reference = "".join(
        f"{stages[name]['reference_ms']:.1f} ms, {stages[name]['reference_cpu_ms']:.1f} CPU".rjust(
            width
        )
        for name in names
    )
    print(f"{REFERENCE + ' (reference)':<42}{'':>6}{reference}")
    failures = []
    for label, _url, goal in pages:
        cells = []
        for name in names:
            figure = stages[name]["pages"].get(label)
            if figure is None:
                cells.append(f"{'':>{width}}")
                continue
            over = ("w" if figure["ratio"] > goal else "") + (
                "c" if figure["cpu_ratio"] > goal else ""
            )
            if over:
                failures.append((name, label, figure["ratio"], figure["cpu_ratio"], goal))
            cell = (
                f"{figure['ms']:.1f} ({figure['ratio']:.1f}x/{figure['cpu_ratio']:.1f}x)"
                f"{over:<2}[{figure['queries']:>2}]"
            )
            cells.append(f"{cell:>{width}}")
        print(f"{label:<42}{'≤' + str(goal) + 'x':>6}" + "".join(cells))
    return failures


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="requests per page (median)")
    parser.add_argument("--analyze-sqlite", action="store_true", help="run ANALYZE on SQLite too")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--stages", default="seed,1000,5000,statistics", help="comma-separated subset to run"
    )
    parser.add_argument("--only", default="", help="measure only pages whose label has this text")
    parser.add_argument(
        "--language", default="", help="ask for the pages in this language, e.g. ja"
    )
    return parser.parse_args()


def measure_in_test_database(options):
    """Measure the stages in a throw-away database, with production's settings and files."""
    from django.core.management import call_command

    settings.DEBUG = False
    # Not setup_test_environment(): it instruments every template render for the test client
    # (a signal and a copy of the context each), a cost production never pays.
    folder = tempfile.TemporaryDirectory(prefix="pages-benchmark-")
    # Static files as production serves them: collected, hashed, compressed.
    settings.STATIC_ROOT = Path(folder.name) / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(folder.name) / "benchmark.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddata", "seed", verbosity=0)
        return measure_stages(options)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        folder.cleanup()


def measure_stages(options):
    """The seed, then ever more records: each wanted stage's figures, by the stage's name."""
    wanted = options.stages.split(",")
    all_pages, statistics_pages = pages_wanted(options.only)
    stages = {}
    analyze(options.analyze_sqlite)
    if "seed" in wanted:
        stages["seed"] = measure(all_pages, options.rounds)
        print(f"seed measured (reference {stages['seed']['reference_ms']:.1f} ms)", flush=True)
    synthetic_institutions(0, 1000)
    analyze(options.analyze_sqlite)
    if "1000" in wanted:
        stages["+1,000"] = measure(all_pages, options.rounds)
        print("+1,000 measured", flush=True)
    synthetic_institutions(1000, 5000)
    analyze(options.analyze_sqlite)
    if "5000" in wanted:
        stages["+5,000"] = measure(all_pages, options.rounds)
        print("+5,000 measured", flush=True)
    if "statistics" in wanted:
        rows = synthetic_statistics()
        analyze(options.analyze_sqlite)
        stages["+5,000, 100k stats"] = measure(statistics_pages, options.rounds)
        print(f"statistics measured ({rows:,} rows)", flush=True)
    return stages


def pages_wanted(only):
    """Every page, and the pages that read the statistics, whose label has `only` in it."""
    return (
        [page for page in PUBLIC_PAGES + ADMIN_PAGES if only in page[0]],
        [page for page in STATISTICS_PAGES if only in page[0]],
    )


def print_failures(failures):
    if failures:
        print("\nAbove the goal (wall-time ratio / CPU-time ratio):")
        for stage, label, ratio, cpu_ratio, goal in failures:
            print(f"  {stage}: {label} {ratio:.1f}x / {cpu_ratio:.1f}x, goal {goal}x")
    else:
        print("\nEvery page is within its goal.")


def main():
    options = parse_options()
    if options.language:
        LANGUAGE_HEADERS["accept-language"] = options.language
    stages = measure_in_test_database(options)
    vendor = connection.vendor
    all_pages, _statistics_pages = pages_wanted(options.only)
    failures = print_table(vendor, stages, all_pages)
    print_failures(failures)
    if options.json:
        options.json.write_text(json.dumps({"vendor": vendor, "stages": stages}, indent=1))


if __name__ == "__main__":
    main()

"""How fast the project's import path loads national-scale researcher counts.

Not a test. Run from the project root:

    python benchmarks/import_speed.py                          # SQLite
    DATABASE_URL=postgres://user@host:5432/db python benchmarks/import_speed.py

It builds a throw-away test database (Django's test_<name>), fills it with SYNTHETIC data
(8 regions, 500 "Synthetic country NNN", 5,000 "Synthetic institution NNNN"), and generates a
SYNTHETIC plain-table CSV of 100,000 researcher counts: 500 countries x 100 academic years
(1990-2089) x 2 directions, because the model keeps one row per year, direction and country.
It then times, round after round so that every path meets the same machine load, the
project's own path (the code the admin and import_statistics run) against Django's:

- the preview (read the file, match every row, load existing rows, plan): nothing written;
- the committed import into an empty table, with history rows and an ImportRecord, against
  simple_history's bulk_create_with_history (the same rows and history rows through the ORM);
  its writer without history against plain bulk_create;
- the committed re-import of a file where every count changed, against
  bulk_update_with_history; its writer without history against plain bulk_update;

and prints the median rows per second, the number of queries and the speed-up over the ORM
path doing the same work.
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.utils import (  # noqa: E402
    bulk_create_with_history,
    bulk_update_with_history,
)

from agreements.memoranda import MemorandaLayout  # noqa: E402
from exchanges.importing.plain import PlainLayout  # noqa: E402
from exchanges.models import ExchangeStatistic  # noqa: E402
from imports.reading import read_spreadsheet  # noqa: E402
from imports.writing import apply_plan, bulk_update_values, insert_rows, lock_tables  # noqa: E402

COUNTRIES = 500
YEARS = range(1990, 2090)
DIRECTIONS = ("inbound", "outbound")
INSTITUTIONS = 5_000
STATISTICS_ROWS = len(YEARS) * len(DIRECTIONS) * COUNTRIES
# The table's rows in order, each with the ORM path doing the same work, if it is compared.
COMPARISONS = [
    ("preview", "bulk_create"),
    ("import, all new, with history", "bulk_create_with_history"),
    ("our insert, no history", "bulk_create"),
    ("bulk_create_with_history", None),
    ("bulk_create", None),
    ("preview, all changed", None),
    ("import, all changed, with history", "bulk_update_with_history"),
    ("our update, no history", "bulk_update"),
    ("bulk_update_with_history", None),
    ("bulk_update", None),
    ("re-import, no change", None),
]


def synthetic_reference_data():
    from agreements.models import Institution
    from places.models import Country, Region

    regions = Region.objects.bulk_create(
        Region(name=f"Synthetic region {n}", slug=f"synthetic-region-{n}", display_order=n)
        for n in range(1, 9)
    )
    countries = Country.objects.bulk_create(
        Country(name=f"Synthetic country {n:03d}", region=regions[n % 8]) for n in range(COUNTRIES)
    )
    Institution.objects.bulk_create(
        Institution(
            name=f"Synthetic institution {n:04d}",
            slug=f"synthetic-institution-{n:04d}",
            country=countries[n % COUNTRIES],
        )
        for n in range(INSTITUTIONS)
    )
    return countries


def synthetic_csv(countries, bump=0):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Academic year", "Direction", "Country/Region", "Researchers"])
    for year in YEARS:
        for direction in DIRECTIONS:
            for index, country in enumerate(countries):
                writer.writerow([year, direction, country.name, (year + index) % 97 + bump])
    return buffer.getvalue().encode()


def check(condition, detail="the synthetic data did not load as planned"):
    if not condition:
        raise SystemExit(f"Benchmark aborted: {detail}")


def synthetic_memoranda(countries):
    """The published memoranda layout for every synthetic institution: MOU always, SEA often."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Synthetic memoranda list"])
    writer.writerow(["Country/Region", "Institution", "Year of conclusion", ""])
    writer.writerow(["", "", "MOU", "SEA"])
    by_country = {}
    for n in range(INSTITUTIONS):
        by_country.setdefault(countries[n % COUNTRIES].name, []).append(n)
    mou = sea = 0
    for country, numbers in by_country.items():
        for position, n in enumerate(numbers):
            sea_year = 2000 + n % 20 if n % 3 else "-"
            mou += 1
            sea += sea_year != "-"
            name = f"Synthetic institution {n:04d}"
            writer.writerow(["" if position else country, name, 1990 + n % 30, sea_year])
    writer.writerow(["Total", "", mou, sea])
    return buffer.getvalue().encode(), mou + sea


def timed(function):
    reset_queries()  # the query log keeps 9,000 entries; the counts need a fresh one
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - started
    return value, elapsed, len(queries)


class Timings:
    """Each path's seconds and queries, round after round; the median of its seconds."""

    def __init__(self):
        self.samples = {}

    def measure(self, label, function):
        value, seconds, queries = timed(function)
        self.samples.setdefault(label, []).append((seconds, queries))
        return value

    def median(self, label):
        seconds = sorted(s for s, _q in self.samples[label])
        return seconds[len(seconds) // 2], self.samples[label][0][1]


def empty_tables(*models):
    """Remove every row without one history entry per row (a plain DELETE)."""
    from simple_history.utils import get_history_manager_for_model

    with connection.cursor() as cursor:
        for model in models:
            for table in (get_history_manager_for_model(model).model, model):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table._meta.db_table)}")  # noqa: S608


def use_national_limits():
    settings.IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # national scale: raise the limits
    settings.IMPORT_MAX_CELLS = 2_000_000
    settings.DEBUG = False


def counts_of(countries):
    """The synthetic file's rows as (year, direction, country id, researchers), for the ORM."""
    return [
        (year, direction, country.pk, (year + index) % 97)
        for year in YEARS
        for direction in DIRECTIONS
        for index, country in enumerate(countries)
    ]


def fresh_statistics(counts):
    return [
        ExchangeStatistic(academic_year=y, direction=d, country_id=c, researchers=n)
        for y, d, c, n in counts
    ]


def preview_statistics(content):
    sheet = read_spreadsheet(content)
    return sheet, PlainLayout().plan(sheet)


def commit_statistics(content, name):
    with transaction.atomic():
        lock_tables([ExchangeStatistic])
        sheet, plan = preview_statistics(content)
        check(not plan.refused, plan.problems[:3])
        return apply_plan(plan, file_name=name, file_size=sheet.size, sha256=sheet.sha256)


def orm_insert(counts, *, with_history):
    with transaction.atomic():
        if with_history:
            bulk_create_with_history(fresh_statistics(counts), ExchangeStatistic, batch_size=2000)
        else:
            ExchangeStatistic.objects.bulk_create(fresh_statistics(counts), batch_size=2000)


def our_insert(counts):
    with transaction.atomic():
        insert_rows(ExchangeStatistic, fresh_statistics(counts))


def orm_update(*, with_history):
    objects = list(ExchangeStatistic.objects.all())
    for obj in objects:
        obj.researchers += 1
    with transaction.atomic():
        if with_history:
            bulk_update_with_history(objects, ExchangeStatistic, ["researchers"], batch_size=2000)
        else:
            ExchangeStatistic.objects.bulk_update(objects, ["researchers"], batch_size=2000)


def our_update():
    objects = list(ExchangeStatistic.objects.all())
    before = [(obj.researchers,) for obj in objects]
    for obj in objects:
        obj.researchers += 1
    with transaction.atomic():
        bulk_update_values(ExchangeStatistic, objects, ["researchers"], before)


def statistics_round(timings, data, changed, counts):
    """Every statistics path once, one after the other, on the same machine state."""
    empty_tables(ExchangeStatistic)
    _sheet, plan = timings.measure("preview", lambda: preview_statistics(data))
    check(len(plan.to_create) == STATISTICS_ROWS)
    timings.measure(
        "import, all new, with history", lambda: commit_statistics(data, "synthetic.csv")
    )
    _sheet, plan = timings.measure("preview, all changed", lambda: preview_statistics(changed))
    check(len(plan.to_update) == STATISTICS_ROWS)
    timings.measure(
        "import, all changed, with history", lambda: commit_statistics(changed, "changed.csv")
    )
    _sheet, plan = timings.measure("re-import, no change", lambda: preview_statistics(changed))
    check(plan.unchanged_count == STATISTICS_ROWS)
    timings.measure("bulk_update_with_history", lambda: orm_update(with_history=True))
    timings.measure("bulk_update", lambda: orm_update(with_history=False))
    timings.measure("our update, no history", our_update)
    empty_tables(ExchangeStatistic)
    timings.measure("bulk_create_with_history", lambda: orm_insert(counts, with_history=True))
    empty_tables(ExchangeStatistic)
    timings.measure("bulk_create", lambda: orm_insert(counts, with_history=False))
    empty_tables(ExchangeStatistic)
    timings.measure("our insert, no history", lambda: our_insert(counts))


def time_statistics(countries, rounds):
    data = synthetic_csv(countries)
    changed = synthetic_csv(countries, bump=1)
    counts = counts_of(countries)
    timings = Timings()
    for _round in range(rounds):
        statistics_round(timings, data, changed, counts)
    return timings


def preview_memoranda(content):
    sheet = read_spreadsheet(content)
    return sheet, MemorandaLayout().plan(sheet)


def commit_memoranda(content):
    with transaction.atomic():
        sheet, plan = preview_memoranda(content)
        return apply_plan(
            plan, file_name="memoranda.csv", file_size=sheet.size, sha256=sheet.sha256
        )


def time_memoranda(countries):
    """The memoranda list's preview and import, once each: its agreements and their figures."""
    memoranda, agreement_rows = synthetic_memoranda(countries)
    timings = Timings()
    _sheet, plan = timings.measure("preview", lambda: preview_memoranda(memoranda))
    check(len(plan.to_create) == agreement_rows, plan.problems[:3])
    timings.measure("import, all new, with history", lambda: commit_memoranda(memoranda))
    return agreement_rows, timings


def print_statistics(vendor, rounds, timings):
    print(
        f"Database: {vendor}; {STATISTICS_ROWS:,} synthetic statistics rows,"
        f" {INSTITUTIONS:,} institutions; median of {rounds} interleaved rounds;"
        f" {timezone.now():%Y-%m-%d}"
    )
    print(f"{'path':44} {'rows/s':>9} {'queries':>8}   compared with")
    for label, reference in COMPARISONS:
        seconds, queries = timings.median(label)
        rate = STATISTICS_ROWS / seconds
        versus = ""
        if reference:
            versus = f"{timings.median(reference)[0] / seconds:.1f}x {reference}"
        print(f"{label:44} {rate:>9,.0f} {queries:>8,}   {versus}")


def print_memoranda(agreement_rows, timings):
    print(
        f"Memoranda list, {INSTITUTIONS:,} synthetic institutions, {agreement_rows:,} agreements:"
    )
    for label in ("preview", "import, all new, with history"):
        seconds, queries = timings.median(label)
        print(f"{label:44} {agreement_rows / seconds:>9,.0f} {queries:>8,}")


def main():
    use_national_limits()
    rounds = int(os.environ.get("BENCHMARK_ROUNDS", "3"))
    vendor = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        countries = synthetic_reference_data()
        statistics = time_statistics(countries, rounds)
        agreement_rows, memoranda = time_memoranda(countries)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print_statistics(vendor, rounds, statistics)
    print_memoranda(agreement_rows, memoranda)


if __name__ == "__main__":
    main()

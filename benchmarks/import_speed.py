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

COUNTRIES = 500
YEARS = range(1990, 2090)
DIRECTIONS = ("inbound", "outbound")
INSTITUTIONS = 5_000


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


def empty_tables(*models):
    """Remove every row without one history entry per row (a plain DELETE)."""
    from simple_history.utils import get_history_manager_for_model

    with connection.cursor() as cursor:
        for model in models:
            for table in (get_history_manager_for_model(model).model, model):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table._meta.db_table)}")  # noqa: S608


def main():
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from agreements.memoranda import MemorandaLayout
    from exchanges.importing.plain import PlainLayout
    from exchanges.models import ExchangeStatistic
    from imports.reading import read_spreadsheet
    from imports.writing import apply_plan, bulk_update_values, insert_rows, lock_tables

    settings.IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # national scale: raise the limits
    settings.IMPORT_MAX_CELLS = 2_000_000
    settings.DEBUG = False
    rounds = int(os.environ.get("BENCHMARK_ROUNDS", "3"))
    vendor = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    timings = {}

    def record(label, seconds, queries):
        timings.setdefault(label, []).append((seconds, queries))

    try:
        countries = synthetic_reference_data()
        data = synthetic_csv(countries)
        changed = synthetic_csv(countries, bump=1)
        rows = len(YEARS) * len(DIRECTIONS) * COUNTRIES
        values = [
            (year, direction, country.pk, (year + index) % 97)
            for year in YEARS
            for direction in DIRECTIONS
            for index, country in enumerate(countries)
        ]

        def fresh():
            return [
                ExchangeStatistic(academic_year=y, direction=d, country_id=c, researchers=n)
                for y, d, c, n in values
            ]

        def preview(content):
            sheet = read_spreadsheet(content)
            return sheet, PlainLayout().plan(sheet)

        def commit(content, name):
            with transaction.atomic():
                lock_tables([ExchangeStatistic])
                sheet, plan = preview(content)
                check(not plan.refused, plan.problems[:3])
                return apply_plan(plan, file_name=name, file_size=sheet.size, sha256=sheet.sha256)

        def orm_rows():
            with transaction.atomic():
                ExchangeStatistic.objects.bulk_create(fresh(), batch_size=2000)

        def our_rows():
            with transaction.atomic():
                insert_rows(ExchangeStatistic, fresh())

        def orm_rows_with_history():
            with transaction.atomic():
                bulk_create_with_history(fresh(), ExchangeStatistic, batch_size=2000)

        def orm_update(with_history):
            objects = list(ExchangeStatistic.objects.all())
            for obj in objects:
                obj.researchers += 1
            with transaction.atomic():
                if with_history:
                    bulk_update_with_history(
                        objects, ExchangeStatistic, ["researchers"], batch_size=2000
                    )
                else:
                    ExchangeStatistic.objects.bulk_update(objects, ["researchers"], batch_size=2000)

        def our_update():
            objects = list(ExchangeStatistic.objects.all())
            before = [(obj.researchers,) for obj in objects]
            for obj in objects:
                obj.researchers += 1
            with transaction.atomic():
                bulk_update_values(ExchangeStatistic, objects, ["researchers"], before)

        # Each round runs every path once, one after the other, on the same machine state.
        for _round in range(rounds):
            empty_tables(ExchangeStatistic)
            (_sheet, plan), seconds, queries = timed(lambda: preview(data))
            check(len(plan.to_create) == rows)
            record("preview", seconds, queries)
            _r, seconds, queries = timed(lambda: commit(data, "synthetic.csv"))
            record("import, all new, with history", seconds, queries)
            (_sheet, plan), seconds, queries = timed(lambda: preview(changed))
            check(len(plan.to_update) == rows)
            record("preview, all changed", seconds, queries)
            _r, seconds, queries = timed(lambda: commit(changed, "changed.csv"))
            record("import, all changed, with history", seconds, queries)
            (_sheet, plan), seconds, queries = timed(lambda: preview(changed))
            check(plan.unchanged_count == rows)
            record("re-import, no change", seconds, queries)
            _r, seconds, queries = timed(lambda: orm_update(with_history=True))
            record("bulk_update_with_history", seconds, queries)
            _r, seconds, queries = timed(lambda: orm_update(with_history=False))
            record("bulk_update", seconds, queries)
            _r, seconds, queries = timed(our_update)
            record("our update, no history", seconds, queries)
            empty_tables(ExchangeStatistic)
            _r, seconds, queries = timed(orm_rows_with_history)
            record("bulk_create_with_history", seconds, queries)
            empty_tables(ExchangeStatistic)
            _r, seconds, queries = timed(orm_rows)
            record("bulk_create", seconds, queries)
            empty_tables(ExchangeStatistic)
            _r, seconds, queries = timed(our_rows)
            record("our insert, no history", seconds, queries)

        memoranda, agreement_rows = synthetic_memoranda(countries)

        def memoranda_preview():
            sheet = read_spreadsheet(memoranda)
            return sheet, MemorandaLayout().plan(sheet)

        (_sheet, plan), memoranda_preview_seconds, memoranda_preview_queries = timed(
            memoranda_preview
        )
        check(len(plan.to_create) == agreement_rows, plan.problems[:3])

        def memoranda_commit():
            with transaction.atomic():
                sheet, plan = memoranda_preview()
                return apply_plan(
                    plan, file_name="memoranda.csv", file_size=sheet.size, sha256=sheet.sha256
                )

        _record, memoranda_seconds, memoranda_queries = timed(memoranda_commit)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def median(label):
        seconds = sorted(s for s, _q in timings[label])
        return seconds[len(seconds) // 2], timings[label][0][1]

    print(
        f"Database: {vendor}; {rows:,} synthetic statistics rows, {INSTITUTIONS:,} institutions;"
        f" median of {rounds} interleaved rounds; {timezone.now():%Y-%m-%d}"
    )
    print(f"{'path':44} {'rows/s':>9} {'queries':>8}   compared with")
    comparisons = [
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
    for label, reference in comparisons:
        seconds, queries = median(label)
        rate = rows / seconds
        versus = ""
        if reference:
            versus = f"{median(reference)[0] / seconds:.1f}x {reference}"
        print(f"{label:44} {rate:>9,.0f} {queries:>8,}   {versus}")
    print(
        f"Memoranda list, {INSTITUTIONS:,} synthetic institutions, {agreement_rows:,} agreements:"
    )
    for label, seconds, queries in [
        ("preview", memoranda_preview_seconds, memoranda_preview_queries),
        ("import, all new, with history", memoranda_seconds, memoranda_queries),
    ]:
        print(f"{label:44} {agreement_rows / seconds:>9,.0f} {queries:>8,}")


if __name__ == "__main__":
    main()

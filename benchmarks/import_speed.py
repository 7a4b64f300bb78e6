"""How fast the project's import path loads national-scale researcher counts.

Not a test. Run from the project root:

    python benchmarks/import_speed.py                          # SQLite
    DATABASE_URL=postgres://user@host:5432/db python benchmarks/import_speed.py

It builds a throw-away test database (Django's test_<name>), fills it with SYNTHETIC data
(8 regions, 500 "Synthetic country NNN", 5,000 "Synthetic institution NNNN"), and generates a
SYNTHETIC plain-table CSV of 100,000 researcher counts: 500 countries x 100 academic years
(1990-2089) x 2 directions, because the model keeps one row per year, direction and country.
It then times, through the same code the admin and import_statistics run:

- the preview (read the file, match every row, load existing rows, plan): nothing written;
- the committed import into an empty table (bulk_create_with_history, with an ImportRecord);
- the committed re-import of a file where every count changed (bulk_update_with_history);
- the same 100,000 rows loaded by plain bulk_create, the practical limit;

and prints rows per second, the ratio to bulk_create, and the number of queries.
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
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

COUNTRIES = 500
YEARS = range(1990, 2090)
DIRECTIONS = ("inbound", "outbound")
INSTITUTIONS = 5_000


def synthetic_reference_data():
    from agreements.models import Country, Institution, Region

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
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - started
    return value, elapsed, len(queries)


def main():
    from agreements.importing import apply_plan
    from agreements.tabular import read_spreadsheet

    from exchanges.importing import plan_statistics
    from exchanges.models import ExchangeStatistic

    settings.IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # national scale: raise the limit
    settings.DEBUG = False
    vendor = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        countries = synthetic_reference_data()
        data = synthetic_csv(countries)
        changed = synthetic_csv(countries, bump=1)
        rows = len(YEARS) * len(DIRECTIONS) * COUNTRIES

        def preview(content):
            sheet = read_spreadsheet(content)
            return sheet, plan_statistics(sheet)

        def commit(content, name):
            sheet, plan = preview(content)
            check(not plan.problems, plan.problems[:3])
            return apply_plan(plan, sheet=sheet, file_name=name)

        (_sheet, plan), preview_seconds, preview_queries = timed(lambda: preview(data))
        check(len(plan.to_create) == rows)
        _record, create_seconds, create_queries = timed(lambda: commit(data, "synthetic.csv"))
        (_sheet, plan), update_preview_seconds, _q = timed(lambda: preview(changed))
        check(len(plan.to_update) == rows)
        _record, update_seconds, update_queries = timed(lambda: commit(changed, "changed.csv"))
        (_sheet, plan), noop_seconds, noop_queries = timed(lambda: preview(changed))
        check(plan.unchanged_count == rows)

        objects = [
            ExchangeStatistic(
                academic_year=row.academic_year,
                direction=row.direction,
                country_id=row.country_id,
                researchers=row.researchers,
            )
            for row in ExchangeStatistic.objects.all()
        ]
        ExchangeStatistic.history.all().delete()
        ExchangeStatistic.objects.all().delete()

        def plain_bulk_create():
            with transaction.atomic():
                ExchangeStatistic.objects.bulk_create(objects, batch_size=2000)

        _none, bulk_seconds, bulk_queries = timed(plain_bulk_create)
        ExchangeStatistic.objects.all().delete()

        def simple_history_bulk_create():
            from simple_history.utils import bulk_create_with_history

            with transaction.atomic():
                copies = [
                    ExchangeStatistic(
                        academic_year=o.academic_year,
                        direction=o.direction,
                        country_id=o.country_id,
                        researchers=o.researchers,
                    )
                    for o in objects
                ]
                bulk_create_with_history(copies, ExchangeStatistic, batch_size=2000)

        _none, history_bulk_seconds, history_bulk_queries = timed(simple_history_bulk_create)

        from agreements.memoranda import plan_memoranda

        memoranda, agreement_rows = synthetic_memoranda(countries)

        def memoranda_preview():
            sheet = read_spreadsheet(memoranda)
            return sheet, plan_memoranda(sheet)

        (_sheet, plan), memoranda_preview_seconds, memoranda_preview_queries = timed(
            memoranda_preview
        )
        check(len(plan.to_create) == agreement_rows, plan.problems[:3])

        def memoranda_commit():
            sheet, plan = memoranda_preview()
            return apply_plan(plan, sheet=sheet, file_name="synthetic-memoranda.csv")

        _record, memoranda_seconds, memoranda_queries = timed(memoranda_commit)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    bulk_rate = rows / bulk_seconds
    print(f"Database: {vendor}; {rows:,} synthetic statistics rows, {INSTITUTIONS:,} institutions")
    print(f"{'path':58} {'rows/s':>9} {'vs bulk':>8} {'queries':>8}")
    lines = [
        ("preview (read, check, plan; nothing written)", preview_seconds, preview_queries),
        ("committed import, all new (with history + record)", create_seconds, create_queries),
        ("preview of a file where every count changed", update_preview_seconds, None),
        ("committed import, all changed (with history)", update_seconds, update_queries),
        ("re-import of the same file: no change (preview)", noop_seconds, noop_queries),
        ("plain bulk_create, no history (the practical limit)", bulk_seconds, bulk_queries),
        ("simple_history bulk_create_with_history", history_bulk_seconds, history_bulk_queries),
    ]
    for label, seconds, queries in lines:
        rate = rows / seconds
        shown = "" if queries is None else f"{queries:,}"
        print(f"{label:58} {rate:>9,.0f} {rate / bulk_rate:>7.0%} {shown:>8}")
    print(
        f"Memoranda list, {INSTITUTIONS:,} synthetic institutions, {agreement_rows:,} agreements:"
    )
    for label, seconds, queries in [
        ("preview", memoranda_preview_seconds, memoranda_preview_queries),
        ("committed import, all new (with history + record)", memoranda_seconds, memoranda_queries),
    ]:
        print(f"{label:58} {agreement_rows / seconds:>9,.0f} {'':>8} {queries:>8,}")


if __name__ == "__main__":
    main()

"""Benchmark: how long each public page takes with 10,000 synthetic institutions.

Run explicitly (it is not part of the suite), on SQLite or with DATABASE_URL for PostgreSQL:

    python -m pytest tests/benchmarks/bench_public_pages.py -s -p no:cacheprovider
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.benchmarks.synthetic import synthetic_records

SIZE = 10_000
ROUNDS = 5
URLS = [
    "/",
    "/agreements/",
    "/agreements/?region=synthetic-region-2&kind=sea&ordering=-mou&page=20",
    "/agreements/?q=00042",
    "/agreements/synthetic-university-00000/",
    "/statistics/2022/",
    "/strategic-partnerships/",
    "/on-site-laboratories/",
    "/fact-sheet/",
    "/agreements/?format=csv",
    "/agreements/?format=xlsx",
    "/agreements/?format=json",
    "/statistics/2022/?format=csv",
]


@pytest.mark.django_db
def test_benchmark_public_pages(client):
    started = time.perf_counter()
    synthetic_records(SIZE)
    print(
        f"\n{connection.vendor}: {SIZE:,} synthetic institutions built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(f"{'page':<72} {'median ms':>10} {'queries':>8} {'bytes':>10}")
    for url in URLS:
        timings = []
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        print(
            f"{url:<72} {statistics.median(timings):>10.1f} {len(queries):>8} "
            f"{len(response.content):>10,}"
        )

"""Load test: public readers against several gunicorn workers on PostgreSQL while an import
commits. Runs on 127.0.0.1 only, in a throwaway database, for a bounded time.

    python loadtest/run.py [--seconds 60] [--users 20] [--workers 4] [--redis]

Needs PostgreSQL on 127.0.0.1 (LOADTEST_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/partnerships_loadtest; the database is dropped and made
again), and the `loadtest` extra (locust). Prints requests per second, latency percentiles and
failures per page, and exits non-zero on any failure.
"""

import argparse
import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/partnerships_loadtest"
LOCAL = {"127.0.0.1", "localhost", "::1"}

from loadtest.usage import Usage  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, capture=False):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )


def recreate_database(url):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def synthetic_import(env, folder):
    """A synthetic spreadsheet: every 2022 count of researchers from abroad, plus one."""
    script = (
        "from exchanges.models import ExchangeStatistic as S; "
        "rows = S.objects.filter(academic_year=2022, direction='inbound')"
        ".select_related('country'); "
        "print(sum(r.researchers for r in rows)); "
        "[print(f'{r.country.name}\\t{r.researchers}') for r in rows]"
    )
    lines = manage(env, "shell", "--no-imports", "-c", script, capture=True).stdout.splitlines()
    lines = [line for line in lines if not line.startswith("{")]  # drop JSON log lines
    before = int(lines[0])
    rows = [line.split("\t") for line in lines[1:]]
    path = folder / "synthetic-loadtest-statistics-2022.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Academic year", "Direction", "Country/Region", "Researchers"])
        for country, count in rows:
            writer.writerow([2022, "inbound", country, int(count) + 1])
    return path, before, before + len(rows)


def analyze(url):
    """What autovacuum does within a minute of a load: without statistics the planner takes
    a table of 347 rows for one row and joins it by scanning it once per institution."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def report(stats_csv):
    with stats_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(
        f"{'page':<30}{'requests':>9}{'fails':>7}{'req/s':>8}{'p50':>6}{'p95':>6}{'p99':>6}"
        f"{'max':>7}  (ms)"
    )
    failures = 0
    total = None
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
        if row["Name"] == "Aggregated":
            failures += int(row["Failure Count"])
            total = row
        print(
            f"{name:<30}{row['Request Count']:>9}{row['Failure Count']:>7}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>6}{row['95%']:>6}{row['99%']:>6}"
            f"{float(row['Max Response Time']):>7.0f}"
        )
    return failures, total


def explain(*, requests, seconds, users, mean_response, cpu, load):
    """Service time (CPU per request) against queueing (what the readers waited besides)."""
    per_request = {name: value / requests * 1000 for name, value in cpu.items()}
    cores = os.cpu_count()
    others = cpu["machine"] - cpu["app"] - cpu["database"] - cpu["readers"]
    pause = 0.1  # the readers' mean pause between requests: between(0, 0.2)
    print(
        f"\nService time, CPU per request: app {per_request['app']:.1f} ms, PostgreSQL "
        f"{per_request['database']:.1f} ms, locust {per_request['readers']:.1f} ms; "
        f"{cores} cores gave {cores * seconds} CPU-seconds, of which the app used "
        f"{cpu['app']:.0f}, PostgreSQL {cpu['database']:.0f}, locust {cpu['readers']:.0f} and "
        f"other processes {max(others, 0):.0f}. Load average {load[0][0]:.1f} before, "
        f"{load[1][0]:.1f} after."
    )
    print(
        f"Queueing: {users} readers each pausing {pause * 1000:.0f} ms on average between "
        f"requests and waiting {mean_response * 1000:.0f} ms for each answer make "
        f"{users} / ({pause:.2f} + {mean_response:.3f}) s = "
        f"{users / (pause + mean_response):.0f} requests/s (Little's law); the answer waits "
        f"for a worker that is free, of which there are only so many CPU-seconds."
    )


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the run (max 600)")
    parser.add_argument("--users", type=int, default=20, help="simultaneous readers")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--redis", action="store_true", help="cache pages in a private Redis")
    return parser.parse_args()


def local_database_url():
    database_url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE)
    if urlsplit(database_url).hostname not in LOCAL or not database_url.startswith("postgres"):
        raise SystemExit("The load test runs only against PostgreSQL on 127.0.0.1.")
    return database_url


def environment(database_url, port, workers):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }


def start_redis(port):
    return subprocess.Popen(  # noqa: S603
        [
            shutil.which("redis-server") or "redis-server",
            *("--bind", "127.0.0.1", "--port", str(port)),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )


def prepare_database(env, database_url, folder):
    """A fresh database with the seed, analyzed; the import file and the totals it makes."""
    print(f"Preparing {database_url} (dropped and made again) ...")
    recreate_database(database_url)
    manage(env, "migrate", "--verbosity=0")
    manage(env, "loaddata", "seed", "--verbosity=0")
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    analyze(database_url)
    import_file, before, after = synthetic_import(env, folder)
    print(f"2022 researchers from abroad: {before} before the import, {after} after.")
    return import_file, before, after


def start_gunicorn(env, folder):
    return subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=(folder / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def start_locust(env, folder, host, users, seconds, totals):
    return subprocess.Popen(  # noqa: S603
        [
            *(str(BIN / "locust"), "-f", str(PROJECT / "loadtest" / "locustfile.py"), "--headless"),
            *("--host", host, "--users", str(users), "--spawn-rate", str(users)),
            *("--run-time", f"{seconds}s", "--stop-timeout", "5", "--csv", str(folder / "stats")),
            *("--only-summary", "--loglevel", "WARNING"),
        ],
        cwd=PROJECT,
        env={
            **env,
            "LOADTEST_TOTAL_BEFORE": str(totals[0]),
            "LOADTEST_TOTAL_AFTER": str(totals[1]),
        },
        stdout=subprocess.DEVNULL,
        stderr=(folder / "locust.log").open("w"),
    )


def import_midway(env, import_file, seconds):
    time.sleep(seconds / 3)
    started = time.monotonic()
    manage(env, "import_statistics", str(import_file), capture=True)
    print(
        f"Import committed {seconds // 3} s into the run, in "
        f"{time.monotonic() - started:.1f} s (command start-up included)."
    )


def wait_for_readers(locust):
    """Wait for locust to end; the CPU time it used (wait4, not wait, tells that)."""
    _pid, status, usage = os.wait4(locust.pid, 0)
    locust.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def print_figures(options, seconds, folder, cpu, load):
    """Locust's figures per page, then what the requests cost; the number that failed."""
    print(
        f"\n{options.users} readers, {options.workers} gunicorn workers, "
        f"{seconds} s, PostgreSQL{', Redis cache' if options.redis else ''}:"
    )
    failures, total = report(folder / "stats_stats.csv")
    explain(
        requests=int(total["Request Count"]),
        seconds=seconds,
        users=options.users,
        mean_response=float(total["Average Response Time"]) / 1000,
        cpu=cpu,
        load=load,
    )
    if failures:
        print("\nFailures:")
        print((folder / "stats_failures.csv").read_text())
        print((folder / "locust.log").read_text()[-3000:])
    return failures


def shows_total(host, after):
    final = urllib.request.urlopen(f"{host}/statistics/2022/").read().decode()  # noqa: S310
    applied = f"{after:,}" in final or str(after) in final
    print(f"After the run the page shows the imported total: {'yes' if applied else 'NO'}")
    return applied


def clean_up(processes, folder):
    for process in reversed(processes):
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    shutil.rmtree(folder, ignore_errors=True)


def main():
    options = parse_options()
    seconds = min(options.seconds, 600)
    database_url = local_database_url()
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="loadtest-"))
    env = environment(database_url, port, options.workers)
    host = f"http://127.0.0.1:{port}"
    processes = []
    try:
        if options.redis:
            redis_port = free_port()
            processes.append(start_redis(redis_port))
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        import_file, before, after = prepare_database(env, database_url, folder)
        gunicorn = start_gunicorn(env, folder)
        processes.append(gunicorn)
        wait_for(f"{host}/healthz")
        usage = Usage(gunicorn.pid, database_url)
        locust = start_locust(env, folder, host, options.users, seconds, (before, after))
        processes.append(locust)
        import_midway(env, import_file, seconds)
        cpu, load = usage.stop(readers=wait_for_readers(locust))
        failures = print_figures(options, seconds, folder, cpu, load)
        applied = shows_total(host, after)
        return 0 if failures == 0 and applied else 1
    finally:
        clean_up(processes, folder)


if __name__ == "__main__":
    sys.exit(main())

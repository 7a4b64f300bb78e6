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
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/partnerships_loadtest"
LOCAL = {"127.0.0.1", "localhost", "::1"}


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


def backend_pids(url):
    """The PostgreSQL server processes serving this database (the app's kept connections)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [pid for (pid,) in rows]


def cpu_seconds(pid):
    """CPU time (user and system) a process has used so far, read from /proc; None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuSampler(threading.Thread):
    """Twice a second, the CPU time of each process a function names, kept per process.

    gunicorn replaces a worker after max_requests, and the worker's database connection goes
    with it: a process that ends between two samples loses at most half a second.
    """

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.first, self.last = pids, {}, {}
        self.stopped = threading.Event()

    def sample(self):
        for pid in self.pids():
            used = cpu_seconds(pid)
            if used is not None:
                self.first.setdefault(pid, used)
                self.last[pid] = used

    def run(self):
        while not self.stopped.wait(0.5):
            self.sample()

    def stop(self):
        self.sample()
        self.stopped.set()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def machine_cpu_seconds():
    """CPU time every process on the machine has used so far (idle and waiting excluded)."""
    user, nice, system, _idle, _wait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def child_pids(pid):
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the run (max 600)")
    parser.add_argument("--users", type=int, default=20, help="simultaneous readers")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--redis", action="store_true", help="cache pages in a private Redis")
    options = parser.parse_args()
    seconds = min(options.seconds, 600)

    database_url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE)
    if urlsplit(database_url).hostname not in LOCAL or not database_url.startswith("postgres"):
        raise SystemExit("The load test runs only against PostgreSQL on 127.0.0.1.")

    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="loadtest-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(options.workers),
    }
    processes = []
    try:
        if options.redis:
            redis_port = free_port()
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [
                        shutil.which("redis-server") or "redis-server",
                        "--bind",
                        "127.0.0.1",
                        "--port",
                        str(redis_port),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    stdout=subprocess.DEVNULL,
                )
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"

        print(f"Preparing {database_url} (dropped and made again) ...")
        recreate_database(database_url)
        manage(env, "migrate", "--verbosity=0")
        manage(env, "loaddata", "seed", "--verbosity=0")
        manage(env, "collectstatic", "--noinput", "--verbosity=0")
        analyze(database_url)
        import_file, before, after = synthetic_import(env, folder)
        print(f"2022 researchers from abroad: {before} before the import, {after} after.")

        gunicorn_log = (folder / "gunicorn.log").open("w")
        gunicorn = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=PROJECT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        processes.append(gunicorn)
        host = f"http://127.0.0.1:{port}"
        wait_for(f"{host}/healthz")
        load_before = os.getloadavg()
        machine_before = machine_cpu_seconds()
        app_sampler = CpuSampler(lambda: child_pids(gunicorn.pid))
        database_sampler = CpuSampler(lambda: backend_pids(database_url))
        for sampler in (app_sampler, database_sampler):
            sampler.sample()
            sampler.start()

        locust = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(PROJECT / "loadtest" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "5",
                "--csv",
                str(folder / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=PROJECT,
            env={**env, "LOADTEST_TOTAL_BEFORE": str(before), "LOADTEST_TOTAL_AFTER": str(after)},
            stdout=subprocess.DEVNULL,
            stderr=(folder / "locust.log").open("w"),
        )
        processes.append(locust)
        time.sleep(seconds / 3)
        started = time.monotonic()
        manage(env, "import_statistics", str(import_file), capture=True)
        print(
            f"Import committed {seconds // 3} s into the run, in "
            f"{time.monotonic() - started:.1f} s (command start-up included)."
        )
        # wait4, not wait: it also tells how much CPU locust itself used.
        _pid, status, usage = os.wait4(locust.pid, 0)
        locust.returncode = os.waitstatus_to_exitcode(status)
        readers = usage.ru_utime + usage.ru_stime
        machine = machine_cpu_seconds() - machine_before
        app = app_sampler.stop()
        database = database_sampler.stop()
        load_after = os.getloadavg()

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
            cpu={"app": app, "database": database, "readers": readers, "machine": machine},
            load=(load_before, load_after),
        )
        failures_csv = folder / "stats_failures.csv"
        if failures:
            print("\nFailures:")
            print(failures_csv.read_text())
            print((folder / "locust.log").read_text()[-3000:])
        final = urllib.request.urlopen(f"{host}/statistics/2022/").read().decode()  # noqa: S310
        applied = f"{after:,}" in final or str(after) in final
        print(f"After the run the page shows the imported total: {'yes' if applied else 'NO'}")
        return 0 if failures == 0 and applied else 1
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

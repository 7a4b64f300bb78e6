"""Where a load test's CPU time went: the app's workers, their PostgreSQL server processes,
locust's readers, the rest of the machine; read from /proc."""

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit


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


class Usage:
    """The CPU time the app, its database and the whole machine use from now on, and the load."""

    def __init__(self, gunicorn_pid, database_url):
        self.load_before = os.getloadavg()
        self.machine_before = machine_cpu_seconds()
        self.app = CpuSampler(lambda: child_pids(gunicorn_pid))
        self.database = CpuSampler(lambda: backend_pids(database_url))
        for sampler in (self.app, self.database):
            sampler.sample()
            sampler.start()

    def stop(self, readers):
        machine = machine_cpu_seconds() - self.machine_before
        cpu = {"app": self.app.stop(), "database": self.database.stop(), "readers": readers}
        return {**cpu, "machine": machine}, (self.load_before, os.getloadavg())

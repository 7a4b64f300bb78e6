"""How long the worst files within the limits take to be refused, and how much memory, on the
command line and under gunicorn with its default timeout.

Not a test. Run from the project root:

    python benchmarks/hostile_files.py                  # a throw-away SQLite file
    DATABASE_URL=postgres://user@host:5432/scratch python benchmarks/hostile_files.py

DATABASE_URL must name a database you can throw away: it is migrated and given the seed data
and a SYNTHETIC superuser. Each file is imported (1) by `manage.py import_statistics` in its
own process, whose time and peak memory (max RSS) are measured, and (2) through the admin's
import page of a gunicorn started with config/gunicorn.conf.py (one worker), whose time, the
answer and the worker's peak memory are measured; the worker must survive every upload.
The files are built by tests/spreadsheets.py: SYNTHETIC, each within the upload limit.
"""

import html
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
PASSWORD = "synthetic-benchmark-password-1"  # noqa: S105 - a throw-away local account
LARGE_UPLOAD_MB = 150


def environment(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="benchmark-only-not-a-secret",  # noqa: S106
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_DEBUG="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args, capture=True):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture, check=True
    )


# Runs manage.py and, as it exits, prints the process's own peak memory (VmHWM; the rusage
# maximum would include the benchmark's own memory, inherited through fork).
PEAK_REPORTING_MANAGE = (
    "import atexit, re, runpy, sys\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    print('PEAK', re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "sys.argv = ['manage.py', *sys.argv[1:]]\n"
    "runpy.run_path('manage.py', run_name='__main__')\n"
)


def measured(arguments, env):
    """Run manage.py with `arguments`; its wall time, peak memory (MB) and output."""
    started = time.perf_counter()
    finished = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "-c", PEAK_REPORTING_MANAGE, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    output = (finished.stdout + finished.stderr).decode(errors="replace")
    peak = int(re.search(r"PEAK (\d+)", output).group(1)) / 1024
    return seconds, peak, output


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Send the site's Secure cookies over plain HTTP: the benchmark talks to 127.0.0.1."""

    def return_ok_secure(self, cookie, request):
        return True


class Admin:
    """A browser-like session on the admin: log in, then upload files to an import page."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(LoopbackCookies()))
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.read().decode()

    def csrf(self, page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path, fields, files=(), referer=None):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1
            self.base + path,
            data=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": referer or self.base + path,
            },
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def log_in(self):
        page = self.get("/admin/login/")
        status, _body = self.post(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": self.csrf(page),
                "username": "benchmark",
                "password": PASSWORD,
                "next": "/admin/",
            },
        )
        if status != 200:
            raise SystemExit(f"Could not log in to the admin: {status}")

    def upload(self, filename, content):
        path = "/admin/exchanges/exchangestatistic/import/"
        page = self.get(path)
        fields = {
            "csrfmiddlewaretoken": self.csrf(page),
            "resource": "0",
            "format": "0",
            "academic_year": "2022",
            "direction": "inbound",
        }
        return self.post(path, fields, [("import_file", filename, content)])


def workers_of(master_pid):
    return Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()


def reset_peaks(workers):
    # Writing 5 to clear_refs resets a process's peak memory (VmHWM) to its current size.
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_mb(workers):
    return (
        max(
            int(re.search(r"VmHWM:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
            for pid in workers
        )
        / 1024
    )


def message_of(page):
    """The first thing the page says about the file: the form's error or the first problem."""
    found = (
        re.search(r'(?s)class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page)
        or re.search(r'(?s)class="import-problems">.*?<tbody>\s*<tr>(.*?)</tr>', page)
        or re.search(r'(?s)class="import-summary">(.*?)<', page)
    )
    text = found.group(1) if found else "?"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))).strip()[:110]


def set_up_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    import django

    django.setup()


def prepare_database(database_url, scratch):
    """Migrate and seed the database, with the SYNTHETIC superuser; the settings for manage.py."""
    env = environment(database_url)
    env["DJANGO_MEDIA_ROOT"] = str(scratch / "media")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")  # debug off: pages need the collected files
    manage(env, "loaddata", "seed")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.filter(username='benchmark')"
        f".delete(); User.objects.create_superuser('benchmark', password='{PASSWORD}')",
    )
    return env


def files_to_try(limits):
    from tests.spreadsheets import hostile_files

    files = hostile_files(limits)
    files[f"csv: {LARGE_UPLOAD_MB} MB, thirty times the upload limit"] = (
        b"Academic year,Direction,Country/Region,Researchers\n"
        + b"2022,inbound,China,1\n" * (LARGE_UPLOAD_MB * 1024 * 1024 // 21)
    )
    return files


def start_gunicorn(env, port):
    return subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def signed_in_admin(base):
    for _attempt in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.2)
    admin = Admin(base)
    admin.log_in()
    return admin


def try_each_file(files, scratch, env, admin, gunicorn):
    """Import every file on the command line and through the admin, a line of figures each."""
    workers = workers_of(gunicorn.pid)
    print(
        f"{'file':56} {'bytes':>11} | {'command s':>9} {'MB':>5} | {'gunicorn s':>10} "
        f"{'status':>6} {'worker MB':>9} | answer"
    )
    for name, content in files.items():
        path = scratch / ("hostile.xlsx" if name.startswith("xlsx") else "hostile.csv")
        path.write_bytes(content)
        seconds, peak, output = measured(
            ["import_statistics", str(path), "--year=2022", "--direction=inbound", "--dry-run"],
            env,
        )
        reset_peaks(workers)
        started = time.perf_counter()
        status, page = admin.upload(path.name, content)
        web_seconds = time.perf_counter() - started
        now_workers = workers_of(gunicorn.pid)
        worker_peak = peak_mb(now_workers)
        survived = "" if now_workers == workers else " WORKER REPLACED"
        refused = "was refused" in output
        print(
            f"{name:56} {len(content):>11,} | {seconds:>9.1f} {peak:>5.0f} | "
            f"{web_seconds:>10.1f} {status:>6} {worker_peak:>9.0f} | "
            f"{'refused' if refused else 'read'}: {message_of(page)}{survived}"
        )
        workers = now_workers


def main():
    set_up_django()
    from django.conf import settings

    from imports.reading import Limits

    scratch = Path(tempfile.mkdtemp(prefix="hostile-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch / 'db.sqlite3'}"
    env = prepare_database(database_url, scratch)
    limits = Limits.from_settings()
    files = files_to_try(limits)
    print(f"Database: {database_url.split(':')[0]}; limits: {limits}; {settings.IMPORT_MAX_ROWS=}")
    port = free_port()
    gunicorn = start_gunicorn(env, port)
    try:
        admin = signed_in_admin(f"http://127.0.0.1:{port}")
        try_each_file(files, scratch, env, admin, gunicorn)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()

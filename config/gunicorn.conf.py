"""gunicorn for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set from the environment. Logs are Django's own LOGGING (JSON lines on
stderr); each request is logged once, by Django (operations.middleware.RequestLogMiddleware),
so gunicorn writes no access log of its own.
"""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

chdir = str(Path(__file__).resolve().parent.parent)
# gunicorn reads this file before it puts the project on the path.
sys.path.insert(0, chdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Reading the settings here also stops gunicorn at once, with the settings' own message,
# when one is missing, instead of workers failing to boot over and over.
from django.conf import settings  # noqa: E402

# Django runs its system checks for manage.py commands, never for a WSGI server: settings that
# would have the site serve wrong pages (a page cache each worker keeps alone, translation
# catalogs not compiled; operations/checks.py) are checked here too, by `manage.py check` in a
# process of its own. The master itself imports none of the apps: workers it forks (after a
# HUP, or when max_requests recycles one) import the code as it is then, not as it was when
# the master started.
CHECK_TIMEOUT = 120


def _system_check_errors():
    """The errors `manage.py check` reports, as it words them; "" when there are none."""
    try:
        result = subprocess.run(  # noqa: S603 - this project's manage.py, fixed arguments
            [sys.executable, str(Path(chdir) / "manage.py"), "check", "--fail-level", "ERROR"],
            cwd=chdir,
            capture_output=True,
            text=True,
            timeout=CHECK_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"manage.py check could not run: {error}"
    if result.returncode == 0:
        return ""
    return (result.stderr or result.stdout).strip()


def on_starting(server):
    """At the first start: errors stop gunicorn before it listens, with the checks' message."""
    errors = _system_check_errors()
    if errors:
        sys.exit(f"System check identified errors; not serving:\n{errors}")


def on_reload(server):
    """On HUP: the running site keeps serving (exiting here would take it down); the errors
    are logged, and the workers start with the new code as they would have anyway."""
    errors = _system_check_errors()
    if errors:
        server.log.error("System check identified errors on reload:\n%s", errors)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never takes a server down.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy in front may say which scheme a request came with.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = None
errorlog = "-"
logconfig_dict = settings.LOGGING
# No control socket: several app servers may run on one machine under one user.
control_socket_disable = True

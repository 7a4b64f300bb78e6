"""gunicorn for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set from the environment. Logs are Django's own LOGGING (JSON lines on
stderr); each request is logged once, by Django (operations.middleware.RequestLogMiddleware),
so gunicorn writes no access log of its own.
"""

import multiprocessing
import os
import sys
from pathlib import Path

chdir = str(Path(__file__).resolve().parent.parent)
# gunicorn reads this file before it puts the project on the path.
sys.path.insert(0, chdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Reading the settings here also stops gunicorn at once, with the settings' own message,
# when one is missing, instead of workers failing to boot over and over.
import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core import checks  # noqa: E402

# Django runs its system checks for manage.py commands, never for a WSGI server. Run them here,
# once: settings that would have the site serve wrong pages (a page cache each worker keeps
# alone, translation catalogs not compiled; operations/checks.py) stop gunicorn with the
# check's message too.
django.setup()
_errors = [error for error in checks.run_checks() if error.is_serious() and not error.is_silenced()]
if _errors:
    sys.exit(
        "System check identified errors; not serving:\n"
        + "\n".join(str(error) for error in _errors)
    )

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

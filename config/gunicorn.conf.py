"""gunicorn for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set from the environment; logs are JSON lines on stdout like Django's.
"""

import multiprocessing
import os
import sys
from pathlib import Path

chdir = str(Path(__file__).resolve().parent.parent)
# gunicorn reads this file before it puts the project on the path.
sys.path.insert(0, chdir)
from operations.log_format import json_logging_config  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never takes a server down.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy in front may say which scheme and address a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
access_log_format = "%(m)s %(U)s %(s)s"
logconfig_dict = json_logging_config(["gunicorn.error", "gunicorn.access"])

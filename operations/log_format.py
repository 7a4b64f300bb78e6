"""Log records as JSON lines on stderr: the log collector parses every field, and a command's
stdout keeps only what the command means to print (``dumpdata > backup.json``)."""

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpRequest

# Attributes every LogRecord has; anything else was passed through ``extra=`` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_PLAIN = str | int | float | bool | type(None)

# Django names a request's status "status_code" in its own records; ours say "status".
_RENAMED = {"status_code": "status"}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line: time (with its UTC offset), level, logger, message, extras.

    Extras are kept when they are plain values; a request becomes its method and path; any
    other object (a socket, a connection) is left out rather than written as its repr.
    """

    def __init__(self, *args, time_zone="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, self.zone).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name in _STANDARD or name.startswith("_"):
                continue
            if isinstance(value, HttpRequest):
                entry.setdefault("method", value.method)
                entry.setdefault("path", value.path)
            elif isinstance(value, _PLAIN):
                entry[_RENAMED.get(name, name)] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def json_logging_config(level="INFO", time_zone="UTC"):
    """The dictConfig of settings.LOGGING, which gunicorn's config uses too.

    Everything goes to stderr as JSON lines, from the root logger down. Each request is
    logged once, by ``operations.middleware.RequestLogMiddleware``.
    """
    to_stderr = {"handlers": ["stderr"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "operations.log_format.JsonLinesFormatter", "time_zone": time_zone}
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "django": to_stderr,
            "gunicorn.error": to_stderr,
            # 4xx answers are in the request line already; 5xx still log their traceback.
            "django.request": {**to_stderr, "level": _at_least(level, "ERROR")},
            # runserver's own request lines repeat the request log's, without the duration.
            "django.server": {**to_stderr, "level": "CRITICAL"},
            # django-axes announces its configuration at every start, in every command.
            "axes.apps": {**to_stderr, "level": _at_least(level, "WARNING")},
        },
    }


def _at_least(level, floor):
    names = logging.getLevelNamesMapping()
    return level if names[level.upper()] >= names[floor] else floor

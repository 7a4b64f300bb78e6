"""The data's version, for ETag and Last-Modified: cheap to poll, exact after every write.

Every write path keeps history (the admin, imports, restores, loaddata, deletions: each
writes a historical row), so the newest historical row of every tracked model says when the
data last changed, and the sum of their ids changes with every write, also two in the same
second (an HTTP date has whole seconds). One query of an index probe per table; the cache's
version counter is not used, because without Redis each server process keeps its own.
"""

import datetime
import functools
import hashlib

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.models import HistoricalChanges


@functools.cache
def history_models():
    """The public apps' history models, read once: every API request asks."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and model._meta.app_label in PUBLIC_APPS
    ]


PUBLIC_APPS = {"agreements", "exchanges"}


def _aware(value):
    # SQLite gives MAX() of a datetime column back as text, stored in UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def data_version():
    """(newest change as an aware datetime or None, a short token that changes on every write)."""
    quote = connection.ops.quote_name
    selects = [
        f"SELECT MAX({quote('history_date')}), MAX({quote('history_id')}) "  # noqa: S608
        f"FROM {quote(model._meta.db_table)}"
        for model in history_models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        rows = cursor.fetchall()
    dates = [_aware(date) for date, _newest in rows if date is not None]
    latest = max(dates) if dates else None
    token = f"{sum(newest or 0 for _date, newest in rows)}:{latest.isoformat() if latest else ''}"
    return latest, hashlib.sha256(token.encode()).hexdigest()[:16]

"""Writing a checked plan: one transaction, serialized per table, fast, with history.

Rows and their history rows are written straight from the plan: on PostgreSQL with COPY, on
SQLite with one prepared statement run for every row. An import into a table holds that
table's import lock from before it plans (on confirm) until it commits, so two imports never
interleave, and every change is applied only if the row still holds the value the plan saw.
"""

import hashlib
import uuid
from functools import partial
from operator import attrgetter

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Field
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from operations.cache import public_cache_bump

from .models import ImportRecord
from .plans import ImportRefused, Problem

WRITE_BATCH_SIZE = 10_000
SUMMARY_LINES = 200
# How long a confirm waits for another import into the same records before giving up.
LOCK_WAIT_SECONDS = 30


class ImportConflict(ImportRefused):
    """The records changed under the import; nothing was written."""

    def __init__(self, message):
        super().__init__([Problem(None, "", message)])


def _lock_key(model):
    digest = hashlib.sha256(f"imports:{model._meta.db_table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _still_running():
    return ImportConflict(
        _(
            "Another import into these records is still running; nothing was changed. "
            "Try again in a minute."
        )
    )


def lock_tables(models, *, shared=False):
    """Hold the import lock of each model's table until the current transaction ends.

    Imports take it exclusively, so imports into the same table run one after the other;
    staff edits take it shared, so an import never plans against a half-saved edit. On
    SQLite, which allows one writer at a time, an import holds the database's write lock:
    every transaction takes it as it begins (`transaction_mode` IMMEDIATE in the settings),
    and the empty write below takes it where that setting is left out.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_tables() needs a transaction.")
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{LOCK_WAIT_SECONDS}s"])
            for key in sorted({_lock_key(model) for model in models}):
                try:
                    cursor.execute(f"SELECT {function}(%s)", [key])
                except OperationalError as error:
                    raise _still_running() from error
    elif not shared:
        table = connection.ops.quote_name(ImportRecord._meta.db_table)
        with connection.cursor() as cursor:
            # Any write, even of nothing, takes SQLite's write lock until the commit.
            try:
                cursor.execute(f"DELETE FROM {table} WHERE 0")  # noqa: S608
            except OperationalError as error:  # "database is locked" after the timeout
                raise _still_running() from error


def _db_value(field, value):
    # ints, bools, text and NULL go to both drivers as they are; dates and the like are
    # prepared by the field, as Django's own bulk_create would.
    if value is None or isinstance(value, int | str):
        return value
    return field.get_db_prep_save(value, connection)


def _next_keys(cursor, model, count):
    quote = connection.ops.quote_name
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]
    # The import holds SQLite's write lock, so the keys after the largest ever used are
    # ours; sqlite_sequence remembers deleted ones, which must never come back.
    cursor.execute(f"SELECT COALESCE(MAX({quote(model._meta.pk.column)}), 0) FROM {quote(table)}")  # noqa: S608
    largest = cursor.fetchone()[0]
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    used = cursor.fetchone()
    first = max(largest, used[0] if used else 0) + 1
    return list(range(first, first + count))


def _insert(model, fields, rows, *, with_keys=False):
    """Insert rows in one statement per batch; with_keys: the new keys in row order."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    keys = []
    with connection.cursor() as cursor:
        if with_keys and rows:
            keys = _next_keys(cursor, model, len(rows))
            fields = [model._meta.pk, *fields]
            rows = [[key, *row] for key, row in zip(keys, rows, strict=True)]
        columns = ", ".join(quote(field.column) for field in fields)
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return keys
        placeholders = ", ".join(["%s"] * len(fields))
        # One prepared statement run for every row: SQLite's fastest way in from Python.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        for start in range(0, len(rows), WRITE_BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + WRITE_BATCH_SIZE])
    return keys


def _link_saved_parents(obj, fields):
    # A row planned against a parent created by the same import (an agreement with a new
    # institution) gets the parent's key once the parent is written.
    for field in fields:
        if getattr(obj, field.attname) is None:
            parent = field.get_cached_value(obj, None)
            if parent is not None:
                setattr(obj, field.attname, parent.pk)


def insert_rows(model, objs):
    """Insert new objects and give each its key, as bulk_create does, in a few statements.

    Each field prepares its own value (`pre_save`), as in bulk_create, so defaults the model
    computes (a unique slug, a timestamp) are the model's own.
    """
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    parents = [field for field in fields if field.many_to_one]
    # Only fields that compute their value are asked; the rest are read (100,000 rows a file).
    values = [
        (
            field,
            partial(field.pre_save, add=True)
            if type(field).pre_save is not Field.pre_save
            else attrgetter(field.attname),
        )
        for field in fields
    ]
    rows = []
    for obj in objs:
        _link_saved_parents(obj, parents)
        rows.append([_db_value(field, value(obj)) for field, value in values])
    for obj, key in zip(objs, _insert(model, fields, rows, with_keys=True), strict=True):
        obj.pk = key
        obj._state.adding = False


def insert_with_history(model, objs, *, user, reason, date):
    """What simple_history's bulk_create_with_history writes, without its per-field ORM cost."""
    insert_rows(model, objs)
    write_history(model, objs, history_type="+", user=user, reason=reason, date=date)


def write_history(model, objs, *, history_type, user, reason, date):
    """One historical row per object, as simple_history's bulk_history_create makes them."""
    history_model = get_history_manager_for_model(model).model
    tracked = {field.attname for field in history_model.tracked_fields}
    fields = [field for field in history_model._meta.concrete_fields if not field.primary_key]
    constants = {
        "history_date": history_model._meta.get_field("history_date").get_db_prep_save(
            date, connection
        ),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
    }
    model_fields = {field.attname: field for field in model._meta.concrete_fields}
    rows = [
        [
            _db_value(model_fields[field.attname], getattr(obj, field.attname))
            if field.attname in tracked
            else constants[field.attname]
            for field in fields
        ]
        for obj in objs
    ]
    _insert(history_model, fields, rows)


def bulk_update_values(model, objs, field_names, before):
    """Write new values by key, each only where the row still holds its value `before`.

    Returns how many rows were written. Django's bulk_update builds a CASE WHEN expression
    per row and field, which costs more than the database work itself (measured: 9 s of
    12 s for 100,000 rows on SQLite); this takes a fixed number of statements.
    """
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in field_names]
    table = quote(model._meta.db_table)
    rows = [
        [obj.pk, *(getattr(obj, field.attname) for field in fields), *old]
        for obj, old in zip(objs, before, strict=True)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY the new and old values into a temporary table; one UPDATE joins it.
            values = f"import_values_{uuid.uuid4().hex}"
            columns = [pk, *fields, *fields]
            names = [f"column{index}" for index in range(len(columns))]
            declared = ", ".join(
                f"{name} {field.db_type(connection)}"
                for name, field in zip(names, columns, strict=True)
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {values} ({declared}) ON COMMIT DROP")
            with cursor.copy(f"COPY {values} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            width = len(fields)
            assignments = ", ".join(
                f"{quote(field.column)} = v.column{index + 1}" for index, field in enumerate(fields)
            )
            unchanged = " AND ".join(
                f"{table}.{quote(field.column)} IS NOT DISTINCT FROM v.column{index + 1 + width}"
                for index, field in enumerate(fields)
            )
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {values} AS v "  # noqa: S608
                f"WHERE {table}.{quote(pk.column)} = v.column0 AND {unchanged}"
            )
            written = cursor.rowcount
            cursor.execute(f"DROP TABLE {values}")
            return written
        # SQLite: one prepared UPDATE run for every row, by key and old values.
        sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        unchanged = " AND ".join(f"{quote(field.column)} IS %s" for field in fields)
        sql = f"UPDATE {table} SET {sets} WHERE {quote(pk.column)} = %s AND {unchanged}"  # noqa: S608
        width = len(fields)
        ordered = [[*row[1 : 1 + width], row[0], *row[1 + width :]] for row in rows]
        written = 0
        for start in range(0, len(ordered), WRITE_BATCH_SIZE):
            cursor.executemany(sql, ordered[start : start + WRITE_BATCH_SIZE])
            written += cursor.rowcount
        return written


def record_import(*, kind, model, file_name, file_size, sha256, user, counts, scope, lines):
    """The ImportRecord of an import about to commit; history rows name it."""
    summary = lines[:SUMMARY_LINES]
    if len(lines) > SUMMARY_LINES:
        summary.append(_("… and %(n)s more.") % {"n": len(lines) - SUMMARY_LINES})
    return ImportRecord.objects.create(
        user=user if getattr(user, "pk", None) else None,
        kind=kind,
        model_label=model._meta.label_lower,
        file_name=(file_name or "upload")[:255],
        file_size=file_size,
        sha256=sha256,
        scope=scope[:255],
        created_count=counts.get("new", 0),
        updated_count=counts.get("changed", 0),
        unchanged_count=counts.get("unchanged", 0),
        missing_count=counts.get("missing", 0),
        summary="\n".join(summary),
    )


def apply_plan(plan, *, file_name, file_size, sha256, user=None):
    """Write a checked plan in one transaction, with history naming the ImportRecord."""
    if plan.refused:
        raise ImportRefused(plan.problems, plan.problem_count - len(plan.problems))
    missing = [_("Not in the file, kept: %(what)s") % {"what": what} for what in plan.missing]
    try:
        with transaction.atomic():
            record = record_import(
                kind=plan.kind,
                model=plan.model,
                file_name=file_name,
                file_size=file_size,
                sha256=sha256,
                user=user,
                counts=plan.summary_counts(),
                scope=plan.scope,
                lines=[plan.summary_text(), *plan.changes, *missing[:50]],
            )
            reason = str(record)[:100]
            now = record.created_at  # one import, one moment in every history row
            history_user = record.user
            for writes in plan.writes.values():
                if writes.create:
                    insert_with_history(
                        writes.model, writes.create, user=history_user, reason=reason, date=now
                    )
                if writes.update:
                    written = bulk_update_values(
                        writes.model, writes.update, writes.fields, writes.before
                    )
                    if written != len(writes.update):
                        raise ImportConflict(_changed_during_import())
                    write_history(
                        writes.model,
                        writes.update,
                        history_type="~",
                        user=history_user,
                        reason=reason,
                        date=now,
                    )
            # Cached public pages show the old figures until this commits, then none do.
            transaction.on_commit(public_cache_bump)
    except IntegrityError as error:
        # Someone added a row the plan would add, past every lock (e.g. from a shell).
        raise ImportConflict(_changed_during_import()) from error
    except OperationalError as error:
        raise ImportConflict(
            _("The database was busy and the import was stopped; nothing was changed. Try again.")
        ) from error
    return record


def _changed_during_import():
    return _(
        "The records changed while the import was being written; nothing was changed. "
        "Upload the file again for a new preview."
    )

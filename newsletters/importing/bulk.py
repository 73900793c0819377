"""INSERTs of one imported file that need no id back, sent in one round trip.

A file's photos, story countries, key figures and directory listings are rows nobody
reads back while the file is written. ``Deferred`` collects them and ``flush`` sends
them: on PostgreSQL as one execute holding all the statements (psycopg's client-side
binding cursor, which Django uses, takes several statements with their parameters in
one call), elsewhere one statement at a time. Each statement writes the values
bulk_create would write (each field's pre_save and get_db_prep_save, ON CONFLICT DO
NOTHING where asked); like bulk_create it sends no signals and runs no save().

On PostgreSQL each round trip costs the importer more than the statement itself (the
server parses a batch of small INSERTs in well under a millisecond): six of them per
file became one (issue 10, item 8). The rows whose ids others need (a new issue, its
sections and stories) join them with keys taken ahead from their sequences
(``KeyPool``), and the issue's revision with them (``history_row``): after its look-up
a new file is one round trip of INSERTs between BEGIN and COMMIT.
"""

from __future__ import annotations

import functools
from collections import defaultdict, deque

from django.conf import settings
from django.db import connections, models
from django.db.models.constants import OnConflict
from django.utils import timezone
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_change_reason_from_object


class Deferred:
    """INSERTs collected while a file is written; ``flush`` sends them."""

    def __init__(self, using: str = "default"):
        self.using = using
        self.statements: list[tuple[str, tuple]] = []

    def add(
        self,
        model: type[models.Model],
        objs: list,
        *,
        ignore_conflicts: bool = False,
        with_pk: bool = False,
    ):
        """Queue the INSERT of ``objs`` (unsaved, their foreign keys set) with the values
        ``model.objects.bulk_create(objs, ignore_conflicts=...)`` would write, without
        their primary keys coming back; ``with_pk``: the objects carry keys reserved for
        them (insert_returning_ids), and those are written too."""
        if not objs:
            return
        connection = connections[self.using]
        ops = connection.ops
        fields = _insert_fields(model, with_pk)
        batch = ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), batch):  # SQLite's limit on parameters
            chunk = objs[start:start + batch]
            params = []
            for obj in chunk:
                params += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                obj._state.adding, obj._state.db = False, self.using
            sql = _insert_sql(connection, model, len(chunk), ignore_conflicts, with_pk)
            self.statements.append((sql, tuple(params)))
    def flush(self) -> None:
        """Send every queued statement; the queue is empty afterwards."""
        statements, self.statements = self.statements, []
        if not statements:
            return
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and len(statements) > 1:
                cursor.execute(
                    ";\n".join(sql for sql, _ in statements),
                    [param for _, params in statements for param in params],
                )
            else:
                for sql, params in statements:
                    cursor.execute(sql, params)


def insert_returning_ids(model: type[models.Model], objs: list, using: str = "default") -> None:
    """Write ``objs`` at once and set their primary keys, as bulk_create does (its rows
    come back in the order they were given: the same assumption bulk_create makes), in
    one statement per batch, without the compiler's cost (see _insert_sql)."""
    connection = connections[using]
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model._base_manager.using(using).bulk_create(objs)
        return
    fields = _insert_fields(model)
    pk = model._meta.pk
    q = connection.ops.quote_name
    batch = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start:start + batch]
            params = []
            for obj in chunk:
                params += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            sql = f"{_insert_sql(connection, model, len(chunk), False)} RETURNING {q(pk.column)}"
            cursor.execute(sql, params)
            for obj, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
                obj._state.adding, obj._state.db = False, using


class KeyPool:
    """Primary keys taken ahead from PostgreSQL's sequences, ``block`` more at a time:
    rows given their keys here go in a file's deferred batch with the rest (their
    children can name them), where an INSERT ... RETURNING would be a round trip of its
    own. A key taken and never used is a gap in the sequence, as a rolled-back INSERT
    leaves one. ``take`` returns None elsewhere (SQLite: the rows are inserted to learn
    their keys)."""

    def __init__(self, block: int = 64, using: str = "default"):
        self.block = block
        self.using = using
        self.free: dict[type[models.Model], deque[int]] = defaultdict(deque)
        self.refills = 0  # round trips taken, for the tests

    def take(self, wanted: dict[type[models.Model], int]) -> dict[type, list[int]] | None:
        """``{Model: n}`` -> ``{Model: [n keys, ascending]}``; one round trip when the
        pool runs short of any (it then tops every wanted model up by ``block``)."""
        connection = connections[self.using]
        if connection.vendor != "postgresql":
            return None
        if any(len(self.free[model]) < n for model, n in wanted.items()):
            short = {m: n + self.block - len(self.free[m]) for m, n in wanted.items()}
            short = {m: n for m, n in short.items() if n > 0}
            take = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
            params = []
            for model, count in short.items():
                meta = model._meta
                params += [connection.ops.quote_name(meta.db_table), meta.pk.column, count]
            with connection.cursor() as cursor:
                cursor.execute(";\n".join([take] * len(short)), params)
                for n, model in enumerate(short):
                    if n:
                        cursor.nextset()
                    self.free[model].extend(value for (value,) in cursor.fetchall())
            self.refills += 1
        return {m: [self.free[m].popleft() for _ in range(n)] for m, n in wanted.items()}


@functools.cache
def _insert_fields(model: type[models.Model], with_pk: bool = False) -> list:
    """The columns bulk_create writes for objects without a primary key (with it)."""
    return [
        f for f in model._meta.concrete_fields
        if not f.generated
        and (with_pk or not (f.primary_key and isinstance(f, models.AutoField)))
    ]  # fmt: skip


def _insert_sql(
    connection,
    model: type[models.Model],
    rows: int,
    ignore_conflicts: bool,
    with_pk: bool = False,
) -> str:
    """INSERT ... VALUES (%s, ...), ... for ``rows`` rows, with the backend's own words
    for ON CONFLICT DO NOTHING. Built here rather than by Django's InsertQuery compiler:
    for the handful of rows of one file the compiler cost 8% of the import's CPU time.
    The same few shapes come back file after file: each is built once per process."""
    alias, vendor = connection.alias, connection.vendor
    return _insert_sql_of(alias, vendor, model, rows, ignore_conflicts, with_pk)


@functools.lru_cache(maxsize=1024)
def _insert_sql_of(alias, vendor, model, rows, ignore_conflicts, with_pk) -> str:
    # vendor in the key: a test may point an alias at another database.
    ops = connections[alias].ops
    q = ops.quote_name
    fields = _insert_fields(model, with_pk)
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    return (
        f"{ops.insert_statement(on_conflict=on_conflict)} {q(model._meta.db_table)} "
        f"({', '.join(q(f.column) for f in fields)}) VALUES {', '.join([row] * rows)}"
        + (f" {suffix}" if suffix else "")
    )


def history_row(instance: models.Model, created: bool) -> tuple[type[models.Model], list]:
    """(the history model, [the revision django-simple-history's post_save writes for
    ``instance``]), unsaved, for ``Deferred.add``; its post_save is skipped with
    ``skip_history_when_saving``. The same fields, date, user (the instance's
    ``_history_user``, else the request's) and change reason, built as its
    create_historical_record builds them, and its pre_create_historical_record signal is
    sent. post_create_historical_record is not (the row has no key yet): nothing here
    listens to it for the imported models. No row when history is off."""
    model, tracked = _history_of(type(instance))
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return model, []
    history_date = getattr(instance, "_history_date", timezone.now())
    history_user = model.get_default_history_user(instance)
    reason = get_change_reason_from_object(instance)
    row = model(
        history_date=history_date, history_type="+" if created else "~",
        history_user=history_user, history_change_reason=reason,
        **{f.attname: getattr(instance, f.attname) for f in tracked},
    )  # fmt: skip
    pre_create_historical_record.send(
        sender=model, instance=instance, history_date=history_date,
        history_user=history_user, history_change_reason=reason, history_instance=row,
        using=None,
    )  # fmt: skip
    return model, [row]


@functools.cache
def _history_of(model: type[models.Model]) -> tuple[type[models.Model], list]:
    """The history model of ``model`` and the fields it records. Once per process: each
    ``Model.history`` builds a manager class (a third of create_historical_record's time)."""
    manager = getattr(model, model._meta.simple_history_manager_attribute)
    return manager.model, list(manager.model.tracked_fields)

"""INSERTs of one imported file that need no id back, sent in one round trip.

A file's photos, story countries, key figures and directory listings are rows nobody
reads back while the file is written. ``Deferred`` collects them and ``flush`` sends
them: on PostgreSQL as one execute holding all the statements (psycopg's client-side
binding cursor, which Django uses, takes several statements with their parameters in
one call), elsewhere one statement at a time. Each statement is the one bulk_create
would send (Django's own InsertQuery compiler, ON CONFLICT DO NOTHING where asked); like
bulk_create it sends no signals and runs no save().

On PostgreSQL each round trip costs the importer more than the statement itself (the
server parses a batch of small INSERTs in well under a millisecond): six of them per
file became one (issue 10, item 8).
"""

from __future__ import annotations

from django.db import connections, models
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery


class Deferred:
    """INSERTs collected while a file is written; ``flush`` sends them."""

    def __init__(self, using: str = "default"):
        self.using = using
        self.statements: list[tuple[str, tuple]] = []

    def add(self, model: type[models.Model], objs: list, *, ignore_conflicts: bool = False):
        """Queue the INSERT of ``objs`` (unsaved, their foreign keys set), as
        ``model.objects.bulk_create(objs, ignore_conflicts=...)`` would write them, without
        their primary keys coming back."""
        if not objs:
            return
        connection = connections[self.using]
        opts = model._meta
        fields = [
            f for f in opts.concrete_fields
            if not f.generated and not (f.primary_key and isinstance(f, models.AutoField))
        ]  # fmt: skip
        for obj in objs:
            obj._state.adding = False
            obj._state.db = self.using
        query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
        query.insert_values(fields, objs, raw=False)
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = None
        batch = connection.ops.bulk_batch_size(fields, objs) or len(objs)
        if batch < len(objs):  # SQLite's parameter limit: one statement per batch
            for start in range(0, len(objs), batch):
                self.add(model, objs[start:start + batch], ignore_conflicts=ignore_conflicts)
            return
        self.statements += [(sql, tuple(params)) for sql, params in compiler.as_sql()]

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

"""Refuse to run a data command on a database that is missing or not migrated.

Without this check an import in a fresh checkout fails once per file with a driver
error ("unable to open database file", "no such table") that does not say what to do.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

HINT = "run make run (or manage.py migrate) first"


def database_problem(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why the database cannot be used yet, or None when it is migrated."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        # Connecting would create an empty file (or fail on a missing folder): look first.
        in_memory = name == ":memory:" or name.startswith("file:") or "mode=memory" in name
        if not in_memory and not Path(name).is_file():
            return f"the database file {name} does not exist"
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"the database cannot be opened ({exc})"
    if plan:
        return f"the database is not migrated ({len(plan)} migrations to apply)"
    return None


def require_migrated_database(using: str = DEFAULT_DB_ALIAS) -> None:
    problem = database_problem(using)
    if problem:
        raise CommandError(f"{problem}: {HINT}")

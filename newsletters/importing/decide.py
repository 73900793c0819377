"""What load_issue will do with a parsed issue, decided before anything is written.

One query finds the issue imported from the same bytes ("unchanged"), the issue a new
version replaces (same series, volume and number, else same source name) and whether the new
issue's slug is free. Then the rules: an issue edited in the admin or published is
"skipped"; a parse below the confidence threshold "needs review"; a new version that
would remove more than a third of the issue is "refused" (safety.py); else "created" or
"updated".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db import connection

from newsletters.models import Issue, Series

from . import safety
from .parser import CONFIDENCE_THRESHOLD

if TYPE_CHECKING:
    from .loader import BatchCache
    from .parser import ParsedIssue

Outcome = Literal["created", "updated", "unchanged", "skipped", "refused", "needs review"]


@dataclass
class LoadResult:
    """What happened (or, in a dry run, would happen) to one parsed issue."""

    outcome: Outcome
    issue: Issue | None
    message: str
    # For a new version of an issue: {"before": counts, "after": counts} (safety.Counts).
    comparison: dict | None = None


def describe(issue: Issue) -> str:
    volume = f" vol. {issue.volume}" if issue.volume and issue.number else ""
    number = f" no. {issue.number}" if issue.number else ""
    return f"“{issue.title}” ({issue.series}{volume}{number})"


def lookup(
    source_hash: str,
    series_title: str,
    number: int | None,
    source_name: str,
    slug: str,
    series: Series | None = None,
    volume: str = "",
) -> tuple[Issue | None, Issue | None, bool]:
    """(the issue imported from these exact bytes, the issue a new version replaces,
    whether ``slug`` is taken), in one query. The replaced issue has the same series,
    volume and number, else the same source name. Asking for the slug here spares Issue.save its own
    query for a free slug: one round trip less per new issue. ``series``, when the batch
    already knows it, spares the sub-query.

    Written in SQL (_lookup_sql): the same query built with the ORM (four Q objects and
    select_related) cost 1.4 ms of CPU per imported file, read with ``raw`` 0.4 ms;
    the rows are turned into instances here as ``raw`` would, without its per-query
    work of matching columns to fields (half of that)."""
    params: list = [source_hash, slug]
    if source_name:
        params.append(source_name)
    if number:
        params += [series.pk if series is not None else series_title, volume, number]
    sql = _lookup_sql(bool(source_name), bool(number), series is not None)
    candidates = _read_issues(sql, params)
    same = next((c for c in candidates if c.source_hash == source_hash), None)
    key = (series_title, volume, number)
    numbered = (
        c for c in candidates if number and (c.series.title, c.volume, c.number) == key
    )
    named = (c for c in candidates if source_name and c.source_name == source_name)
    taken = len(candidates) == 4 or any(c.slug == slug for c in candidates)
    return same, next(numbered, None) or next(named, None), taken


_ISSUE_NAMES = [f.attname for f in Issue._meta.concrete_fields]
_SERIES_NAMES = [f.attname for f in Series._meta.concrete_fields]


def _read_issues(sql: str, params: list) -> list[Issue]:
    """The issues of _lookup_sql's rows, each with its series (as select_related gives
    them): the columns are those of _lookup_sql, in its order, and go through the same
    converters a query of the ORM applies (JSON, dates...)."""
    db = Issue.objects.db
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    converters = _converters(connection.alias, connection.vendor)
    split, issues = len(_ISSUE_NAMES), []
    for row in rows:
        values = list(row)
        for position, convs, column in converters:
            value = values[position]
            for convert in convs:
                value = convert(value, column, connection)
            values[position] = value
        issue = Issue.from_db(db, _ISSUE_NAMES, values[:split])
        issue.series = Series.from_db(db, _SERIES_NAMES, values[split:])
        issues.append(issue)
    return issues


@functools.cache
def _converters(alias: str, vendor: str) -> list[tuple[int, list, object]]:
    """(column position, converters, column) for _lookup_sql's columns on this database,
    as the ORM's compiler finds them (SQLCompiler.get_converters). Once per process."""
    columns = [f.get_col("i") for f in Issue._meta.concrete_fields] + [
        f.get_col("s") for f in Series._meta.concrete_fields
    ]
    compiler = Issue.objects.using(alias).all().query.get_compiler(alias)
    found = compiler.get_converters(columns)
    return [(position, convs, column) for position, (convs, column) in sorted(found.items())]


@functools.cache
def _lookup_sql(by_name: bool, by_number: bool, series_known: bool) -> str:
    """SELECT every column of the candidate issues and of their series (as
    ``series__<name>``): same bytes, same slug, same source name, same series, volume and number.
    Each condition is on an indexed column of the issue table, so PostgreSQL combines
    index scans. One string per shape, built once per process."""
    q = connection.ops.quote_name
    issue, series = Issue._meta, Series._meta

    def col(name: str) -> str:
        return f"i.{q(issue.get_field(name).column)}"

    columns = [f"i.{q(f.column)}" for f in issue.concrete_fields] + [
        f"s.{q(f.column)} AS {q('series__' + f.attname)}" for f in series.concrete_fields
    ]
    conditions = [f"{col('source_hash')} = %s", f"{col('slug')} = %s"]
    if by_name:
        conditions.append(f"{col('source_name')} = %s")
    if by_number:
        title, pk = q(series.get_field("title").column), q(series.pk.column)
        # Identifiers from the models' metadata only; every value is a parameter.
        by_title = f"(SELECT {pk} FROM {q(series.db_table)} WHERE {title} = %s)"  # noqa: S608
        conditions.append(
            f"({col('series')} = {'%s' if series_known else by_title} "
            f"AND {col('volume')} = %s AND {col('number')} = %s)"
        )
    return (
        f"SELECT {', '.join(columns)} FROM {q(issue.db_table)} i "  # noqa: S608 - as above
        f"INNER JOIN {q(series.db_table)} s ON s.{q(series.pk.column)} = {col('series')} "
        f"WHERE {' OR '.join(conditions)} LIMIT 4"
    )


def same_file(source_hash: str) -> Issue | None:
    return next(
        iter(Issue.objects.filter(source_hash=source_hash).select_related("series").order_by()[:1]),
        None,
    )


def needs_review(parsed: ParsedIssue) -> str | None:
    """Why a parse is too unsure to import without a person's word, or None."""
    if parsed.confidence >= CONFIDENCE_THRESHOLD:
        return None
    reasons = "; ".join(parsed.confidence_reasons) or "no reason given"
    return (
        f"needs review: confidence {parsed.confidence:.2f} is below "
        f"{CONFIDENCE_THRESHOLD:.2f} ({reasons}); not imported without --accept-low-confidence"
    )


@dataclass
class Decision:
    """What load_issue will do, found before anything is written."""

    result: LoadResult  # the outcome; "created"/"updated" still have to be written
    series: Series | None
    existing: Issue | None


def decide(
    parsed: ParsedIssue,
    series_title: str,
    existing: Issue | None,
    cache: BatchCache | None,
    *,
    replace: bool,
    accept_low_confidence: bool,
    dry_run: bool,
) -> Decision:
    series = cache.series.get(series_title) if cache else None
    if series is None and existing is not None and existing.series.title == series_title:
        series = existing.series
    # Still None: the writes get or create it, so a file that is not written costs no query.
    if existing is not None and (existing.edited_in_admin or existing.status != "draft"):
        why = "was edited in the admin" if existing.edited_in_admin else "is published"
        message = f"skipped: {describe(existing)} already exists and {why}; not overwritten"
        return Decision(LoadResult("skipped", existing, message), series, existing)
    review = None if accept_low_confidence else needs_review(parsed)
    if review is not None:
        return Decision(LoadResult("needs review", existing, review), series, existing)
    comparison = None
    if existing is not None:
        before, after = safety.stored_counts(existing), safety.parsed_counts(parsed)
        comparison = {"before": before.as_dict(), "after": after.as_dict()}
        lost = safety.losses(before, after)
        if lost and not replace:
            message = (
                f"refused: the new version of {describe(existing)} would remove more than "
                f"a third of its {' and '.join(lost)} ({safety.comparison_text(before, after)}); "
                "not replaced without --replace"
            )
            return Decision(LoadResult("refused", existing, message, comparison), series, existing)
    verb = "updated" if existing is not None else "created"
    target = describe(existing) if existing else f"“{parsed.title}” ({series_title})"
    message = f"would be {verb}: {target}" if dry_run else ""
    return Decision(LoadResult(verb, existing, message, comparison), series, existing)

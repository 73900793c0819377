"""What publishing and unpublishing an issue does beyond its status.

Before: the pre-publish check (newsletters/checks.py). A draft with problems is not
published or scheduled, whatever the path, unless a reason is given (only Publishers
can publish at all); the reason and the problems it overrides are kept as the change
reason of the issue's revision (simple-history).

After: the directory.

An imported issue only *proposes* its directory entries (newsletters/importing/directory.py
creates the new ones as proposals and lists them as printed by the issue). When the issue
is published, the entries of which it is the newest published issue take the values it
printed and their `last_seen_in`; proposals it lists become public through
`Model.objects.public()` the moment it is live. When it is unpublished, the entries it
was the newest to confirm fall back to the newest other published issue that lists them,
and the proposals only it listed are withdrawn (no live issue lists them any more).

`Issue.save` calls `status_changed` on every change of status, whatever the path
(admin action or form, the importer's --publish, the shell), so there is one place.

And when: `public_schedule` tells the public page cache (core.caching, through the
PUBLIC_SCHEDULE setting) when the public content last changed and when the next
scheduled issue goes live.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from .checks import Problem, prepublish_problems


class PublishBlocked(ValidationError):
    """The pre-publish check found problems and no reason to publish anyway was given."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"Not published: the pre-publish check lists {count} problem"
            f"{'s' if count != 1 else ''}: " + " ".join(str(p) for p in problems)
            + " Fix them, or give a reason to publish anyway.",
            code="prepublish",
        )


def check_before_publish(issue) -> None:
    """Called by Issue.save before a draft becomes published (or scheduled)."""
    problems = prepublish_problems(issue)
    if not problems:
        return
    reason = (getattr(issue, "_publish_reason", "") or "").strip()
    if not reason:
        raise PublishBlocked(problems)
    listed = "; ".join(str(p) for p in problems)
    issue._change_reason = f"Published despite the pre-publish check: {reason} (Problems: {listed})"


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _entries(snapshot: dict, key: str) -> list[dict]:
    items = snapshot.get(key) if isinstance(snapshot, dict) else None
    return [item for item in items or [] if isinstance(item, dict)]


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [_text(v) for v in value or [] if _text(v)] if isinstance(value, list) else []


def directory_from_snapshot(snapshot: dict) -> SimpleNamespace:
    """The directory an issue printed (`Issue.directory_snapshot`), shaped like the
    parser's ParsedDirectory, which is all plan_directory reads. Malformed entries
    (it is JSON) are passed over."""
    return SimpleNamespace(
        offices=[
            SimpleNamespace(country=_text(o.get("country")), emails=_lines(o.get("emails")))
            for o in _entries(snapshot, "offices")
            if _text(o.get("country"))
        ],
        hotlines=[
            SimpleNamespace(
                country=_text(h.get("country")), number=_text(h.get("number")),
                note=_text(h.get("note")), e164=_text(h.get("e164")) or None,
            )  # fmt: skip
            for h in _entries(snapshot, "hotlines")
            if _text(h.get("country")) and _text(h.get("number"))
        ],
        people=[
            SimpleNamespace(
                name=_text(p.get("name")), role=_text(p.get("role")),
                country=_text(p.get("country")) or None, phones=_lines(p.get("phones")),
                email=_text(p.get("email")) or None,
            )  # fmt: skip
            for p in _entries(snapshot, "people")
            if _text(p.get("name"))
        ],
    )


def apply_directory(issue) -> None:
    """Give the directory the values `issue` printed, where it is the newest to print them."""
    from .importing.directory import (
        ensure_countries,
        lock_directory,
        merge_directory,
        plan_directory,
    )

    directory = directory_from_snapshot(issue.directory_snapshot)
    if not (directory.offices or directory.hotlines or directory.people):
        return
    # One transaction (a savepoint inside the caller's), so the lock, taken before the
    # plan reads which issue printed each entry last, lasts until the merge is done.
    with transaction.atomic():
        lock_directory()
        plan = plan_directory(directory, ())
        merge_directory(plan, issue, ensure_countries(plan), apply=True)


def withdraw_directory(issue) -> None:
    """Undo what publishing `issue` did to the directory (see the module docstring)."""
    from directory.models import Hotline, Office, Person

    from .importing.directory import lock_directory
    from .models import Issue

    with transaction.atomic():  # the lock lasts until the other issues' values are back
        lock_directory()
        others = Q(pk__in=[])
        for model in (Office, Hotline, Person):
            confirmed = model.objects.filter(last_seen_in=issue)
            pks = list(confirmed.values_list("pk", flat=True))
            if not pks:
                continue
            confirmed.update(last_seen_in=None)
            own = model._meta.model_name
            listings = model.listed_in.through.objects.filter(**{f"{own}__in": pks})
            others |= Q(pk__in=listings.values("issue_id"))
        # Live ones only: a scheduled issue's values wait for its go-live time.
        candidates = (
            Issue.objects.published()
            .filter(others)
            .exclude(pk=issue.pk)
            .only("pk", "publication_date", "number", "directory_snapshot")
        )
        # Oldest first: each newer issue then wins where it lists the same entry.
        for other in sorted(candidates, key=lambda i: (*i.sort_key, i.pk)):
            apply_directory(other)


def status_changed(issue, was: str) -> None:
    """Called by Issue.save after the status of a stored issue changed from `was`.

    An issue created directly as published (fixtures, the shell) is not a change: its
    snapshot stays a record only; the importer creates drafts and then publishes them."""
    published = issue.Status.PUBLISHED
    if issue.status == published and was != published:
        if issue.is_live:
            apply_directory(issue)
        else:
            # Scheduled: its values must not show before its go-live time.
            _set_pending(issue, True)
    elif was == published and issue.status != published:
        _set_pending(issue, False)
        withdraw_directory(issue)


def _set_pending(issue, pending: bool) -> None:
    if issue.directory_pending != pending:
        issue.directory_pending = pending
        type(issue).objects.filter(pk=issue.pk).update(directory_pending=pending)


def apply_due_directories(now=None) -> int:
    """Apply the directory of scheduled issues whose go-live time has come.

    There is no cron job: the public directory, the home page's hotlines, the API, the
    CSV and the vCards call this before reading the directory (one query when nothing
    is due). Each issue is claimed with a conditional UPDATE, so two requests never
    apply the same one twice. Returns how many were applied.
    """
    from core.caching import bump_content_version

    from .models import Issue

    due = list(
        Issue.objects.published(now)
        .filter(directory_pending=True)
        .only("pk", "publication_date", "number", "directory_snapshot")
    )
    applied = 0
    for issue in sorted(due, key=lambda i: (*i.sort_key, i.pk)):
        with transaction.atomic():  # the claim stands only if the values were applied
            if Issue.objects.filter(pk=issue.pk, directory_pending=True).update(
                directory_pending=False
            ):
                apply_directory(issue)
                applied += 1
    if applied:
        bump_content_version()
    return applied


# --- schedule --------------------------------------------------------------------

# The newest live issue's time (an issue that went live by schedule changed the site at
# its go-live time) and the next go-live, in one pass. Raw SQL: it runs on every render
# after a change, and the ORM took a quarter of an uncached page's Python to build it.
STATE_SQL = """SELECT
  MAX(CASE WHEN status = %(published)s AND (go_live_at IS NULL OR go_live_at <= %(now)s)
      THEN (CASE WHEN go_live_at > updated_at THEN go_live_at ELSE updated_at END) END),
  MIN(CASE WHEN status = %(published)s AND go_live_at > %(now)s THEN go_live_at END)
  FROM {table}"""


def _as_datetime(value) -> datetime | None:
    # SQLite gives a computed column's datetime back as text, in UTC.
    if isinstance(value, str):
        value = parse_datetime(value).replace(tzinfo=UTC)
    return value


def public_schedule(now: datetime) -> tuple[datetime | None, datetime | None]:
    """(the newest live issue's update or go-live, the next scheduled go-live), one query."""
    from .models import Issue

    sql = STATE_SQL.format(table=connection.ops.quote_name(Issue._meta.db_table))
    params = {
        "published": Issue.Status.PUBLISHED,
        "now": connection.ops.adapt_datetimefield_value(now),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        newest, next_go_live = map(_as_datetime, cursor.fetchone())
    return newest, next_go_live

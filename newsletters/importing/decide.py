"""What load_issue will do with a parsed issue, decided before anything is written.

One query finds the issue imported from the same bytes ("unchanged"), the issue a new
version replaces (same series and number, else same source name) and whether the new
issue's slug is free. Then the rules: an issue edited in the admin or published is
"skipped"; a parse below the confidence threshold "needs review"; a new version that
would remove more than a third of the issue is "refused" (safety.py); else "created" or
"updated".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db.models import Q, Subquery

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
    number = f" no. {issue.number}" if issue.number else ""
    return f"“{issue.title}” ({issue.series}{number})"


def lookup(
    source_hash: str,
    series_title: str,
    number: int | None,
    source_name: str,
    slug: str,
    series: Series | None = None,
) -> tuple[Issue | None, Issue | None, bool]:
    """(the issue imported from these exact bytes, the issue a new version replaces,
    whether ``slug`` is taken), in one query. The replaced issue has the same series and
    number, else the same source name. Asking for the slug here spares Issue.save its own
    query for a free slug: one round trip less per new issue. ``series``, when the batch
    already knows it, spares the sub-query (and a third of this query's Python time)."""
    condition = Q(source_hash=source_hash) | Q(slug=slug)
    if source_name:
        condition |= Q(source_name=source_name)
    if number:
        series_id = (
            series.pk
            if series is not None
            else Subquery(Series.objects.filter(title=series_title).values("pk")[:1])
        )
        condition |= Q(series_id=series_id, number=number)
    candidates = list(Issue.objects.filter(condition).select_related("series").order_by()[:4])
    same = next((c for c in candidates if c.source_hash == source_hash), None)
    key = (series_title, number)
    numbered = (c for c in candidates if number and (c.series.title, c.number) == key)
    named = (c for c in candidates if source_name and c.source_name == source_name)
    taken = len(candidates) == 4 or any(c.slug == slug for c in candidates)
    return same, next(numbered, None) or next(named, None), taken


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

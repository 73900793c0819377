"""Guards of the loader: when an import refuses instead of writing, and how concurrent
imports of one file stay one issue.

- A new version of an issue that would remove more than a third of its words, stories or
  key figures is refused (issue 10, item 6) unless the user says ``--replace``: a
  re-converted file holding two words must never silently replace a full draft.
- On PostgreSQL, an import takes transaction-scoped advisory locks on the file's hash and
  on its series and number, so a second run of the same file waits for the first and then
  sees its issue ("unchanged"). SQLite needs no lock: its transactions begin IMMEDIATE
  (config/settings.py), which already serialises writers. The unique constraint on
  ``Issue.source_hash`` is the last line on both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection

from newsletters.models import Issue, KeyFigure, Story

if TYPE_CHECKING:
    from .parser import ParsedIssue

# More than this share of the words, stories or key figures gone: refused without --replace.
MAX_LOSS_DENOMINATOR = 3


@dataclass(frozen=True)
class Counts:
    words: int
    stories: int
    key_figures: int

    def as_dict(self) -> dict[str, int]:
        return {"words": self.words, "stories": self.stories, "key_figures": self.key_figures}


def _words(*texts: str) -> int:
    return sum(len(text.split()) for text in texts if text)


def parsed_counts(parsed: ParsedIssue) -> Counts:
    stories = [story for section in parsed.sections for story in section.stories]
    return Counts(
        words=sum(_words(story.title, story.body) for story in stories),
        stories=len(stories),
        key_figures=len({figure.label for figure in parsed.key_figures if figure.label}),
    )


def stored_counts(issue: Issue) -> Counts:
    """What the issue holds now (two queries)."""
    stories = list(Story.objects.filter(issue=issue).order_by().values_list("title", "body"))
    return Counts(
        words=sum(_words(title, body) for title, body in stories),
        stories=len(stories),
        key_figures=KeyFigure.objects.filter(issue=issue).count(),
    )


def losses(before: Counts, after: Counts) -> list[str]:
    """The measures (words, stories, key figures) a new version would cut by more than
    a third; empty when it may replace the old one."""
    names = {"words": "words", "stories": "stories", "key_figures": "key figures"}
    old, new = before.as_dict(), after.as_dict()
    # In integers: more than a third lost <=> 3 * lost > before.
    return [names[key] for key in old if (old[key] - new[key]) * MAX_LOSS_DENOMINATOR > old[key]]


def comparison_text(before: Counts, after: Counts) -> str:
    """ "words 657 → 2, stories 5 → 1, key figures 3 → 0" """
    return (
        f"words {before.words} → {after.words}, stories {before.stories} → {after.stories}, "
        f"key figures {before.key_figures} → {after.key_figures}"
    )


def _lock_key(text: str) -> int:
    """A signed 64-bit key for pg_advisory_xact_lock, stable across processes."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def lock_import(source_hash: str, series_title: str, number: int | None) -> None:
    """Inside a transaction: wait for any other import of the same file or the same
    numbered issue to commit. Released at the end of the transaction. PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    keys = {_lock_key(f"source:{source_hash}")}
    if number:
        keys.add(_lock_key(f"issue:{series_title}:{number}"))
    # One statement, keys always in the same order: two runs never wait in a circle.
    calls = ", ".join(["pg_advisory_xact_lock(%s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", sorted(keys))  # noqa: S608 - only placeholders

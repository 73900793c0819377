"""Guards of the loader: when an import refuses instead of writing, and how concurrent
imports of one file stay one issue.

- A new version of an issue that would remove more than a third of its words, stories or
  key figures is refused (issue 10, item 6) unless the user says ``--replace``: a
  re-converted file holding two words must never silently replace a full draft.
- Concurrent runs of one file: the unique constraint on ``Issue.source_hash`` (and the one
  on series, volume and number) lets only one of them save it; the loader turns the others'
  IntegrityError into "unchanged" (loader.load_issue). No lock is taken, so the common
  case pays no extra round trip: on PostgreSQL the second INSERT waits for the first
  transaction and then fails cleanly; on SQLite transactions begin IMMEDIATE
  (config/settings.py), so the second run starts its writes after the first committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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

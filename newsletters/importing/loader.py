"""Loader: parsed dataclasses -> models, one transaction per file, idempotent.

`load_issue()` writes one parsed issue; `import_sources()` is the batch loop the
management command, the admin page and `load_demo` share. The batch streams: one
file is read, parsed, written and forgotten before the next, so memory does not grow
with the archive.

Rules (issue 3):
- the same bytes again (same SHA-256) change nothing: "unchanged";
- a new version of an issue already imported (same series and number, or the same
  source name) replaces its contents only while it is a draft nobody edited in the
  admin; otherwise it is "skipped", never overwritten;
- directory entries are merged (one Country per code, one Office per country, one row
  per e-mail address, person and hotline number) as *proposals* listed by the issue:
  nothing public changes until the issue is published, and then only where it is the
  newest published issue to print them (`last_seen_in`; importing/directory.py and
  newsletters/publishing.py).

Queries per file stay a small constant: look-ups are batched with `__in`, rows are
written with `bulk_create` / `bulk_update`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q

from directory.models import Country
from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story, unique_slug

from .directory import clip as _clip
from .directory import ensure_countries as _ensure_countries
from .directory import merge_directory as _merge_directory
from .directory import plan_directory as _plan_directory
from .directory import story_codes as _story_codes
from .parser import ParseError, parse
from .reader import Limits, SourceError, SourceText, iter_sources

if TYPE_CHECKING:
    from .parser import ParsedIssue

logger = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "unchanged", "skipped"]


@dataclass
class LoadResult:
    """What happened (or, in a dry run, would happen) to one parsed issue."""

    outcome: Outcome
    issue: Issue | None
    message: str


@dataclass
class FileReport:
    """One file of a batch: an error, or what the loader did with its issue."""

    path: str
    status: Literal["ok", "error"]
    error: str | None = None
    parsed: ParsedIssue | None = None
    result: LoadResult | None = None
    directory_changes: dict | None = None

    @property
    def outcome(self) -> Outcome | None:
        return self.result.outcome if self.result else None

    @property
    def warnings(self) -> list[str]:
        return list(self.parsed.warnings) if self.parsed else []

    def as_json(self) -> dict:
        """The documented `--dry-run --json` entry: path, status, error, issue."""
        return {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "issue": self.parsed.to_dict() if self.parsed is not None else None,
        }


def source_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def limits_from_settings() -> Limits:
    return Limits(
        max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
        max_zip_entries=settings.IMPORT_MAX_ZIP_ENTRIES,
        max_zip_bytes=settings.IMPORT_MAX_ZIP_BYTES,
    )


class BatchCache:
    """Countries and series already committed, shared by the files of one batch.

    Only rows known to be in the database outside any rolled-back transaction go in:
    rows a file creates are added after its transaction succeeded.
    """

    def __init__(self):
        self.countries: dict[str, Country] = {}
        self.series: dict[str, Series] = {}


# --- issue contents ------------------------------------------------------------------


def _write_contents(issue: Issue, parsed: ParsedIssue, countries: dict[str, Country]) -> None:
    """Sections, stories, photos, story countries and key figures, in bulk.

    bulk_create skips save(), so what Section.save and Story.save would do (slugs
    unique per issue, story.issue) is done here with in-memory sets.
    """
    section_slugs: set[str] = set()
    sections = [
        Section(
            issue=issue,
            title=_clip(s.title, Section, "title") or "Stories",
            slug=unique_slug(s.title or f"section {i + 1}", section_slugs.__contains__),
            position=i,
        )
        for i, s in enumerate(parsed.sections)
    ]
    for section in sections:
        section_slugs.add(section.slug)
    Section.objects.bulk_create(sections)

    story_slugs: set[str] = set()
    stories, story_sources = [], []
    for section, parsed_section in zip(sections, parsed.sections, strict=True):
        for position, parsed_story in enumerate(parsed_section.stories):
            title = _clip(parsed_story.title, Story, "title")
            slug = unique_slug(title or f"{section.title} story", story_slugs.__contains__)
            story_slugs.add(slug)
            stories.append(
                Story(
                    section=section, issue=issue, title=title, slug=slug,
                    body=parsed_story.body or "", position=position,
                )  # fmt: skip
            )
            story_sources.append(parsed_story)
    Story.objects.bulk_create(stories)

    photos, tags = [], []
    Tag = Story.countries.through
    for story, parsed_story in zip(stories, story_sources, strict=True):
        for position, photo in enumerate(parsed_story.photos):
            caption = _clip(photo.caption, Photo, "caption")
            if caption:
                photos.append(Photo(story=story, caption=caption, position=position))
        for code in dict.fromkeys(c.upper() for c in parsed_story.countries):
            if code in countries:
                tags.append(Tag(story_id=story.pk, country_id=countries[code].pk))
    if photos:
        Photo.objects.bulk_create(photos)
    if tags:
        Tag.objects.bulk_create(tags)

    figures, labels = [], set()
    for figure in parsed.key_figures:
        label = _clip(figure.label, KeyFigure, "label")
        if label and label not in labels:  # one figure per label and issue
            labels.add(label)
            figures.append(
                KeyFigure(
                    issue=issue, label=label, value=figure.value,
                    unit=_clip(figure.unit, KeyFigure, "unit"), position=len(figures),
                )  # fmt: skip
            )
    if figures:
        KeyFigure.objects.bulk_create(figures)


def _directory_dict(parsed: ParsedIssue) -> dict:
    data = parsed.to_dict().get("directory") or {}
    return {key: data.get(key, []) for key in ("offices", "hotlines", "people")}


def _describe(issue: Issue) -> str:
    number = f" no. {issue.number}" if issue.number else ""
    return f"“{issue.title}” ({issue.series}{number})"


def find_existing(parsed: ParsedIssue, series: Series | None, source_name: str) -> Issue | None:
    """The issue a new version replaces: same series and number, else same source name."""
    condition = Q(source_name=source_name) if source_name else Q(pk__in=[])
    if series is not None and parsed.number:
        condition |= Q(series=series, number=parsed.number)
    candidates = list(Issue.objects.filter(condition).select_related("series")[:2])
    for candidate in candidates:  # a series/number match wins over a file-name match
        if series is not None and (candidate.series_id, candidate.number) == (
            series.pk,
            parsed.number,
        ):
            return candidate
    return candidates[0] if candidates else None


def load_issue(
    parsed: ParsedIssue,
    *,
    source_name: str,
    source_hash: str,
    publish: bool = False,
    dry_run: bool = False,
    cache: BatchCache | None = None,
) -> LoadResult:
    """Write one parsed issue (all of it or, on any error, nothing), or say why not.

    With dry_run nothing is written and the result says what would happen.
    """
    if not parsed.series:
        raise ParseError("no series name in the file and none given (use --series)")
    series_title = _clip(parsed.series, Series, "title")
    source_name = _clip(source_name, Issue, "source_name")

    same = next(
        iter(Issue.objects.filter(source_hash=source_hash).select_related("series").order_by()[:1]),
        None,
    )
    if same is not None:
        return LoadResult("unchanged", same, f"unchanged: {_describe(same)} has this exact file")

    series = cache.series.get(series_title) if cache else None
    if series is None:
        series = Series.objects.filter(title=series_title).order_by().first()
    existing = find_existing(parsed, series, source_name)
    if existing is not None and (existing.edited_in_admin or existing.status != "draft"):
        why = "was edited in the admin" if existing.edited_in_admin else "is published"
        return LoadResult(
            "skipped",
            existing,
            f"skipped: {_describe(existing)} already exists and {why}; not overwritten",
        )
    verb = "updated" if existing is not None else "created"
    if dry_run:
        target = _describe(existing) if existing else f"“{parsed.title}” ({series_title})"
        return LoadResult(verb, existing, f"would be {verb}: {target}")

    with transaction.atomic():
        if series is None:
            series, _ = Series.objects.get_or_create(title=series_title)
        issue = existing or Issue(series=series)
        if existing is not None:
            # Cascades to stories, photos and their country tags.
            existing.sections.all().delete()
            existing.key_figures.all().delete()
        issue.series = series
        issue.number = parsed.number or None
        issue.title = _clip(parsed.title, Issue, "title") or f"{series_title} issue"
        issue.publication_date = parsed.date
        issue.source_name = source_name
        issue.source_hash = source_hash
        issue.import_warnings = list(parsed.warnings)
        issue.directory_snapshot = _directory_dict(parsed)
        issue.save()

        plan = _plan_directory(parsed.directory, _story_codes(parsed), cache)
        countries = _ensure_countries(plan)
        _write_contents(issue, parsed, countries)
        # Proposals only: the directory changes when (and if) the issue is published.
        _merge_directory(plan, issue, countries, apply=False)
        if plan.warnings:
            issue.import_warnings = [*issue.import_warnings, *plan.warnings]
            Issue.objects.filter(pk=issue.pk).update(import_warnings=issue.import_warnings)
        if publish:
            # --publish is the operator's explicit decision: it overrides the pre-publish
            # check (import warnings at least), which the revision records.
            issue.publish(reason="Published on import (publish option of the importer).")
    if cache is not None:  # committed: safe to remember for the next files
        cache.series[series_title] = series
        cache.countries.update(countries)
    return LoadResult(verb, issue, f"{verb}: {_describe(issue)}")


# --- the batch -----------------------------------------------------------------------


Source = str | Path | SourceText | SourceError


def _iter_texts(items: Iterable[Source], limits: Limits) -> Iterator[SourceText | SourceError]:
    for item in items:
        if isinstance(item, SourceText | SourceError):
            yield item
        else:
            yield from iter_sources([str(item)], limits)


def import_sources(
    sources: Iterable[Source],
    *,
    series: str | None = None,
    publish: bool = False,
    dry_run: bool = False,
    limits: Limits | None = None,
    preview_directory: bool = False,
    on_file: Callable[[FileReport], None] | None = None,
) -> Iterator[FileReport]:
    """Read, parse and load each file in turn, yielding one FileReport per file.

    Bad files give an error report and the batch goes on. `preview_directory` adds
    the new/known directory entries to each report (the admin preview shows them).
    """
    limits = limits or limits_from_settings()
    cache = BatchCache()
    for source in _iter_texts(sources, limits):
        report = _import_one(source, series, publish, dry_run, preview_directory, cache)
        if on_file is not None:
            on_file(report)
        yield report


def _import_one(source, series, publish, dry_run, preview_directory, cache) -> FileReport:
    if isinstance(source, SourceError):
        return FileReport(source.path, "error", error=source.message)
    try:
        parsed = parse(source.text, series=series)
    except ParseError as exc:
        return FileReport(source.path, "error", error=str(exc) or "no recognisable issue")
    report = FileReport(source.path, "ok", parsed=parsed)
    try:
        report.result = load_issue(
            parsed,
            source_name=source.path,
            source_hash=source_hash(source.raw),
            publish=publish,
            dry_run=dry_run,
            cache=cache,
        )
        if preview_directory:
            plan = _plan_directory(parsed.directory, _story_codes(parsed), cache)
            report.directory_changes = plan.changes()
    except ParseError as exc:
        return FileReport(source.path, "error", error=str(exc), parsed=None)
    except DatabaseError as exc:
        # The transaction rolled back: nothing of this file is in the database.
        logger.debug("import of %s failed", source.path, exc_info=True)
        return FileReport(source.path, "error", error=f"could not be saved: {exc}")
    return report

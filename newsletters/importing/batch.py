"""The import batch: read, parse and load each file in turn, one report per file.

Shared by `manage.py import_newsletters`, the admin's "Import archive" page and
`load_demo`. It streams: one file is read, parsed, written and forgotten before the
next, so memory does not grow with the archive. A bad file gives an error report and the
batch goes on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.db import DatabaseError

from . import loader
from .decide import LoadResult, Outcome
from .directory import plan_directory, story_codes
from .loader import BatchCache, limits_from_settings, load_issue, source_hash
from .overrides import MetadataTable, Overrides
from .parser import CONFIDENCE_THRESHOLD, ParsedIssue, ParseError, parse
from .photos import collect_images
from .reader import Limits, SourceError, SourceText, iter_sources

logger = logging.getLogger(__name__)

# The outcome of `--dry-run --json`, in the words of issue 10: what would happen.
JSON_OUTCOMES = {
    "created": "create",
    "updated": "update",
    "unchanged": "unchanged",
    "skipped": "refuse",
    "refused": "refuse",
    "needs review": "refuse",
}


@dataclass
class FileReport:
    """One file of a batch: an error, or what the loader did with its issue."""

    path: str
    status: Literal["ok", "error"]
    error: str | None = None
    parsed: ParsedIssue | None = None
    result: LoadResult | None = None
    directory_changes: dict | None = None
    encoding: str | None = None

    @property
    def outcome(self) -> Outcome | None:
        return self.result.outcome if self.result else None

    @property
    def warnings(self) -> list[str]:
        return list(self.parsed.warnings) if self.parsed else []

    @property
    def needs_review(self) -> bool:
        return self.parsed is not None and self.parsed.confidence < CONFIDENCE_THRESHOLD

    def dropped_by_reason(self) -> dict[str, list[dict]]:
        """The lines the parser left out, grouped by why: {reason: [{line, text}]}."""
        groups: dict[str, list[dict]] = defaultdict(list)
        for dropped in self.parsed.dropped if self.parsed else []:
            groups[dropped.reason].append({"line": dropped.line, "text": dropped.text})
        return dict(groups)

    def as_json(self) -> dict:
        """The `--dry-run --json` entry: path, status, error, issue (issue 3) and what
        would happen to it, how sure the parser is and what it left out (issue 10)."""
        return {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "outcome": JSON_OUTCOMES.get(self.outcome) if self.outcome else None,
            "message": self.result.message if self.result else None,
            "confidence": self.parsed.confidence if self.parsed else None,
            "needs_review": self.needs_review,
            "confidence_reasons": list(self.parsed.confidence_reasons) if self.parsed else [],
            "dropped": self.dropped_by_reason(),
            "warnings": self.warnings,
            "encoding": self.encoding,
            "comparison": self.result.comparison if self.result else None,
            "issue": self.parsed.to_dict() if self.parsed is not None else None,
        }


@dataclass(frozen=True)
class BatchOptions:
    """How every file of a batch is imported."""

    series: str | None = None  # for files that print none
    publish: bool = False
    dry_run: bool = False
    replace: bool = False
    accept_low_confidence: bool = False
    layout: str = "auto"
    overrides: Overrides | None = None  # for every file (the CLI's --number, --date...)
    metadata: MetadataTable | None = None  # per file, from --metadata FILE.csv
    per_file: dict[str, Overrides] | None = None  # per file label (the admin preview)
    preview_directory: bool = False  # add new/known directory entries (admin preview)
    jobs: int = 1  # loading processes (parallel.py; PostgreSQL only)

    def overrides_for(self, label: str) -> Overrides:
        found = Overrides()
        found = found.merged(self.overrides)
        if self.metadata is not None:
            found = found.merged(self.metadata.for_label(label))
        if self.per_file:
            found = found.merged(self.per_file.get(label))
        return found


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
    limits: Limits | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    **options,
) -> Iterator[FileReport]:
    """Read, parse and load each file in turn, yielding one FileReport per file, in
    input order.

    ``options`` are the fields of BatchOptions (series, publish, dry_run, replace, ...);
    with ``jobs`` above 1 on PostgreSQL, files are loaded by that many processes
    (parallel.py).
    """
    limits = limits or limits_from_settings()
    batch = BatchOptions(**options)
    texts = _iter_texts(sources, limits)
    from . import parallel  # it imports this module

    if batch.jobs > 1 and parallel.available():
        reports = parallel.import_in_processes(texts, batch, batch.jobs)
    else:
        reports = _one_by_one(texts, batch)
    for report in reports:
        if on_file is not None:
            on_file(report)
        yield report


def _one_by_one(texts: Iterable, batch: BatchOptions) -> Iterator[FileReport]:
    cache = BatchCache()
    try:
        for source in texts:
            yield _import_one(source, batch, cache)
    finally:
        if cache.quick_commits:
            loader.restore_commits()


def parse_source(source: SourceText, batch: BatchOptions) -> ParsedIssue:
    """Parse one file with the batch's layout and the overrides that apply to it."""
    given = batch.overrides_for(source.path)
    parsed = parse(
        source.text,
        series=given.series or batch.series,
        volume=given.volume,
        number=given.number,
        date=given.date,
        title=given.title,
        filename=source.path.replace(".zip:", ".zip/").rsplit("/", 1)[-1],
        layout=batch.layout,
    )
    if given.series:  # a user's word beats the series the file prints
        parsed.series = given.series
    if given.date is not None:
        parsed.date_precision = given.date_precision
    # The reader's doubts (an unsure encoding guess) come first among the file's warnings.
    parsed.warnings[:0] = source.warnings
    return parsed


@dataclass
class Pending:
    """A parsed file waiting to be written: what the loader needs besides the parse.
    Sent to a loading process as it is (parallel.py), so it holds plain data only."""

    report: FileReport
    source_hash: str
    images: list

    def key(self) -> tuple:
        """What tells this file's issue from others: files with the same key are the
        same issue (a new version, or the same bytes) and must be loaded in input
        order, by one process."""
        parsed = self.report.parsed
        if parsed.number:
            return ("number", parsed.series, parsed.volume, parsed.number)
        return ("file", self.source_hash)


def prepare(source: SourceText | SourceError, batch: BatchOptions) -> FileReport | Pending:
    """Read and parse one file: its finished report (an error) or what loading needs."""
    if isinstance(source, SourceError):
        return FileReport(source.path, "error", error=source.message)
    try:
        parsed = parse_source(source, batch)
    except ParseError as exc:
        message = str(exc) or "no recognisable issue"
        return FileReport(source.path, "error", error=message, encoding=source.encoding)
    report = FileReport(source.path, "ok", parsed=parsed, encoding=source.encoding)
    has_images = any(story.images for section in parsed.sections for story in section.stories)
    images = collect_images(parsed, source.assets) if has_images else []
    return Pending(report, source_hash(source.raw), images)


def load(pending: Pending, batch: BatchOptions, cache: BatchCache) -> FileReport:
    """Write one parsed file (or say what would happen); its report."""
    report, parsed = pending.report, pending.report.parsed
    try:
        report.result = load_issue(
            parsed,
            source_name=report.path,
            source_hash=pending.source_hash,
            publish=batch.publish,
            dry_run=batch.dry_run,
            cache=cache,
            replace=batch.replace,
            accept_low_confidence=batch.accept_low_confidence,
            images=pending.images,
        )
        if batch.preview_directory:
            plan = plan_directory(parsed.directory, story_codes(parsed), cache)
            report.directory_changes = plan.changes()
    except ParseError as exc:
        return FileReport(report.path, "error", error=str(exc), encoding=report.encoding)
    except DatabaseError as exc:
        # The transaction rolled back: nothing of this file is in the database.
        logger.debug("import of %s failed", report.path, exc_info=True)
        return FileReport(report.path, "error", error=f"could not be saved: {exc}")
    return report


def _import_one(source, batch: BatchOptions, cache: BatchCache) -> FileReport:
    prepared = prepare(source, batch)
    if isinstance(prepared, FileReport):
        return prepared
    return load(prepared, batch, cache)

"""`manage.py import_newsletters PATH [PATH ...]`: bring an archive of text issues in.

PATH is a .txt/.md file, a folder (read recursively) or a .zip archive. Each file is
imported in its own transaction; a bad file gets one line naming it and the problem and
the batch goes on. Exit status: 0 when every file imported, 1 when any file failed,
2 for bad usage.

`--dry-run --json` prints exactly one JSON document on stdout, shaped as issue 3 says:
{"files": [{"path", "status", "error", "issue"}]}. It is written entry by entry, so a
large archive never sits in memory as one list.
"""

import json
import zipfile
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletters.importing.loader import FileReport, import_sources
from newsletters.importing.reader import TEXT_SUFFIXES
from newsletters.management.dbready import require_migrated_database

BAR_WIDTH = 30


def count_files(paths) -> int | None:
    """How many files the batch will read, for the progress bar only (None: unknown)."""
    total = 0
    try:
        for given in paths:
            path = Path(given)
            if path.is_dir():
                total += sum(
                    1
                    for p in path.rglob("*")
                    if p.suffix.lower() in TEXT_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            elif path.suffix.lower() == ".zip":
                with zipfile.ZipFile(path) as archive:
                    total += sum(
                        1 for name in archive.namelist() if name.lower().endswith(TEXT_SUFFIXES)
                    ) or 1
            else:
                total += 1
    except (OSError, zipfile.BadZipFile):
        return None  # the reader reports the problem properly; the bar just has no total
    return total


class Command(BaseCommand):
    help = "Import newsletter issues from .txt/.md files, folders and .zip archives."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="a .txt/.md file, a folder or a .zip archive"
        )
        parser.add_argument("--series", help="Series name for files that do not print one.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish what is imported (default: drafts)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and check everything; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --dry-run: print one JSON document describing every file, nothing else.",
        )

    def handle(self, *args, paths, series, publish, dry_run, **options):
        as_json = options["json"]
        if as_json and not dry_run:
            raise CommandError("--json is only available with --dry-run", returncode=2)
        series = (series or "").strip() or None
        require_migrated_database()
        reports = import_sources(paths, series=series, publish=publish, dry_run=dry_run)
        if as_json:
            failed = self._write_json(reports)
        else:
            failed = self._write_summary(reports, paths, dry_run)
        if failed:
            raise CommandError(
                f"{failed} file{'s' if failed != 1 else ''} could not be imported", returncode=1
            )

    def _write_json(self, reports) -> int:
        failed = 0
        self.stdout.write('{"files": [', ending="")
        for i, report in enumerate(reports):
            failed += report.status == "error"
            prefix = ", " if i else ""
            entry = json.dumps(report.as_json(), ensure_ascii=False)
            self.stdout.write(prefix + entry, ending="")
        self.stdout.write("]}")
        return failed

    def _write_summary(self, reports, paths, dry_run) -> int:
        show_bar = self.stderr.isatty()
        total = count_files(paths) if show_bar else None
        counts: Counter = Counter()
        errors: list[str] = []
        skipped: list[str] = []
        for report in reports:
            self._tally(report, counts, errors, skipped)
            if show_bar:
                self._draw_bar(counts["files"], total)
        if show_bar:
            self.stderr.write("")

        would = "would be " if dry_run else ""
        out = self.stdout.write
        if dry_run:
            out("Dry run: nothing was written.")
        out(f"Files read: {counts['files']}")
        out(
            f"Issues {would}created: {counts['created']}, {would}updated: {counts['updated']}, "
            f"unchanged: {counts['unchanged']}, skipped: {counts['skipped']}"
        )
        out(f"Warnings: {counts['warnings']}")
        for line in skipped:
            out(f"  {line}")
        out(f"Errors: {len(errors)}")
        for line in errors:
            out(f"  {line}")
        return len(errors)

    @staticmethod
    def _tally(report: FileReport, counts: Counter, errors: list, skipped: list) -> None:
        counts["files"] += 1
        if report.status == "error":
            errors.append(f"{report.path}: {report.error}")
            return
        counts[report.outcome] += 1
        if report.outcome != "unchanged":
            counts["warnings"] += len(report.warnings)
        if report.outcome == "skipped":
            skipped.append(f"{report.path}: {report.result.message}")

    def _draw_bar(self, done: int, total: int | None) -> None:
        if total:
            filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
            bar = f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done}/{total}"
        else:
            bar = f"\r{done} files"
        self.stderr.write(bar, ending="")
        self.stderr.flush()

"""`manage.py import_newsletters PATH [PATH ...]`: bring an archive of text issues in.

PATH is a .txt/.md file, a folder (read recursively) or a .zip archive. Each file is
imported in its own transaction; a bad file gets one line naming it and the problem and
the batch goes on. Exit status: 0 when every file imported, 1 when any file failed,
2 for bad usage.

`--dry-run --json` prints exactly one JSON document on stdout: {"files": [...]}, one
entry per file with path, status, error and issue (issue 3) and outcome, confidence,
dropped lines by reason, warnings and the before/after comparison (issue 10). It is
written entry by entry, so a large archive never sits in memory as one list.
"""

import argparse
import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from newsletters.importing.batch import FileReport, import_sources
from newsletters.importing.loader import limits_from_settings
from newsletters.importing.overrides import OverrideError, Overrides, read_metadata
from newsletters.importing.parser import LAYOUTS
from newsletters.importing.reader import count_sources
from newsletters.management.dbready import require_migrated_database

BAR_WIDTH = 30
# Each loading process holds a database connection: a few are plenty on any machine.
MAX_JOBS = 16
# Outcomes that leave the database as it was: listed with their reason in the summary.
NOT_IMPORTED = ("skipped", "refused", "needs review")


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to {MAX_JOBS}")
    return jobs


def _plain(text: str) -> str:
    # The progress bar is information, not an error: never in stderr's error colour.
    return text


class Command(BaseCommand):
    help = "Import newsletter issues from .txt/.md files, folders and .zip archives."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="a .txt/.md file, a folder or a .zip archive"
        )
        parser.add_argument("--series", help="Series name for files that do not print one.")
        parser.add_argument(
            "--volume",
            help="Volume (4 or IV) of the files named, for archives that number issues per "
            "volume; beats the volume a file prints.",
        )
        parser.add_argument("--number", help="Issue number, for the one file named.")
        parser.add_argument(
            "--date",
            help="Issue date, for the one file named: YYYY-MM-DD, YYYY-MM or YYYY-Qn.",
        )
        parser.add_argument("--title", help="Issue title, for the one file named.")
        parser.add_argument(
            "--metadata",
            metavar="FILE.csv",
            help="CSV with columns file, series, volume, number, date, title (file and any "
            "others): metadata per file.",
        )
        parser.add_argument(
            "--layout",
            choices=LAYOUTS,
            default="auto",
            help="auto (default); sections: no section detection; one-story: one story per file.",
        )
        parser.add_argument(
            "--accept-low-confidence",
            action="store_true",
            help="Import files whose parse needs review (low confidence) all the same.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Let a new version remove more than a third of an issue's words, stories "
            "or key figures.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish what is imported (default: drafts)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and check everything; write nothing."
        )
        parser.add_argument(
            "--jobs",
            type=_jobs,
            default=1,
            metavar="N",
            help="Write with N processes at once (PostgreSQL; about 1.5x the files per "
            "second with 2 on two cores). Default 1.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --dry-run: print one JSON document describing every file, nothing else.",
        )

    def handle(self, *args, paths, dry_run, **options):
        as_json = options["json"]
        if as_json and not dry_run:
            raise CommandError("--json is only available with --dry-run", returncode=2)
        batch = self._batch_options(paths, options)
        require_migrated_database()
        batch["jobs"] = options["jobs"]
        if options["jobs"] > 1 and connection.vendor != "postgresql":
            self.stderr.write(
                f"--jobs {options['jobs']}: {connection.vendor} writes one file at a time; "
                "importing with one process.",
                style_func=_plain,
            )
        reports = import_sources(paths, dry_run=dry_run, **batch)
        if as_json:
            failed = self._write_json(reports)
        else:
            failed = self._write_summary(reports, paths, dry_run)
        metadata = batch.get("metadata")
        unused = metadata.unused() if metadata is not None else []
        for line in unused:
            self.stderr.write(line)
        failed += len(unused)
        if failed:
            raise CommandError(
                f"{failed} file{'s' if failed != 1 else ''} could not be imported", returncode=1
            )

    @staticmethod
    def _batch_options(paths, options) -> dict:
        try:
            overrides = Overrides.from_text(
                series=options["series"] or "",
                volume=options["volume"] or "",
                number=options["number"] or "",
                date=options["date"] or "",
                title=options["title"] or "",
            )
            metadata = read_metadata(options["metadata"]) if options["metadata"] else None
        except OverrideError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        one_issue = overrides.number is not None or overrides.date or overrides.title
        if one_issue and (len(paths) != 1 or not paths[0].lower().endswith((".txt", ".md"))):
            raise CommandError(
                "--number, --date and --title describe one issue: name one .txt or .md file "
                "(use --metadata FILE.csv for a batch)",
                returncode=2,
            )
        series = overrides.series
        return {
            # --series names the series of files that print none, as before; the other
            # values are a user's word about the one file and beat what it prints.
            "series": series,
            "overrides": Overrides(
                volume=overrides.volume,
                number=overrides.number,
                date=overrides.date,
                date_precision=overrides.date_precision,
                title=overrides.title,
            ),
            "metadata": metadata,
            "layout": options["layout"],
            "accept_low_confidence": options["accept_low_confidence"],
            "replace": options["replace"],
            "publish": options["publish"],
        }

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
        total = count_sources(paths, limits_from_settings()) if show_bar else None
        counts: Counter = Counter()
        errors: list[str] = []
        not_imported: list[str] = []
        file_warnings: list[tuple[str, list[str]]] = []
        for report in reports:
            self._tally(report, counts, errors, not_imported, file_warnings)
            if show_bar:
                self._draw_bar(counts["files"], total)
        if show_bar:
            self.stderr.write("", style_func=_plain)

        would = "would be " if dry_run else ""
        out = self.stdout.write
        if dry_run:
            out("Dry run: nothing was written.")
        out(f"Files read: {counts['files']}")
        out(
            f"Issues {would}created: {counts['created']}, {would}updated: {counts['updated']}, "
            f"unchanged: {counts['unchanged']}, skipped: {counts['skipped']}, "
            f"refused: {counts['refused']}, need review: {counts['needs review']}"
        )
        out(f"Warnings: {counts['warnings']}")
        for path, warnings in file_warnings:
            out(f"  {path}:")
            for warning in warnings:
                out(f"    - {warning}")
        for line in not_imported:
            out(f"  {line}")
        out(f"Errors: {len(errors)}")
        for line in errors:
            out(f"  {line}")
        return len(errors)

    @staticmethod
    def _tally(report: FileReport, counts, errors, not_imported, file_warnings) -> None:
        counts["files"] += 1
        if report.status == "error":
            errors.append(f"{report.path}: {report.error}")
            return
        counts[report.outcome] += 1
        if report.outcome != "unchanged" and report.warnings:
            counts["warnings"] += len(report.warnings)
            file_warnings.append((report.path, report.warnings))
        if report.outcome in NOT_IMPORTED:
            not_imported.append(f"{report.path}: {report.result.message}")

    def _draw_bar(self, done: int, total: int | None) -> None:
        if total:
            filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
            bar = f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done}/{total}"
        else:
            bar = f"\r{done} files"
        self.stderr.write(bar, style_func=_plain, ending="")
        self.stderr.flush()

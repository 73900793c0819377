"""Importing with several processes (`--jobs`, importing/parallel.py) gives what one
process gives: the same issues, one row per directory entry, reports in input order,
a later version replacing an earlier one; and the directory lock that makes it so."""

import os
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from directory.models import Hotline, OfficeEmail, Person
from newsletters.importing import directory as directory_module
from newsletters.importing import parallel
from newsletters.importing.batch import FileReport, load
from newsletters.importing.directory import DIRECTORY_LOCK
from newsletters.importing.loader import import_sources
from newsletters.models import Issue

from .conftest import SERIES, issue_text

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several loading processes need PostgreSQL"
)

UNNUMBERED = "# NORTHWIND MIGRATION DIGEST, 15/03/2022\n\n## NEWS\n\n{story}\n"
STORY = (
    "Partners in Osh met {n} seasonal workers to talk about contracts, health insurance "
    "and safe ways home. The sessions ran for three days and ended with a plan."
)


def _archive(tmp_path) -> tuple[list, list]:
    """Files in input order and the outcome one process gives each, read as a person
    would: every numbered issue prints the same staff member and hotlines."""
    files, expected = [], []

    def add(name, text, outcome):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        files.append(path)
        expected.append(outcome)

    for n in range(1, 9):
        add(f"{n:02d}.md", issue_text(n, staff=True, story=STORY.format(n=n * 10)), "created")
    # A new version of issue 3 (same series and number), after it: it replaces it.
    add("03-corrected.md", issue_text(3, staff=True, story=STORY.format(n=333)), "updated")
    # The same bytes as issue 5: nothing to do.
    add("05-copy.md", (tmp_path / "05.md").read_text("utf-8"), "unchanged")
    add("empty.md", "", "error")
    # Two unnumbered issues with the same title, hence the same slug.
    for n in (1, 2):
        name = f"unnumbered-{'ab'[n - 1]}.md"  # no digit: a number in a name is the issue's
        add(name, UNNUMBERED.format(story=STORY.format(n=900 + n)), "created")
    return files, expected


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_processes_import_what_one_process_imports(tmp_path):
    files, expected = _archive(tmp_path)
    started = _database_now()
    reports = list(import_sources(files, jobs=2))

    assert [r.path for r in reports] == [str(f) for f in files]  # input order
    assert [r.outcome or r.status for r in reports] == expected
    assert "empty" in reports[files.index(tmp_path / "empty.md")].error
    assert Issue.objects.count() == 10
    numbered = Issue.objects.filter(series__title=SERIES, number__isnull=False)
    assert sorted(numbered.values_list("number", flat=True)) == list(range(1, 9))
    third = Issue.objects.get(number=3)
    assert "333 seasonal workers" in third.sections.first().stories.first().body
    unnumbered = Issue.objects.filter(number__isnull=True)
    assert len({issue.slug for issue in unnumbered}) == 2
    # One row per entry however many processes met it first, each listed by every issue
    # printing it (issue 3's listing moved to its new version).
    person = Person.objects.get()
    assert person.name == "Ms. Aigerim Testova" and person.proposed
    assert person.listed_in.count() == 8
    assert OfficeEmail.objects.filter(address="northwind-kz@example.org").count() == 1
    digits = list(Hotline.objects.values_list("digits", flat=True))
    assert len(digits) == len(set(digits)) == 4
    # The loading processes are gone and closed their connections. A server process
    # leaves pg_stat_activity a moment after its client says goodbye (CI once saw one
    # still listed), so give them a few seconds; a connection left open stays listed.
    # Only sessions opened since the import began count: another test's are not ours.
    assert _sessions_since(started, within=5.0) == 0


def _database_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _sessions_since(started, within: float) -> int:
    deadline = time.monotonic() + within
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_start >= %s",
                [started],
            )
            count = cursor.fetchone()[0]
        if count == 0 or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_command_imports_with_jobs(tmp_path, capsys):
    files, expected = _archive(tmp_path)
    with pytest.raises(CommandError, match="1 file could not be imported"):
        call_command("import_newsletters", *map(str, files), "--jobs", "3")
    out = capsys.readouterr().out
    assert "Issues created: 10, updated: 1, unchanged: 1" in out
    assert f"{tmp_path / 'empty.md'}: " in out
    assert Issue.objects.count() == 10


def _dying_load(pending, batch):
    """A loading process killed while it writes issue 3 (module level: sent by name)."""
    if pending.report.path.endswith("03.md"):
        os._exit(9)
    return load(pending, batch, parallel._cache)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_loading_process_that_dies_leaves_a_report_for_every_file(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "_load", _dying_load)
    files = []
    for n in range(1, 9):
        files.append(tmp_path / f"{n:02d}.md")
        files[-1].write_text(issue_text(n, story=STORY.format(n=n)), "utf-8")
    reports = list(import_sources(files, jobs=2))

    assert [r.path for r in reports] == [str(f) for f in files]
    saved = {r.path for r in reports if r.outcome == "created"}
    lost = [r for r in reports if r.status == "error"]
    assert lost[0].path.endswith("03.md")
    assert all("the importing process stopped" in r.error for r in lost)
    assert len(saved) + len(lost) == 8
    # What was reported saved is saved, and nothing else.
    assert set(Issue.objects.values_list("source_name", flat=True)) == saved


def test_a_dead_loader_is_an_error_report_naming_the_file():
    future = Future()
    future.set_exception(BrokenProcessPool("A child process terminated abruptly"))
    parsed_report = FileReport("archive/07.md", "ok")
    report = parallel._finished(parsed_report, future)
    assert (report.path, report.status) == ("archive/07.md", "error")
    assert report.error.startswith("not saved: the importing process stopped (BrokenProcessPool)")


def test_an_error_inside_a_load_is_that_file_s_error_not_a_dead_process():
    future = Future()
    future.set_exception(ValueError("bad value in row 3"))
    report = parallel._finished(FileReport("archive/08.md", "ok"), future)
    assert (report.status, report.error) == (
        "error", "could not be saved: ValueError: bad value in row 3"
    )


def test_jobs_must_be_a_small_whole_number(tmp_path):
    for bad in ("0", "-1", "two", "17"):
        with pytest.raises(CommandError, match="a whole number from 1 to 16"):
            call_command("import_newsletters", str(tmp_path), "--jobs", bad)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
@pytest.mark.django_db
def test_jobs_on_sqlite_imports_with_one_process_and_says_so(write_issue, capsys):
    call_command("import_newsletters", str(write_issue("1.md", 1)), "--jobs", "2")
    captured = capsys.readouterr()
    assert "--jobs 2: sqlite writes one file at a time; importing with one process." in (
        captured.err
    )
    assert "Issues created: 1," in captured.out
    assert Issue.objects.count() == 1


# --- the directory lock ----------------------------------------------------------------


def _holds_directory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND objid = %s AND granted",
            [DIRECTORY_LOCK],
        )
        return cursor.fetchone()[0] > 0


@postgres_only
@pytest.mark.django_db(transaction=True)  # each file's own transaction ends its lock
def test_new_directory_entries_are_written_under_the_lock(write_issue, monkeypatch):
    seen = []
    real_merge = directory_module.merge_directory

    def spy(plan, issue, *args, **kwargs):
        seen.append((plan.creates_rows(), _holds_directory_lock()))
        return real_merge(plan, issue, *args, **kwargs)

    monkeypatch.setattr("newsletters.importing.loader.merge_directory", spy)
    list(import_sources([write_issue("1.md", 1, staff=True), write_issue("2.md", 2, staff=True)]))
    # The first file adds the entries, under the lock; the second prints only known
    # ones and takes no lock (and no second look-up).
    assert seen == [(True, True), (False, False)]


@postgres_only
@pytest.mark.django_db
def test_publishing_applies_the_directory_under_the_lock(write_issue, monkeypatch):
    seen = []
    real_merge = directory_module.merge_directory

    def spy(plan, issue, *args, apply=False, **kwargs):
        if apply:
            seen.append(_holds_directory_lock())
        return real_merge(plan, issue, *args, apply=apply, **kwargs)

    monkeypatch.setattr(directory_module, "merge_directory", spy)
    list(import_sources([write_issue("1.md", 1, staff=True)]))
    issue = Issue.objects.get()
    issue.publish(reason="test")
    assert seen == [True]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_import_adding_entries_waits_while_another_writer_holds_the_lock(write_issue):
    import threading

    import psycopg

    path = write_issue("1.md", 1, staff=True)
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
        dbname=settings["NAME"], autocommit=True,
    )  # fmt: skip
    other.execute("SELECT pg_advisory_lock(%s)", [DIRECTORY_LOCK])
    reports = []

    def run():
        try:
            reports.extend(import_sources([path]))
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=1.5)
    assert thread.is_alive()  # waiting for the lock, its transaction open
    assert not Issue.objects.exists() and not Person.objects.exists()
    other.execute("SELECT pg_advisory_unlock(%s)", [DIRECTORY_LOCK])
    other.close()
    thread.join(timeout=30)
    assert [r.outcome for r in reports] == ["created"]
    assert Person.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_publishing_with_two_processes_leaves_the_newest_issue_on_every_entry(tmp_path):
    files = []
    for n in (3, 6, 1, 5, 2, 4):  # not in archive order: the newest is not the last read
        files.append(tmp_path / f"{n:02d}.md")
        files[-1].write_text(issue_text(n, staff=True, story=STORY.format(n=n)), "utf-8")
    reports = list(import_sources(files, jobs=2, publish=True))

    assert [r.outcome for r in reports] == ["created"] * 6
    assert Issue.objects.filter(status=Issue.Status.PUBLISHED).count() == 6
    person = Person.objects.select_related("last_seen_in").get()
    assert person.last_seen_in.number == 6
    assert {h.last_seen_in.number for h in Hotline.objects.select_related("last_seen_in")} == {6}
    assert OfficeEmail.objects.get().office.last_seen_in.number == 6


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_images_of_a_zip_are_saved_by_the_loading_processes(tmp_path, settings):
    import io
    import zipfile

    from PIL import Image

    from newsletters.models import Photo

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, "PNG")
    archive = tmp_path / "digest.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for n in range(1, 5):
            story = STORY.format(n=n) + f'\n\n![Map {n}](img/map-{n}.png "The valley, map {n}")'
            zf.writestr(f"digest/{n:02d}.md", issue_text(n, story=story))
            zf.writestr(f"digest/img/map-{n}.png", buffer.getvalue())
    reports = list(import_sources([archive], jobs=2))

    assert [r.outcome for r in reports] == ["created"] * 4, [r.warnings for r in reports]
    photos = Photo.objects.exclude(image="").order_by("alt_text")
    assert [p.alt_text for p in photos] == ["Map 1", "Map 2", "Map 3", "Map 4"]
    for photo in photos:
        assert photo.image.read() == buffer.getvalue()

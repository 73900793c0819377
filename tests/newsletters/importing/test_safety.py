"""Imports that must not destroy (issue 10): shrinking re-imports, low-confidence parses,
and the same file imported by several processes at once."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from newsletters.importing import safety
from newsletters.importing.loader import import_sources, load_issue, source_hash
from newsletters.importing.parser import CONFIDENCE_THRESHOLD, parse
from newsletters.models import Issue, KeyFigure, Story

from .conftest import issue_text

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
TWO_WORDS = "# NORTHWIND MIGRATION DIGEST, ISSUE 1, 15/03/2022 ● ●\n\n## NEWS\n\nTwo words.\n"
FULL_STORY = (
    "The mission helped 40 returning workers in Kazakhstan find new jobs, with training "
    "in Almaty and Shymkent, legal advice on contracts and a small grant for tools."
)


def run(*paths, **kwargs):
    return list(import_sources(paths, **kwargs))


def story_bodies():
    return sorted(Story.objects.values_list("body", flat=True))


def test_counts_and_losses_rule():
    before = safety.Counts(words=657, stories=5, key_figures=3)
    assert safety.losses(before, safety.Counts(657, 5, 3)) == []
    assert safety.losses(before, safety.Counts(438, 4, 2)) == []  # a third exactly is allowed
    assert safety.losses(before, safety.Counts(437, 5, 3)) == ["words"]
    assert safety.losses(before, safety.Counts(2, 1, 0)) == ["words", "stories", "key figures"]
    assert safety.losses(safety.Counts(0, 0, 0), safety.Counts(0, 0, 0)) == []
    assert safety.comparison_text(before, safety.Counts(2, 1, 0)) == (
        "words 657 → 2, stories 5 → 1, key figures 3 → 0"
    )


def test_a_destructive_new_version_is_refused_with_counts_and_writes_nothing(
    write_issue, counts
):
    run(write_issue("digest-1.md", 1, story=FULL_STORY, staff=True))
    issue = Issue.objects.get()
    before_counts, before_bodies = counts(), story_bodies()
    before_words = safety.stored_counts(issue)
    assert before_words.stories == 2 and before_words.key_figures == 1

    (report,) = run(write_issue("digest-1-reconverted.md", text=TWO_WORDS))

    assert report.outcome == "refused"
    assert report.result.message == (
        f"refused: the new version of “{issue.title}” (Northwind Migration Digest no. 1) "
        "would remove more than a third of its words and stories and key figures "
        f"(words {before_words.words} → 2, stories 2 → 1, key figures 1 → 0); "
        "not replaced without --replace"
    )
    assert report.result.comparison == {
        "before": before_words.as_dict(),
        "after": {"words": 2, "stories": 1, "key_figures": 0},
    }
    assert counts() == before_counts
    assert story_bodies() == before_bodies
    issue.refresh_from_db()
    assert issue.source_name.endswith("digest-1.md")  # not even the name moved


def test_the_refusal_is_the_same_in_a_dry_run(write_issue, counts):
    run(write_issue("digest-1.md", 1, story=FULL_STORY))
    before = counts()
    (report,) = run(write_issue("small.md", text=TWO_WORDS), dry_run=True)
    assert report.outcome == "refused" and "words" in report.result.message
    assert counts() == before


def test_replace_lets_the_shorter_version_in(write_issue):
    run(write_issue("digest-1.md", 1, story=FULL_STORY))
    (report,) = run(write_issue("small.md", text=TWO_WORDS), replace=True)
    assert report.outcome == "updated"
    assert story_bodies() == ["Two words."]
    assert KeyFigure.objects.count() == 0
    assert report.result.comparison["after"] == {"words": 2, "stories": 1, "key_figures": 0}


def test_a_longer_new_version_updates_and_reports_its_comparison(write_issue):
    run(write_issue("digest-1.md", 1))
    (report,) = run(write_issue("digest-1b.md", 1, story=FULL_STORY))
    assert report.outcome == "updated"
    before, after = report.result.comparison["before"], report.result.comparison["after"]
    assert after["words"] > before["words"] and after["stories"] == before["stories"] == 2


def _low_confidence(text: str):
    parsed = parse(text)
    parsed.confidence = 0.35
    parsed.confidence_reasons = ["3 of 4 stories have bodies under 10 words", "no sections"]
    return parsed


def test_a_low_confidence_parse_needs_review_and_writes_nothing(counts):
    before = counts()
    raw = issue_text(2).encode()
    result = load_issue(
        _low_confidence(raw.decode()), source_name="low.md", source_hash=source_hash(raw)
    )
    assert result.outcome == "needs review"
    assert result.message == (
        f"needs review: confidence 0.35 is below {CONFIDENCE_THRESHOLD:.2f} (3 of 4 stories "
        "have bodies under 10 words; no sections); not imported without --accept-low-confidence"
    )
    assert counts() == before


def test_accept_low_confidence_imports_it(counts):
    raw = issue_text(2).encode()
    result = load_issue(
        _low_confidence(raw.decode()),
        source_name="low.md",
        source_hash=source_hash(raw),
        accept_low_confidence=True,
    )
    assert result.outcome == "created"
    assert Issue.objects.get().number == 2


def test_the_same_file_cannot_be_saved_twice(write_issue):
    """The unique constraint behind the lock: a second row with the hash is refused."""
    from django.db import IntegrityError, transaction

    run(write_issue("one.md", 1))
    issue = Issue.objects.get()
    copy = Issue(series=issue.series, title="Copy", source_hash=issue.source_hash)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    # Issues made in the admin have no hash: any number of them may share the blank one.
    Issue.objects.create(series=issue.series, title="Typed in A")
    Issue.objects.create(series=issue.series, title="Typed in B")
    assert Issue.objects.filter(source_hash="").count() == 2


# --- real parallel processes ---------------------------------------------------------


@pytest.fixture
def shared_database(tmp_path):
    """Environment for manage.py processes that share one database with this test: on
    PostgreSQL the test database itself (the processes commit; the test, marked
    transaction=True, flushes it afterwards), on
    SQLite a migrated file of its own."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
            f"{settings['NAME']}"
        )

        def issue_rows():
            with connection.cursor() as cursor:
                cursor.execute("SELECT number, source_hash FROM newsletters_issue")
                return cursor.fetchall()

    else:
        db = tmp_path / "race.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=REPO, env=env, check=True, capture_output=True,
        )  # fmt: skip

        def issue_rows():
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT number, source_hash FROM newsletters_issue").fetchall()

    return env, issue_rows


def _race(env, path, runs=3):
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "import_newsletters", str(path)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for _ in range(runs)
    ]
    return [(p.wait(timeout=120), *p.communicate()) for p in processes]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "text",
    [
        issue_text(7, story=FULL_STORY),
        # No issue number: only the file's hash can tell the runs apart.
        "# NORTHWIND MIGRATION DIGEST, 15/03/2022\n\n## NEWS\n\n" + FULL_STORY + "\n",
    ],
    ids=["numbered", "unnumbered"],
)
def test_three_processes_importing_one_file_make_one_issue(shared_database, tmp_path, text):
    env, issue_rows = shared_database
    path = tmp_path / "race.md"
    path.write_text(text, "utf-8")
    results = _race(env, path)
    for code, out, err in results:
        assert code == 0, (out, err)
        assert "Traceback" not in err and "IntegrityError" not in out + err
    outcomes = sorted(
        "created" if "created: 1," in out else "unchanged" if "unchanged: 1," in out else out
        for _, out, _ in results
    )
    assert outcomes == ["created", "unchanged", "unchanged"]
    rows = issue_rows()
    assert len(rows) == 1
    assert rows[0][1] == source_hash(path.read_bytes())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is a PostgreSQL setting"
)
def test_quick_commits_last_only_as_long_as_the_batch(write_issue):
    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    seen = []
    list(import_sources([write_issue("1.md", 1)], on_file=lambda report: seen.append(setting())))
    assert seen == ["off"]
    assert setting() == "on"  # the admin's next request on this connection waits again


@pytest.fixture
def stale_lookup(monkeypatch):
    """The look-up as a run sees it when another run commits right after it: nothing."""
    from newsletters.importing import loader

    monkeypatch.setattr(loader, "lookup", lambda *args: (None, None, False))


def test_losing_a_race_for_the_same_file_is_unchanged(write_issue, counts, stale_lookup):
    path = write_issue("1.md", 1)
    raw = path.read_bytes()
    first = load_issue(parse(raw.decode()), source_name="1.md", source_hash=source_hash(raw))
    assert first.outcome == "created"
    before = counts()
    second = load_issue(parse(raw.decode()), source_name="1.md", source_hash=source_hash(raw))
    assert second.outcome == "unchanged"
    assert second.issue.pk == first.issue.pk
    assert second.message.endswith("has this exact file (saved by another import run at the "
                                   "same time)")  # fmt: skip
    assert counts() == before


def test_losing_a_race_for_the_same_numbered_issue_is_skipped(write_issue, counts,
                                                             stale_lookup):  # fmt: skip
    raw = write_issue("1.md", 1).read_bytes()
    load_issue(parse(raw.decode()), source_name="1.md", source_hash=source_hash(raw))
    before = counts()
    other = write_issue("1b.md", 1, story=FULL_STORY).read_bytes()
    result = load_issue(parse(other.decode()), source_name="1b.md", source_hash=source_hash(other))
    assert result.outcome == "skipped"
    assert result.message == (
        "skipped: another import run is saving Northwind Migration Digest no. 1 at the same "
        "time; import this file again to compare"
    )
    assert counts() == before

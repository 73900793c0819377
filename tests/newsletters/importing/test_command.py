"""`manage.py import_newsletters` and `load_demo`: output, --dry-run --json, exit codes."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from newsletters.models import Issue

from .conftest import issue_text

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
FILE_KEYS = {"path", "status", "error", "issue", "outcome", "message", "confidence",
             "needs_review", "confidence_reasons", "dropped", "warnings", "encoding",
             "comparison"}  # fmt: skip
ISSUE_KEYS = {"series", "number", "date", "title", "sections", "key_figures", "directory",
              "warnings", "date_precision", "dropped", "confidence",
              "confidence_reasons"}  # fmt: skip
SECTION_KEYS = {"title", "stories"}
STORY_KEYS = {"title", "countries", "body", "photos", "images"}
FIGURE_KEYS = {"label", "value", "unit"}
DIRECTORY_KEYS = {"offices", "hotlines", "people"}
OFFICE_KEYS = {"country", "emails"}
HOTLINE_KEYS = {"country", "number", "note"}
PERSON_KEYS = {"name", "role", "country", "phones", "email"}


def command(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_newsletters", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_imports_and_summarises(write_issue, tmp_path):
    write_issue("a/1.md", 1)
    write_issue("a/2.txt", 2, style="plain")
    code, out, _ = command(tmp_path / "a")
    assert code == 0
    assert "Files read: 2" in out
    assert "created: 2" in out and "Errors: 0" in out
    assert Issue.objects.count() == 2
    code, out, _ = command(tmp_path / "a")
    assert code == 0 and "unchanged: 2" in out


def test_a_bad_file_fails_the_run_but_not_the_batch(write_issue, tmp_path, counts):
    good = write_issue("good.md", 1)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = command(empty, good)
    assert code == 1
    assert f"{empty}: file is empty" in out
    assert "Errors: 1" in out
    assert Issue.objects.count() == 1


def test_skipped_issue_is_listed_with_its_reason(write_issue):
    command(write_issue("1.md", 1))
    Issue.objects.update(edited_in_admin=True)
    code, out, _ = command(write_issue("1b.md", 1, story="Other words on Kazakhstan."))
    assert code == 0
    assert "skipped: 1" in out and "edited in the admin" in out


def test_series_and_publish_options(write_issue):
    text = issue_text(1, series=None).replace("# \n", "# Issue №7, 7 August 2020\n", 1)
    code, _, _ = command(write_issue("x.md", text=text), "--series", "Given Series", "--publish")
    assert code == 0
    issue = Issue.objects.get()
    assert issue.series.title == "Given Series" and issue.status == Issue.Status.PUBLISHED


def test_dry_run_writes_nothing(write_issue, counts):
    before = counts()
    code, out, _ = command(write_issue("1.md", 1, staff=True), "--dry-run")
    assert code == 0 and "nothing was written" in out
    assert counts() == before


def test_dry_run_json_is_one_document_with_exactly_the_documented_keys(
    write_issue, tmp_path, counts
):
    before = counts()
    good = write_issue("1.md", 1, staff=True)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    code, out, _ = command(good, bad, "--dry-run", "--json")
    assert code == 1
    document = json.loads(out)  # nothing else on stdout, or this fails
    assert set(document) == {"files"}
    ok, error = document["files"]
    assert set(ok) == FILE_KEYS == set(error)
    assert (ok["status"], ok["error"], ok["path"]) == ("ok", None, str(good))
    assert (error["status"], error["issue"]) == ("error", None)
    assert isinstance(error["error"], str) and error["error"]
    issue = ok["issue"]
    assert set(issue) == ISSUE_KEYS
    assert (issue["number"], issue["date"]) == (1, "2022-03-15")
    for section in issue["sections"]:
        assert set(section) == SECTION_KEYS
        for story in section["stories"]:
            assert set(story) == STORY_KEYS
            assert all(set(photo) == {"caption"} for photo in story["photos"])
    assert issue["key_figures"] and all(set(f) == FIGURE_KEYS for f in issue["key_figures"])
    directory = issue["directory"]
    assert set(directory) == DIRECTORY_KEYS
    assert directory["offices"] and all(set(o) == OFFICE_KEYS for o in directory["offices"])
    assert directory["hotlines"] and all(set(h) == HOTLINE_KEYS for h in directory["hotlines"])
    assert directory["people"] and all(set(p) == PERSON_KEYS for p in directory["people"])
    assert isinstance(issue["warnings"], list)
    assert counts() == before


def test_json_without_dry_run_is_a_usage_error(write_issue):
    code, out, _ = command(write_issue("1.md", 1), "--json")
    assert code == 2
    assert Issue.objects.count() == 0


def test_no_path_is_a_usage_error():
    with pytest.raises(CommandError, match="PATH"):
        call_command("import_newsletters")


@pytest.fixture
def migrated_db(tmp_path):
    """A throwaway SQLite database, migrated, for running manage.py as a real process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", "import_newsletters", *map(str, args)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_real_exit_codes_and_clean_stdout(migrated_db, write_issue, tmp_path):
    good = write_issue("good.md", 1)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")

    ok = manage(migrated_db, good)
    assert ok.returncode == 0, ok.stderr
    assert "Traceback" not in ok.stderr

    failed = manage(migrated_db, bad, write_issue("also-good.md", 2))
    assert failed.returncode == 1
    assert f"{bad}: binary file" in failed.stdout
    assert "Traceback" not in failed.stderr

    dry = manage(migrated_db, good, bad, "--dry-run", "--json")
    assert dry.returncode == 1
    assert [f["status"] for f in json.loads(dry.stdout)["files"]] == ["ok", "error"]

    for usage in (["--json", good], [], ["--no-such-option", good]):
        result = manage(migrated_db, *usage)
        assert result.returncode == 2, usage
        assert "Traceback" not in result.stderr


def test_load_demo_twice_creates_nothing_new(counts):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "demo-password-change-me" in out.getvalue()
    assert "http://127.0.0.1:8000/admin/" in out.getvalue()
    assert Issue.objects.exists()
    assert Issue.objects.exclude(status=Issue.Status.PUBLISHED).count() == 0
    user = User.objects.get(username="demo")
    assert user.is_staff and user.is_superuser
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before
    assert User.objects.filter(username="demo").count() == 1


class _Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(write_issue, tmp_path):
    write_issue("a/1.md", 1)
    write_issue("a/2.md", 2)
    terminal, out = _Terminal(), StringIO()
    call_command("import_newsletters", str(tmp_path / "a"), stdout=out, stderr=terminal)
    assert "\r[" in terminal.getvalue() and "2/2" in terminal.getvalue()
    assert "\r" not in out.getvalue()
    plain = StringIO()
    call_command("import_newsletters", str(tmp_path / "a"), stdout=StringIO(), stderr=plain)
    assert plain.getvalue() == ""

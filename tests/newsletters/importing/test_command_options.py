"""`import_newsletters` options of issue 10: JSON outcome/confidence/dropped, per-file
warnings, the progress bar, --layout, --accept-low-confidence, --replace and the
metadata overrides (--number/--date/--title/--metadata)."""

import datetime
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsletters.importing.parser import CONFIDENCE_THRESHOLD, DroppedLine
from newsletters.models import DatePrecision, Issue, Story

from .conftest import issue_text

pytestmark = pytest.mark.django_db


def command(*args, stderr=None):
    out, err = StringIO(), stderr or StringIO()
    try:
        call_command("import_newsletters", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()




def unsure(parsed):
    parsed.confidence = 0.4
    parsed.confidence_reasons = ["2 of 3 stories are under 10 words"]


def with_dropped(parsed):
    parsed.dropped = [
        DroppedLine(1, "NORTHWIND DIGEST 3", "running header"),
        DroppedLine(9, "- 2 -", "page number"),
        DroppedLine(30, "NORTHWIND DIGEST 3", "running header"),
    ]


def test_dry_run_json_gives_outcome_confidence_dropped_and_warnings(
    write_issue, parse_spy, counts
):
    _, adjust = parse_spy
    adjust.append(with_dropped)
    new = write_issue("new.md", 1)
    before = counts()
    code, out, _ = command(new, "--dry-run", "--json")
    assert code == 0
    (entry,) = json.loads(out)["files"]
    assert entry["outcome"] == "create"
    assert entry["message"].startswith("would be created: ")
    # The score itself is the parser's (tested there); here: reported, and above the bar.
    assert CONFIDENCE_THRESHOLD <= entry["confidence"] <= 1.0
    assert entry["needs_review"] is False
    assert entry["dropped"] == {
        "running header": [
            {"line": 1, "text": "NORTHWIND DIGEST 3"},
            {"line": 30, "text": "NORTHWIND DIGEST 3"},
        ],
        "page number": [{"line": 9, "text": "- 2 -"}],
    }
    assert entry["warnings"] == entry["issue"]["warnings"]
    assert entry["encoding"] == "utf-8"
    assert counts() == before


def test_json_outcomes_update_unchanged_and_refuse(write_issue, parse_spy):
    _, adjust = parse_spy
    command(write_issue("1.md", 1))
    command(write_issue("2.md", 2))
    write_issue("1.md", 1)  # the same bytes again
    longer = write_issue("2-longer.md", 2, story="A much longer story about Kazakhstan. " * 5)
    code, out, _ = command(
        write_issue("1.md", 1), longer, write_issue("3.md", 3), "--dry-run", "--json"
    )
    assert code == 0
    outcomes = [(f["outcome"], f["comparison"] is not None) for f in json.loads(out)["files"]]
    assert outcomes == [("unchanged", False), ("update", True), ("create", False)]
    adjust.append(unsure)
    code, out, _ = command(write_issue("4.md", 4), "--dry-run", "--json")
    (entry,) = json.loads(out)["files"]
    assert (entry["outcome"], entry["needs_review"], entry["confidence"]) == ("refuse", True, 0.4)
    assert entry["confidence_reasons"] == ["2 of 3 stories are under 10 words"]
    assert entry["message"].startswith("needs review: confidence 0.40 is below")


def test_needs_review_is_not_imported_without_accept_low_confidence(write_issue, parse_spy):
    _, adjust = parse_spy
    adjust.append(unsure)
    path = write_issue("unsure.md", 5)
    code, out, _ = command(path)
    assert code == 0  # nothing failed: the file waits for a person
    assert "need review: 1" in out
    assert f"{path}: needs review: confidence 0.40" in out
    assert "(2 of 3 stories are under 10 words)" in out
    assert Issue.objects.count() == 0
    code, out, _ = command(path, "--accept-low-confidence")
    assert code == 0 and "created: 1" in out
    assert Issue.objects.get().number == 5


def test_replace_option_lets_a_shorter_version_in(write_issue):
    command(write_issue("1.md", 1, staff=True))
    text = "# NORTHWIND MIGRATION DIGEST, ISSUE 1, 15/03/2022\n\n## NEWS\n\nTwo words.\n"
    small = write_issue("small.md", text=text)
    code, out, _ = command(small)
    assert code == 0 and "refused: 1" in out
    assert "would remove more than a third" in out and "not replaced without --replace" in out
    assert Story.objects.count() == 2
    code, out, _ = command(small, "--replace")
    assert "updated: 1" in out
    assert list(Story.objects.values_list("body", flat=True)) == ["Two words."]


@pytest.mark.parametrize("layout", ["auto", "sections", "one-story"])
def test_layout_is_passed_to_the_parser(write_issue, parse_spy, layout):
    calls, _ = parse_spy
    code, _, _ = command(write_issue("1.md", 1), "--layout", layout, "--dry-run")
    assert code == 0
    assert calls[-1]["layout"] == layout
    assert calls[-1]["filename"] == "1.md"


def test_unknown_layout_is_a_usage_error(write_issue):
    with pytest.raises(CommandError, match="invalid choice: 'columns'"):
        call_command("import_newsletters", str(write_issue("1.md", 1)), "--layout", "columns")


def test_summary_lists_each_files_warnings(write_issue, parse_spy):
    _, adjust = parse_spy
    adjust.append(lambda p: p.warnings.extend([f"Check the photo of {p.number}."]))
    code, out, _ = command(write_issue("a/1.md", 1), write_issue("a/2.md", 2))
    assert code == 0
    one, two = out.index("a/1.md:"), out.index("a/2.md:")
    assert one < out.index("    - Check the photo of 1.") < two
    assert out.index("    - Check the photo of 2.") > two


class _Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_bar_is_not_in_the_error_colour_and_counts_only_readable_files(
    write_issue, tmp_path
):
    folder = tmp_path / "a"
    write_issue("a/1.md", 1)
    write_issue("a/2.md", 2)
    (folder / "README.md").write_text("About this archive")
    (folder / ".hidden.md").write_text("x")
    with zipfile.ZipFile(folder / "more.zip", "w") as archive:
        archive.writestr("issues/3.md", issue_text(3))
        archive.writestr("issues/readme.txt", "About")
        archive.writestr("__MACOSX/issues/._3.md", "x")
    terminal = _Terminal()
    code, _, _ = command(folder, folder / "more.zip", stderr=terminal)
    assert code == 0
    bar = terminal.getvalue()
    assert "\r[" in bar and "3/3" in bar and "/4" not in bar
    assert "\x1b[" not in bar  # no ANSI colour at all, error red least of all


def test_date_number_and_title_override_the_file(write_issue):
    path = write_issue("x.md", 3)
    code, out, _ = command(path, "--number", "12", "--date", "2014-Q2", "--title", "Spring")
    assert code == 0, out
    issue = Issue.objects.get()
    assert (issue.number, issue.title) == (12, "Spring")
    assert (issue.publication_date, issue.date_precision) == (
        datetime.date(2014, 4, 1),
        DatePrecision.QUARTER,
    )
    assert issue.period_label == "April–June 2014"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2014-13"], "date '2014-13' does not exist"),
        (["--date", "spring"], "date 'spring' is not YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"),
        (["--number", "twelve"], "number 'twelve' is not a whole number from 1 to 99999"),
    ],
)
def test_bad_override_values_are_usage_errors(write_issue, args, message, counts):
    before = counts()
    code, _, _ = command(write_issue("x.md", 3), *args)
    assert code == 2
    with pytest.raises(CommandError, match=message):
        call_command("import_newsletters", str(write_issue("x.md", 3)), *args)
    assert counts() == before


def test_single_issue_overrides_need_exactly_one_file(write_issue, tmp_path, counts):
    before = counts()
    write_issue("a/1.md", 1)
    with pytest.raises(CommandError, match="describe one issue: name one .txt or .md file"):
        call_command("import_newsletters", str(tmp_path / "a"), "--number", "4")
    assert counts() == before


def test_metadata_csv_sets_series_number_date_and_title_per_file(write_issue, tmp_path):
    write_issue("a/1.md", 1)
    write_issue("a/2.md", 2)
    sheet = tmp_path / "meta.csv"
    sheet.write_text(
        "file,series,number,date,title\n"
        "1.md,Steppe Bulletin,41,2019-12,\n"
        "a/2.md,,,2020-03-05,Women at work\n",
        "utf-8",
    )
    code, out, err = command(tmp_path / "a", "--metadata", sheet)
    assert code == 0, out + err
    one, two = Issue.objects.order_by("publication_date")
    assert (one.series.title, one.number, one.date_precision) == ("Steppe Bulletin", 41, "month")
    assert one.publication_date == datetime.date(2019, 12, 1)
    assert (two.series.title, two.number, two.title) == (
        "Northwind Migration Digest", 2, "Women at work"
    )
    assert (two.publication_date, two.date_precision) == (datetime.date(2020, 3, 5), "day")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,when\nx.md,2020\n",
         "the first line must name the columns file, series, volume, number"),
        ("file,date\n1.md,yesterday\n", "meta.csv line 2: date 'yesterday' is not YYYY-MM-DD"),
        ("file,number\n1.md,4\n1.md,5\n", "meta.csv line 3: '1.md' is already on line 2"),
        ("file,number\n1.md,4,extra\n", "meta.csv line 2: more values than columns"),
        ("file,number\n", "meta.csv: no rows under the header"),
    ],
)
def test_a_wrong_metadata_file_is_a_clear_usage_error(write_issue, tmp_path, content, message,
                                                      counts):  # fmt: skip
    sheet = tmp_path / "meta.csv"
    sheet.write_text(content, "utf-8")
    before = counts()
    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_newsletters", str(write_issue("1.md", 1)), "--metadata", str(sheet))
    assert raised.value.returncode == 2
    assert counts() == before


def test_a_binary_metadata_file_is_refused(write_issue, tmp_path):
    sheet = tmp_path / "meta.csv"
    sheet.write_bytes(b"\xff\xd8\xff\xe0 not a csv")
    with pytest.raises(CommandError, match="meta.csv: metadata file is not UTF-8 text"):
        call_command("import_newsletters", str(write_issue("1.md", 1)), "--metadata", str(sheet))


def test_a_metadata_row_naming_no_file_of_the_batch_fails_the_run(write_issue, tmp_path):
    sheet = tmp_path / "meta.csv"
    sheet.write_text("file,number\n1.md,4\nmissing.md,5\n", "utf-8")
    code, _, err = command(write_issue("1.md", 1), "--metadata", sheet)
    assert code == 1
    assert f"{sheet} line 3: no file 'missing.md' was in the batch" in err
    assert Issue.objects.get().number == 4


def test_metadata_rows_match_files_inside_a_zip(tmp_path):
    archive = tmp_path / "back-issues.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2019/a.md", issue_text(1))
        zf.writestr("2020/a.md", issue_text(2))
    sheet = tmp_path / "meta.csv"
    sheet.write_text("file,title\nback-issues.zip/2020/a.md,The 2020 one\n", "utf-8")
    code, out, err = command(archive, "--metadata", sheet)
    assert code == 0, out + err
    assert dict(Issue.objects.values_list("number", "title")) == {
        1: "Northwind Migration Digest — Issue 1",
        2: "The 2020 one",
    }


def test_progress_bar_on_a_real_terminal_is_not_red(tmp_path, write_issue):
    """In a real process on a terminal Django styles stderr as errors (red): the bar must
    opt out. Run with a pseudo-terminal as stdout and stderr to see what a user sees."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tty.sqlite3'}",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=repo, env=env, check=True)
    write_issue("a/1.md", 1)
    write_issue("a/2.md", 2)
    leader, follower = pty.openpty()
    done = subprocess.run(
        [*manage, "import_newsletters", str(tmp_path / "a")],
        cwd=repo, env=env, stdout=follower, stderr=follower, timeout=120,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: everything was read
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"\r[" in seen and b"2/2" in seen and b"created: 2" in seen
    assert b"\x1b[" not in seen  # no colour: Django's error style is "\x1b[31;1m"

"""Issue metadata (issue 10, item 3): overrides > YAML front matter > masthead and running
headers > file name, in the forms newsletters print; never a date from story text."""

import datetime

import pytest

from newsletters.importing import parser as p

D = datetime.date


@pytest.mark.parametrize(
    "text, number",
    [
        ("Issue 9", 9), ("No. 6", 6), ("Vol. I - No. 6", 6), ("Volume 1, Number 6", 6),
        ("Newsletter 7", 7), ("№4", 4), ("Vol. 12", None), ("A story about 40 boats", None),
    ],
)
def test_issue_numbers_in_the_printed_forms(text, number):
    assert p.find_number(text) == number


@pytest.mark.parametrize(
    "text, date, precision",
    [
        ("15/01/2021", D(2021, 1, 15), "day"),
        ("1 March 2022", D(2022, 3, 1), "day"),
        ("March 1, 2022", D(2022, 3, 1), "day"),
        ("January 1984", D(1984, 1, 1), "month"),
        ("April - June 2014", D(2014, 4, 1), "quarter"),
        ("Q2 2014", D(2014, 4, 1), "quarter"),
        ("2019-12", D(2019, 12, 1), "month"),
        ("No. 6        March 2022", D(2022, 3, 1), "month"),
        ("31/02/2021", None, None),
    ],
)
def test_dates_in_the_printed_forms(text, date, precision):
    found = p.find_date(text)
    assert (found or (None, None)) == (date, precision)


def test_masthead_with_volume_number_and_month():
    issue = p.parse(
        "THE HARBOUR TIMES\nVol. II - No. 14 · January 1984\n\n\nNEWS\n\n\n"
        "A short heading\n\nThe ferry now runs on Sundays, and the timetable is at the pier."
    )
    assert (issue.series, issue.number, issue.date, issue.date_precision) == (
        "The Harbour Times", 14, D(1984, 1, 1), "month")
    # The volume in arabic digits (stored with the number); the title as printed.
    assert (issue.volume, issue.title) == ("2", "The Harbour Times — Vol. II, Issue 14")
    assert [(d.line, d.reason) for d in issue.dropped] == [(1, "masthead"), (2, "masthead")]


def test_quarter_gives_its_first_day_and_a_period_title():
    issue = p.parse("WATER BULLETIN\nQ3 2015\n\nWells were dug in three villages this summer.")
    assert (issue.date, issue.date_precision) == (D(2015, 7, 1), "quarter")
    assert issue.title == "Water Bulletin — July–September 2015"


def test_front_matter_beats_the_masthead_and_overrides_beat_both():
    text = ("---\ntitle: Spring letter\nseries: Garden Club Letter\nnumber: 3\n"
            "date: 2020-05-01\n---\n\nGARDEN NEWS, ISSUE 8, 01/01/2019\n\nSeeds were swapped.")
    issue = p.parse(text)
    assert (issue.title, issue.series, issue.number, issue.date) == (
        "Spring letter", "Garden Club Letter", 3, D(2020, 5, 1))
    assert [d.reason for d in issue.dropped] == ["front matter"] * 6 + ["running header"]
    issue = p.parse(text, number=4, date=D(2020, 6, 2), title="Mine")
    assert (issue.title, issue.number, issue.date) == ("Mine", 4, D(2020, 6, 2))


def test_front_matter_month_is_a_month():
    issue = p.parse("---\nseries: Letter\ndate: April 2014\n---\n\nText of the letter.")
    assert (issue.date, issue.date_precision) == (D(2014, 4, 1), "month")


@pytest.mark.parametrize(
    "front, warning",
    [
        ("title: [unclosed", "front matter is not valid YAML (line 2)"),
        ("- just\n- a list", "front matter is not a set of 'key: value' lines"),
        ("title: {a: 1}", "front matter 'title' is not a single value"),
        ("number: many", "front matter number 'many' is not a number"),
        # An alias bomb: only scalars are read, so nothing is ever expanded.
        ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\ntitle: *c", "front matter 'title' is not"),
        ("!!python/object/apply:os.system ['echo hi']", "front matter is not valid YAML"),
    ],
)
def test_bad_front_matter_is_a_warning_and_never_run(front, warning):
    issue = p.parse(f"---\n{front}\n---\n\nText of the issue.", series="Given")
    assert any(w.startswith(warning) for w in issue.warnings), issue.warnings
    assert issue.series == "Given"
    assert {d.reason for d in issue.dropped} == {"front matter"}


def test_file_name_is_the_last_resort():
    issue = p.parse("Text with no masthead at all.", filename="archive/bulletin_09_2019-12.md")
    assert (issue.number, issue.date, issue.date_precision) == (9, D(2019, 12, 1), "month")
    issue = p.parse("ISSUE 3, 01/02/2020\n\nText.", filename="bulletin_09_2019-12.md")
    assert (issue.number, issue.date) == (3, D(2020, 2, 1))


def test_a_number_or_date_from_any_source_is_enough():
    assert p.parse("Only text.", number=5).number == 5
    assert p.parse("Only text.", date=D(2020, 1, 2)).date == D(2020, 1, 2)
    assert p.parse("Only text.", filename="digest-2021-07.txt").date == D(2021, 7, 1)
    with pytest.raises(p.ParseError, match="no recognisable issue"):
        p.parse("Only text.", filename="notes.txt")


def test_never_a_date_from_story_text():
    issue = p.parse(
        "## Valley Report\n\n### A May fair\n\nOn 12 May 2019 the fair opened in the square."
        "\n\n### July plans\n\nIn July 2019 the road will close.")
    assert (issue.date, issue.number) == (None, None)
    assert issue.title == "Valley Report"
    assert "May" not in issue.title


@pytest.mark.parametrize(
    ("filename", "number"),
    [
        ("004_0914d3667e10c2db.txt", None),  # an archive's ordering prefix, not a number
        ("17.txt", None),
        ("no_6.txt", 6),
        ("issue-12.md", 12),
        ("digest_7.md", 7),
        ("09_2019-12.md", 9),
    ],
)
def test_a_number_from_the_file_name_needs_a_mark_a_name_or_a_date(filename, number):
    assert p.parse("Text with no masthead at all.", series="S", filename=filename).number == number


def test_a_top_heading_under_front_matter_is_the_title_printed_again_not_a_section():
    text = (
        "---\ntitle: River Notes\nseries: River Notes\nnumber: 4\n---\n\n"
        "# River Notes\n\n## Field work\n\n### A clinic\n\nNurses crossed the pass.\n\n"
        "### Volunteers\n\nTwelve volunteers were trained.\n"
    )
    issue = p.parse(text)
    assert [(s.title, [t.title for t in s.stories]) for s in issue.sections] == [
        ("Field work", ["A clinic", "Volunteers"])
    ]
    assert [(d.text, d.reason) for d in issue.dropped if d.reason == "masthead"] == [
        ("# River Notes", "masthead")
    ]

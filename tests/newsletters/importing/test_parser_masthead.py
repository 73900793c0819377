"""Mastheads (the masthead-shapes brief): the line printing the series with its date or
number is the masthead; a generic heading under it is a section; an organisation line over
the publication's numbered line, a tagline, a fortnightly's span of days, "Issue 3/2021"."""

import datetime

import pytest

from newsletters.importing import parser as p
from newsletters.importing.parser.masthead import _series_name, is_section_word
from newsletters.importing.parser.numbering import date_start, day_span, masthead_date

D = datetime.date
BODY = (
    "Forty border guards took part in a three-day course on how to recognise people "
    "who may have been trafficked, and whom to call at a crossing point."
)


def _sections(issue):
    return [(s.title, [st.title for st in s.stories]) for s in issue.sections]


def _mast(issue):
    return [d.text for d in issue.dropped if d.reason == "masthead"]


def test_a_capitals_heading_with_a_date_is_the_masthead_and_news_under_it_a_section():
    text = (
        "# NORTHWIND MIGRATION DIGEST, 15/03/2022\n\n## NEWS\n\n### New shelter opens\n\n"
        f"{BODY}\n\n### Training for border guards\n\n{BODY}\n"
    )
    issue = p.parse(text)
    assert (issue.series, issue.number, issue.date) == (
        "Northwind Migration Digest",
        None,
        D(2022, 3, 15),
    )
    assert issue.title == "Northwind Migration Digest — 15 March 2022"
    assert _sections(issue) == [("News", ["New shelter opens", "Training for border guards"])]
    assert _mast(issue) == ["# NORTHWIND MIGRATION DIGEST, 15/03/2022"]


def test_the_same_masthead_in_plain_text():
    text = f"NORTHWIND MIGRATION DIGEST, 15/03/2022\n\nNEWS\n\n\nNew shelter opens\n\n{BODY}\n"
    issue = p.parse(text)
    assert issue.series == "Northwind Migration Digest"
    assert _sections(issue) == [("News", ["New shelter opens"])]


@pytest.mark.parametrize(
    "heading", ["## Updates", "## NEWS", "## In brief", "## Новости", "## Events"]
)
def test_a_generic_heading_under_a_masthead_without_a_name_is_no_series(heading):
    issue = p.parse(f"# Issue 4 · May 2022\n\n{heading}\n\n### A story\n\n{BODY}\n")
    assert issue.series is None and issue.number == 4
    assert [s.title for s in issue.sections] == [p.smart_title(heading.lstrip("# "))]


def test_section_words_are_whole_generic_headings():
    assert all(map(is_section_word, ["NEWS", "In brief:", "Новости", "Events", "UPDATES"]))
    assert not any(map(is_section_word, ["Northwind News", "Harbour Health News", ""]))


def test_a_series_name_ends_where_its_date_starts():
    assert _series_name("SAFE ROADS BULLETIN — 1 March 2022", strip_identity=True) == (
        "Safe Roads Bulletin"
    )
    assert _series_name("Border Digest, March 2022", strip_identity=True) == "Border Digest"
    assert _series_name("May 2023", strip_identity=True) is None
    assert _series_name("Newsletter 8, 14 June 2021", strip_identity=True) is None
    assert date_start("Digest, 15/03/2022") == 8 and date_start("no date") == 0


@pytest.mark.parametrize(
    "top, series",
    [
        # The organisation over the publication printed with the number.
        ("IOM KYRGYZSTAN\nSafe Migration Bulletin · No. 5 · April 2023", "Safe Migration Bulletin"),
        # A generic publication word with the number: the line above is the name.
        ("THE COURIER\nNewsletter · Issue 12 · May 2023", "The Courier"),
        # The line above is a publication already: it stays the series.
        ("HARBOUR HEALTH NEWS\nClinic Bulletin · No. 7 · May 2023", "Harbour Health News"),
    ],
)
def test_an_organisation_line_over_the_numbered_publication(top, series):
    issue = p.parse(f"{top}\n\n\nFIELD NEWS\n\n\nA story\n\n{BODY}\n")
    assert issue.series == series
    assert len(_mast(issue)) == 2


def test_two_publications_in_the_masthead_are_named_in_a_warning():
    issue = p.parse(
        "HARBOUR HEALTH NEWS\nClinic Bulletin · No. 7 · May 2023\n\n\n"
        f"FIELD NEWS\n\n\nA story\n\n{BODY}\n"
    )
    assert issue.warnings == [
        "the masthead names two publications, 'Harbour Health News' and 'Clinic Bulletin': "
        "'Harbour Health News' was taken as the series; check it"
    ]


def test_a_tagline_under_the_masthead_over_a_heading_is_masthead():
    text = (
        "SAFE ROADS BULLETIN\nIssue 12 · May 2023\n\nNews from our field offices\n\n\n"
        f"FIELD OFFICES\n\n\nA desk at the bus station\n\n{BODY}\n"
    )
    issue = p.parse(text)
    assert issue.series == "Safe Roads Bulletin"
    assert _mast(issue)[-1] == "News from our field offices"
    assert _sections(issue) == [("Field Offices", ["A desk at the bus station"])]
    assert issue.warnings == []


def test_a_mixed_case_line_over_text_is_a_story_title_not_a_tagline():
    text = f"SAFE ROADS BULLETIN\nIssue 12 · May 2023\n\nA desk at the bus station\n\n{BODY}\n"
    issue = p.parse(text)
    assert _sections(issue) == [("", ["A desk at the bus station"])]
    assert len(_mast(issue)) == 2


@pytest.mark.parametrize(
    "text, first, printed",
    [
        ("Fortnightly · 1–15 June 2023", D(2023, 6, 1), "1–15 June 2023"),
        ("June 1-15, 2023", D(2023, 6, 1), "June 1-15, 2023"),
        ("29 May – 11 June 2023", D(2023, 5, 29), "29 May – 11 June 2023"),
        ("16th-30th June 2023", D(2023, 6, 16), "16th-30th June 2023"),
    ],
)
def test_a_span_of_days_is_read_from_its_first_day(text, first, printed):
    assert day_span(text) == (first, printed)


@pytest.mark.parametrize("text", ["15–1 June 2023", "1–31 June 2023", "15 June 2023", "Issue 1-15"])
def test_no_span_where_none_is_printed(text):
    assert day_span(text) is None


def test_a_fortnightly_masthead_is_dated_by_its_first_day_with_a_warning():
    issue = p.parse(f"# Border Update\n\n*Fortnightly · 1–15 June 2023*\n\n## A story\n\n{BODY}\n")
    assert (issue.date, issue.date_precision) == (D(2023, 6, 1), "day")
    assert issue.warnings == [
        "the masthead prints the span '1–15 June 2023': the issue is "
        "dated by its first day, 1 June 2023"
    ]


def test_a_span_in_a_story_is_never_the_issue_date():
    text = (
        f"# Border Update\n\n*Issue 2 · May 2023*\n\n## A camp\n\nThe camp ran 1–15 June "
        f"2023. {BODY}\n"
    )
    issue = p.parse(text)
    assert (issue.date, issue.date_precision, issue.warnings) == (D(2023, 5, 1), "month", [])


@pytest.mark.parametrize(
    "text, number, date, precision",
    [
        ("Issue 3/2021", 3, D(2021, 1, 1), "year"),
        ("№ 3/2021", 3, D(2021, 1, 1), "year"),
        # "№ 7 (19)": issue 7, the 19th since the first; the month is the date.
        ("№ 7 (19) · июль 2022", 7, D(2022, 7, 1), "month"),
        # A double month: the issue starts in December.
        ("Issue 4 · Dec 2022 / Jan 2023", 4, D(2022, 12, 1), "month"),
    ],
)
def test_numbers_and_years_a_masthead_prints(text, number, date, precision):
    issue = p.parse(f"TIEN SHAN LABOUR HERALD\n{text}\n\n\nNEWS\n\n\nA story\n\n{BODY}\n")
    assert (issue.series, issue.number, issue.date, issue.date_precision) == (
        "Tien Shan Labour Herald",
        number,
        date,
        precision,
    )


def test_an_issue_year_is_read_only_after_an_issue_number():
    assert masthead_date("Issue 3/2021") == (D(2021, 1, 1), "year")
    assert masthead_date("3/2021") is None and masthead_date("Page 3/2021") is None


@pytest.mark.parametrize("marker", ["FOR IMMEDIATE RELEASE", "Press Release", "ПРЕСС-РЕЛИЗ"])
@pytest.mark.parametrize("one_block", [False, True])
def test_a_press_releases_release_line_is_masthead_but_never_the_series(marker, one_block):
    gap = "\n" if one_block else "\n\n"
    issue = p.parse(
        f"{marker}{gap}Steppe Migrant Rights Centre\nPress release No. 4 · 18 December 2023"
        f"\n\nCentre Opens Its Doors\n\n{BODY}\n"
    )
    assert (issue.series, issue.number, issue.date) == (
        "Steppe Migrant Rights Centre", 4, D(2023, 12, 18)
    )
    assert [d.text for d in issue.dropped if d.reason == "masthead"][0] == marker
    assert _sections(issue) == [("", ["Centre Opens Its Doors"])]


def test_a_release_line_alone_names_no_series():
    with pytest.raises(p.ParseError):
        p.parse(f"FOR IMMEDIATE RELEASE\n\nCentre Opens Its Doors\n\n{BODY}\n")

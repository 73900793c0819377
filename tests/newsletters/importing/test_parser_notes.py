"""Footnotes kept at the end of the story that cites them (parser/notes.py).

All text is invented."""

import pytest

from newsletters.importing import parser as p

from .test_parser_linear import _fill, assert_linear

HEAD = "# The Osh Bulletin — Issue 3 (April 2023)\n\n## News\n\n"
LONG = "The families were met at the station and taken to the shelter by the volunteers"


def _bodies(issue: p.ParsedIssue) -> dict[str, str]:
    return {st.title: st.body for s in issue.sections for st in s.stories}


def test_each_note_goes_to_the_story_citing_it():
    issue = p.parse(
        f"{HEAD}### Shelter\n\n{LONG}.[1]\n\n### Hotline\n\n{LONG} again.[2]\n\n"
        "Notes\n\n[1] Shelter register, 2023.\n[2] Hotline log, March.\n"
    )
    bodies = _bodies(issue)
    assert bodies["Shelter"] == f"{LONG}.[1]\n\nNotes: [1] Shelter register, 2023."
    assert bodies["Hotline"] == f"{LONG} again.[2]\n\nNotes: [2] Hotline log, March."
    assert [(d.line, d.reason) for d in issue.dropped] == [
        (1, "masthead"),
        (13, "footnotes heading"),
    ]
    assert issue.warnings == []


def test_a_note_over_two_lines_is_one_note():
    issue = p.parse(
        f"{HEAD}### Shelter\n\n{LONG}.[1]\n\n[1] Shelter register of the city,\n"
        "kept by the akimat.\n"
    )
    assert _bodies(issue)["Shelter"].endswith(
        "Notes: [1] Shelter register of the city, kept by the akimat."
    )


def test_numbering_started_again_takes_the_next_note_printed():
    issue = p.parse(
        f"{HEAD}### Shelter\n\n{LONG}.[1]\n\n[1] Shelter register.\n\n"
        f"### Hotline\n\n{LONG} again.[1]\n\n[1] Hotline log.\n"
    )
    bodies = _bodies(issue)
    assert bodies["Shelter"].endswith("Notes: [1] Shelter register.")
    assert bodies["Hotline"].endswith("Notes: [1] Hotline log.")


def test_a_note_only_a_heading_cites_is_dropped_with_a_warning():
    issue = p.parse(f"{HEAD}### Shelter figures[1]\n\n{LONG}.\n\n[1] Shelter register.\n")
    assert "Notes:" not in _bodies(issue)["Shelter figures[1]"]
    assert issue.warnings == ["footnote dropped: '[1] Shelter register.'"]
    assert [(d.line, d.reason) for d in issue.dropped] == [(1, "masthead"), (9, "footnote")]
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_the_boilerplate_stage_alone_still_drops_notes_and_markers():
    blocks = p.split_blocks(["Gas.[1] More.", "", "[1] Gas bills."], [1, 2, 3])
    kept, warnings = p.drop_boilerplate(blocks)
    assert [b.text for b in kept] == ["Gas. More."]
    assert warnings == ["footnote dropped: '[1] Gas bills.'"]


@pytest.mark.timing
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("one marker, many notes and citations", lambda: _fill("a.[1]\n\n[1] b\n\n", head=HEAD)),
        (
            "one story citing many notes",
            lambda: (
                HEAD
                + "".join(f"a.[{i}] " for i in range(1, 1000))
                + "\n\n"
                + _fill("[7] note\n", size=200_000)
            ),
        ),
        ("superscript markers and notes", lambda: _fill("a.\u00b9\n\n\u00b9 b\n", head=HEAD)),
        ("Markdown notes and citations", lambda: _fill("a.[^1]\n\n[^1]: b\n\n", head=HEAD)),
        (
            "<sup> notes and citations",
            lambda: _fill("a<sup>1</sup>\n\n<sup>1</sup> b\n\n", head=HEAD),
        ),
        (
            "one paragraph of <sup> citations",
            lambda: _fill("a<sup>1</sup> ", head=HEAD, tail="\n\n<sup>1</sup> b\n"),
        ),
    ],
)
def test_notes_in_linear_time(name, make):
    assert_linear(name, make())


def test_markdown_footnotes_are_kept_written_as_printed_notes():
    issue = p.parse(f"{HEAD}### Shelter\n\n{LONG}.[^1]\n\n[^1]: Shelter register, 2023.\n")
    assert _bodies(issue)["Shelter"] == f"{LONG}.[1]\n\nNotes: [1] Shelter register, 2023."
    assert issue.warnings == []


def test_sup_footnotes_are_kept_and_a_sup_citing_no_note_is_left_alone():
    issue = p.parse(
        f"{HEAD}### Shelter\n\n{LONG} in 40 m<sup>2</sup>.<sup>1</sup>\n\n"
        "<sup>1</sup> Shelter register, 2023.\n"
    )
    body = _bodies(issue)["Shelter"]
    # "<sup>2</sup>" cites no note: left to clean_inline, which takes it for a marker
    # and removes it with a warning (as before).
    assert body == f"{LONG} in 40 m.[1]\n\nNotes: [1] Shelter register, 2023."
    assert issue.warnings == ["leftover <sup> tags removed in story 'Shelter' in section 'News'"]

"""HTML pasted as text (parser/html.py, parser/htmltable.py): each rule on a short string.

All text is invented."""

from pathlib import Path

import pytest

from newsletters.importing import parser as p
from newsletters.importing.parser.html import read_html
from tests.fixtures.archive_styles.expected import EXPECTED

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles"
HEAD = "<h1>The Steppe Courier</h1>\n<p>Issue 5, June 2024</p>\n<h2>News</h2>\n"
STORY = "<h3>A new shelter in Taraz</h3>\n"


def _parse(body: str) -> p.ParsedIssue:
    return p.parse(HEAD + STORY + body)


def _body(issue: p.ParsedIssue, title: str = "A new shelter in Taraz") -> str:
    return next(st.body for s in issue.sections for st in s.stories if st.title == title)


def _markdown(html: str) -> list[str]:
    lines = html.split("\n")
    out, _ = read_html(lines, list(range(1, len(lines) + 1)), [])
    return out


def _reasons(issue: p.ParsedIssue) -> list[tuple[int, str]]:
    return [(d.line, d.reason) for d in issue.dropped if d.reason != "masthead"]


# ------------------------------------------------------------------ <br>


def test_br_is_a_line_break_so_an_address_keeps_its_lines():
    issue = _parse("<p>Write to us:<br>\n12 Abay Street<br/>\nTaraz 080000</p>\n")
    assert _body(issue) == "Write to us:\\\n12 Abay Street\\\nTaraz 080000"
    assert issue.dropped == [] or {d.reason for d in issue.dropped} == {"masthead"}


def test_two_br_are_a_paragraph_break():
    issue = _parse("<p>The shelter opened in May.<br><br>It has twelve beds.</p>\n")
    assert _body(issue) == "The shelter opened in May.\n\nIt has twelve beds."


def test_br_at_a_paragraphs_end_leaves_no_break_mark():
    issue = _parse("<p>The shelter opened in May.<br></p>\n<p>It has twelve beds.</p>\n")
    assert _body(issue) == "The shelter opened in May.\n\nIt has twelve beds."


def test_br_in_a_heading_is_a_space():
    assert _markdown("<h3>A new shelter<br>in Taraz</h3>") == ["### A new shelter in Taraz", ""]


# ------------------------------------------------------------------ tables

FIGURES = (
    "<p>The shelter took in its first families this month.</p>\n<h2>Key figures</h2>\n"
    "<table>\n{rows}</table>\n<h2>Partners</h2>\n<h3>Akimat signs</h3>\n<p>The akimat "
    "gave the building.</p>\n"
)


def test_a_label_and_value_table_under_key_figures_becomes_key_figures():
    rows = (
        "<tr><th>Indicator</th><th>Value</th></tr>\n"
        "<tr><td>Calls to the hotline</td><td>1,250</td></tr>\n"
        "<tr><td>Share of women</td><td>58%</td></tr>\n"
    )
    issue = _parse(FIGURES.format(rows=rows))
    assert [(f.label, f.value, f.unit) for f in issue.key_figures] == [
        ("Calls to the hotline", 1250, ""),
        ("Share of women", 58, "%"),
    ]
    assert [s.title for s in issue.sections] == ["News", "Partners"]
    # The heading and each row once, as "key figure"; the table tags as markup.
    assert _reasons(issue) == [
        (6, "key figure"),
        (7, "markup"),
        (8, "key figure"),
        (9, "key figure"),
        (10, "key figure"),
        (11, "markup"),
    ]
    assert "|" not in _body(issue)


def test_a_table_with_no_head_row_keeps_its_first_row_as_a_figure():
    rows = (
        "<tr><td>Calls to the hotline</td><td>1,250</td></tr>\n"
        "<tr><td>Families housed</td><td>14</td></tr>\n"
    )
    issue = _parse(FIGURES.format(rows=rows))
    assert [(f.label, f.value) for f in issue.key_figures] == [
        ("Calls to the hotline", 1250),
        ("Families housed", 14),
    ]


def test_a_bold_first_row_heads_the_table():
    out = _markdown(
        "<table><tr><td><b>Town</b></td><td><b>Day</b></td></tr>"
        "<tr><td>Taraz</td><td>Monday</td></tr></table>"
    )
    assert out[:3] == ["| Town | Day |", "|---|---|", "| Taraz | Monday |"]


def test_any_other_table_keeps_its_lines_in_the_story():
    issue = _parse(
        "<p>Consultations:</p>\n<table>\n<tr><td>Taraz</td><td>3 June</td></tr>\n"
        "<tr><td>Shu</td><td>10 June</td></tr>\n</table>\n<p>Come early.</p>\n"
    )
    assert _body(issue) == (
        "Consultations:\n\n| Taraz | 3 June |\n|---|---|\n| Shu | 10 June |\n\nCome early."
    )
    assert issue.key_figures == []


def test_a_layout_table_is_read_as_paragraphs():
    out = _markdown(
        '<table width="600"><tr><td>\n<h2>News</h2>\n<p>First text.</p>\n'
        "</td></tr><tr><td><p>Second text.</p></td></tr></table>"
    )
    assert [line for line in out if line] == ["## News", "First text.", "Second text."]
    assert not any("|" in line for line in out)


def test_a_table_of_one_column_is_read_as_paragraphs():
    out = _markdown("<table><tr><td>First text.</td></tr><tr><td>Second text.</td></tr></table>")
    assert [line for line in out if line] == ["First text.", "Second text."]


def test_a_row_of_very_many_cells_is_no_table():
    out = _markdown("<table><tr>" + "<td>a</td>" * 25 + "</tr></table>")
    assert not any("|" in line for line in out)
    assert [line for line in out if line] == ["a"] * 25


def test_a_pipe_in_a_cell_does_not_cut_it():
    out = _markdown("<table><tr><td>Taraz | Shu</td><td>3 June</td></tr></table>")
    assert "| Taraz / Shu | 3 June |" in out


# ------------------------------------------------------------------ lists, quotes, text


def test_lists_numbered_and_nested():
    out = _markdown("<ol><li>Call</li><li>Write<ul><li>by post</li></ul></li></ol>")
    assert [line for line in out if line] == ["1. Call", "2. Write", "- by post"]


def test_blockquote_marks_the_first_line_of_its_paragraph():
    issue = _parse(
        "<blockquote><p>We slept in the station\nfor a week.</p></blockquote>\n"
        "<p>said a mother of three.</p>\n"
    )
    assert _body(issue) == "> We slept in the station for a week.\n\nsaid a mother of three."


def test_entities_are_decoded():
    issue = _parse("<p>Taraz&nbsp;&amp; Shu &mdash; &#1040;&#1041; and &laquo;Dom&raquo;</p>\n")
    assert _body(issue) == "Taraz & Shu — АБ and «Dom»"


def test_a_tag_written_over_two_lines_is_one_tag():
    issue = _parse('<p>See <a\nhref="https://example.org/s">the site</a> for hours.</p>\n')
    assert _body(issue) == "See [the site](https://example.org/s) for hours."
    assert (8, "markup") not in _reasons(issue)  # line 8 gave words: it is no markup


def test_word_tags_and_conditional_comments_leave_no_trace():
    issue = _parse(
        "<p class=MsoNormal><![if !supportLists]>1.<![endif]> The shelter<o:p></o:p></p>\n"
    )
    assert _body(issue) == "1. The shelter"


# ------------------------------------------------------------------ images


def test_an_img_is_a_markdown_image_of_its_story():
    issue = _parse(
        '<p>The shelter opened in May.</p>\n<img src="img/shelter.jpg" alt="The new shelter">\n'
    )
    story = next(st for s in issue.sections for st in s.stories)
    assert [(i.src, i.alt) for i in story.images] == [("img/shelter.jpg", "The new shelter")]
    assert "![" not in story.body


def test_an_image_written_into_the_page_is_a_warning_not_an_image():
    issue = _parse(
        '<p>The shelter opened in May.</p>\n<img alt="The new shelter" '
        'src="data:image/png;base64,iVBORw0KGgo=">\n'
    )
    story = next(st for s in issue.sections for st in s.stories)
    assert story.images == []
    assert issue.warnings == [
        "image on line 6 is written into the HTML (a data: address) ('The new shelter'): "
        "not imported"
    ]
    assert "base64" not in story.body


@pytest.mark.parametrize("name", [n for n in EXPECTED if "images" in EXPECTED[n]])
def test_corpus_images(name):
    issue = p.parse((CORPUS / name).read_text("utf-8"), filename=name)
    stories = {st.title: st for s in issue.sections for st in s.stories}
    for title, images in EXPECTED[name]["images"].items():
        assert [(i.src, i.alt, i.caption) for i in stories[title].images] == images


# ------------------------------------------------------------------ what is no text


def test_style_and_script_blocks_are_dropped_with_their_reason():
    issue = _parse(
        "<style>\np { color: red; }\n</style>\n<p>The shelter opened in May.</p>\n"
        "<script>\nvar tracked = 1;\n</script>\n"
    )
    assert _body(issue) == "The shelter opened in May."
    assert _reasons(issue) == [
        (5, "style block"),
        (6, "style block"),
        (7, "style block"),
        (9, "script block"),
        (10, "script block"),
        (11, "script block"),
    ]
    # Never story text, so they cost no confidence (the story is short: that does).
    assert issue.confidence_reasons == ["1 of 1 stories have fewer than 15 words"]


def test_an_unclosed_style_tag_takes_only_itself():
    issue = _parse("<style>\n<p>The shelter opened in May.</p>\n")
    assert _body(issue) == "The shelter opened in May."


def test_a_comment_over_lines_is_dropped_as_comment():
    issue = _parse("<!-- hidden\nnote for the editor -->\n<p>The shelter opened in May.</p>\n")
    assert _body(issue) == "The shelter opened in May."
    assert _reasons(issue) == [(5, "comment"), (6, "comment")]


def test_an_unclosed_comment_start_stays_text():
    issue = _parse("<p>Arrows <!-- mark nothing here.</p>\n")
    assert "<!-- mark nothing here." in _body(issue)


def test_a_head_row_a_cell_a_line_is_dropped_whole_with_its_figures():
    rows = (
        "<tr>\n<th>Indicator</th>\n<th>May 2024</th>\n</tr>\n"
        "<tr><td>Calls to the hotline</td><td>1,250</td></tr>\n"
    )
    issue = _parse(FIGURES.format(rows=rows))
    assert [(f.label, f.value, f.note) for f in issue.key_figures] == [
        ("Calls to the hotline", 1250, "May 2024")
    ]
    assert [n for n, why in _reasons(issue) if why == "key figure"] == [6, 9, 10, 12]
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_a_link_to_an_anchor_in_the_page_keeps_only_its_text():
    issue = _parse(
        '<p>The shelter opened in May.<a href="#_ftn1">[1]</a></p>\n'
        '<p><a href="#_ftnref1">[1]</a> Shelter register.</p>\n'
    )
    assert _body(issue) == "The shelter opened in May.[1]\n\nNotes: [1] Shelter register."

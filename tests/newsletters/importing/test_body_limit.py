"""A story body over the 50,000-character limit is cut where a person sees it: at a
paragraph end, the rest listed in ``dropped`` with the reason, a warning naming the story
(parser/bodylimit.py). The texts are generated here: invented, numbered paragraphs."""

import pytest

from newsletters import markdown
from newsletters.importing.loader import import_sources, load_issue
from newsletters.importing.parser import ParseError, parse
from newsletters.importing.parser.bodylimit import MAX_BODY_CHARS, OVER_LIMIT
from newsletters.models import Issue, Story

HEADER = "LAKESIDE COURIER, ISSUE 3, 02/10/2020"
# 97 characters a paragraph: 505 fit in 50,000 with their blank-line separators.
PARAGRAPH = (
    "Paragraph {:04d} of the annual report tells how the valley's school reopened after "
    "the long winter."
)


def long_issue(paragraphs: int = 700) -> tuple[str, list[str], int]:
    """(text, the report's paragraphs, the input line of the first paragraph)."""
    paras = [PARAGRAPH.format(i) for i in range(paragraphs)]
    head = f"{HEADER}\n\n\nREPORTS\n\n\nThe annual report in full\n\n"
    tail = (
        "\n\nA short note after it\n\n"
        "The choir sang at the harvest festival in the village square.\n"
    )
    return head + "\n\n".join(paras) + tail, paras, head.count("\n") + 1


def test_limit_is_the_models():
    assert MAX_BODY_CHARS == markdown.MAX_BODY_CHARS == 50_000
    assert OVER_LIMIT == "over the 50,000-character body limit"


def test_long_body_is_cut_at_a_paragraph_end_and_the_rest_is_dropped():
    text, paras, first_line = long_issue()
    parsed = parse(text)
    (section,) = parsed.sections
    report, note = section.stories
    per_para = len(paras[0]) + 2
    kept = (MAX_BODY_CHARS + 2) // per_para
    assert kept == 505
    assert report.title == "The annual report in full"
    assert report.body == "\n\n".join(paras[:kept])
    assert len(report.body) == kept * per_para - 2 == 49_993
    assert note.body == "The choir sang at the harvest festival in the village square."

    cut = [d for d in parsed.dropped if d.reason == OVER_LIMIT]
    assert [d.text for d in cut] == paras[kept:]
    # One input line per paragraph, every other line (blank lines between them).
    assert [d.line for d in cut] == [first_line + 2 * i for i in range(kept, len(paras))]

    (warning,) = [w for w in parsed.warnings if OVER_LIMIT in w]
    assert warning == (
        "Story 'The annual report in full' in section 'Reports' has 69,298 characters, "
        "over the 50,000-character body limit: kept the first 49,993 (cut at a paragraph "
        f"end); the 195 input line(s) after the cut (from input line {cut[0].line}) are "
        "listed as dropped, not imported"
    )
    # The cut is not hidden in the score either: the file needs review.
    assert "195 line(s) dropped as over the 50,000-character body limit" in (
        parsed.confidence_reasons
    )
    assert parsed.confidence < 0.6


def test_body_at_the_limit_is_kept_whole():
    text, paras, _ = long_issue(505)
    parsed = parse(text)
    assert parsed.sections[0].stories[0].body == "\n\n".join(paras)
    assert not [d for d in parsed.dropped if d.reason == OVER_LIMIT]
    assert not [w for w in parsed.warnings if OVER_LIMIT in w]


def test_one_paragraph_over_the_limit_is_cut_at_a_line_end():
    """No blank line to cut at (short lines, which the no-blank-lines re-cut leaves as
    one block): the body keeps the whole input lines that fit, and a line is either
    kept whole or listed as dropped."""
    lines = [f"garden{i:04d} grows beside the river" for i in range(2500)]
    text = f"{HEADER}\n\n" + "\n".join(lines) + "\n"
    parsed = parse(text)
    (story,) = parsed.sections[0].stories
    assert len(story.body) <= MAX_BODY_CHARS
    kept = story.body.split(" grows beside the river")
    assert kept[-1] == ""
    n = len(kept) - 1
    assert n == (MAX_BODY_CHARS + 1) // (len(lines[0]) + 1) == 1470
    assert story.body == " ".join(lines[:n])
    cut = [d for d in parsed.dropped if d.reason == OVER_LIMIT]
    assert [d.text for d in cut] == lines[n:]
    assert [d.line for d in cut] == list(range(3 + n, 3 + len(lines)))
    (warning,) = [w for w in parsed.warnings if OVER_LIMIT in w]
    assert warning.startswith("Untitled story has 84,999 characters, over the")
    assert "(cut at a line end inside its first paragraph); the 1,030 input line(s)" in warning


def test_one_story_layout_of_a_long_file_is_cut_too():
    text, paras, _ = long_issue()
    parsed = parse(text, layout="one-story")
    (story,) = parsed.sections[0].stories
    assert len(story.body) <= MAX_BODY_CHARS
    cut = [d.text for d in parsed.dropped if d.reason == OVER_LIMIT]
    # Every paragraph is in the body or dropped, never both, never neither.
    for para in paras:
        assert (para in story.body) != (para in cut), para
    assert cut[-1] == "The choir sang at the harvest festival in the village square."


@pytest.mark.django_db
def test_import_stores_the_cut_body_and_says_so(tmp_path, counts):
    text, paras, _ = long_issue()
    path = tmp_path / "courier-3.txt"
    path.write_text(text, "utf-8")
    before = counts()

    # Unsure (a quarter of the text left out): not imported without the user's word.
    (report,) = import_sources([path])
    assert report.outcome == "needs review"
    assert "dropped as over the 50,000-character body limit" in report.result.message
    assert counts() == before

    (report,) = import_sources([path], accept_low_confidence=True)
    assert report.outcome == "created"
    story = Story.objects.get(title="The annual report in full")
    assert len(story.body) == 49_993
    assert story.body.endswith(paras[504])
    (warning,) = [w for w in Issue.objects.get().import_warnings if OVER_LIMIT in w]
    assert warning.startswith("Story 'The annual report in full' in section 'Reports' has")
    assert warning in report.warnings
    dropped = report.dropped_by_reason()[OVER_LIMIT]
    assert [d["text"] for d in dropped] == paras[505:]
    assert report.as_json()["dropped"][OVER_LIMIT] == dropped


@pytest.mark.django_db
def test_loader_refuses_a_body_over_the_limit_it_did_not_parse(counts):
    """A parse made elsewhere (not cut by parse()) is an error, and nothing is written."""
    parsed = parse(f"{HEADER}\n\nA story\n\nThe choir sang at the harvest festival.\n")
    parsed.sections[0].stories[0].body = "x" * (MAX_BODY_CHARS + 1)
    before = counts()
    with pytest.raises(ParseError, match="has 50,001 characters, over the 50,000-character"):
        load_issue(parsed, source_name="made-up.txt", source_hash="f" * 64)
    assert counts() == before

"""Acceptance: newsletters of other organisations parse as a person reads them.

The corpus is tests/fixtures/archive_styles/ (all invented); what each file should give
was written down first, in tests/fixtures/archive_styles/expected.py.
"""

import struct
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest

from newsletters.importing import parser as p
from newsletters.importing.reader import SourceText, decode, iter_sources
from tests.fixtures.archive_styles.expected import EXPECTED, PENDING

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles"


def _text(name: str) -> str:
    raw = (CORPUS / name).read_bytes()
    if EXPECTED[name].get("encoding", "utf-8") != "utf-8":
        return decode(raw)
    return raw.decode("utf-8")


@pytest.fixture(scope="module")
def parsed():
    return {name: p.parse(_text(name), filename=name) for name in EXPECTED}


def test_the_corpus_has_ten_styles_and_every_file_has_expectations():
    files = sorted(f.name for f in CORPUS.iterdir() if f.suffix in (".txt", ".md"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 10


def _pending(request, name: str, aspect: str) -> None:
    """Mark the test xfail (strict) when this part of the file waits for another branch."""
    reason = PENDING.get((name, aspect))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


def _fold(text: str, name: str) -> str:
    return text.casefold() if "encoding" in EXPECTED[name] else text


@pytest.mark.parametrize("name", EXPECTED)
def test_metadata(parsed, name):
    issue, want = parsed[name], EXPECTED[name]
    assert _fold(issue.series or "", name) == _fold(want["series"], name)
    assert (issue.number, issue.date, issue.date_precision) == (
        want["number"], want["date"], want["precision"]
    )
    if "title" in want:
        assert issue.title == want["title"]


@pytest.mark.parametrize("name", EXPECTED)
def test_sections_and_stories(parsed, name, request):
    _pending(request, name, "sections")
    issue, want = parsed[name], EXPECTED[name]
    got = [
        (_fold(s.title, name), [_fold(st.title, name) for st in s.stories])
        for s in issue.sections
    ]
    expected = [
        (_fold(title, name), [_fold(st if isinstance(st, str) else st[0], name) for st in sts])
        for title, sts in want["sections"]
    ]
    assert got == expected
    for (_, stories), section in zip(want["sections"], issue.sections, strict=True):
        for story_want, story in zip(stories, section.stories, strict=True):
            if not isinstance(story_want, str):
                assert story.countries == story_want[1], story.title


@pytest.mark.parametrize("name", EXPECTED)
def test_phrases_are_in_their_stories(parsed, name, request):
    _pending(request, name, "phrases")
    issue, want = parsed[name], EXPECTED[name]
    bodies = {_fold(st.title, name): st.body for s in issue.sections for st in s.stories}
    for title, phrases in want["phrases"].items():
        for phrase in phrases:
            assert phrase in bodies[_fold(title, name)], (title, phrase)


@pytest.mark.parametrize("name", EXPECTED)
def test_directory_and_dropped_lines(parsed, name):
    issue, want = parsed[name], EXPECTED[name]
    assert {o.country: o.emails for o in issue.directory.offices} == want["offices"]
    assert Counter(d.reason for d in issue.dropped) == want["dropped"]
    # Lines as the parser numbers them: split at line ends only (str.splitlines also
    # splits at a form feed, which a page break of a PDF's text puts inside a line).
    lines = _text(name).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for d in issue.dropped:  # each dropped line is the input's line, numbered from 1
        assert d.text == lines[d.line - 1].strip()


@pytest.mark.parametrize("name", EXPECTED)
def test_confident_and_nothing_lost(parsed, name):
    issue = parsed[name]
    if EXPECTED[name].get("needs_review"):  # read right, but a person must check it
        assert issue.confidence < p.CONFIDENCE_THRESHOLD, issue.confidence_reasons
    else:
        assert issue.confidence >= p.CONFIDENCE_THRESHOLD, issue.confidence_reasons
    assert issue.warnings == EXPECTED[name].get("warnings", [])
    assert issue.volume == EXPECTED[name].get("volume")
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]
    # No story text in the dropped lines: every dropped line's words are not in a body.
    bodies = " ".join(st.body for s in issue.sections for st in s.stories)
    for d in issue.dropped:
        # A masthead's words are the metadata's; a "Notes" heading's the "Notes:" label.
        if d.reason not in ("masthead", "running header", "front matter", "footnotes heading"):
            assert d.text not in bodies


@pytest.mark.parametrize("name", [n for n in EXPECTED if "figures" in EXPECTED[n]])
def test_key_figures(parsed, name):
    got = [(f.label, f.value, f.unit) for f in parsed[name].key_figures]
    assert got == EXPECTED[name]["figures"]


@pytest.mark.parametrize("name", [n for n in EXPECTED if "absent_figures" in EXPECTED[n]])
def test_no_key_figures_from_these_rows(parsed, name):
    labels = [f.label for f in parsed[name].key_figures]
    for row in EXPECTED[name]["absent_figures"]:
        assert not any(row in label for label in labels), (row, labels)


@pytest.mark.parametrize("name", [n for n in EXPECTED if "captions" in EXPECTED[n]])
def test_captions(parsed, name):
    stories = {st.title: st for s in parsed[name].sections for st in s.stories}
    for title, captions in EXPECTED[name]["captions"].items():
        assert [ph.caption for ph in stories[title].photos] == captions


def test_images_leave_the_body_with_alt_and_caption(parsed):
    issue = parsed["riverside_frontmatter.md"]
    want = EXPECTED["riverside_frontmatter.md"]["images"]
    stories = {st.title: st for s in issue.sections for st in s.stories}
    for title, images in want.items():
        assert [(i.src, i.alt, i.caption) for i in stories[title].images] == images
        assert "![" not in stories[title].body and "](" not in stories[title].body


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A tiny valid PNG, built by hand (no imaging library needed for test data)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def test_markdown_with_images_in_a_zip_finds_every_image(tmp_path):
    archive = tmp_path / "riverside.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(CORPUS / "riverside_frontmatter.md", "riverside/riverside_frontmatter.md")
        zf.writestr("riverside/images/repair-cafe.png", _png(4, 3, (200, 120, 40)))
        zf.writestr("riverside/images/bags.png", _png(2, 2, (20, 160, 60)))
    with zipfile.ZipFile(archive) as zf:
        members = set(zf.namelist())
    (source,) = list(iter_sources([archive]))
    assert isinstance(source, SourceText)
    issue = p.parse(source.text, filename=source.path)
    images = [i for s in issue.sections for st in s.stories for i in st.images]
    assert len(images) == 2
    folder = "riverside/"
    assert all(folder + i.src in members for i in images)
    assert all(i.alt for i in images)


def test_cp1251_file_is_stored_in_cp1251_and_decodes_to_cyrillic():
    raw = (CORPUS / "mountain_villages_cp1251.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "ВЕСТНИК ГОРНЫХ СЕЛ" in decode(raw)

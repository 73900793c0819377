"""Stage 5b (part of reshape): outline-numbered headings, as a report or a Word document
saved as text prints them: "1. PROTECTION" over "1.1 Shelter in Khujand doubles its
capacity" and "1.2 Legal clinics on wheels", "2.3.1 …" deeper still, or "I." / "A." for
the top level. The numbers are structure, never text or figures: each heading loses
its number, the shallowest level present is the sections, the next the stories, and a
deeper one stays a line of its story's text (as printed, number and all).

Only a real outline counts: at least two numbered headings whose numbers, read in the
file's order, strictly increase ((1,), (1, 1), (1, 2), (2,), (2, 1) …; an excerpt may
start at "3.1"), the top level counted from 1 without a gap, each heading a short
title (not a sentence). A single "1.5 Million remittances" line, or "A. Smith" in a
caption, is no outline. A file with only "1.", "2." headings is left to
shapes._numbered_titles, which reads them already.

A report's labelled headings are structure too (``labelled_titles``): "Section 2:
Protection" (or "Part", "Chapter", "Раздел") on a line of its own is the section
"Protection"; "Box 1: What a safe house offers" (or "Sidebar", "Врезка"), on its own
line or over its text, is the story "What a safe house offers", a sidebar read as a
short piece of its own.

One pass over the blocks; every pattern is a bounded run of digits or letters.
"""

from __future__ import annotations

import re

from .blocks import Block
from .text import EMAIL_RE, TITLE_MAX_WORDS, _ends_sentence, _plain

# "1.1 Title", "2.3.1 Title", "1.1. Title": two to four levels of numbers.
SUB_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.{0,150})$")
# "1. TITLE", "IV. Title", "B) Title": the top level.
TOP_RE = re.compile(r"^(\d{1,2}|[IVX]{1,6}|[A-H])[.)]\s+(\S.{0,150})$")
_LABEL_NUMBER = r"(?:\d{1,2}|[IVX]{1,6}|[A-H])"
SECTION_LABEL_RE = re.compile(
    rf"^(?:section|part|chapter|раздел|часть|глава) {_LABEL_NUMBER}\.? ?[:.—–-] ?(\S.{{0,150}})$",
    re.IGNORECASE,
)
BOX_LABEL_RE = re.compile(
    rf"^(?:box|sidebar|panel|inset|врезка)(?: {_LABEL_NUMBER})?\.? ?[:.—–-] ?(\S.{{0,150}})$",
    re.IGNORECASE,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
          "IX": 9, "X": 10, "XI": 11, "XII": 12}


def _is_title(text: str) -> bool:
    """Short, capitalised, not a sentence, an address or a link."""
    plain = _plain(text)
    words = plain.split()
    return (
        1 <= len(words) <= TITLE_MAX_WORDS and plain[:1].isupper()
        and not _ends_sentence(plain) and not plain.endswith(",")
        and not EMAIL_RE.search(plain) and "://" not in plain
    )


def labelled_titles(blocks: list[Block]) -> list[Block]:
    """"Section 2: Protection" a section, "Box 1: What a safe house offers" a story, each
    without its label (see the module's docstring)."""
    out: list[Block] = []
    for block in blocks:
        first = block.lines[0]
        if block.kind is not None or block.md_level is not None or first[:1] not in _LABELS:
            out.append(block)
            continue
        section = SECTION_LABEL_RE.match(first) if len(block.lines) == 1 else None
        box = BOX_LABEL_RE.match(first) if section is None else None
        m = section or box
        if m is None or not _is_title(m.group(1)):
            out.append(block)
            continue
        out += _heading_and_text(block, m.group(1).strip(), "section" if section else "story")
    return out


def _heading_and_text(block: Block, title: str, kind: str) -> list[Block]:
    """``block`` as a heading of ``kind`` titled ``title`` (its first line, without the
    label or number) and, when it has more lines, the paragraph they make."""
    head = Block([title], blank_after=0 if len(block.lines) > 1 else block.blank_after,
                 nos=block.nos[:1])
    head.kind = kind
    if len(block.lines) == 1:
        return [head]
    rest = Block(block.lines[1:], blank_after=block.blank_after, nos=block.nos[1:])
    rest.kind = "para"
    return [head, rest]


_LABELS = frozenset("SsPpCcBbIiРрЧчГгВв")  # first letters of the labels: others skip both


def _top_value(marker: str, scheme: str) -> int | None:
    """The top-level marker's number in one numbering scheme, None if not of it."""
    if scheme == "arabic":
        return int(marker) if marker.isdigit() else None
    if scheme == "roman":
        return _ROMAN.get(marker)
    return ord(marker) - ord("A") + 1 if len(marker) == 1 and marker.isalpha() else None


_TOP_LETTERS = frozenset("IVXABCDEFGH")


def _mark_at(text: str, start: int, end: int) -> int:
    """Where a marker's "." or ")" stands in ``text[start:end]`` (-1: nowhere)."""
    dot = text.find(".", start, end)
    return dot if dot >= 0 else text.find(")", start, end)


def outline_titles(blocks: list[Block]) -> list[Block]:
    """The blocks with an outline's numbered headings made sections and stories (see the
    module's docstring); the blocks unchanged when the file holds no outline."""
    subs: dict[int, tuple[tuple[int, ...], str]] = {}
    tops: dict[int, tuple[str, str]] = {}
    for i, block in enumerate(blocks):
        first = block.lines[0]
        if block.kind is not None or block.md_level is not None or not (
            first[:1].isdigit() or first[:1] in _TOP_LETTERS and _mark_at(first, 1, 8) >= 0
        ):
            continue  # cheap test first: most blocks start with a word of a sentence
        has_text = len(block.lines) > 1 or i + 1 < len(blocks)
        m = SUB_RE.match(first) if first[:1].isdigit() else None
        if m and has_text and _is_title(m.group(2)):
            subs[i] = (tuple(int(n) for n in m.group(1).split(".")), m.group(2).strip())
            continue
        m = TOP_RE.match(first)
        if m and has_text and _is_title(m.group(2)):
            tops[i] = (m.group(1), m.group(2).strip())
    if not subs and not any(not marker.isdigit() for marker, _ in tops.values()):
        return blocks  # no outline, or "1.", "2." alone: _numbered_titles reads those
    numbered = _outline(subs, tops)
    if numbered is None:
        return blocks
    levels = sorted({len(n) for n, _ in numbered.values()})
    kinds = {levels[0]: "story"} if len(levels) == 1 else {levels[0]: "section",
                                                            levels[1]: "story"}
    if len(levels) == 1 and levels[0] == 1 and any(
        len(blocks[i].lines) == 1 and i + 2 < len(blocks) and blocks[i + 1].kind is None
        and i + 1 not in numbered and len(blocks[i + 1].lines) == 1
        and _is_title(blocks[i + 1].lines[0])
        for i in numbered
    ):
        # "A. HEATING" over "New boilers" over its text: the lettered headings are the
        # sections, the unnumbered ones under them the stories.
        kinds = {1: "section"}
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i not in numbered:
            out.append(block)
            continue
        number, title = numbered[i]
        kind = kinds.get(len(number))
        if kind is None:  # deeper than the stories: a line of the story's text
            block.kind = "para"
            out.append(block)
            continue
        out += _heading_and_text(block, title, kind)
    return out


def _outline(
    subs: dict[int, tuple[tuple[int, ...], str]], tops: dict[int, tuple[str, str]]
) -> dict[int, tuple[tuple[int, ...], str]] | None:
    """Each outline heading's block index -> (its numbers, its title without them), when
    the numbered headings make an outline; else None. The top level's scheme is the one
    that counts its markers 1, 2, 3 … (arabic, roman or letters)."""
    best: dict[int, tuple[tuple[int, ...], str]] | None = None
    for scheme in ("arabic", "roman", "letter"):
        values = {i: _top_value(marker, scheme) for i, (marker, _) in tops.items()}
        chosen = {i: (v, tops[i][1]) for i, v in values.items() if v is not None}
        if [v for v, _ in chosen.values()] != list(range(1, len(chosen) + 1)):
            continue
        if scheme != "arabic" and len(chosen) < 2:
            continue  # one "A." or "I." line: an initial, a pronoun, no outline
        if scheme == "arabic" and not subs:
            continue
        found = {i: ((v,), t) for i, (v, t) in chosen.items()}
        if best is None or len(found) > len(best):
            best = found
    numbered = dict(best or {})
    numbered.update(subs)
    if len(numbered) < 2:
        return None
    order = [numbered[i][0] for i in sorted(numbered)]
    if any(a >= b for a, b in zip(order, order[1:], strict=False)):
        return None
    return numbered

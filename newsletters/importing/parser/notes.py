"""Footnotes kept: each note goes to the end of the story that cites it.

Word and PDF conversions print notes at the end of the issue ("[1] Repair log, 2023.",
"¹ In 2011 only 40 households voted.") and markers in the text ("gas.[1]", "voted.¹").
Notes in markup ("[^1]: Source", "<sup>1</sup> Source") are read so too, note and
marker written "[1]". The boilerplate stage takes the note blocks out of the flow
(boilerplate.py, when given a list for them); here, once sections and stories are
known, each story that cites a note gets a last paragraph "Notes: [1] …" (several notes
one a line), and its markers stay as printed. A note no story cites (its marker was in
a heading, a caption, a key figure) is dropped as "footnote" with a warning, as every
note used to be: it is never lost without a word.

When two notes print the same marker (numbering started again for each article), a
citation takes the first such note printed after it, or else the last one before it.
Linear: one pass over the note lines, one over the paragraphs."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .blocks import Block
from .classify import Item
from .model import DroppedLine
from .text import NOTE_LINE_RE, NOTE_REF_RE, _plain, _shorten

_HEADINGS = frozenset({"section", "story", "country", "jump_out", "jump_in"})
# Notes in markup: "[^1]: Source" (Markdown) or "<sup>1</sup> Source" (HTML pasted),
# cited as "gas[^1]" or "gas<sup>1</sup>". Both read as "[1]", note and marker, when the
# note is there ("km<sup>2</sup>" cites none and is left to clean_inline).
_MARKUP_NOTE_RE = re.compile(r"^(?:<sup>\s*(\d{1,3})\s*</sup>|\[\^(\d{1,3})\]:?)\s*", re.I)
_MARKUP_REF_RE = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>|\[\^(\d{1,3})\](?!:)", re.I)


@dataclass
class Note:
    marker: str  # "1" for "[1]", "¹" for "¹"
    text: str  # as printed, marker included: "[1] Repair log, 2023."
    nos: list[int]
    used: bool = False


def read_notes(blocks: list[Block]) -> list[Note]:
    """The notes of the note blocks: a line opening with a marker starts one, any other
    line goes on with the note above it."""
    notes: list[Note] = []
    for block in blocks:
        for no, line in zip(block.nos, block.lines, strict=False):
            line = " ".join(line.split())
            m = NOTE_LINE_RE.match(line)
            markup = None if m else _MARKUP_NOTE_RE.match(line)
            if markup:
                marker = markup.group(1) or markup.group(2)
                notes.append(Note(marker, f"[{marker}] {line[markup.end() :]}", [no]))
            elif m or not notes:
                notes.append(Note((m.group(1) or m.group(2)) if m else "", line, [no]))
            else:
                notes[-1].text += " " + line
                notes[-1].nos.append(no)
    return notes


def place_notes(
    items: list[Item],
    blocks: list[Block],
    dropped: list[DroppedLine],
    warnings: list[str],
) -> list[Item]:
    """``items`` with a "Notes:" paragraph at the end of each story citing a note of
    ``blocks``; the notes nobody cites go to ``dropped`` with a warning each."""
    notes = read_notes(blocks)
    if not notes:
        return items
    by_marker: dict[str, list[Note]] = {}
    for note in notes:
        by_marker.setdefault(note.marker, []).append(note)
    starts = {marker: [note.nos[0] for note in group] for marker, group in by_marker.items()}
    out: list[Item] = []
    cited: list[Note] = []  # the notes the current story cites, in order, once each
    cited_ids: set[int] = set()

    def close_story() -> None:
        cited_ids.clear()
        if cited:
            text = "Notes: " + "\\\n".join(note.text for note in cited)
            out.append(Item("para", text, nos=[no for note in cited for no in note.nos]))
            cited.clear()

    for item in items:
        if item.kind in _HEADINGS:
            close_story()
        elif item.kind == "para" and (
            "[" in item.text or not item.text.isascii() or "<" in item.text
        ):
            at = item.nos[0] if item.nos else 0
            if "<" in item.text or "^" in item.text:
                item.text = _MARKUP_REF_RE.sub(
                    lambda m: (
                        f"[{m.group(1) or m.group(2)}]"
                        if (m.group(1) or m.group(2)) in by_marker
                        else m.group(0)
                    ),
                    item.text,
                )
            for m in NOTE_REF_RE.finditer(item.text):
                marker = m.group(1) or m.group(2)
                if marker not in by_marker:
                    continue
                note = _which(by_marker[marker], starts[marker], at)
                if id(note) not in cited_ids:
                    note.used = True
                    cited.append(note)
                    cited_ids.add(id(note))
        out.append(item)
    close_story()
    for note in notes:
        if not note.used:
            warnings.append(f"footnote dropped: '{_shorten(_plain(note.text))}'")
            dropped += [DroppedLine(no, "", "footnote") for no in note.nos]
    return out


def _which(notes: list[Note], starts: list[int], at: int) -> Note:
    """The note a marker on line ``at`` refers to: the first printed after it, else the
    last before it (``starts``: each note's first line, in order)."""
    k = bisect_right(starts, at)
    return notes[k] if k < len(notes) else notes[-1]

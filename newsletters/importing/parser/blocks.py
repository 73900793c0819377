"""Stage 3: lines -> blocks separated by blank lines, and the joining of a block's lines."""

from __future__ import annotations

import re
import unicodedata

from .model import DroppedLine
from .text import (
    _MONTH_RE,
    KEEP_HYPHEN_PREFIXES,
    LIST_ITEM_RE,
    _plain,
    aligned_row,
    figure_line,
    is_pipe_table,
    is_spaced_table,
    is_table_row,
    plain_unescaped,
)


class Block:
    """Lines between blank lines. A plain class with slots, not a dataclass: a file of
    100,000 one-word paragraphs makes 100,000 of them, and their cost counts."""

    __slots__ = ("lines", "blank_after", "md_level", "nos", "text", "plain", "_heading", "kind")

    def __init__(
        self,
        lines: list[str],
        blank_after: int = 0,
        md_level: int | None = None,  # "#" count when the block is a Markdown heading
        nos: list[int] | None = None,  # 1-based input line number of each line
    ) -> None:
        self.lines = lines
        self.blank_after = blank_after
        self.md_level = md_level
        self.nos = nos if nos is not None else []
        # Computed once: every stage reads them, and a block's lines do not change.
        self.text = join_lines(lines)
        self.plain = _plain(self.text)
        self._heading: str | None = None
        # Set when an earlier stage already knows what the block is ("section" or "story"
        # heading, or "para"), so classify_blocks does not guess: the rest of a
        # "Contacts" part, a numbered heading.
        self.kind: str | None = None

    def __repr__(self) -> str:
        return f"Block({self.lines!r}, blank_after={self.blank_after}, md_level={self.md_level})"

    @property
    def heading_text(self) -> str:
        if self._heading is None:
            heading = plain_unescaped(self.text.lstrip("#").strip()).strip()
            self._heading = strip_emoji_marker(heading)
        return self._heading


def strip_emoji_marker(text: str) -> str:
    """"📌 News", "☎️ Hotlines": a wiki export's section marker is decoration; the heading
    is the words after it (so "News" reads as a section word). Only pictographs (from the
    arrows block on, not "№") and their joiners, at the start and before a space."""
    k = 0
    while k < len(text) and (
        text[k] in "\ufe0f\u200d\u20e3"
        or ord(text[k]) >= 0x2190 and unicodedata.category(text[k]) in ("So", "Sk")
    ):
        k += 1
    if k and text[k:k + 1] == " " and text[k:].strip():
        return text[k:].strip()
    return text


def drop_block(dropped: list[DroppedLine] | None, block: Block, reason: str) -> None:
    """Record every line of a block that leaves the text, with the reason."""
    if dropped is not None:
        dropped += [
            DroppedLine(no, line, reason)
            for no, line in zip(block.nos, block.lines, strict=False)
        ]


MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*)$")
# A setext underline: "=====" makes the line above a level-1 heading, "-----" level 2.
SETEXT_RE = re.compile(r"^(?:={2,}|-{2,})$")
SETEXT_MAX_CHARS = 120


def split_blocks(
    lines: list[str], nos: list[int] | None = None, markup: list[int] | None = None
) -> list[Block]:
    """Group lines into blocks separated by blank lines; a Markdown heading is always a
    block of its own. How many blank lines follow a block is kept: it separates
    section headings from story headings in plain-text files. ``nos`` are the lines'
    numbers in the input (1, 2, 3 ... when not given).

    A single short line underlined with "===" or "---" (setext Markdown) is a heading of
    level 1 or 2, like "#" and "##"; the underline's number goes to ``markup``. Under a
    paragraph of several lines "---" stays what it was (a rule, or the paragraph's own)."""
    blocks: list[Block] = []
    current: list[str] = []
    current_nos: list[int] = []
    indents: list[int] = []

    def close() -> None:
        if len(current) >= 2 and _unwrapped(current):
            # One paragraph a line (Word's "save as text"): a block of each line.
            blocks.extend(Block([line], nos=[no]) for line, no in zip(current, current_nos,
                                                                      strict=True))
            blocks[-1].blank_after = 0
            return
        # A table is never re-cut: its rows are short or long as the table makes them.
        if len(current) >= LONG_BLOCK_LINES and not (
            is_table_row(current[0]) or is_pipe_table(current[:2])
        ):
            blocks.extend(_resplit(current, current_nos, indents))
        else:
            blocks.append(Block(current, nos=current_nos))

    if nos is None:
        nos = list(range(1, len(lines) + 1))
    for no, line in zip(nos, lines, strict=True):
        stripped = line.strip()
        if not stripped:
            if current:
                close()
                current, current_nos, indents = [], [], []
            if blocks:
                blocks[-1].blank_after += 1
            continue
        if (
            len(current) == 1 and stripped[0] in "=-" and SETEXT_RE.match(stripped)
            and len(current[0]) <= SETEXT_MAX_CHARS and not SETEXT_RE.match(current[0])
        ):
            level = 1 if stripped[0] == "=" else 2
            text = current[0].lstrip("#").strip() or current[0]
            blocks.append(Block([text], md_level=level, nos=current_nos))
            current, current_nos, indents = [], [], []
            if markup is not None:
                markup.append(no)
            continue
        m = MD_HEADING_RE.match(stripped) if stripped[0] == "#" else None
        if m:
            if current:
                close()
                current, current_nos, indents = [], [], []
            blocks.append(Block([m.group(2).strip()], md_level=len(m.group(1)), nos=[no]))
            continue
        current.append(stripped)
        current_nos.append(no)
        indents.append(len(line) - len(line.lstrip()))
    if current:
        close()
    return blocks


# A line this long was never wrapped: a paragraph written as one line.
UNWRAPPED_MIN_CHARS = 200
_MEDIUM_MIN_CHARS = 100


def _unwrapped(lines: list[str]) -> bool:
    """Lines that are each a paragraph or a heading, not a paragraph wrapped: one of them
    is over UNWRAPPED_MIN_CHARS, and every line over _MEDIUM_MIN_CHARS ends a sentence
    (a wrapped paragraph's lines run on into the next). Word's "save as text" writes
    paragraphs so, with no blank line between them, and its headings as short lines."""
    if max(map(len, lines)) <= UNWRAPPED_MIN_CHARS or is_table_row(lines[0]):
        return False
    return all(len(line) <= _MEDIUM_MIN_CHARS or _SENTENCE_END.search(line) for line in lines)


# A block this long whose lines are mostly long is a conversion that lost its blank
# lines (a whole page, or a whole file, in one block); it is cut again by line shape.
LONG_BLOCK_LINES = 12


def _resplit(lines: list[str], nos: list[int], indents: list[int]) -> list[Block]:
    """Cut a block without blank lines into paragraphs and headings: a paragraph ends
    at a line clearly shorter than the text width that ends a sentence, or before an
    indented line; a short capitalised line between sentences is a heading (a block
    of its own, as a story title). Blocks of short lines (lists, directories) stay."""
    lengths = sorted(len(line) for line in lines)
    width = lengths[len(lengths) * 3 // 4]
    if lengths[len(lengths) // 2] < 40:
        return [Block(lines, nos=nos)]
    out: list[Block] = []
    start = 0
    for i, line in enumerate(lines):
        # At a block's start (after a heading or a paragraph's end) or after a sentence.
        prev_ends = i == start or _SENTENCE_END.search(lines[i - 1]) is not None
        if i > start and indents[i] >= 2 and indents[i] > indents[i - 1] and prev_ends:
            out.append(Block(lines[start:i], nos=nos[start:i]))
            start = i
        if prev_ends and len(line) < 0.75 * width and _looks_like_heading(line) and (
            i + 1 == len(lines) or lines[i + 1][:1].isupper()
        ):
            if i > start:
                out.append(Block(lines[start:i], nos=nos[start:i], blank_after=1))
            # Capitals read as a section heading (two blank lines), others as a story's.
            blank = 2 if line.isupper() and len(line.split()) <= 6 else 1
            out.append(Block([line], blank_after=blank, nos=[nos[i]]))
            start = i + 1
            continue
        if len(line) < 0.7 * width and _SENTENCE_END.search(line):
            out.append(Block(lines[start:i + 1], nos=nos[start:i + 1], blank_after=1))
            start = i + 1
    if start < len(lines):
        out.append(Block(lines[start:], nos=nos[start:]))
    return out


_SENTENCE_END = re.compile(r"[.!?:][\"”’»)*]*$")


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 10 or _SENTENCE_END.search(line) or line.endswith(","):
        return False
    # Capitals, or a capitalised line short of a sentence: "Roof repairs finish on Elm St".
    return line[:1].isupper() and len(line) >= 4


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: soft breaks become spaces, a word split by a
    line-end hyphen is mended ("Com-" + "bating"), real hyphens stay ("Jalal-" + "Abad"),
    list items keep their own lines, and so do the rows of a table (a Markdown pipe
    table, label-and-figure rows aligned with dot leaders or spaces, or rows of three or
    more cells parted by spaces): joined into one line a table is destroyed."""
    # Pieces joined once at the end, and only the last piece is looked at: building the
    # string line by line and re-reading it made a block of many short lines quadratic.
    if len(lines) == 1:
        return lines[0].strip()
    if is_pipe_table(lines):  # "a | b" over "--- | ---": rows without a leading pipe too
        return "\n".join(line.strip() for line in lines if line.strip())
    if lines and "  " in lines[0].strip() and is_spaced_table(lines):
        # Columns parted by spaces: each row a line, its spaces kept (they align the
        # columns), the indent the rows share taken off.
        rows = [line.rstrip() for line in lines if line.strip()]
        indent = min(len(row) - len(row.lstrip()) for row in rows)
        return "\n".join(row[indent:] for row in rows)
    parts: list[str] = []
    line_start, line_len = 0, 0  # where the output's last line starts in parts, its length
    entries = entry_starts(lines)
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if not parts:
            parts.append(line)
            line_len = len(line)
        elif i in entries or line[0] in _LIST_OR_FIGURE_START and (LIST_ITEM_RE.match(line) or (
            _is_figure_line(line) and line_len <= 100
            and _is_figure_line("".join(parts[line_start:]))
        )) or (line[0] == "|" and is_table_row(line)) or (
            line_len <= 160 and aligned_row(line) and aligned_row("".join(parts[line_start:]))
        ):
            # list items, "1,377 hotline calls" figure lines, table rows
            parts += ["\n", line]
            line_start, line_len = len(parts) - 1, len(line)
        elif parts[-1][-1:] == "\\" and parts[-1][-2:] != "\\\\":
            # A Markdown hard break ("\\" at the end, an HTML "<br>"): the line ends there.
            parts += ["\n", line]
            line_start, line_len = len(parts) - 1, len(line)
        else:
            cut, add = _joint(parts[-1], line, " ")
            if cut:
                parts[-1] = parts[-1][:-cut]
            parts.append(add)
            line_len += len(add) - cut
    return "".join(parts)


# A speaker's turn in an interview: "Q:", "Aigerim:", "Dr Karimova:" and the words said.
SPEAKER_RE = re.compile(r"^([A-ZА-ЯЁ][\w'’.-]{0,24}(?: [A-ZА-ЯЁ][\w'’.-]{0,24}){0,2}):\s")
QA_LABELS = frozenset({"Q", "A", "Question", "Answer", "В", "О", "Вопрос", "Ответ"})
# "Q. How many …" / "A. About …": the question and answer marks written with a full stop.
QA_DOT_RE = re.compile(r"^(Q|A)\.\s")  # (Cyrillic "В." and "О." are initials too)
# An entry of a calendar or register: a date first ("12 March 2025 — Round table",
# "March 12:", "12.03.2025"), or "No. 11 —" as an index of issues prints it.
ENTRY_DATE_RE = re.compile(
    rf"^(?:\d{{1,2}}(?:st|nd|rd|th)?[ -](?:{_MONTH_RE})\b|(?:{_MONTH_RE}) \d{{1,2}}\b"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}\b)",
    re.IGNORECASE,
)
ENTRY_NUMBER_RE = re.compile(r"^([^\W\d_]{1,8}\.?) ?\d{1,4}\b")


def entry_starts(lines: list[str]) -> frozenset[int]:
    """The lines of a block that start an entry of their own and keep their line: each
    speaker's turn of an interview (two speakers at least, one speaking twice, or "Q:"
    and "A:"), or every line when all of them (but for a first, a heading) are dated
    entries ("12 March 2025 — Round table, Osh") or numbered alike ("No. 11 — March
    2023: …"). Joined into one line, a
    calendar or an interview is unreadable. One look at each line's start: linear."""
    if len(lines) < 2:
        return frozenset()
    rows = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    # The entries may stand under a heading glued to them ("Past issues" over the index).
    for entries in (rows, rows[1:]):
        if len(entries) >= 2 and all(ENTRY_DATE_RE.match(row) for _, row in entries):
            return frozenset(i for i, _ in entries)
        words = [m.group(1) for _, row in entries if (m := ENTRY_NUMBER_RE.match(row))]
        if len(words) == len(entries) >= 2 and len(set(words)) == 1 and words[0][:1].isupper():
            return frozenset(i for i, _ in entries)
    turns = [
        (i, m.group(1)) for i, row in rows if (m := SPEAKER_RE.match(row) or QA_DOT_RE.match(row))
    ]
    speakers = {name for _, name in turns}
    if len(speakers) >= 2 and (len(turns) > len(speakers) or speakers <= QA_LABELS):
        return frozenset(i for i, _ in turns)
    return frozenset()


# A list item or a figure line ("**1,377** calls") starts with one of these; other lines
# skip the two patterns.
_LIST_OR_FIGURE_START = frozenset("-*•_0123456789[<|")


def _is_figure_line(line: str) -> bool:
    return len(line) <= 100 and bool(figure_line(_plain(line)))


# Letters of any script ([А-Яа-я] missed Ё, Ң, Ө, Ү): "Com-", "Жалал-".
HYPHEN_END_RE = re.compile(r"([^\W\d_]+)-$")


def _joint(left: str, right: str, sep: str) -> tuple[int, str]:
    """How ``right`` joins ``left``: (characters to cut from the end of left, text to add).
    Only the end of ``left`` is read, so joining stays linear however long left grows."""
    m = HYPHEN_END_RE.search(left[-40:]) if left.endswith("-") else None
    if m:
        if right[:1].islower() and m.group(1).lower() not in KEEP_HYPHEN_PREFIXES:
            return 1, right
        return 0, right
    return 0, sep + right


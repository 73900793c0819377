"""Stage 3: lines -> blocks separated by blank lines, and the joining of a block's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import FIGURE_LINE_RE, KEEP_HYPHEN_PREFIXES, LIST_ITEM_RE, _plain


@dataclass
class Block:
    lines: list[str]
    blank_after: int = 0
    md_level: int | None = None  # "#" count when the block is a Markdown heading

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def heading_text(self) -> str:
        return _plain(re.sub(r"^#+\s*", "", self.text)).strip()


MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*)$")


def split_blocks(lines: list[str]) -> list[Block]:
    """Group lines into blocks separated by blank lines; a Markdown heading is always a
    block of its own. How many blank lines follow a block is kept: it separates
    section headings from story headings in plain-text files."""
    blocks: list[Block] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append(Block(current.copy()))
            current.clear()

    for line in lines:
        if not line.strip():
            close()
            if blocks:
                blocks[-1].blank_after += 1
            continue
        m = MD_HEADING_RE.match(line.strip())
        if m:
            close()
            blocks.append(Block([m.group(2).strip()], md_level=len(m.group(1))))
            continue
        current.append(line.strip())
    close()
    return blocks


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: soft breaks become spaces, a word split by a
    line-end hyphen is mended ("Com-" + "bating"), real hyphens stay ("Jalal-" + "Abad"),
    list items keep their own lines."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif LIST_ITEM_RE.match(line) or (
            FIGURE_LINE_RE.match(_plain(line)) and FIGURE_LINE_RE.match(_plain(out.split("\n")[-1]))
        ):
            out += "\n" + line  # list items and "1,377 hotline calls" figure lines
        else:
            out = _join_two(out, line, " ")
    return out


def _join_two(left: str, right: str, sep: str) -> str:
    m = re.search(r"([A-Za-zА-Яа-я]+)-$", left)
    if m:
        if right[:1].islower() and m.group(1).lower() not in KEEP_HYPHEN_PREFIXES:
            return left[:-1] + right
        return left + right
    return left + sep + right

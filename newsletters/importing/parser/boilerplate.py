"""Stage 6: what is not story text (social-media calls, contents lists, page numbers, footnotes)."""

from __future__ import annotations

import re

from ..countries import country_code
from .blocks import Block
from .text import _plain, _shorten

FOLLOW_RE = re.compile(r"^\W*follow us\b", re.IGNORECASE)
CLICK_RE = re.compile(
    r"^\W*(?:please\s+)?click on the (?:photo|icon|image|picture|video|banner)", re.IGNORECASE
)
TOC_RE = re.compile(r"^\W*in this (?:edition|issue)\W*$", re.IGNORECASE)
FOOTNOTE_RE = re.compile(r"^\s*(?:<sup>\s*\d+\s*</sup>|\[\^\d+\]:?)")
# Bare, not bold: "**386**" is a key figure, "3" alone on a line is a page number.
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,3}$", re.IGNORECASE)


def _toc_entry(block: Block) -> bool:
    first = _plain(block.lines[0])
    m = re.match(r"^([A-Za-z’' ]{4,30}?)\s*:", first)
    return bool(m and country_code(m.group(1)))


def drop_boilerplate(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop what is not story text: social-media calls, "click on the photo" notes that
    point at pictures we don't have, tables of contents, page numbers. Footnotes are
    dropped with a warning because they may carry a source worth re-adding by hand."""
    kept: list[Block] = []
    warnings: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        plain = _plain(block.text)
        if TOC_RE.match(_plain(block.lines[0])):
            i += 1
            while i < len(blocks) and blocks[i].md_level is None and _toc_entry(blocks[i]):
                i += 1
            continue
        if block.md_level is None and FOOTNOTE_RE.match(block.lines[0]):
            warnings.append(f"footnote dropped: '{_shorten(plain)}'")
        elif FOLLOW_RE.match(plain) or CLICK_RE.match(plain) or PAGE_NUMBER_RE.match(block.text):
            pass
        else:
            kept.append(block)
        i += 1
    return kept, warnings

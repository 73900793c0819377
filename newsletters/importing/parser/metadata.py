"""Issue identity: the masthead banner at the top, and the title made from what is known."""

from __future__ import annotations

import datetime
import re

from .blocks import Block
from .directory import _country_heading
from .model import ParsedSection
from .text import _MONTH_RE, MASTHEAD_WORDS, _is_capital, smart_title


def extract_masthead(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """A banner heading at the very top ("## IOM COUNTER-TRAFFICKING PROGRAMME IN CENTRAL
    ASIA") names the series when no running header does. It counts as a masthead when it
    says what kind of publication it is, or when a deeper heading follows at once."""
    if not blocks:
        return blocks, None
    first = blocks[0]
    is_heading = first.md_level is not None or (
        len(first.lines) == 1 and _is_capital(first.text) and first.blank_after >= 1
    )
    if not is_heading or _country_heading(first.heading_text):
        return blocks, None
    text = first.heading_text
    deeper_next = (
        len(blocks) > 1
        and first.md_level is not None
        and blocks[1].md_level is not None
        and blocks[1].md_level > first.md_level
    )
    if MASTHEAD_WORDS.search(text) or deeper_next:
        return blocks[1:], smart_title(text)
    return blocks, None



def _period_of(sections: list[ParsedSection]) -> str | None:
    for section in sections:
        for st in section.stories:
            m = re.search(rf"\b({_MONTH_RE})\s+(\d{{4}})\b", st.body)
            if m:
                return f"{m.group(1)} {m.group(2)}"
    return None


def make_title(
    series: str | None, number: int | None, date: datetime.date | None,
    sections: list[ParsedSection],
) -> str:
    when = f"{date.day} {date:%B %Y}" if date else None
    if series and number is not None:
        return f"{series} — Issue {number}"
    if series and when:
        return f"{series} — {when}"
    if series:
        period = _period_of(sections)
        return f"{series} — {period}" if period else series
    if number is not None:
        return f"Issue {number}" + (f", {when}" if when else "")
    return f"Issue of {when}"

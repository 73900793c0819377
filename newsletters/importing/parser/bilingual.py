"""Text printed in two languages at once: "KAZAKHSTAN / КАЗАХСТАН", a title "Drivers learn
first aid / Водители учатся первой помощи", or the same title on two lines, English over
Russian. Bilingual newsletters of the region print each heading so, and each story in
both languages under it: one heading, one story.

``country_code`` here is countries.country_code that also reads a bilingual country name
(every half names the same country); the parser's stages use it instead."""

from __future__ import annotations

from ..countries import country_code as _one_country_code
from .text import is_cyrillic

SEPARATOR = " / "
HALF_MAX_WORDS = 15


def halves(text: str) -> list[str] | None:
    """["English", "Русский"] for "English / Русский" (two halves), else None."""
    if SEPARATOR not in text:
        return None
    parts = [part.strip() for part in text.split(SEPARATOR)]
    return parts if len(parts) == 2 and all(parts) else None


def two_scripts(first: str, second: str) -> bool:
    """Whether one text is in Cyrillic and the other not: two languages, not two lines of
    one sentence."""
    return is_cyrillic(first) != is_cyrillic(second)


def is_bilingual(text: str) -> bool:
    """"Drivers learn first aid / Водители учатся первой помощи": two halves of a heading's
    length in two scripts."""
    parts = halves(text)
    return parts is not None and two_scripts(*parts) and all(
        len(part.split()) <= HALF_MAX_WORDS for part in parts
    )


def country_code(text: str) -> str | None:
    """The country of "Kazakhstan", "КАЗАХСТАН" or "Kazakhstan / Казахстан"."""
    code = _one_country_code(text)
    if code is not None or SEPARATOR not in text:
        return code
    parts = halves(text)
    if parts is None:
        return None
    codes = {_one_country_code(part) for part in parts}
    return codes.pop() if len(codes) == 1 else None

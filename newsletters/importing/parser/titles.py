"""The issue's title, made from what identifies it when no front matter or user gives
one: "Series — Issue 6", "Series — Vol. 4, Issue 2", "Безопасная дорога — № 5"."""

from __future__ import annotations

import datetime

from .dates import when_label
from .model import ParsedSection
from .text import is_cyrillic, is_uzbek_or_turkmen_latin


def make_title(
    series: str | None, number: int | None, date: datetime.date | None,
    sections: list[ParsedSection] | None = None, precision: str = "day",
    volume: str | None = None,
) -> str:
    """"Series — Issue 6", "Series — March 2022", "Issue 6, 1 March 2022" ... Only what
    identifies the issue goes in: never a date read in a story. A series named in Cyrillic
    gets its title in Russian: "Безопасная дорога — № 5", "Вестник — май 2019". A volume
    printed in the masthead comes first: "Series — Vol. 4, Issue 2" ("Том 4, № 2"). An
    Uzbek or Turkmen series in Latin letters takes "№" for "Issue" too."""
    if series and is_cyrillic(series):
        when = when_label(date, precision, "ru") if date else None
        vol = f"Том {volume}, " if volume else ""
        return f"{series} — {vol}№ {number}" if number is not None else (
            f"{series} — {vol}{when}" if when else series
        )
    when = when_label(date, precision) if date else None
    vol = f"Vol. {volume}, " if volume else ""
    if series and number is not None:
        # An Uzbek or Turkmen series: "№ 12", as the region prints it, not English "Issue".
        word = "№" if is_uzbek_or_turkmen_latin(series) else "Issue"
        return f"{series} — {vol}{word} {number}"
    if series and when:
        return f"{series} — {vol}{when}"
    if series:
        return series
    if number is not None:
        return f"Issue {number}" + (f", {when}" if when else "")
    return f"Issue of {when}"

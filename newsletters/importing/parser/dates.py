"""Dates and issue numbers as newsletters print them: "15/01/2021", "1 March 2022",
"January 1984", "April - June 2014", "Q2 2014", "Summer 2021"; "Issue 9", "No. 6",
"Vol. I - No. 6"."""

from __future__ import annotations

import datetime
import re

from .text import _MONTH_RE, MONTHS

MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_M = rf"(?:{_MONTH_RE}|{MONTH_ABBR})\.?"
# Each form is a bounded sequence of tokens: nothing here can backtrack more than a few
# characters, whatever the line holds.
DATE_FORMS = [
    ("day", re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")),
    ("day", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    # One or two spaces between a day and its month: "No. 6        March 2022" is no date.
    ("day", re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? {{1,2}}(?P<mn>{_M}) {{1,2}}(?P<y>\d{{4}})\b", re.I
    )),
    ("day", re.compile(rf"\b(?P<mn>{_M}) {{1,2}}(?P<d>\d{{1,2}}),? {{1,2}}(?P<y>\d{{4}})\b", re.I)),
    ("quarter", re.compile(
        rf"\b(?P<mn>{_M})\s*(?:-|–|—|to)\s*(?P<mn2>{_M})\s+(?P<y>\d{{4}})\b", re.I
    )),
    ("quarter", re.compile(r"\b(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth) quarter)"
                           r"(?:\s+of)?\s+(?P<y>\d{4})\b", re.I)),
    ("month", re.compile(rf"\b(?P<mn>{_M})\s+(?P<y>\d{{4}})\b", re.I)),
    ("month", re.compile(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?P<y>\d{4})\b",
                         re.I)),
    ("month", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})\b")),
]
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# A season printed as the date ("Summer 2021") is read as its first month, with month
# precision: the meteorological seasons of the northern hemisphere, where the archive's
# organisations are; "Winter 2021" is the winter that starts in December 2021. The issue
# page then says "June 2021"; the printed season stays in the masthead line (dropped as
# "masthead", so it is listed) and an editor can correct the date in the preview.
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# "Issue 9", "No. 6", "Vol. I - No. 6", "Volume 1, Number 6", "Newsletter 7", "№4", "#12".
NUMBER_RE = re.compile(
    r"(?:\b(?:issue|no|number|newsletter|bulletin|edition|nr)\b\.?|№|#)\s*(?P<n>\d{1,4})\b",
    re.I,
)
VOLUME_RE = re.compile(r"\bvol(?:ume)?\b\.?\s*(?:[IVXLC]{1,6}|\d{1,3})\b\s*[,\-–—·|]?\s*", re.I)


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    for full, number in MONTHS.items():
        if full.startswith(key[:3]):
            return number
    raise ValueError(name)


def find_date(text: str) -> tuple[datetime.date, str] | None:
    """The first date printed in ``text`` and its precision: "15/01/2021", "1 March 2022"
    (day), "January 1984" (month), "April - June 2014", "Q2 2014" (quarter, first day)."""
    best: tuple[int, datetime.date, str] | None = None
    for precision, regex in DATE_FORMS:
        m = regex.search(text)
        if not m:
            continue
        g = m.groupdict()
        try:
            year = int(g["y"])
            if precision == "quarter":
                if g.get("mn"):
                    first, last = _month(g["mn"]), _month(g["mn2"])
                    span = (last - first) % 12 + 1
                    precision = "quarter" if span == 3 and first % 3 == 1 else "month"
                    when = datetime.date(year, first, 1)
                else:
                    quarter = int(g["q"]) if g.get("q") else _QUARTER_WORDS[g["qw"].lower()]
                    when = datetime.date(year, 3 * quarter - 2, 1)
            else:
                if g.get("season"):
                    month = SEASON_MONTHS[g["season"].lower()]
                else:
                    month = _month(g["mn"]) if g.get("mn") else int(g["m"])
                when = datetime.date(year, month, int(g["d"]) if g.get("d") else 1)
        except (ValueError, KeyError):
            continue
        if not 1800 <= year <= 2100:
            continue
        # The earliest match in the text wins; at one place the longer (more precise) form.
        if best is None or m.start() < best[0]:
            best = (m.start(), when, precision)
    return (best[1], best[2]) if best else None


def find_number(text: str) -> int | None:
    """The issue number printed in ``text`` ("Vol. I - No. 6" -> 6, "Issue 9" -> 9)."""
    m = NUMBER_RE.search(VOLUME_RE.sub(" ", text) if "vol" in text.lower() else text)
    return int(m.group("n")) if m else None


def when_label(date: datetime.date, precision: str) -> str:
    """"1 March 2022", "March 2022", "April–June 2014" or "2014"."""
    if precision == "year":
        return str(date.year)
    if precision == "quarter":
        last = datetime.date(date.year, date.month + 2, 1)
        return f"{date:%B}–{last:%B %Y}"
    if precision == "month":
        return f"{date:%B %Y}"
    return f"{date.day} {date:%B %Y}"

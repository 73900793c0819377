"""How a masthead prints its issue's date beyond dates.py's forms: a fortnightly's span of
days ("1–15 June 2023", "June 1–15, 2023", "29 May – 11 June 2023"), the year an issue
number counts in ("Issue 3/2021", "№ 3/2021"), a year with the word "year" ("2022-yil",
"соли 2021"); and where a line's date starts, which
ends the series name printed before it ("NORTHWIND DIGEST, 15/03/2022").

Read on masthead lines only (short), never on story text. Every pattern is a bounded
sequence of tokens, so none can backtrack more than a few characters."""

from __future__ import annotations

import datetime
import re

from .dates import _M, DATE_FORMS, _month, find_date
from .languages import ORDINAL_SUFFIX, YEAR_WORD_AFTER, YEAR_WORD_BEFORE

# "1–15 June 2023", "1st-15th June 2023"; "June 1–15, 2023"; "29 May – 11 June 2023".
_DAY = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
_TO = r" ?[-–—] ?"
DAY_SPAN_FORMS = (
    re.compile(
        rf"\b{_DAY}(?: (?P<mn1>{_M}))?{_TO}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? {{1,2}}"
        rf"(?P<mn>{_M}) {{1,2}}(?P<y>\d{{4}})\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<mn>{_M}) {{1,2}}{_DAY}{_TO}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,? {{1,2}}"
        rf"(?P<y>\d{{4}})\b",
        re.I,
    ),
)
# "Issue 3/2021": issue 3 of the year 2021 (the year is the date, as precise as printed).
ISSUE_YEAR_RE = re.compile(
    r"(?:\b(?:issue|no|number|nr|выпуск|вып)\b\.?|№|#) ?\d{1,4} ?/ ?(?P<y>(?:18|19|20)\d\d)\b",
    re.I,
)


# A year printed with the word "year" and no month: Uzbek "2022-yil", Kyrgyz "2024-жыл",
# Turkmen "2021-nji ýyl", Tajik "соли 2021" (languages.py). The issue's year.
YEAR_WORD_RE = re.compile(
    rf"\b(?P<y>(?:18|19|20)\d\d)(?:-(?:{ORDINAL_SUFFIX}))?[- ]?(?:{YEAR_WORD_AFTER})\b"
    rf"|\b(?:{YEAR_WORD_BEFORE}) (?P<y2>(?:18|19|20)\d\d)\b",
    re.I,
)


def day_span(text: str) -> tuple[datetime.date, str] | None:
    """The first day of a span of days printed in ``text``, and the span as printed;
    None when there is none, or it is no real span (a day that does not exist, an end
    before its start)."""
    for regex in DAY_SPAN_FORMS:
        m = regex.search(text)
        if not m:
            continue
        try:
            year = int(m.group("y"))
            end_month = _month(m.group("mn"))
            start_month = _month(m.group("mn1")) if m.groupdict().get("mn1") else end_month
            first = datetime.date(
                year if start_month <= end_month else year - 1, start_month, int(m.group("d1"))
            )
            last = datetime.date(year, end_month, int(m.group("d2")))
        except ValueError:
            continue
        if first < last:
            return first, m.group(0)
    return None


def masthead_date(text: str) -> tuple[datetime.date, str] | None:
    """The date a masthead line prints (find_date), or the year its issue number counts
    in ("Issue 3/2021" -> 2021, precision "year"), or a year printed with its word
    ("5-son · 2022-yil", "Шумораи 2, соли 2021": precision "year")."""
    found = find_date(text)
    if found:
        return found
    m = ISSUE_YEAR_RE.search(text)
    if m:
        return datetime.date(int(m.group("y")), 1, 1), "year"
    m = YEAR_WORD_RE.search(text)
    return (datetime.date(int(m.group("y") or m.group("y2")), 1, 1), "year") if m else None


def date_start(text: str) -> int:
    """Where the first date printed in ``text`` starts (0 when it prints none)."""
    starts = [m.start() for _, regex in DATE_FORMS if (m := regex.search(text))]
    return min(starts, default=0)

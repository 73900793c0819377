"""Stage 2: running page headers and footers, which carry the series, issue number and date."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .dates import find_date, find_number
from .languages import PAGE_WORDS_RE
from .model import DroppedLine
from .text import _MONTH_RE, MONTHS, smart_title

_DATE_PATTERNS = (
    r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})",
    rf"(?P<td>\d{{1,2}})\s+(?P<tm>{_MONTH_RE})\s+(?P<ty>\d{{4}})",
    rf"(?P<um>{_MONTH_RE})\s+(?P<ud>\d{{1,2}}),?\s+(?P<uy>\d{{4}})",
)
# Matched against a stripped line of at most HEADER_MAX_CHARS. No two neighbouring
# quantifiers can take the same characters (the series stops at its comma, each optional
# part owns the spaces after it), so a line costs linear time: the old pattern with
# "\s*(?:#+\s*)?(?:\*\*)?\s*" backtracked for minutes on a run of spaces.
RUNNING_HEADER_RE = re.compile(
    r"^(?:#+\s*)?(?:\*\*\s*)?(?:(?P<series>[^,●•*#\n]{3,120}),\s*)?"
    r"ISSUE\s*(?:(?:№|No\.?|N°|#)\s*)?(?P<num>\d{1,4})\s*(?:[,\-–—]\s*)?"
    r"(?P<date>" + "|".join(f"(?:{p})" for p in _DATE_PATTERNS) + r")"
    r"[●•\s]*(?:\*\*\s*)?$",
    re.IGNORECASE,
)
HEADER_MAX_CHARS = 160


@dataclass
class HeaderInfo:
    series: str | None = None
    number: int | None = None
    date: datetime.date | None = None
    warnings: list[str] = field(default_factory=list)


def _date_from_match(m: re.Match) -> datetime.date | None:
    g = m.groupdict()
    try:
        if g.get("y"):
            return datetime.date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g.get("ty"):
            return datetime.date(int(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"]))
        if g.get("uy"):
            return datetime.date(int(g["uy"]), MONTHS[g["um"].lower()], int(g["ud"]))
    except ValueError:
        return None
    return None


def strip_running_headers(
    lines: list[str],
    nos: list[int] | None = None,
    dropped: list[DroppedLine] | None = None,
) -> tuple[list[str], HeaderInfo]:
    """Remove page headers/footers ("SERIES, ISSUE 6, 02/10/2020 ● ●", "Issue №4, 7 August
    2020") wherever they stand; the first one found names the series, number and date.
    The lines around a removed header are joined later by ``join_paragraphs``.

    With ``nos`` (the lines' input numbers), the numbers of the kept lines are left in it
    and each removed header is added to ``dropped``."""
    info = HeaderInfo()
    if not any("issue" in line.lower() for line in lines):
        return list(lines), info  # nothing to look at: skip the per-line work
    kept: list[str] = []
    kept_nos: list[int] = []
    numbers = nos if nos is not None else range(1, len(lines) + 1)
    filled = 0  # non-blank lines seen, while the first paragraph of the file lasts
    for no, line in zip(numbers, lines, strict=True):
        stripped = line.strip()
        m = (
            RUNNING_HEADER_RE.match(stripped)
            if len(stripped) <= HEADER_MAX_CHARS and "issue" in stripped.lower()
            else None
        )
        if m and filled == 1 and not m.group("series"):
            # "CASPIAN RETURNS MONITOR" over "Issue 6, 15 January 2024": the banner's
            # second line, read with its series by the masthead, no page header.
            m = None
        filled = filled + 1 if stripped and filled >= 0 else (-1 if filled else 0)
        if not m:
            kept.append(line)
            kept_nos.append(no)
            continue
        if dropped is not None:
            dropped.append(DroppedLine(no, stripped, "running header"))
        number = int(m.group("num"))
        date = _date_from_match(m)
        series = (m.group("series") or "").strip(" #*") or None
        if info.number is None and info.date is None:
            info.number, info.date = number, date
            info.series = smart_title(series) if series else None
        elif (number, date) != (info.number, info.date):
            info.warnings.append(
                f"running headers disagree: '{line.strip()}' vs issue {info.number}, {info.date}"
            )
        if info.series is None and series:
            info.series = smart_title(series)
    if nos is not None:
        nos[:] = kept_nos
    return kept, info


PAGE_LINE_RE = re.compile(
    rf"^\W{{0,3}}(?:page|p\.|страница|стр\.|бет|{PAGE_WORDS_RE})?\s*\d{{1,3}}"
    # "3-bet", "3-бет", "3-nji sahypa": the region's page word after the number.
    rf"(?:-(?:nji |njy )?(?:{PAGE_WORDS_RE}))?"
    r"(?:\s*(?:of|из|/)\s*\d{1,3})?\W{0,3}$",
    re.I,
)
# The region's page words as words ("bet" is in "between"): languages.py.
_LOCAL_PAGE_WORD = re.compile(rf"(?<!\w)(?:{PAGE_WORDS_RE})(?!\w)").search


def _names_page(key: str) -> bool:
    """"Page 3", "p. 3", Russian "стр. 3", "Страница 3 из 8", Kyrgyz "3-бет"; Uzbek
    "3-bet", Tajik "саҳифаи 3", Turkmen "sahypa 3"."""
    return (
        "page" in key or "p." in key or "стр" in key or "бет" in key
        or _LOCAL_PAGE_WORD(key) is not None
    )
_DIGITS_RE = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d").search


def strip_repeated_headers(
    lines: list[str], nos: list[int], dropped: list[DroppedLine] | None = None
) -> tuple[list[str], list[str]]:
    """Remove running headers of other forms: a short line printed again and again with
    only its numbers changing ("THE COURIER · Vol. 2, No. 6 · Page 3"), when it carries a
    page, an issue number or a date; and lone page numbers ("Page 3 of 8", "- 4 -").
    A form printed on neighbouring lines is a list or a table, never a header.
    Returns the kept lines (``nos`` is updated alike) and the removed headers, first
    first, for the metadata. One pass to count, one to filter: linear."""
    if not any(_HAS_DIGIT(line) for line in lines):
        return list(lines), []
    keys: dict[str, int] = {}
    listed: set[str] = set()  # forms met on neighbouring lines: a list or table, no header
    previous = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        key = None
        if len(stripped) <= 100 and _HAS_DIGIT(stripped):
            key = _DIGITS_RE.sub("#", stripped.lower())
            keys[key] = keys.get(key, 0) + 1
            if key == previous:
                listed.add(key)
        previous = key
    kept: list[str] = []
    kept_nos: list[int] = []
    headers: list[str] = []
    verdicts: dict[str, bool] = {}
    for no, line in zip(nos, lines, strict=True):
        stripped = line.strip()
        reason = None
        if stripped and len(stripped) <= 100 and _HAS_DIGIT(stripped):
            key = _DIGITS_RE.sub("#", stripped.lower())
            if PAGE_LINE_RE.match(stripped) and (_names_page(key) or "-" in key):
                reason = "page number"
            elif (
                keys[key] >= 2 and key not in listed
                # A footer naming its page may be long: "Scanned by the ... archive — page
                # 1 of 2" is page furniture at 13 words as at 5.
                and len(stripped.split()) <= (20 if _names_page(key) else 12)
                and not stripped.endswith((".", "!", "?"))  # a sentence, not a header
            ):
                if key not in verdicts:
                    verdicts[key] = bool(
                        _names_page(key) or find_number(stripped) is not None
                        or find_date(stripped)
                    )
                if verdicts[key]:
                    reason = "running header"
                    headers.append(stripped)
        if reason is None:
            kept.append(line)
            kept_nos.append(no)
        elif dropped is not None:
            dropped.append(DroppedLine(no, stripped, reason))
    nos[:] = kept_nos
    return kept, headers

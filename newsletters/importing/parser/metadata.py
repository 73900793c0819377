"""Issue identity: the masthead banner at the top, and the title made from what is known."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import yaml

from .blocks import Block, drop_block
from .dates import find_date, find_number, when_label
from .directory import _country_heading
from .model import DroppedLine, ParsedSection
from .text import (
    MASTHEAD_WORDS,
    _ends_sentence,
    _is_capital,
    _plain,
    smart_title,
)


def is_single_top_heading(blocks: list[Block]) -> bool:
    """Whether the first block is a Markdown file's single top heading (no other heading
    is as shallow, and there are others): the document's title, never a section."""
    first = blocks[0] if blocks else None
    if first is None or first.md_level is None:
        return False
    others = [b.md_level for b in blocks[1:] if b.md_level is not None]
    return bool(others) and min(others) > first.md_level


def drop_title_heading(blocks: list[Block], title: str | None,
                       dropped: list[DroppedLine] | None = None) -> list[Block]:
    """When the front matter gave the title, a single top heading that says the same is
    that title printed again: listed as dropped, not made a section. (A single top
    heading that says something else may be the file's only section, and stays.)"""
    def same(text: str) -> bool:
        return " ".join(text.split()).casefold() == " ".join((title or "").split()).casefold()

    if title and is_single_top_heading(blocks) and same(blocks[0].heading_text):
        drop_block(dropped, blocks[0], "masthead")
        return blocks[1:]
    return blocks


def extract_masthead(
    blocks: list[Block], dropped: list[DroppedLine] | None = None
) -> tuple[list[Block], str | None]:
    """A banner heading at the very top ("## IOM COUNTER-TRAFFICKING PROGRAMME IN CENTRAL
    ASIA") names the series when no running header does. It counts as a masthead when it
    says what kind of publication it is, when a deeper heading follows at once, or when it
    is a Markdown file's single top heading (no other heading as shallow: the title)."""
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
    if MASTHEAD_WORDS.search(text) or deeper_next or is_single_top_heading(blocks):
        drop_block(dropped, first, "masthead")
        return blocks[1:], smart_title(text)
    return blocks, None



@dataclass
class Metadata:
    """What identifies an issue, and where each value came from."""

    series: str | None = None
    number: int | None = None
    date: datetime.date | None = None
    precision: str = "day"
    title: str | None = None
    warnings: list[str] = field(default_factory=list)

    def fill(self, other: Metadata) -> None:
        """Take ``other``'s values where this one has none (this one is trusted more)."""
        self.series = self.series or other.series
        self.title = self.title or other.title
        if self.number is None:
            self.number = other.number
        if self.date is None and other.date is not None:
            self.date, self.precision = other.date, other.precision


def from_header_line(line: str) -> Metadata:
    """The number and date a running header of another form prints."""
    meta = Metadata(number=find_number(line))
    found = find_date(line)
    if found:
        meta.date, meta.precision = found
    return meta


FRONT_MATTER_MAX_LINES = 60


def read_front_matter(lines: list[str], dropped: list[DroppedLine] | None = None) -> Metadata:
    """YAML front matter ("---" lines around ``title``, ``date``, ``series``, ``number``) at
    the top. Its lines are blanked in ``lines`` (so numbering holds) and go to ``dropped``
    as "front matter". Read with ``yaml.safe_load``; only scalar values are used, so an
    alias bomb or a nested structure is never expanded."""
    meta = Metadata()
    start = next((k for k, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return meta
    end = next(
        (k for k in range(start + 1, min(len(lines), start + FRONT_MATTER_MAX_LINES))
         if lines[k].strip() in ("---", "...")),
        None,
    )
    if end is None:
        return meta
    source = "\n".join(lines[start + 1:end])
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {start + 2 + mark.line})" if mark is not None else ""
        meta.warnings.append(f"front matter is not valid YAML{where}; it was ignored")
        data = None
    if data is not None and not isinstance(data, dict):
        meta.warnings.append("front matter is not a set of 'key: value' lines; it was ignored")
        data = None
    for k in range(start, end + 1):
        if dropped is not None and lines[k].strip():
            dropped.append(DroppedLine(k + 1, lines[k].strip(), "front matter"))
        lines[k] = ""
    if not data:
        return meta
    values = {str(k).lower(): v for k, v in data.items()}

    def scalar(key: str) -> str | int | datetime.date | None:
        value = values.get(key)
        if isinstance(value, str | int | datetime.date) and not isinstance(value, bool):
            return value
        if value is not None:
            meta.warnings.append(f"front matter '{key}' is not a single value; it was ignored")
        return None

    title, series, number, when = (scalar(k) for k in ("title", "series", "number", "date"))
    meta.title = str(title).strip() or None if title is not None else None
    meta.series = str(series).strip() or None if series is not None else None
    if number is not None:
        found = number if isinstance(number, int) else find_number(f"No. {number}")
        if found is None:
            meta.warnings.append(f"front matter number '{number}' is not a number; ignored")
        meta.number = found
    if isinstance(when, datetime.datetime):
        meta.date = when.date()
    elif isinstance(when, datetime.date):
        meta.date = when
    elif when is not None:
        found_date = find_date(str(when))
        if found_date is None:
            meta.warnings.append(f"front matter date '{when}' is not a date; ignored")
        else:
            meta.date, meta.precision = found_date
    return meta


FILENAME_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:18|19|20)\d\d)[-_.](?P<m>[01]\d)(?:[-_.](?P<d>[0-3]\d))?(?!\d)"
)
FILENAME_NUMBER_RE = re.compile(
    r"(?:^|[_\-\s.])(?P<mark>no|nr|issue|n)?[_\-\s.]?(?P<n>\d{1,3})(?=$|[_\-\s.])", re.I
)


def from_filename(filename: str | None) -> Metadata:
    """``bulletin_09_2019-12.md`` -> number 9, December 2019 (month precision)."""
    meta = Metadata()
    if not filename:
        return meta
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.replace("\\", "/").rsplit("/", 1)[-1])[:200]
    m = FILENAME_DATE_RE.search(stem)
    if m:
        try:
            day = int(m.group("d")) if m.group("d") else 1
            meta.date = datetime.date(int(m.group("y")), int(m.group("m")), day)
            meta.precision = "day" if m.group("d") else "month"
        except ValueError:
            meta.date = None
        stem = stem[: m.start()] + "_" + stem[m.end():]
    n = FILENAME_NUMBER_RE.search(stem)
    # A bare leading number ("004_0914d3.txt") is how archives keep files in order, not an
    # issue number: it counts when marked ("no_6"), after a name ("bulletin_09") or
    # beside a date ("09_2019-12").
    if n and (n.group("mark") or meta.date or re.match(r"[^\W\d_]", stem)):
        meta.number = int(n.group("n"))
    return meta


def _is_banner_line(line: str) -> bool:
    """Short and not a sentence: a masthead line, never story text."""
    plain = _plain(line)
    return len(plain) <= 100 and not (len(plain.split()) >= 8 and _ends_sentence(plain))


def read_masthead(blocks: list[Block], dropped: list[DroppedLine] | None = None
                  ) -> tuple[list[Block], Metadata]:
    """A masthead at the top: up to four leading blocks of short lines, before any
    sentence, that print an issue number or a date ("Vol. I - No. 6 · March 2022",
    "Newsletter 7", "April - June 2014"). Such a block is the masthead, all of it: its
    lines go to ``dropped`` as "masthead"; its first line without a number or date names
    the series. Nothing is read below the first sentence, so a date in a story never
    becomes the issue's date."""
    meta = Metadata()
    title_block: int | None = None
    consumed: list[int] = []
    for k, block in enumerate(blocks[:4]):
        if len(block.lines) > 8 or not all(_is_banner_line(line) for line in block.lines):
            break
        numbers = [find_number(_plain(line)) for line in block.lines]
        dates = [find_date(_plain(line)) for line in block.lines]
        if all(n is None for n in numbers) and not any(dates):
            if k == 0 and len(block.lines) == 1:
                title_block = k  # "# The Courier" above "Vol. 2, No. 3"
                continue
            break
        for line, number, when in zip(block.lines, numbers, dates, strict=True):
            if number is not None and meta.number is None:
                meta.number = number
            if when and meta.date is None:
                meta.date, meta.precision = when
            if (
                number is None and not when and meta.series is None and _is_title_case(line)
                and not EMAIL_HEADER_RE.match(line)
            ):
                meta.series = _series_name(line)
        if title_block is not None:
            meta.series = _series_name(blocks[title_block].heading_text) or meta.series
            consumed.append(title_block)
            title_block = None
        if meta.series is None:
            # The first line that prints the number or date, the e-mail's "From:" and
            # "Date:" lines aside: "Subject: Bridges Newsletter - No. 31" names the series.
            first = next((k for k, line in enumerate(block.lines)
                          if (numbers[k] is not None or dates[k])
                          and not EMAIL_HEADER_RE.match(line)), None)
            if first == 0 or first is not None and EMAIL_HEADER_RE.match(block.lines[0]):
                meta.series = _series_name(block.lines[first], strip_identity=True)
        consumed.append(k)
    for k in consumed:
        drop_block(dropped, blocks[k], "masthead")
    return [b for k, b in enumerate(blocks) if k not in consumed], meta


def _is_title_case(line: str) -> bool:
    words = [w for w in _plain(line).split() if w[:1].isalpha()]
    return bool(words) and sum(w[:1].isupper() for w in words) >= max(1, len(words) - 2)


# An issue sent as an e-mail and saved with its subject line: "Subject: Bridges Newsletter".
EMAIL_SUBJECT_RE = re.compile(r"^(?:(?:subject|fwd?|re)\s*:\s*)+", re.IGNORECASE)
# The other header lines of a saved e-mail name a sender or a time, never the series.
EMAIL_HEADER_RE = re.compile(r"^(?:from|to|cc|bcc|sent|date|reply-to)\s*:", re.IGNORECASE)


def _series_name(line: str, strip_identity: bool = False) -> str | None:
    """The series from a banner line, without the number and date printed beside it
    ("THE COURIER, Vol. 2, No. 3" -> "The Courier" with ``strip_identity``)."""
    text = EMAIL_SUBJECT_RE.sub("", _plain(line).strip(" #*_"))
    if strip_identity:
        m = re.search(r"[,\-–—|·•]?\s*(?:\bvol|\bissue|\bno\b|\bnumber|№|#)", text, re.I)
        text = text[: m.start()] if m else ""
        if not re.search(r"[A-Za-zА-Яа-я]{3}", text) or not _is_title_case(text):
            return None
    text = re.split(r"\s[-–—|·•]\s|\s{2,}", text)[0].strip(" ,.:;-–—|·•")
    return smart_title(text) if text and len(text) <= 80 else None


def make_title(
    series: str | None, number: int | None, date: datetime.date | None,
    sections: list[ParsedSection] | None = None, precision: str = "day",
) -> str:
    """"Series — Issue 6", "Series — March 2022", "Issue 6, 1 March 2022" ... Only what
    identifies the issue goes in: never a date read in a story."""
    when = when_label(date, precision) if date else None
    if series and number is not None:
        return f"{series} — Issue {number}"
    if series and when:
        return f"{series} — {when}"
    if series:
        return series
    if number is not None:
        return f"Issue {number}" + (f", {when}" if when else "")
    return f"Issue of {when}"

"""Metadata a user gives for an issue, which beats whatever the file prints.

From the command line (``--series``/``--volume``/``--number``/``--date``/``--title`` for
the files named, ``--metadata FILE.csv`` for a batch) and from the admin preview (one small form per
file). A date is a day, a month or a quarter: ``2021-03-05``, ``2021-03``, ``2021-Q2``
(or a bare year, ``2021``); a month or quarter is stored as its first day with the
precision kept for display (``Issue.date_precision``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from newsletters.models import DatePrecision

METADATA_COLUMNS = ("file", "series", "volume", "number", "date", "title")
# A batch's metadata sheet is a few lines per issue; a bigger file is not one.
MAX_METADATA_BYTES = 2 * 1024 * 1024

_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?|[Qq](?P<quarter>[1-4])))?$"
)


class OverrideError(ValueError):
    """A value or a metadata file a user gave is wrong; the message says where and why."""


def parse_period(text: str) -> tuple[datetime.date, str]:
    """A typed date and its precision: "2021-03-05" -> (5 March 2021, day); "2021-03" ->
    (1 March, month); "2021-Q2" -> (1 April, quarter); "2021" -> (1 January, year)."""
    match = _PERIOD_RE.match(text.strip())
    if match is None:
        raise OverrideError(
            f"date {text!r} is not YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY (e.g. 2021-03-05, "
            "2021-03, 2021-Q2)"
        )
    year = int(match["year"])
    try:
        if match["quarter"]:
            return datetime.date(year, 3 * int(match["quarter"]) - 2, 1), DatePrecision.QUARTER
        if match["day"]:
            return datetime.date(year, int(match["month"]), int(match["day"])), DatePrecision.DAY
        if match["month"]:
            return datetime.date(year, int(match["month"]), 1), DatePrecision.MONTH
        return datetime.date(year, 1, 1), DatePrecision.YEAR
    except ValueError as exc:
        raise OverrideError(f"date {text!r} does not exist ({exc})") from exc


def parse_volume(text: str) -> str:
    """A volume as typed: arabic digits or a roman numeral ("4", "IV"), as the issue's
    title will print it; stored in arabic digits (parser.dates.volume_key)."""
    value = text.strip()
    roman = value.upper()
    if value.isascii() and value.isdigit() and 0 < int(value) < 10_000:
        return str(int(value))
    if 0 < len(roman) <= 12 and all(c in "IVXLC" for c in roman):
        return roman
    raise OverrideError(f"volume {text!r} is not a number (4) or a roman numeral (IV)")


def parse_number(text: str) -> int:
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 100_000:
        raise OverrideError(f"number {text!r} is not a whole number from 1 to 99999")
    return int(value)


@dataclass(frozen=True)
class Overrides:
    """Explicit metadata for one issue; None leaves the file's own value."""

    series: str | None = None
    volume: str | None = None
    number: int | None = None
    date: datetime.date | None = None
    date_precision: str | None = None
    title: str | None = None

    @classmethod
    def from_text(cls, *, series="", volume="", number="", date="", title="") -> Overrides:
        """From strings as typed (empty: not given); raises OverrideError."""
        day, precision = parse_period(date) if (date or "").strip() else (None, None)
        return cls(
            series=(series or "").strip() or None,
            volume=parse_volume(volume) if (volume or "").strip() else None,
            number=parse_number(number) if (number or "").strip() else None,
            date=day,
            date_precision=precision,
            title=(title or "").strip() or None,
        )

    def __bool__(self) -> bool:
        values = (self.series, self.volume, self.number, self.date, self.title)
        return any(v is not None for v in values)

    def merged(self, other: Overrides | None) -> Overrides:
        """These values, with ``other``'s where it gives one (other wins)."""
        if not other:
            return self
        given = {k: v for k, v in other.__dict__.items() if v is not None}
        return replace(self, **given)


def _entry_path(label: str) -> str:
    # "archive.zip:inner/a.md" -> "archive.zip/inner/a.md": one path to match against.
    return label.replace("\\", "/").replace(".zip:", ".zip/")


@dataclass
class MetadataTable:
    """The rows of a ``--metadata`` CSV, matched to files by name or path suffix."""

    source: str
    rows: dict[str, tuple[int, Overrides]] = field(default_factory=dict)  # file -> (line, ...)
    used: set[str] = field(default_factory=set)

    def for_label(self, label: str) -> Overrides | None:
        path = _entry_path(label)
        for name, (_line, overrides) in self.rows.items():
            if path == name or path.endswith("/" + name):
                self.used.add(name)
                return overrides
        return None

    def unused(self) -> list[str]:
        """One line per row that named no file of the batch."""
        return [
            f"{self.source} line {line}: no file '{name}' was in the batch"
            for name, (line, _) in self.rows.items()
            if name not in self.used
        ]


def read_metadata(path: str | Path) -> MetadataTable:
    """Read a metadata CSV (header: file and any of series, volume, number, date, title;
    UTF-8, with or without BOM). Any problem raises OverrideError naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()[: MAX_METADATA_BYTES + 1]
    except OSError as exc:
        raise OverrideError(f"{path}: cannot read metadata file ({exc.strerror or exc})") from exc
    if len(raw) > MAX_METADATA_BYTES:
        raise OverrideError(f"{path}: metadata file is over 2 MB; is it the right file?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OverrideError(f"{path}: metadata file is not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if "file" not in header or not set(header) <= set(METADATA_COLUMNS) or len(header) < 2:
        raise OverrideError(
            f"{path}: the first line must name the columns file, series, volume, number, date, "
            "title "
            f"(found: {', '.join(header) or 'nothing'})"
        )
    reader.fieldnames = header
    table = MetadataTable(str(path))
    for row in reader:
        line = reader.line_num
        if None in row:
            raise OverrideError(f"{path} line {line}: more values than columns")
        name = str(PurePosixPath((row.get("file") or "").strip().replace("\\", "/")))
        if name in ("", "."):
            raise OverrideError(f"{path} line {line}: no file named")
        if name in table.rows:
            raise OverrideError(f"{path} line {line}: '{name}' is already on line "
                                f"{table.rows[name][0]}")  # fmt: skip
        try:
            overrides = Overrides.from_text(**{k: row.get(k) or "" for k in METADATA_COLUMNS[1:]})
        except OverrideError as exc:
            raise OverrideError(f"{path} line {line}: {exc}") from exc
        table.rows[name.lstrip("/")] = (line, overrides)
    if not table.rows:
        raise OverrideError(f"{path}: no rows under the header")
    return table


def period_text(day: datetime.date | None, precision: str) -> str:
    """The inverse of parse_period: how a date at its precision is typed back."""
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day.year}"
    if precision == DatePrecision.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}"
    return day.isoformat()

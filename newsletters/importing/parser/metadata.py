"""Issue identity: YAML front matter and the file name (the masthead banner at the top is
masthead.py's, the title made from them titles.py's); and what else a front matter gives
(an issue export's summary, key figures and photo credits: `FrontMatter`, applied by
`apply_front_matter`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import yaml

from .blocks import Block, drop_block
from .dates import find_date, find_number, find_volume
from .model import DroppedLine, ParsedIssue, ParsedKeyFigure, ParseError


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


@dataclass
class FrontMatter:
    """What a front matter says beyond the issue's identity. None: the key is absent."""

    format: str | None = None  # EXPORT_FORMAT: the body is an issue export (exported.py)
    summary: str | None = None
    key_figures: list[ParsedKeyFigure] | None = None
    photo_credits: dict[str, str] = field(default_factory=dict)  # image src -> credit
    # Story slug -> ISO codes: how exports before EXPORT_FORMAT gave story countries.
    countries: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Metadata:
    """What identifies an issue, and where each value came from."""

    series: str | None = None
    number: int | None = None
    date: datetime.date | None = None
    precision: str = "day"
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    extra: FrontMatter = field(default_factory=FrontMatter)  # only read_front_matter sets it
    # "Volume 4, Issue 2": the volume (stored with the number) and the words printing it
    # (find_volume).
    volume: tuple[str, str] | None = None

    def fill(self, other: Metadata) -> None:
        """Take ``other``'s values where this one has none (this one is trusted more)."""
        self.series = self.series or other.series
        self.title = self.title or other.title
        self.volume = self.volume or other.volume
        if self.number is None:
            self.number = other.number
        if self.date is None and other.date is not None:
            self.date, self.precision = other.date, other.precision


def from_header_line(line: str) -> Metadata:
    """The number and date a running header of another form prints."""
    meta = Metadata(number=find_number(line), volume=find_volume(line))
    found = find_date(line)
    if found:
        meta.date, meta.precision = found
    return meta


# An export's front matter holds every key figure and photo credit; the bound keeps a
# stray "---" rule at the top of a text from making a whole long file YAML.
FRONT_MATTER_MAX_LINES = 2000
# libyaml's safe loader when PyYAML was built with it: the same safe constructors, about
# 7 times faster on an export's long list of figures (0.05 s, not 0.36 s, for 2,000).
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(source: str):
    """Safe loading only. On an error the pure-Python loader reads it again, for its
    error position (libyaml's points one token further)."""
    try:
        return yaml.load(source, Loader=FAST_SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.load(source, Loader=yaml.SafeLoader)  # noqa: S506 (a safe loader)
EXPORT_FORMAT = "newsletter-issue/1"
EXPORT_FORMAT_LINE = re.compile(r"^format:[ \t]*[\"']?newsletter-issue/1\b", re.M)
PRECISIONS = ("day", "month", "quarter", "year")
FRONT_MATTER_KEYS = {
    "format", "series", "volume", "number", "title", "date", "date_precision", "summary",
    "key_figures", "photo_credits", "countries",
}


def read_front_matter(lines: list[str], dropped: list[DroppedLine] | None = None) -> Metadata:
    """YAML front matter ("---" lines around ``title``, ``date``, ``series``, ``number``) at
    the top. Its lines are blanked in ``lines`` (so numbering holds) and go to ``dropped``
    as "front matter". Read with a safe YAML loader; the identity keys are single values,
    and the lists and maps of an issue export (read_extras) are walked one level, with a
    bound on their length, so an alias bomb or a nested structure is never expanded.

    An unknown key, a value of the wrong kind, an unknown date precision: a warning
    naming it, and the value is not used."""
    meta = Metadata()
    start = next((k for k, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return meta
    end = next(
        (k for k in range(start + 1, min(len(lines), start + FRONT_MATTER_MAX_LINES))
         # Unindented: a "---" line inside an indented block (the summary) is text.
         if lines[k].rstrip() in ("---", "...")),
        None,
    )
    if end is None:
        return meta
    source = "\n".join(lines[start + 1:end])
    try:
        data = _load_yaml(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {start + 2 + mark.line})" if mark is not None else ""
        if EXPORT_FORMAT_LINE.search(source):
            # Read as ordinary Markdown, an export would come in with its structure lines
            # as text and without its figures: refuse it whole, saying where.
            raise ParseError(
                f"the front matter of this issue export is not valid YAML{where}; "
                "nothing of the file was imported"
            ) from None
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
    unknown = [str(k) for k in data if str(k).lower() not in FRONT_MATTER_KEYS]
    if unknown:
        names = ", ".join(f"'{k}'" for k in unknown[:10])
        meta.warnings.append(f"front matter {names}: not read by the importer; ignored")

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
    volume = scalar("volume")
    if volume is not None and str(volume).strip():
        meta.volume = (str(volume).strip(), f"volume: {volume}")
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
    _read_precision(values, meta)
    meta.extra = read_extras(values, meta.warnings)
    return meta


def _read_precision(values: dict, meta: Metadata) -> None:
    """``date_precision``: how much of the date is meant. The date becomes its period's
    first day (its month's first day for a month or a quarter, 1 January for a year), as
    the issue stores it; an unknown precision leaves the date as written."""
    given = values.get("date_precision")
    if given is None:
        return
    precision = str(given).strip().lower()
    if precision not in PRECISIONS:
        meta.warnings.append(
            f"front matter date_precision '{given}' is not one of {', '.join(PRECISIONS)}; "
            f"the date is read as a {meta.precision}"
        )
        return
    if meta.date is None:
        meta.warnings.append(f"front matter date_precision '{given}' without a date; ignored")
        return
    first = meta.date
    if precision == "year":
        first = first.replace(month=1, day=1)
    elif precision in ("quarter", "month"):
        # A "quarter" is any three months from its first ("May–July 2014" is printed),
        # so only the day is set.
        first = first.replace(day=1)
    if first != meta.date:
        meta.warnings.append(
            f"front matter date {meta.date.isoformat()} is not the first day of its "
            f"{precision}; read as {first.isoformat()}"
        )
    meta.date, meta.precision = first, precision


MAX_LIST = 1000  # key figures, photo credits, stories: more is not an issue of a newsletter


def _text(value) -> str | None:
    """A YAML scalar as text (numbers and dates too), or None for a list or map."""
    if value is None or isinstance(value, bool | list | dict):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def read_extras(values: dict, warnings: list[str]) -> FrontMatter:
    """The front matter's format, summary, key figures, photo credits and (older exports)
    story countries, each checked; what cannot be used is named in a warning."""
    extra = FrontMatter()
    fmt = values.get("format")
    if fmt is not None:
        if _text(fmt) == EXPORT_FORMAT:
            extra.format = EXPORT_FORMAT
        else:
            warnings.append(
                f"front matter format '{fmt}' is not '{EXPORT_FORMAT}'; the text is read "
                "as any Markdown file"
            )
    summary = values.get("summary")
    if summary is not None:
        if isinstance(summary, str):
            extra.summary = summary  # as written: an export gives it to the byte
        else:
            warnings.append("front matter 'summary' is not text; ignored")
    if "key_figures" in values:
        extra.key_figures = _read_figures(values["key_figures"], warnings)
    credits = values.get("photo_credits")
    if credits is not None:
        extra.photo_credits = _read_map(credits, "photo_credits", warnings, _text)
    countries = values.get("countries")
    if countries is not None:
        extra.countries = _read_map(countries, "countries", warnings, _codes)
    return extra


def _codes(value) -> list[str] | None:
    items = value if isinstance(value, list) else [value]
    codes = [_text(v) for v in items[:MAX_LIST]]
    return None if None in codes else [c.strip() for c in codes if c and c.strip()]


def _read_map(value, key: str, warnings: list[str], read) -> dict:
    if not isinstance(value, dict):
        warnings.append(f"front matter '{key}' is not a set of 'name: value' lines; ignored")
        return {}
    out = {}
    for name, item in list(value.items())[:MAX_LIST]:
        read_item = read(item)
        if read_item is None:
            warnings.append(f"front matter {key} '{name}' is not a value; ignored")
        else:
            out[str(name)] = read_item
    if len(value) > MAX_LIST:
        warnings.append(f"front matter '{key}' has more than {MAX_LIST} entries; the rest "
                        "were ignored")
    return out


FIGURE_KEYS = {"label", "value", "unit", "note"}


def _read_figures(value, warnings: list[str]) -> list[ParsedKeyFigure]:
    """Key figures as an export writes them: label, value as printed ("1,650", 12.5,
    "37%"; empty: still to fill in), unit, note. A value that is not a number is never
    guessed: the figure is kept empty, to be filled in, with a warning."""
    from newsletters.figures import parse_figure  # the admin's rule for values as printed

    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append("front matter 'key_figures' is not a list; ignored")
        return []
    figures: list[ParsedKeyFigure] = []
    labels: set[str] = set()
    for n, item in enumerate(value[:MAX_LIST], start=1):
        label = _text(item.get("label")) if isinstance(item, dict) else None
        if not label or not label.strip():
            warnings.append(f"front matter key figure {n} has no label; not imported")
            continue
        label = label.strip()
        where = f"front matter key figure '{label}'"
        if label in labels:
            warnings.append(f"{where} is given twice; the second was not imported")
            continue
        labels.add(label)
        extra_keys = sorted(str(k) for k in item if k not in FIGURE_KEYS)
        if extra_keys:
            warnings.append(f"{where}: {', '.join(extra_keys)} not read; ignored")
        unit, note = (_text(item.get(k)) or "" for k in ("unit", "note"))
        raw = item.get("value")
        try:
            if isinstance(raw, bool | list | dict | datetime.date):
                raise ValueError(f"“{raw}” is not a number.")
            number, percent = parse_figure(raw)
        except ValueError as exc:
            warnings.append(f"{where}: {exc} It was imported empty, to fill in")
            number, percent = None, ""
        if percent and unit.strip() not in ("", percent):
            warnings.append(f"{where}: the value ends with % but the unit is '{unit}'; "
                            f"the unit '{unit}' was kept")
        unit = unit.strip() or percent
        if number is not None and number == number.to_integral_value():
            number = int(number)  # as the figures the text gives: 1650, not Decimal("1650")
        figures.append(ParsedKeyFigure(label, number, unit, note.strip()))
    if len(value) > MAX_LIST:
        warnings.append(f"front matter 'key_figures' has more than {MAX_LIST}; the rest "
                        "were ignored")
    return figures


def apply_front_matter(issue: ParsedIssue, extra: FrontMatter) -> None:
    """Put what the front matter says into the parsed issue; it outranks the text: its
    key figures come first (the loader keeps one figure per label). A photo credit or a
    story slug that matches nothing in the text is a warning, never dropped unsaid."""
    if extra.summary is not None:
        issue.summary = extra.summary
    if extra.key_figures is not None:
        given = {f.label for f in extra.key_figures}
        issue.key_figures = [
            *extra.key_figures, *(f for f in issue.key_figures if f.label not in given)
        ]
    stories = [story for section in issue.sections for story in section.stories]
    credits = dict(extra.photo_credits)
    for story in stories:
        for image in story.images:
            if image.src in credits:
                image.credit = credits.pop(image.src).strip()
    for src in credits:
        issue.warnings.append(
            f"front matter photo credit for '{src}': no image '{src}' in the text; not imported"
        )
    if extra.countries:
        _apply_story_countries(issue.sections, extra.countries, issue.warnings)


def _apply_story_countries(sections, countries: dict[str, list[str]], warnings) -> None:
    """Exports before EXPORT_FORMAT listed story countries by story slug (the slug the
    loader makes from the title, "-2" for a repeat: models.unique_slug)."""
    from django.utils.text import slugify  # the slug rule of the stories' own slugs

    taken: set[str] = set()
    by_slug = {}
    for section, story in ((se, st) for se in sections for st in se.stories):
        base = story.title or f"{section.title or 'Stories'} story"
        root = (slugify(base) or "item")[:194].strip("-") or "item"
        slug, n = root, 1
        while slug in taken:
            n += 1
            slug = f"{root}-{n}"
        taken.add(slug)
        by_slug[slug] = story
    for slug, codes in countries.items():
        story = by_slug.get(slug)
        if story is None:
            warnings.append(
                f"front matter countries for story '{slug}': no story of that title; "
                "not imported"
            )
        else:
            story.countries = [c.upper() for c in codes]


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

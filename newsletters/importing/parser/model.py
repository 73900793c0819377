"""The parser's result: plain dataclasses (no Django), and the parse() contract's constants."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass
class ParsedPhoto:
    caption: str
    # Its place among all the story's photos, images included, when the file says it (an
    # issue export); None: after the images, in the order found.
    position: int | None = field(default=None, compare=False)


@dataclass
class ParsedImage:
    """A Markdown image the story refers to: ``![alt](src "title")``. The loader imports
    it as a Photo when ``src`` is in the same upload, and warns otherwise."""

    src: str
    alt: str
    caption: str = ""
    credit: str = ""  # from the front matter's photo_credits
    position: int | None = field(default=None, compare=False)  # as ParsedPhoto.position


@dataclass
class ParsedStory:
    title: str
    countries: list[str]
    body: str  # Markdown
    photos: list[ParsedPhoto] = field(default_factory=list)
    images: list[ParsedImage] = field(default_factory=list)


@dataclass
class ParsedSection:
    title: str
    stories: list[ParsedStory] = field(default_factory=list)


@dataclass
class ParsedKeyFigure:
    label: str
    value: int | Decimal | None  # None: a figure still to be filled in
    unit: str
    note: str = ""


@dataclass
class ParsedOffice:
    country: str  # alpha-2
    emails: list[str]


@dataclass
class ParsedHotline:
    country: str
    number: str
    note: str
    e164: str | None


@dataclass
class ParsedPerson:
    name: str
    role: str
    country: str | None
    phones: list[str]
    email: str | None


@dataclass
class ParsedDirectory:
    offices: list[ParsedOffice] = field(default_factory=list)
    hotlines: list[ParsedHotline] = field(default_factory=list)
    people: list[ParsedPerson] = field(default_factory=list)


@dataclass
class DroppedLine:
    """An input line that is in no part of the result, and why (e.g. "running header",
    "page number", "contents list", "continued on page", "boilerplate", "conversion junk").
    ``line`` is 1-based in the decoded input."""

    line: int
    text: str
    reason: str


@dataclass
class ParsedIssue:
    series: str | None
    number: int | None
    date: datetime.date | None
    title: str
    sections: list[ParsedSection]
    key_figures: list[ParsedKeyFigure]
    directory: ParsedDirectory
    warnings: list[str]
    # "day", "month", "quarter" or "year": ``date`` is then the period's first day.
    date_precision: str = "day"
    dropped: list[DroppedLine] = field(default_factory=list)
    # 0..1; below CONFIDENCE_THRESHOLD the file needs review, for the reasons given.
    confidence: float = 1.0
    confidence_reasons: list[str] = field(default_factory=list)
    summary: str = ""  # from front matter; the text archive has none
    # The volume the masthead prints, in arabic digits ("4" of "Volume IV, Issue 2"; the
    # title keeps it as printed): the loader knows an issue by series, volume and number,
    # so issue 2 of volume 4 is not taken for issue 2 of volume 1 (decide.py).
    volume: str | None = None

    def to_dict(self) -> dict:
        """Everything parsed, for JSON. What only a front matter gives (the summary, a
        figure's note, a photo's credit) is left out when empty, so that a plain archive
        file gives the same document as before front matter was read; the photos'
        positions are the order of the lists."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        if not self.summary:
            del data["summary"]
        if self.volume is None:
            del data["volume"]
        for hotline in data["directory"]["hotlines"]:
            del hotline["e164"]
        for figure in data["key_figures"]:
            value = figure["value"]
            if isinstance(value, Decimal) and value != value.to_integral_value():
                figure["value"] = f"{value.normalize():f}"  # exact text, as the API gives it
            if not figure["note"]:
                del figure["note"]
        for section in data["sections"]:
            for story in section["stories"]:
                for photo in (*story["photos"], *story["images"]):
                    del photo["position"]
                    if not photo.get("credit", True):
                        del photo["credit"]
        return data


CONFIDENCE_THRESHOLD = 0.6
LAYOUTS = ("auto", "sections", "one-story")


class ParseError(ValueError):
    """The text is not a recognisable issue. The message is one human-readable line."""

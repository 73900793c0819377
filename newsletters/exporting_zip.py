"""An issue as a zip that the archive importer reads back: `issue.md` and its photos.

`issue.md` is Markdown with YAML front matter, in the format the importer reads as
written (newsletters/importing/parser/exported.py, ``format: newsletter-issue/1``):

- the front matter: series, volume (when it has one), number, title, date and its
  precision (day, month, quarter or year), summary (a ``|`` block when it has several
  lines), the key figures as entered (label, value as printed: 1650, "12.5"; no value:
  still to fill in; unit, note) and the photos' credits (by file name);
- the body: ``##`` sections, ``###`` stories (``###`` alone: no title), under each story
  ``<!-- countries: KG, KZ -->`` (``none`` when it has none), its Markdown text, and its
  photos as ``![alt text](photos/<file> "caption")`` or, with a caption but no image
  (as imported from the text archive), ``Photo: caption``. A line of story text that
  would read as one of these gets a backslash in front.

A person may edit it (remove a figure, change a country, correct a caption) and import
it again; what the importer cannot use is a warning, never dropped unsaid.

The bytes depend only on the issue: files in a fixed order with a fixed timestamp, photo
files named by their place in the issue (``photos/02-01-1.jpg``: section 2, story 1,
first photo), so exporting an issue re-imported from its own zip gives the same zip.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from decimal import Decimal

import yaml
from django.http import HttpResponse
from django.utils.text import slugify

from .importing.parser.exported import CAPTION_PREFIX, escape_line
from .importing.parser.metadata import EXPORT_FORMAT

# Zip entries carry a time; a fixed one keeps the bytes a function of the issue alone.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}


def _number(value):
    """A figure's value for YAML: whole numbers as numbers; a decimal ("12.5") as its
    exact text, never a float; an empty figure as null."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    return value


def _figure(figure) -> dict:
    data = {"label": figure.label}
    if figure.value is not None:  # no value: a figure still to be filled in
        data["value"] = _number(figure.value)
    if figure.unit:
        data["unit"] = figure.unit
    if figure.note:
        data["note"] = figure.note
    return data


def _photo_name(section_no: int, story_no: int, photo_no: int, photo) -> str:
    ext = posixpath.splitext(photo.image.name)[1].lower()
    ext = ".jpg" if ext == ".jpeg" else ext
    if ext not in IMAGE_EXTENSIONS:
        ext = ".jpg"
    return f"photos/{section_no:02d}-{story_no:02d}-{photo_no}{ext}"


def _md_text(text: str) -> str:
    """Alt text or a caption inside ``![...](... "...")``: one line, brackets and quotes
    escaped as Markdown reads them back."""
    text = _one_line(text)
    return (
        text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace('"', '\\"')
    )


def _one_line(text: str) -> str:
    """A title or caption on its line: line breaks become spaces, other spaces stay."""
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").strip()


class _Dumper(yaml.SafeDumper):
    """Text of several lines (a summary) as a ``|`` block, as a person would write it."""


def _text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _front_matter(issue, credits: dict) -> str:
    data = {
        "format": EXPORT_FORMAT,
        "series": issue.series.title,
        "volume": issue.volume,
        "number": issue.number,
        "title": issue.title,
        "date": issue.publication_date,
        "date_precision": issue.date_precision,
    }
    if not issue.volume:
        del data["volume"]
    if not issue.publication_date:
        del data["date"], data["date_precision"]
    if issue.summary:
        data["summary"] = issue.summary.replace("\r\n", "\n")
    # Always written, if only as []: without it the importer would look for figures in
    # the text.
    data["key_figures"] = [_figure(f) for f in issue.key_figures.all()]
    if credits:
        data["photo_credits"] = credits
    dumped = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
        default_flow_style=False, width=1000,
    )  # fmt: skip
    return f"---\n{dumped}---\n"


def _story_text(body: str) -> str:
    """The story's Markdown as written (LF line ends), lines that would read as
    structure escaped."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    return "\n".join(escape_line(line) for line in lines)


def build_issue_zip(issue) -> bytes:
    """The zip's bytes: ``issue.md`` then the photo files, in the issue's order."""
    from .models import Issue

    issue = Issue.objects.with_contents().get(pk=issue.pk)
    blocks: list[str] = []
    files: list[tuple[str, bytes]] = []
    credits: dict[str, str] = {}
    for s_no, section in enumerate(issue.sections.all(), start=1):
        blocks.append(f"## {_one_line(section.title)}".rstrip())
        for t_no, story in enumerate(section.stories.all(), start=1):
            blocks.append(f"### {_one_line(story.title)}".rstrip())
            codes = sorted(c.code for c in story.countries.all())
            blocks.append(f"<!-- countries: {', '.join(codes) or 'none'} -->")
            if story.body.strip():
                blocks.append(_story_text(story.body))
            for p_no, photo in enumerate(story.photos.all(), start=1):
                if not photo.image:
                    blocks.append(f"{CAPTION_PREFIX}{_one_line(photo.caption)}")
                    continue
                name = _photo_name(s_no, t_no, p_no, photo)
                with photo.image.open("rb") as handle:
                    files.append((name, handle.read()))
                caption = f' "{_md_text(photo.caption)}"' if photo.caption else ""
                blocks.append(f"![{_md_text(photo.alt_text)}]({name}{caption})")
                if photo.credit:
                    credits[name] = photo.credit
    markdown = _front_matter(issue, credits) + "\n" + "\n\n".join(blocks) + "\n"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("issue.md", markdown.encode("utf-8")), *files]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def zip_response(issue) -> HttpResponse:
    response = HttpResponse(build_issue_zip(issue), content_type="application/zip")
    stem = slugify(issue.slug) or "issue"
    response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
    return response

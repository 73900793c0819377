"""An issue as Markdown the archive importer reads back, and as JSON.

Both go through the parser's own dataclasses: `issue_to_parsed` turns a stored issue
into a ParsedIssue, `to_markdown` writes one in the conventions `parser.parse` reads
(a running header, ``##`` sections, ``###`` stories, "Photo ..." captions, figure lines,
the contact block, a hotline table and a staff list), and the JSON is
`ParsedIssue.to_dict()`. Exporting a parsed issue and parsing the Markdown again gives
the same structure; tests/newsletters/test_exporting.py checks that on every sample.

What the Markdown cannot carry back (the parser has no way to read it):
- the date of an issue without a number (the running header needs both);
- the countries of a story when they are not one country (written as a
  "Country: title" heading) and not what the parser would find in its text anyway;
- an untitled story that is not the first of its section;
- key figures whose label the parser would name differently (figure lines are read
  through `canonical_label`), and countries other than the five the parser knows.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from .figures import exact_figure, format_figure
from .importing.countries import BY_CODE
from .importing.parser import (
    CAPTION_RE,
    ParsedDirectory,
    ParsedHotline,
    ParsedIssue,
    ParsedKeyFigure,
    ParsedOffice,
    ParsedPerson,
    ParsedPhoto,
    ParsedSection,
    ParsedStory,
    _mission_countries,
    canonical_label,
)

# --- stored issue -> dataclasses -----------------------------------------------------


def issue_to_parsed(issue) -> ParsedIssue:
    """The stored issue in the parser's shape (one query per level, prefetched)."""
    from .models import Issue

    issue = Issue.objects.with_contents().get(pk=issue.pk)
    sections = [
        ParsedSection(
            title=section.title,
            stories=[
                ParsedStory(
                    title=story.title,
                    countries=[c.code for c in story.countries.all()],
                    body=story.body,
                    photos=[ParsedPhoto(p.caption) for p in story.photos.all() if p.caption],
                )
                for story in section.stories.all()
            ],
        )
        for section in issue.sections.all()
    ]
    return ParsedIssue(
        series=issue.series.title,
        number=issue.number,
        date=issue.publication_date,
        title=issue.title,
        sections=sections,
        key_figures=[
            ParsedKeyFigure(f.label, f.value, f.unit)
            for f in issue.key_figures.all()
            if f.value is not None  # a figure still to be filled in is not printed
        ],
        directory=_directory_of(issue),
        warnings=list(issue.import_warnings),
    )


def _directory_of(issue) -> ParsedDirectory:
    """The directory as the issue printed it; for an issue written in the admin, the
    entries it last confirmed."""
    snap = issue.directory_snapshot or {}
    if any(snap.get(k) for k in ("offices", "hotlines", "people")):
        return ParsedDirectory(
            offices=[
                ParsedOffice(o["country"], list(o["emails"])) for o in snap.get("offices", [])
            ],
            hotlines=[
                ParsedHotline(h["country"], h["number"], h.get("note", ""), None)
                for h in snap.get("hotlines", [])
            ],
            people=[
                ParsedPerson(
                    p["name"], p.get("role", ""), p.get("country"), list(p.get("phones", [])),
                    p.get("email"),
                )  # fmt: skip
                for p in snap.get("people", [])
            ],
        )
    from directory.models import Hotline, Office, Person

    offices = Office.objects.filter(last_seen_in=issue).select_related("country")
    return ParsedDirectory(
        offices=[
            ParsedOffice(o.country.code, [e.address for e in o.emails.all()])
            for o in offices.prefetch_related("emails")
        ],
        hotlines=[
            ParsedHotline(h.country.code, h.number, h.note, h.e164 or None)
            for h in Hotline.objects.filter(last_seen_in=issue).select_related("country")
        ],
        people=[
            ParsedPerson(
                p.name, p.role, p.country.code if p.country else None, p.phone_list,
                p.email or None,
            )  # fmt: skip
            for p in Person.objects.filter(last_seen_in=issue).select_related("country")
        ],
    )


# --- dataclasses -> Markdown ---------------------------------------------------------


def _country_name(code: str | None) -> str:
    country = BY_CODE.get((code or "").upper())
    return country.name if country else (code or "")


def _figure_paragraph(figure: ParsedKeyFigure) -> str:
    value = format_figure(figure.value)
    covid = {
        "COVID-19 registered cases": "registered cases",
        "COVID-19 recoveries": "recoveries",
        "COVID-19 deaths": "deaths",
    }
    if figure.label in covid:
        return f"COVID-19: {value} {covid[figure.label]}."
    if canonical_label("assisted") == (figure.label, figure.unit):
        return f"Partner organisations have assisted {value} migrants and victims of trafficking."
    # A figure line; the parser names it with canonical_label(label).
    return f"{value} {figure.label}"


def _caption(text: str) -> str:
    return text if CAPTION_RE.match(text) else f"Photo: {text}"


def _story_heading(story: ParsedStory, *, in_untitled_section: bool) -> str:
    """A "Country: title" heading when the story has one country the parser would not find
    in its text, or when it stands before any section: there a plain heading would be read
    as a section, a country heading never is."""
    if len(story.countries) == 1 and (
        in_untitled_section or story.countries != _mission_countries(story.title, story.body)
    ):
        return f"### {_country_name(story.countries[0])}: {story.title}"
    return f"### {story.title}"


def _directory_markdown(directory: ParsedDirectory) -> list[str]:
    out: list[str] = []
    if directory.offices:
        lines = ["Contact our country offices:"]
        for office in directory.offices:
            name = _country_name(office.country).upper()
            lines.append(f"{name}: {', '.join(office.emails)}" if office.emails else name)
        out.append("\n".join(lines))
    if directory.hotlines:
        out.append("NATIONAL HOTLINES")
        for code in dict.fromkeys(h.country for h in directory.hotlines):
            out.append(_country_name(code).upper())
            out.append(
                "\n".join(
                    f"{h.number} ({h.note})" if h.note else h.number
                    for h in directory.hotlines
                    if h.country == code
                )
            )
    if directory.people:
        out.append("OUR TEAM")
        # Someone without a country comes first, before any country heading; everyone
        # else under a heading of their own, which also ends the entry before.
        for person in sorted(directory.people, key=lambda p: p.country is not None):
            if person.country:
                out.append(_country_name(person.country).upper())
            lines = [person.name]
            if person.role:
                lines.append(person.role)
            if person.phones:
                lines.append("Tel: " + "; ".join(person.phones))
            if person.email:
                lines.append(person.email)
            out.append("\n".join(lines))
    return out


def to_markdown(parsed: ParsedIssue) -> str:
    """Markdown text that `newsletters.importing.parser.parse` reads back into `parsed`."""
    blocks: list[str] = []
    if parsed.number is not None:
        date = f", {parsed.date:%d/%m/%Y}" if parsed.date else ""
        blocks.append(f"{parsed.series or ''}, ISSUE {parsed.number}{date}".lstrip(", "))
    else:
        blocks.append(f"# {parsed.series or parsed.title}")
    figures = [_figure_paragraph(f) for f in parsed.key_figures]
    for index, section in enumerate(parsed.sections):
        if section.title:
            blocks.append(f"## {section.title}")
        if index == 0:
            # Pure figure paragraphs leave the text when read; here they cannot be
            # mistaken for a masthead or a story.
            blocks += figures
            figures = []
        for story in section.stories:
            if story.title:
                blocks.append(_story_heading(story, in_untitled_section=not section.title))
            if story.body:
                blocks.append(story.body)
            blocks += [_caption(p.caption) for p in story.photos]
    blocks += figures
    blocks += _directory_markdown(parsed.directory)
    return "\n\n".join(b.strip() for b in blocks if b.strip()) + "\n"


def _exact(value):
    """Key-figure values (Decimal) in JSON: exact strings, never floats."""
    if isinstance(value, Decimal):
        return exact_figure(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(parsed: ParsedIssue) -> str:
    return json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2, default=_exact) + "\n"


# --- HTTP ----------------------------------------------------------------------------


def export_response(issues, fmt: str) -> HttpResponse:
    """A download of one issue, or of several (a zip of Markdown files, a JSON list)."""
    issues = list(issues)
    parsed = [issue_to_parsed(issue) for issue in issues]
    many = len(parsed) != 1
    stem = "issues" if many else slugify(issues[0].slug) or "issue"
    if fmt == "json":
        data = [p.to_dict() for p in parsed] if many else parsed[0].to_dict()
        body = json.dumps(data, ensure_ascii=False, indent=2, default=_exact) + "\n"
        content_type, ext = "application/json; charset=utf-8", "json"
    elif many:
        # A zip of .md files: the archive import page reads it back as it is.
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for issue, p in zip(issues, parsed, strict=True):
                archive.writestr(f"{slugify(issue.slug) or issue.pk}.md", to_markdown(p))
        body, content_type, ext = buffer.getvalue(), "application/zip", "zip"
    else:
        body = to_markdown(parsed[0])
        content_type, ext = "text/markdown; charset=utf-8", "md"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'
    return response

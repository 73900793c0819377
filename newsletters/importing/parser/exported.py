"""An issue export read back as written (issue 11, item 7): the body of a Markdown file
whose front matter says ``format: newsletter-issue/1`` (metadata.EXPORT_FORMAT), as
newsletters/exporting_zip.py writes it and as a person may edit it.

The conversion heuristics of the archive parser (running headers, joined paragraphs,
figure lines, boilerplate, smart titles, country guesses) are for text converted from
PDF; here they would change what staff wrote. The structure is said line by line
instead, and every other line is story text, kept byte for byte:

    ## Section title
    ### Story title                 ("###" alone: a story without a title)
    <!-- countries: KG, KZ -->      the story's countries (ISO codes or names; "none")
    ![alt text](photos/01-01-1.jpg "caption")   a photo with its image
    Photo: caption                  a photo without an image (a caption from the archive)

A line of story text that would read as one of these is written with one more
backslash in front (``\\## not a section``) and read back without it. A story with no
countries line gets the countries its text names, as any imported story. Pure Python,
like the rest of the parser.
"""

from __future__ import annotations

import re

from ..countries import country_code
from .model import ParsedImage, ParsedPhoto, ParsedSection, ParsedStory
from .sections import IMAGE_RE, _mission_countries, unescape


def _heading(line: str, marks: str) -> str | None:
    """The title after ``marks`` ("##" or "###") and a space, or None. String methods,
    not a pattern: a lazy title before optional trailing spaces backtracked
    quadratically on a long run of spaces."""
    if not line.startswith(marks):
        return None
    rest = line[len(marks):]
    if rest and rest[0] not in " \t":
        return None
    return rest.strip(" \t")


def section_title(line: str) -> str | None:
    return _heading(line, "##")


def story_title(line: str) -> str | None:
    return _heading(line, "###")
CAPTION_PREFIX = "Photo: "
NO_COUNTRIES = {"", "none", "-"}


def countries_comment(line: str) -> str | None:
    """The list inside ``<!-- countries: ... -->``, or None for any other line."""
    text = line.strip()
    if not (text.startswith("<!--") and text.endswith("-->")):
        return None
    inner = text[4:-3].strip()
    if inner[:10].lower() != "countries:":
        return None
    return inner[10:]


def is_markup(line: str) -> bool:
    """Whether a line says structure (a heading, countries, a photo), not story text."""
    return bool(
        section_title(line) is not None
        or story_title(line) is not None
        or countries_comment(line) is not None
        or IMAGE_RE.fullmatch(line.strip())
        or line.startswith(CAPTION_PREFIX)
    )


def escape_line(line: str) -> str:
    """Story text out: a line that would read as structure gets one more backslash."""
    return "\\" + line if is_markup(line.lstrip("\\")) else line


def unescape_line(line: str) -> str:
    """Story text in: the inverse of escape_line."""
    if line.startswith("\\") and is_markup(line.lstrip("\\")):
        return line[1:]
    return line


def read_countries(listed: str, where: str, warnings: list[str]) -> list[str]:
    """"KG, KZ" or "Kyrgyzstan, Kazakhstan" -> ["KG", "KZ"]. Two letters are taken as an
    ISO code (the loader checks it); a name the importer does not know is a warning."""
    codes: list[str] = []
    for item in re.split(r"[,;]", listed[:2000]):
        word = item.strip()
        if word.lower() in NO_COUNTRIES:
            continue
        if len(word) == 2 and word.isascii() and word.isalpha():
            code: str | None = word.upper()
        else:
            code = country_code(word)
        if code is None:
            warnings.append(f"{where}: country '{word}' is not known; left out")
        elif code not in codes:
            codes.append(code)
    return codes


def read_export(lines: list[str], warnings: list[str]) -> list[ParsedSection]:
    """The sections and stories of an export's body (front matter lines already blank)."""
    sections: list[ParsedSection] = []
    bodies: dict[int, list[str]] = {}
    tagged: set[int] = set()  # stories with a countries line
    photos: dict[int, int] = {}  # story -> photos so far, images included

    def story() -> ParsedStory:
        if not sections:
            sections.append(ParsedSection(""))
        if not sections[-1].stories:
            sections[-1].stories.append(ParsedStory("", [], ""))
        return sections[-1].stories[-1]

    def next_position(current: ParsedStory) -> int:
        n = photos.get(id(current), 0)
        photos[id(current)] = n + 1
        return n

    for line in lines:
        if (title := section_title(line)) is not None:
            sections.append(ParsedSection(title))
            continue
        if (title := story_title(line)) is not None:
            if not sections:
                sections.append(ParsedSection(""))
            sections[-1].stories.append(ParsedStory(title, [], ""))
            continue
        listed = countries_comment(line)
        if listed is not None:
            current = story()
            where = f"story '{current.title}'" if current.title else "untitled story"
            current.countries = read_countries(listed, where, warnings)
            tagged.add(id(current))
            continue
        if m := IMAGE_RE.fullmatch(line.strip()):
            current = story()
            current.images.append(ParsedImage(
                m.group(2), unescape(m.group(1)).strip(), unescape(m.group(3) or "").strip(),
                position=next_position(current),
            ))  # fmt: skip
            continue
        if line.startswith(CAPTION_PREFIX):
            current = story()
            caption = line[len(CAPTION_PREFIX):].strip()
            current.photos.append(ParsedPhoto(caption, position=next_position(current)))
            continue
        if not line.strip() and not (sections and sections[-1].stories):
            continue  # blank lines between headings
        bodies.setdefault(id(story()), []).append(unescape_line(line))

    for section in sections:
        for st in section.stories:
            st.body = "\n".join(bodies.get(id(st), [])).strip("\n")
            if id(st) not in tagged:
                st.countries = _mission_countries(st.title, st.body)
    return sections

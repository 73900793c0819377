"""Stage 10: items -> sections and stories, with inline clean-up and its warnings."""

from __future__ import annotations

import re

from ..countries import country_code, find_cities, find_countries
from .blocks import _joint
from .bodylimit import MAX_BODY_CHARS, cap_body
from .classify import Item, _continues
from .model import DroppedLine, ParsedImage, ParsedPhoto, ParsedSection, ParsedStory
from .text import (
    DEAD_LINK_RE,
    LATEX_RE,
    MD_ESCAPE_RE,
    RULE_RE,
    SUP_RE,
    SUP_REF_RE,
    _ends_sentence,
    _plain,
    _shorten,
    is_spaced_table,
)


def clean_inline(text: str, where: str, warnings: list[str]) -> str:
    """Make conversion junk visible: dead links become their text, stray <sup> tags go,
    LaTeX fragments leave the text; each with a warning naming what and where."""
    for m in DEAD_LINK_RE.finditer(text):
        warnings.append(f"dead link '{m.group(0)}' in {where}")
    text = DEAD_LINK_RE.sub(r"\1", text)
    for m in LATEX_RE.finditer(text):
        warnings.append(f"conversion junk '{m.group(0)}' removed from {where}")
    text = LATEX_RE.sub("", text)
    if SUP_RE.search(text):
        warnings.append(f"leftover <sup> tags removed in {where}")
        text = SUP_RE.sub("", SUP_REF_RE.sub("", text))
    text = re.sub(r"(?m)^(https?://\S+)$", r"<\1>", text)
    if "  " in text:
        # Runs of spaces are conversion noise, except in a table whose columns they align.
        text = "\n\n".join(
            part if is_spaced_table(part.split("\n")) else re.sub(r"[ ]{2,}", " ", part)
            for part in text.split("\n\n")
        )
        text = re.sub(r"(?<! ) +([,.;:])", r"\1", text)
    else:
        text = re.sub(r" +([,.;:])", r"\1", text)
    return text.strip()


def _mission_countries(title: str, body: str) -> list[str]:
    """Countries a story is about: named in its title, or the missions acting in it ("IOM
    Kazakhstan"), or, failing both, the countries its text names if there are one or two
    (a story naming all five is regional, not about each of them); failing all, the
    countries of the cities it names ("Osh", "Душанбе"), one or two."""
    codes = find_countries(title)
    # "IOM Kazakhstan", "МОМ Казахстан": the word after the name, in any script.
    for m in re.finditer(r"\b(?:IOM|МОМ)[\s-]+([^\W\d_]+)", body):
        code = country_code(m.group(1)) if m.group(1)[:1].isupper() else None
        if code and code not in codes:
            codes.append(code)
    if not codes:
        named = find_countries(body)
        codes = named if len(named) <= 2 else []
    if not codes:
        # No country named: the cities it names say where ("Shelter opens in Osh").
        cities = find_cities(title, capitalised=True) or find_cities(body, capitalised=True)
        codes = cities if len(cities) <= 2 else []
    return codes


# ![alt](src "title"): bounded classes, so a run of "![" cannot make it backtrack. The
# alt text and title may hold escaped characters (`\]`, `\"`): a backslash is never in
# the plain class, so each character is read one way only.
IMAGE_RE = re.compile(
    r'!\[((?:[^\[\]\\\n]|\\.)*)\]\(\s*([^()\s]+)(?:\s+"((?:[^"\\\n]|\\.)*)")?\s*\)'
)
EMPHASISED_LINE_RE = re.compile(r"^(\*{1,2}|_)([^*_\n].*?)\1$")


def unescape(text: str) -> str:
    """Markdown escapes out of a title: "Women\\-led groups" -> "Women-led groups"."""
    return MD_ESCAPE_RE.sub(r"\1", text) if "\\" in text else text


def _take_images(text: str, images: list[ParsedImage]) -> str:
    """Move Markdown images out of a paragraph into ``images``; an emphasised line right
    after an image ("*Volunteers at the fair.*") is its caption when it has no title."""
    if "![" not in text:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    for line in lines:
        found = list(IMAGE_RE.finditer(line))
        if not found:
            m = EMPHASISED_LINE_RE.match(line.strip())
            if m and images and not images[-1].caption and not kept_since_image(kept):
                images[-1].caption = m.group(2).strip()
                continue
            kept.append(line)
            continue
        for m in found:
            images.append(ParsedImage(m.group(2), unescape(m.group(1)).strip(),
                                      unescape(m.group(3) or "").strip()))
        rest = IMAGE_RE.sub("", line).strip()
        if rest:
            m = EMPHASISED_LINE_RE.match(rest)
            if m and not images[-1].caption:
                images[-1].caption = m.group(2).strip()
            else:
                kept.append(rest)
        kept.append("\0")  # marks "an image was here" for the caption rule above
    return "\n".join(line for line in kept if line != "\0").strip()


def kept_since_image(kept: list[str]) -> bool:
    """Whether text came after the last image (then an emphasised line is no caption)."""
    return not kept or kept[-1] != "\0"


def _join_two(left: str, right: str) -> str:
    cut, add = _joint(left, right, " ")
    return (left[:-cut] if cut else left) + add


def _continued_story(jumped: list[ParsedStory], title: str) -> ParsedStory:
    """The story a "continued from" part belongs to: the one whose title shares the most
    words with the title printed above the part, else the first still waiting."""
    words = set(title.lower().split())
    if words:
        best = max(jumped, key=lambda st: len(words & set(st.title.lower().split())))
        if words & set(best.title.lower().split()):
            return best
    return jumped[0]


def _is_prose(text: str) -> bool:
    return len(_plain(text).split()) >= 8 and _ends_sentence(text)


def build_sections(
    items: list[Item],
    warnings: list[str],
    dropped: list[DroppedLine] | None = None,
    source: list[str] | None = None,
) -> list[ParsedSection]:
    """Sections hold stories; text before a section's first story heading is a story with
    a blank title; stories before any section go into a section with a blank title.

    A body over MAX_BODY_CHARS is cut at a paragraph end (bodylimit.py); ``source``, the
    input lines, lets it cut inside a single over-long paragraph at a line end."""
    sections: list[ParsedSection] = []
    front: list[Item] = []
    bodies: dict[int, list[str]] = {}
    # The input lines of each body paragraph, for the lines a cut body leaves out.
    body_lines: dict[int, list[list[int]]] = {}
    country: str | None = None  # set by a bare country heading, for the stories under it
    jumped: list[ParsedStory] = []  # stories "continued on page N", waiting for their rest
    target: ParsedStory | None = None  # where the text after "continued from" goes
    resume = False  # the next paragraph may finish the sentence cut by the jump
    # Text right under a country heading, with no title of its own, is that country's
    # story, never the end of the story above ("TAJIKISTAN" over a paragraph).
    country_text = False

    def story() -> ParsedStory:
        nonlocal country_text
        if target is not None:
            return target
        if not sections:
            sections.append(ParsedSection(""))
        if country_text:
            country_text = False
            sections[-1].stories.append(ParsedStory("", [country] if country else [], ""))
        if not sections[-1].stories:
            sections[-1].stories.append(ParsedStory("", [country] if country else [], ""))
        return sections[-1].stories[-1]

    separators = _separators(items)
    for k, item in enumerate(items):
        if k in separators:
            if dropped is not None:
                dropped += [DroppedLine(no, "", "rule") for no in item.nos]
            continue
        if item.kind in ("jump_out", "jump_in"):
            if dropped is not None:
                dropped += [DroppedLine(no, "", "continued on page") for no in item.nos]
            if item.kind == "jump_out" and sections and sections[-1].stories:
                jumped.append(story())
            elif item.kind == "jump_in" and jumped:
                target = _continued_story(jumped, item.text)
                jumped.remove(target)
                resume = True
            continue
        if item.kind in ("section", "story", "country"):
            target = None
            country_text = item.kind == "country" and bool(item.text)
        if item.kind == "country":
            country = item.text
            continue
        if item.kind == "section":
            sections.append(ParsedSection(unescape(item.text)))
            country = None
        elif item.kind == "story":
            if not sections:
                sections.append(ParsedSection(""))
            countries = list(item.countries) or ([country] if country else [])
            sections[-1].stories.append(ParsedStory(unescape(item.text), countries, ""))
        elif not sections and target is None:
            front.append(item)
        elif item.kind == "caption":
            story().photos.append(ParsedPhoto(item.text))
        else:
            text = _take_images(item.text, story().images)
            body = bodies.setdefault(id(story()), [])
            lines = body_lines.setdefault(id(story()), [])
            if text and resume and body and _continues(body[-1], text):
                body[-1] = _join_two(body[-1], text)  # "... who had not" + "travelled to"
                lines[-1] = lines[-1] + item.nos
            elif text:
                body.append(text)
                lines.append(list(item.nos))
            resume = False

    if front:
        _place_front_matter(front, sections, bodies, body_lines, warnings, dropped)

    for section in sections:
        for st in section.stories:
            where = (
                f"story '{st.title}'" if st.title else "untitled story"
            ) + (f" in section '{section.title}'" if section.title else "")
            st.title = clean_inline(st.title, where, warnings)
            paragraphs = bodies.get(id(st), [])
            st.body = clean_inline("\n\n".join(paragraphs), where, warnings)
            if len(st.body) > MAX_BODY_CHARS:
                st.body = cap_body(
                    paragraphs, body_lines.get(id(st), []),
                    lambda text, where=where: clean_inline(text, where, []),
                    where, len(st.body), source, warnings, dropped,
                )  # fmt: skip
            for photo in st.photos:
                photo.caption = clean_inline(photo.caption, where, warnings)
            if not st.countries:
                st.countries = _mission_countries(st.title, st.body)
        section.stories = [s for s in section.stories if s.title or s.body or s.photos]
    return sections


def _separators(items: list[Item]) -> set[int]:
    """The rules ("---", "* * *") that part stories: a rule paragraph with no text of
    the same story on one side (a heading, a jump or the file's end). Between two
    paragraphs of one story a rule is the story's own, and stays in its text."""
    text = ("para", "caption")
    return {
        k for k, item in enumerate(items)
        if item.kind == "para" and item.text[:1] in "-*_~" and RULE_RE.match(item.text)
        and (k == 0 or items[k - 1].kind not in text
             or k + 1 == len(items) or items[k + 1].kind not in text)
    }


def _place_front_matter(
    front: list[Item],
    sections: list[ParsedSection],
    bodies: dict[int, list[str]],
    body_lines: dict[int, list[list[int]]],
    warnings: list[str],
    dropped: list[DroppedLine] | None = None,
) -> None:
    """Text before the first heading (a front page) becomes an untitled leading story of
    the first section when it reads as prose (or when the file has no heading at all);
    poster fragments are dropped with a
    warning. Front-page photo captions go with whichever story comes first."""
    paras = [it.text for it in front if it.kind == "para"]
    captions = [ParsedPhoto(_plain(it.text)) for it in front if it.kind == "caption"]
    # With no heading at all, the text is the story, however short: nothing to drop it for.
    no_headings = not sections
    if not sections:
        sections.append(ParsedSection(""))
    first = sections[0]
    if paras and (no_headings or any(_is_prose(p) for p in paras)):
        lead = ParsedStory("", [], "", captions)
        first.stories.insert(0, lead)
        bodies[id(lead)] = paras
        body_lines[id(lead)] = [list(it.nos) for it in front if it.kind == "para"]
        return
    if paras:
        shown = "; ".join(f"'{_shorten(_plain(p), 40)}'" for p in paras[:5])
        more = f" and {len(paras) - 5} more" if len(paras) > 5 else ""
        warnings.append(f"front-page fragments dropped: {shown}{more}")
        if dropped is not None:
            dropped += [
                DroppedLine(no, "", "front-page fragment")
                for it in front if it.kind == "para" for no in it.nos
            ]
    if captions:
        if not first.stories:
            first.stories.append(ParsedStory("", [], ""))
        first.stories[0].photos[:0] = captions

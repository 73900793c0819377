"""Stage 7: blocks -> items (section heading, story heading, caption, paragraph), and the
mending of paragraphs cut by page breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bilingual import country_code as _country_code
from .blocks import Block, _joint, join_lines, strip_emoji_marker
from .text import (
    EMAIL_RE,
    FUNCTION_WORDS,
    KNOWN_SECTIONS,
    LIST_ITEM_RE,
    _ends_sentence,
    _is_capital,
    _plain,
    is_caption,
    next_sentence_start,
    smart_title,
)


@dataclass(slots=True)
class Item:
    # "section" | "story" | "para" | "caption" | "country" (a bare country heading: the
    # stories under it are that country's; with text "" the end of such a part)
    kind: str
    text: str
    countries: list[str] = field(default_factory=list)
    nos: list[int] = field(default_factory=list)  # input line numbers it came from


# A country heading as people write it: "IN KAZAKHSTAN", "From Kyrgyzstan", "News from
# Tajikistan", "Uzbekistan update". The words around the name say only "this country's".
_COUNTRY_PREFIXES = ("news from ", "updates from ", "update from ", "focus on ", "in ", "from ")
_COUNTRY_SUFFIXES = (" update", " updates", " news", " in brief", " round-up", " roundup")


def country_code(text: str) -> str | None:
    """The country a heading names: "Kazakhstan", "КАЗАХСТАН", "Kazakhstan / Казахстан",
    or the name with a heading's words around it ("IN KAZAKHSTAN", "Tajikistan update")."""
    code = _country_code(text)
    if code is not None or " " not in text.strip():
        return code
    low = text.strip().strip(":*.").strip().lower()
    for prefix in _COUNTRY_PREFIXES:
        if low.startswith(prefix):
            return _country_code(low[len(prefix):])
    for suffix in _COUNTRY_SUFFIXES:
        if low.endswith(suffix):
            return _country_code(low[: -len(suffix)])
    return None


# Only the "COUNTRY:" prefix is a pattern; the rest is trimmed with str methods, because
# "\s*\**\s*(\S.*?)\**$" backtracked quadratically on long runs of spaces or stars.
# Letters of any script: "КАЗАХСТАН: семинар ..." is a country heading too.
COUNTRY_HEADING_RE = re.compile(r"^\**\s*((?:[^\W\d_]|[’' ]){4,30}?)\s*:")






def split_country_heading(text: str) -> tuple[str, str] | None:
    """"KAZAKHSTAN: Seminar on ..." -> ("KZ", "Seminar on ...")."""
    plain = _plain(text).strip()
    m = COUNTRY_HEADING_RE.match(plain)
    if not m:
        return None
    code = country_code(m.group(1))
    title = plain[m.end():].strip().lstrip("*").strip().rstrip("*")
    if not code or not title:
        return None
    return code, title.strip().rstrip(".").strip()


def _is_plain_heading(block: Block, prev: Block | None, nxt: Block | None) -> bool:
    plain = strip_emoji_marker(block.plain)
    if nxt is not None and nxt.text[:1].islower():
        return False  # a heading is never followed by the rest of a sentence
    if len(plain.split(None, 31)) > 31:
        return False  # over 30 words: no heading, in capitals or not (a paragraph, fast)
    if is_caption(plain) or "://" in plain or EMAIL_RE.search(plain):
        return False
    words = plain.split()
    if _is_capital(plain):
        return len(words) <= 30
    if len(block.lines) != 1 or len(words) > 6 or plain[-1:] in (".", ",", ";", ":"):
        return False
    if not plain[:1].isalpha() or words[-1].lower() in FUNCTION_WORDS:
        return False  # "migrants back to" is a sentence cut by a page break
    # After "...three areas:" or mid-sentence, a short line is the rest of the text.
    return prev is None or not (
        prev.text.rstrip().endswith(":") or (plain[:1].islower() and not _ends_sentence(prev.text))
    )


_NUMBER_ONLY_RE = re.compile(r"^[\d,.%\s]+$")
BOLD_LINE_RE = re.compile(r"^(\*\*|__)[^*_\s](?:[^*_]{0,150}[^*_\s])?\1$")


def _is_bold_title(block: Block, prev: Block | None, nxt: Block | None) -> bool:
    """A Markdown line all in bold, of three to fifteen words, not a sentence, with a
    paragraph after it: the title of the story below ("**New guide for ship owners**").
    A bold number, a bold sentence or the label under a bold number is not
    ("**171,428**", "**Call 1899 today.**", "**386**" + "**Migrants counselled**")."""
    if prev is not None and _NUMBER_ONLY_RE.match(prev.plain):
        return False
    if len(block.lines) != 1 or not BOLD_LINE_RE.match(block.text):
        return False
    plain = block.plain
    if not 3 <= len(plain.split()) <= 15 or not plain[:1].isalpha() or _ends_sentence(plain):
        return False
    return nxt is not None and nxt.md_level is None and not BOLD_LINE_RE.match(nxt.text)


def _section_level(blocks: list[Block]) -> int | None:
    """The Markdown heading level that holds sections, from how the file uses its levels:
    the shallowest level of headings that are neither "COUNTRY: title" stories nor bare
    country names. When bare country headings group the stories and the other headings
    all share one level, that level holds stories, and there are no sections; so it does
    when all headings share one level and read as story titles (_reads_as_titles)."""
    levels: set[int] = set()
    headings: list[str] = []  # the headings that count for the levels
    countries = False
    for b in blocks:
        if b.md_level is None:
            continue
        if country_code(b.heading_text):
            countries = True
        elif not split_country_heading(b.heading_text):
            levels.add(b.md_level)
            headings.append(b.heading_text)
    if not levels or (countries and len(levels) == 1):
        return None
    if len(levels) == 1 and _reads_as_titles(headings):
        return None
    return min(levels)


STORY_TITLE_MIN_WORDS = 4


def _reads_as_titles(headings: list[str]) -> bool:
    """Headings of one level that mostly read as story titles ("New shelter opens in
    Jalal-Abad"), not as section names ("Direct assistance"): four words or more, and
    no heading of one word. Then they are stories, and the file has no sections."""
    lengths = sorted(len(h.split()) for h in headings)
    return (len(lengths) >= 2 and lengths[0] >= 2
            and lengths[len(lengths) // 2] >= STORY_TITLE_MIN_WORDS)


def classify_blocks(blocks: list[Block]) -> list[Item]:
    """Label every block as a section heading, story heading, photo caption, paragraph,
    bare country heading (it tags the stories under it) or "continued" jump."""
    markdown = any(b.md_level is not None for b in blocks)
    section_level = _section_level(blocks) if markdown else None
    items: list[Item] = []
    # The level of the Markdown country heading whose stories follow ("## Kazakhstan"):
    # a heading at the same level that names no country ("## Useful contacts") ends its
    # part, said by a country item without a country. (A digest may put "####"
    # countries over "###" stories: a different level says nothing.)
    country_level: int | None = None
    for i, block in enumerate(blocks):
        prev = blocks[i - 1] if i else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        text = block.text
        plain = block.plain
        if (
            country_level is not None and block.md_level == country_level
            and not country_code(block.heading_text)
        ):
            items.append(Item("country", ""))
            country_level = None
        if block.kind in ("story", "section"):
            title = smart_title(block.heading_text)
            items.append(Item(block.kind, title.rstrip(".") if block.kind == "story" else title,
                              nos=block.nos))
            continue
        if block.kind == "para":
            items.append(Item("para", text, nos=block.nos))
            continue
        jump = _jump(block)
        if jump is not None:
            items += jump
            continue
        if is_caption(plain):
            items += _caption_items(block)
            continue
        if block.md_level is not None or len(block.lines) == 1 and len(plain) <= 40:
            # Every country name has four letters or more: shorter blocks skip the lookup.
            code = country_code(block.heading_text) if len(block.text) >= 4 else None
            if code and (block.md_level is not None or _is_capital(plain) or not markdown):
                items.append(Item("country", code, [code], nos=block.nos))
                if block.md_level is not None:
                    country_level = block.md_level
                continue
        if text.startswith("!["):
            items.append(Item("para", text, nos=block.nos))  # an image, never a heading
            continue
        if markdown:
            if block.md_level is None:
                kind = "story" if _is_bold_title(block, prev, nxt) else "para"
                items.append(Item(kind, smart_title(plain) if kind == "story" else text,
                                  nos=block.nos))
                continue
            heading = block.heading_text
            country = split_country_heading(heading)
            if country:
                items.append(Item("story", country[1], [country[0]], nos=block.nos))
            elif block.md_level == section_level:
                items.append(Item("section", smart_title(heading), nos=block.nos))
            else:
                items.append(Item("story", smart_title(heading).rstrip("."), nos=block.nos))
            continue
        country = split_country_heading(text) if len(block.lines) == 1 and ":" in text else None
        if country and len(plain.split()) <= 25:
            items.append(Item("story", country[1], [country[0]], nos=block.nos))
        elif _is_plain_heading(block, prev, nxt):
            plain = strip_emoji_marker(plain)  # "☎️ Hotlines": the words are the heading
            title = smart_title(plain).rstrip(".")
            is_section = len(block.lines) == 1 and len(plain.split()) <= 6 and (
                block.blank_after >= 2 or plain.lower() in KNOWN_SECTIONS
            )
            items.append(Item("section" if is_section else "story", title, nos=block.nos))
        else:
            items.append(Item("para", text, nos=block.nos))
    return items


def _jump(block: Block) -> list[Item] | None:
    """"(Continued on page 4)" ends a story's first part (kind "jump_out"); "(Continued
    from page 1)", alone or after a repeated title, starts its rest ("jump_in", with the
    title when printed). Text before a trailing "continued on" stays a paragraph."""
    plain = block.plain
    if "ontinue" not in plain and "ont'd" not in plain.lower():
        return None
    m = CONTINUED_ANY_RE.search(plain)
    if not m:
        return None
    before = plain[: m.start()].strip()
    after = plain[m.end():].strip()
    if m.group("dir").lower() == "on" and not after:
        if not before:
            return [Item("jump_out", "", nos=block.nos)]
        if len(block.lines) > 1 and CONTINUED_ANY_RE.fullmatch(_plain(block.lines[-1])):
            # The marker has a line of its own: that line is the jump, the rest the text.
            text = join_lines(block.lines[:-1])
            return [Item("para", text, nos=block.nos[:-1]),
                    Item("jump_out", "", nos=block.nos[-1:])]
        return [Item("para", _strip_jump(block.text), nos=block.nos), Item("jump_out", "")]
    if m.group("dir").lower() == "from" and len(before.split()) <= 12:
        title = smart_title(before.strip(" -–—:")).rstrip(".") if before else ""
        items = [Item("jump_in", title, nos=block.nos)]
        return items + ([Item("para", after, nos=[])] if after else [])
    return None


def _strip_jump(text: str) -> str:
    m = CONTINUED_ANY_RE.search(text)
    return text[: m.start()].rstrip() if m else text


CONTINUED_ANY_RE = re.compile(
    r"[(\[]?\s*(?:continued|cont['’]?d\.?)\s+(?P<dir>on|from)\s+(?:page|p\.)\s*\d{1,3}"
    r"\s*[)\]]?[.\s]*",
    re.IGNORECASE,
)


_INITIAL_RE = re.compile(r"(?:^|[\s(])([^\W\d_])\.$")


def _INITIAL_END(text: str) -> bool:
    """"(Credit: A. Ronn", "Сурат: Ҳ.": a capital initial of any script ends the text
    ([A-ZА-Я] missed Ҳ, Ӯ, Ş ...)."""
    m = _INITIAL_RE.search(text)
    return m is not None and m.group(1).isupper()


def _caption_items(block: Block) -> list[Item]:
    """A caption is the "Photo ..." line; what follows it in the same block is story text,
    unless it keeps talking about the photo."""
    if len(block.lines) > 1 and _ends_sentence(block.lines[0]):
        return [
            Item("caption", _plain(block.lines[0]), nos=block.nos[:1]),
            Item("para", join_lines(block.lines[1:]), nos=block.nos[1:]),
        ]
    text = block.text
    # The caption is the first sentence: up to ". " before a capital of any script.
    cut = next_sentence_start(text)
    first, rest = (text[:cut].rstrip(), text[cut:]) if cut is not None else (text, "")
    if cut is not None and (_INITIAL_END(first) or first.count("(") != first.count(")")):
        # "(Credit: A. Ronn)": after an initial or inside brackets no sentence ends.
        cut, first, rest = None, text, ""
    talks_of_photo = re.search(r"\b(?:photos?|фото\w{0,4})\b", rest, re.IGNORECASE)
    if cut is not None and len(first.split()) >= 3 and not talks_of_photo:
        return [
            Item("caption", _plain(first), nos=block.nos),
            Item("para", rest, nos=block.nos),
        ]
    return [Item("caption", _plain(text), nos=block.nos)]


# ---------------------------------------------------------------------------- 8. joining


_NON_WORD_RE = re.compile(r"\W")
# A rule ("---", "***") ends what is above it: the text under it is never its sentence.
_IS_RULE = re.compile(r"(?:^|\n)(?:-{3,}|\*{3,}|_{3,})$").search


_LIST_START = frozenset("-*•0123456789")  # how LIST_ITEM_RE's items start


def _continues(left: str, right: str) -> bool:
    """Whether paragraph ``right`` goes on from ``left``; reads only the end of ``left``."""
    tail = left[-200:]
    if right[:1] in _LIST_START and LIST_ITEM_RE.match(right):
        return False
    if _ends_sentence(tail) or tail[-1:] in "-*_" and _IS_RULE(tail):
        return False
    if tail.endswith("|") or right.startswith("|"):
        return False  # a table ends where it ends: no sentence runs on from it
    if "\n" in tail and " | " in tail.rsplit("\n", 1)[-1]:
        return False
    if right[:1].islower() or left.endswith("-"):
        return True
    # Only the last word: splitting the whole tail for it, once per joined paragraph,
    # was a fifth of this stage on a file of many one-word paragraphs.
    words = tail.rsplit(None, 1)
    return bool(words) and _NON_WORD_RE.sub("", words[-1]).lower() in FUNCTION_WORDS


def join_paragraphs(items: list[Item]) -> list[Item]:
    """Mend paragraphs cut by a page break or a removed running header: join when the first
    stops mid-sentence and the second starts in lower case (or the first ends on "the",
    "to", "of" ...). A word split by a hyphen across the break is mended too."""
    out: list[Item] = []
    pieces: list[str] = []  # the growing paragraph at out[-1], joined once when it ends
    for item in items:
        if item.kind == "para" and pieces and _continues(pieces[-1], item.text):
            cut, add = _joint(pieces[-1], item.text, " ")
            if cut:
                pieces[-1] = pieces[-1][:-cut]
            pieces.append(add)
            out[-1].nos += item.nos
            continue
        if len(pieces) > 1:
            out[-1].text = "".join(pieces)
        if item.kind == "para":
            item = Item("para", item.text, item.countries, list(item.nos))
            pieces = [item.text]
        else:
            pieces = []
        out.append(item)
    if len(pieces) > 1:
        out[-1].text = "".join(pieces)
    return out

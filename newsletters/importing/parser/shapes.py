"""Stage 5b: shapes of plain text and e-mail that classify_blocks would misread, made
plain before it runs.

- An e-mail's footer (after the "--" signature line or a long "=====" rule: "You receive
  this e-mail because…", "Unsubscribe: …") goes to ``dropped`` as "e-mail footer"; its
  greeting ("Hello everyone,") and a short introduction right under it ("Here is what happened…", at
  most INTRO_MAX_WORDS words) as "e-mail greeting". The introduction says nothing a
  reader of the issue page needs; a longer one is an editorial and stays a story.
- Stories numbered "1. Title", "2. Title" (at least two, counting from 1): each number
  line is the story's title (without its number), the lines under it its text. An
  outline ("1. PROTECTION" over "1.1 Shelter …", "I." / "A." tops) is outline.py's.
- A title line glued to its text (no blank line between, "Mobile clinic reaches twelve
  villages" over the story's lines, at most 60% as long as the longest, the last ending a
  sentence, but for "Source: …", "Read more: …", "Contact: …" lines after it; or over a
  "By Mira Tal" or "Автор: Әсел Нұрланқызы" byline) is cut off as the story's title; the
  byline stays the first line of the text, a paragraph of its own.
- Where the file's titles are one line over one blank line, a longer one of that shape
  (seven to twelve words) after a finished story is a title too.
- A short line right above such a title ("Lowland Province") is a sub-heading (a region,
  a district): it marks the story, as the first line of its text, instead of becoming an
  empty story of its own.
- A story title in two languages ("English / Русский", or English over Russian on two
  lines) is a title, whatever its length (bilingual.py).
- A caption line inside a paragraph ("Photo: The repaired dormitory. (Credit: …)") is a
  block of its own, so it becomes the story's photo caption as in the seeds.
- A headline wholly in quotes over its text is a title; so is a title line over a table
  of spaced columns, and a heading glued over dated or numbered entries ("Past issues").
- A letter's signature stays its text: the name and post under "With warm regards,"
  keep their lines, and "Name, Post" after a "Dear …," letter is no heading.
- Where the file uses no blank-line rule for sections (no heading over two blank lines)
  but has titles like the above, its short ALL-CAPS lines ("FROM THE DIRECTOR",
  "KEY FIGURES") are the section headings.

Plain-text files only (a Markdown file says its headings with "#"), except the e-mail
footer and greeting, which are the same in both. Every step is one pass over the blocks.
"""

from __future__ import annotations

import re

from .bilingual import halves, is_bilingual, two_scripts
from .blocks import Block, drop_block, entry_starts
from .classify import country_code
from .forwarded import SIGNOFF_RE
from .model import DroppedLine
from .outline import labelled_titles, outline_titles
from .text import (
    _CAPTION_START,
    EMAIL_RE,
    LIST_ITEM_RE,
    TITLE_MAX_WORDS,
    _ends_sentence,
    _is_capital,
    _plain,
    is_caption,
    is_spaced_table,
)

# "-- " (the signature line), or a long rule such as mailing services print above their
# footer ("=====…"): a footer only when what follows says so (FOOTER_WORDS_RE).
SIGNATURE_RE = re.compile(r"^(?:--|={10,}|-{10,})\s?$")
FOOTER_WORDS_RE = re.compile(
    r"unsubscribe|subscribed|this (?:e-?mail|message|newsletter)|mailing list|opt out", re.I
)
FOOTER_MAX_LINES = 15
GREETING_RE = re.compile(r"^(?:hello|hi|dear|greetings|good (?:morning|afternoon|day))\b.{0,60},$",
                         re.I)
INTRO_MAX_WORDS = 30
NUMBERED_RE = re.compile(r"^(\d{1,2})[.)]\s+(\S.{0,120})$")
# "By Mira Tal", "Text by Өмүр Токтогулова": one to four names, each checked with
# str.isupper in is_byline ([A-ZА-Я] missed Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І and Ё).
# Also a label and a colon: "Author: …", "Text: …", Russian "Автор: …", "Текст: …",
# "Подготовила: …" (prepared by), Kazakh "Мәтін: …" (text), "Дайындаған: …" (prepared by),
# Kyrgyz "Даярдаган: …", "Автору: …". "Photo: …" / "Фото: …" credits a picture: a
# caption (text.CAPTION_RE), never a byline.
BYLINE_RE = re.compile(
    r"^(?:(?:by|text by|written by|report by)\s+"
    r"|(?:author|text|words|автор|текст|подготовил[аи]?|мәтін|дайындаған|даярдаган|автору)"
    r"\s?:\s?)([^\W\d_][\w.'’-]*(?: +\S+){0,3})$",
    re.I,
)


def is_byline(line: str) -> bool:
    m = BYLINE_RE.match(line)
    return bool(m) and all(word[:1].isupper() for word in m.group(1).split())

_HAS_WORD = re.compile(r"[^\W_]").search


def reshape(blocks: list[Block], dropped: list[DroppedLine] | None = None) -> list[Block]:
    """The blocks with the shapes above made explicit (see the module's docstring)."""
    for block in blocks:
        if block.kind == "story" and (
            block.md_level is not None or len(block.lines) == 1 and _is_capital(block.text)
        ):
            # A heading an earlier stage marked as a story title (the text left under a
            # "Contacts" heading) keeps the rank its file gives it: "Contact us" at the
            # level of "Training" and "Outreach" is a section beside them, not a story in
            # the one before it.
            block.kind = None
    blocks = _drop_email_footer(blocks, dropped)
    blocks = _drop_greeting(blocks, dropped)
    blocks = _run_in_titles(blocks)
    if any(b.md_level is not None for b in blocks):
        return blocks
    blocks = _split_captions(blocks)
    _bilingual_titles(blocks)
    blocks = labelled_titles(blocks)
    blocks = outline_titles(blocks)
    blocks = _numbered_titles(blocks)
    blocks = _glued_titles(blocks)
    _long_titles(blocks)
    _table_titles(blocks)
    _signatures(blocks)
    _signed_lines(blocks)
    if any(b.kind == "story" for b in blocks):  # the two steps below follow such titles
        blocks = _sub_headings(blocks)
        _capital_sections(blocks)
    elif _capitals_over_titles(blocks) >= 1:
        # One is enough: "FIELD NEWS" over "Shelter opens in Osh" and its text is a
        # section with its story (the first rule asked for two, and a lone heading was
        # an empty story); an ALL-CAPS title over a subtitle becomes a section over its
        # story, never a story without text.
        _capital_sections(blocks)
    return blocks


def _split(block: Block, k: int) -> tuple[Block, Block]:
    """The block cut before its line ``k``."""
    first = Block(block.lines[:k], blank_after=0, md_level=block.md_level, nos=block.nos[:k])
    rest = Block(block.lines[k:], blank_after=block.blank_after, nos=block.nos[k:])
    return first, rest


def _drop_email_footer(blocks: list[Block], dropped: list[DroppedLine] | None) -> list[Block]:
    """Everything from the last "--" line on, when it is short and reads as a footer."""
    for i in range(len(blocks) - 1, max(-1, len(blocks) - FOOTER_MAX_LINES - 1), -1):
        block = blocks[i]
        at = next((k for k, line in enumerate(block.lines) if SIGNATURE_RE.match(line)), None)
        if at is None:
            continue
        tail = [block, *blocks[i + 1:]]
        lines = sum(len(b.lines) for b in tail) - at
        if lines > FOOTER_MAX_LINES or not any(FOOTER_WORDS_RE.search(b.text) for b in tail):
            return blocks
        kept = blocks[:i]
        if at:
            head, block = _split(block, at)
            kept.append(head)
        for b in [block, *blocks[i + 1:]]:
            drop_block(dropped, b, "e-mail footer")
        return kept
    return blocks


def _drop_greeting(blocks: list[Block], dropped: list[DroppedLine] | None) -> list[Block]:
    if not blocks or len(blocks[0].lines) != 1 or not GREETING_RE.match(blocks[0].plain):
        return blocks
    drop_block(dropped, blocks[0], "e-mail greeting")
    rest = blocks[1:]
    intro = rest[0] if rest and rest[0].md_level is None else None
    if intro is not None and _HAS_WORD(intro.plain) and (
        len(intro.plain.split()) <= INTRO_MAX_WORDS and len(rest) > 1 and _starts_story(rest[1])
    ):
        drop_block(dropped, rest[0], "e-mail greeting")
        rest = rest[1:]
    return rest


def _starts_story(block: Block) -> bool:
    return block.md_level is not None or bool(NUMBERED_RE.match(block.lines[0]))


_QUOTES = "\"“«„‘'"
_QUOTED_RE = re.compile(r'^(?:"[^"]+"|“[^“”]+”|«[^«»]+»|„[^„“]+“)$')


def _is_title_line(line: str) -> bool:
    """Short, capitalised, not a sentence, a list item, a caption, an address or a link."""
    plain = _plain(line)
    words = plain.split()
    return (
        1 <= len(words) <= TITLE_MAX_WORDS and plain.lstrip(_QUOTES)[:1].isupper()
        and not _ends_sentence(plain)
        and not plain.endswith(",") and not is_caption(plain)
        and not EMAIL_RE.search(plain) and "://" not in plain
    )


def _split_captions(blocks: list[Block]) -> list[Block]:
    """A "Photo: …" line after a finished sentence inside a block: a block of its own.
    The cuts of a block are found in one pass and its pieces made once (cutting the
    rest again after each cut made a long block quadratic)."""
    out: list[Block] = []
    for block in blocks:
        lines = block.lines
        cuts = [
            k for k in range(1, len(lines))
            if lines[k][:1] in _CAPTION_START and is_caption(_plain(lines[k]))
            and _ends_sentence(lines[k - 1])
        ] if len(lines) > 1 else []
        if not cuts:
            out.append(block)
            continue
        bounds = [0, *cuts, len(lines)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            out.append(Block(lines[a:b], blank_after=block.blank_after if b == len(lines) else 0,
                             nos=block.nos[a:b]))
    return out



def _numbered_titles(blocks: list[Block]) -> list[Block]:
    """Stories numbered 1, 2, 3 …: each number line a title of its own."""
    found = []
    for i, block in enumerate(blocks):
        m = NUMBERED_RE.match(block.lines[0]) if block.lines[0][:1].isdigit() else None
        if m and _is_title_line(m.group(2)) and (len(block.lines) > 1 or i + 1 < len(blocks)):
            found.append((i, int(m.group(1))))
    numbers = [n for _, n in found]
    if len(found) < 2 or numbers != list(range(1, len(found) + 1)):
        return blocks
    starts = {i for i, _ in found}
    # "1. Heating upgrades" over "New boilers" and its text: the numbered headings are
    # the sections, the unnumbered ones under them the stories (a Word document's
    # heading levels, saved as text).
    kind = "section" if any(
        len(blocks[i].lines) == 1 and i + 2 < len(blocks) and _is_sub_heading(blocks[i + 1])
        for i in starts
    ) else "story"
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i not in starts:
            out.append(block)
            continue
        m = NUMBERED_RE.match(block.lines[0])
        assert m is not None
        title = Block([m.group(2).strip()], blank_after=0 if len(block.lines) > 1 else 1,
                      nos=block.nos[:1])
        title.kind = kind
        out.append(title)
        if len(block.lines) > 1:
            out.append(_split(block, 1)[1])
    return out


def _bilingual_titles(blocks: list[Block]) -> None:
    """A story title printed in two languages (bilingual.py): "English / Русский" on one
    line, of any length a half may have, or the English title over the Russian one in a
    block of their own. Its text is both halves with " / " between them. Capitals are
    left to the rules for sections and country headings."""
    for block in blocks:
        # Cheap tests first: most blocks of a file are neither, and this runs on each.
        if block.kind is not None or len(block.lines) > 2:
            continue
        if len(block.lines) == 1:
            if " / " not in block.text or not is_bilingual(block.plain):
                continue
            if all(map(_is_title_line, halves(block.plain) or [])) and not _is_capital(
                block.text
            ):
                block.kind = "story"
        elif (
            block.text.isascii() is False and two_scripts(*block.lines)
            and all(map(_is_title_line, block.lines)) and not _is_capital(block.text)
            and not is_byline(_plain(block.lines[1]))  # "By Өмүр Токтогулова": a byline
        ):
            block.text = " / ".join(line.strip() for line in block.lines)
            block.plain = _plain(block.text)
            block.kind = "story"


def _is_sub_heading(block: Block) -> bool:
    """One title line, not numbered itself, with text after it."""
    return (block.kind is None and len(block.lines) == 1 and _is_title_line(block.lines[0])
            and not NUMBERED_RE.match(block.lines[0]))


def _glued_titles(blocks: list[Block]) -> list[Block]:
    """A title line over its story's text in one block, cut off as the title."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            block.kind is None and len(block.lines) >= 2 and _is_title_line(block.lines[0])
            and not LIST_ITEM_RE.match(block.lines[0]) and block.lines[1][:1].isupper()
            and not _is_capital(block.lines[0])
            and (
                (prev is None or prev.kind is not None or len(prev.lines) == 1
                 or _ends_sentence(prev.text))
                and (
                    is_byline(_plain(block.lines[1]))
                    or is_caption(_plain(block.lines[1]))  # "Фото: Айгүл Сейітова" under it
                    or _ends_sentence(block.lines[_last_text_line(block.lines)])
                    and len(block.lines[0]) < _title_share(block.lines)
                    * max(len(line) for line in block.lines[1:])
                )
                # "Past issues" over "No. 11 — March 2023: …" lines: the list's heading,
                # whatever stands above it (a contents list not yet dropped).
                or len(entry_starts(block.lines)) == len(block.lines) - 1
            )
        ):
            title, rest = _split(block, 1)
            title.kind, rest.kind = "story", "para"
            out.append(title)
            if len(rest.lines) >= 2 and is_byline(_plain(rest.lines[0])):
                # "By Mira Tal" / "Автор: …" glued to the text too: its own paragraph,
                # as when a blank line follows it, not the opening words of the text.
                byline, rest = _split(rest, 1)
                byline.kind, byline.blank_after, rest.kind = "para", 1, "para"
                out.append(byline)
            if rest.lines[0][:1] in _CAPTION_START and is_caption(_plain(rest.lines[0])):
                rest.kind = None  # a photo credit: classify makes it the story's caption
                out.append(rest)
                continue
            end = _last_text_line(rest.lines) + 1
            if end < len(rest.lines):  # "Source: …" a paragraph of its own, as printed
                text, trailer = _split(rest, end)
                text.blank_after, text.kind, trailer.kind = 1, "para", "para"
                out += [text, trailer]
            else:
                out.append(rest)
            continue
        out.append(block)
    return out


SHORT_TITLE_WORDS = 6  # classify reads a line of up to this many words as a heading


def _title_over_text(block: Block, nxt: Block | None) -> bool:
    """A one-line title over one blank line and a story's text (15 words or more, its
    last line, but for trailers, ending a sentence)."""
    # Cheap tests first: this is asked of every block of a file.
    return (
        block.kind is None and block.md_level is None and len(block.lines) == 1
        and block.blank_after == 1 and nxt is not None and nxt.kind is None
        and nxt.md_level is None and nxt.plain.count(" ") >= 14
        and nxt.lines[0][:1].isupper() and len(nxt.plain.split()) >= 15
        and _is_title_line(block.lines[0]) and not _is_capital(block.text)
        and not LIST_ITEM_RE.match(nxt.lines[0])
        and _ends_sentence(nxt.lines[_last_text_line(nxt.lines)])
    )


def _long_titles(blocks: list[Block]) -> None:
    """Where the file's titles are one line over one blank line and their text (one at
    least of up to SHORT_TITLE_WORDS words, which classify reads as a heading), a longer
    line of that shape (up to TITLE_MAX_WORDS) after a finished story or under a section
    heading in capitals is a title too: "A legal help desk at the bus station" is no
    paragraph of the story above it, nor the first line of an untitled story."""
    shapes = [
        (i, len(b.plain.split())) for i, b in enumerate(blocks)
        if _title_over_text(b, blocks[i + 1] if i + 1 < len(blocks) else None)
    ]
    for i, _ in shapes:
        if blocks[i].text[:1] in _QUOTES and _QUOTED_RE.match(blocks[i].text):
            # A headline wholly in quotes over its text ('"Nobody told me the job did not
            # exist"'), as an interview is titled: a title in any file. A pull quote ends
            # its sentence inside the quotes and is no such line.
            blocks[i].kind = "story"
    if not any(words <= SHORT_TITLE_WORDS for _, words in shapes):
        return
    for i, words in shapes:
        prev = blocks[i - 1] if i else None
        if words > SHORT_TITLE_WORDS and (
            prev is None or prev.kind is not None or _is_capital_line(prev)
            or _ends_sentence(prev.text) or TRAILER_RE.match(prev.lines[-1])
        ):
            blocks[i].kind = "story"


SIGNATURE_MAX_LINES = 4
SIGNATURE_MAX_WORDS = 8


def _signatures(blocks: list[Block]) -> None:
    """The lines under a letter's sign-off ("With warm regards," over "Jonathan Mbeki" and
    "Chief of Mission"): a name and a post, each on its own line as signed, never run
    together into one line of text."""
    for block, nxt in zip(blocks, blocks[1:], strict=False):
        if (
            len(block.lines) <= 2 and SIGNOFF_RE.match(block.lines[-1].strip())
            and nxt.kind is None and 2 <= len(nxt.lines) <= SIGNATURE_MAX_LINES
            and all(len(line.split()) <= SIGNATURE_MAX_WORDS and not _ends_sentence(line)
                    for line in nxt.lines)
        ):
            nxt.text = "\n".join(line.strip() for line in nxt.lines)
            nxt.plain = _plain(nxt.text)
            nxt.kind = "para"


# "Jonathan Mbeki, Chief of Mission": a name of two to four capitalised words, a comma,
# a post. Bounded parts with a space between each: one pass.
SIGNED_RE = re.compile(r"^(?:[A-ZА-ЯЁ][\w'’.-]{0,30} ){1,3}[A-ZА-ЯЁ][\w'’-]{0,30}, \S")


def _signed_lines(blocks: list[Block]) -> None:
    """A letter ("Dear colleagues," at its top) ends with its signer's name and post on
    one line: that line is the letter's, not a heading over the next part (over two
    blank lines it was read as an empty section)."""
    letter = False
    for prev, block in zip(blocks, blocks[1:], strict=False):
        if block.kind is not None or _is_capital_line(block):
            letter = False
        elif GREETING_RE.match(block.text):
            letter = True
        elif (
            letter and len(block.lines) == 1 and len(block.plain.split()) <= SIGNATURE_MAX_WORDS
            and _ends_sentence(prev.text) and SIGNED_RE.match(block.text)
        ):
            block.kind = "para"
            letter = False


def _table_titles(blocks: list[Block]) -> None:
    """A title line right over a table of columns parted by spaces ("Returns assisted by
    country and quarter, 2023" over "Country   Q1 2023   Q2 2023 …"): the table's title,
    and the title of the story holding it, not a paragraph over it."""
    for block, nxt in zip(blocks, blocks[1:], strict=False):
        if (
            block.kind is None and len(block.lines) == 1 and block.blank_after == 1
            and nxt.kind is None and len(nxt.lines) >= 2 and "  " in nxt.lines[0].strip()
            and _is_title_line(block.lines[0]) and not _is_capital(block.text)
            and is_spaced_table(nxt.lines)
        ):
            block.kind = "story"


# The lines a story may end with after its last sentence: where it came from, where to
# read on, whom to ask ("Source: Kazinform, 12 March 2023", "Read more: https://…",
# "Contact: Dilnoza Rahimova, d.rahimova@…").
TRAILER_RE = re.compile(
    r"^(?:sources?|read more|more|full story|contacts?|links?|источник|подробнее|контакты?)"
    r" ?:", re.IGNORECASE,
)


def _last_text_line(lines: list[str]) -> int:
    """Where the last line before the story's trailer lines is (TRAILER_RE, three at
    most)."""
    k = len(lines) - 1
    while k > 0 and k >= len(lines) - 3 and TRAILER_RE.match(lines[k]):
        k -= 1
    return k


def _title_share(lines: list[str]) -> float:
    """How long a glued title may be, as a share of the block's longest line: 60%, or
    80% when the block ends with a trailer ("Source: …"): a block that holds a whole
    story, title to source, says more surely that its first short line is a title."""
    return 0.8 if _last_text_line(lines) < len(lines) - 1 else 0.6


def _sub_headings(blocks: list[Block]) -> list[Block]:
    """"Lowland Province" right above a title: moved under it, as the story's first line."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            nxt is not None and nxt.kind == "story" and block.kind is None
            and len(block.lines) == 1 and block.blank_after < 2
            and _is_title_line(block.lines[0]) and len(block.plain.split()) <= 5
            and not _is_capital(block.text)
            and not country_code(block.text)  # "Tajikistan update": tags the stories below
        ):
            block.kind = "para"
            out += [nxt, block]
            i += 2
            continue
        out.append(block)
        i += 1
    return out


# "**Shymkent hosts a job fair** — More than 400 people came…": a bold title run into its
# story's first line, after a dash, a colon or a full stop.
RUN_IN_RE = re.compile(r"^\*\*([^*]{3,150}?)\*\*\s?(?:[—–:-]|\.)\s+(\S.*)$")


def _run_in_titles(blocks: list[Block]) -> list[Block]:
    """Paragraphs opening with a bold title run into their text are stories, the bold
    words their title, when the file has two of them at least (one is emphasis)."""
    found = [
        i for i, b in enumerate(blocks)
        if b.kind is None and b.md_level is None and b.lines[0][:2] == "**"
        and RUN_IN_RE.match(b.lines[0].strip())
    ]
    if len(found) < 2:
        return blocks
    out: list[Block] = []
    starts = set(found)
    for i, block in enumerate(blocks):
        if i not in starts:
            out.append(block)
            continue
        m = RUN_IN_RE.match(block.lines[0].strip())
        assert m is not None
        # Both blocks carry the first line's number: its words are in one or the other.
        title = Block([m.group(1).strip()], nos=block.nos[:1])
        rest = Block([m.group(2), *block.lines[1:]], blank_after=block.blank_after,
                     nos=block.nos)
        title.kind, rest.kind = "story", "para"
        out += [title, rest]
    return out


def _is_capital_line(block: Block) -> bool:
    """A short ALL-CAPS line of its own ("FROM THE DIRECTOR", "IN FOCUS"), no sentence:
    what may be a section heading in plain text. Cheap tests first: it is asked of every
    block of a file."""
    return (
        block.kind is None and len(block.lines) == 1 and not block.text.islower()
        and len(block.plain.split()) <= 6 and _is_capital(block.text)
        and not _ends_sentence(block.plain)
    )


def _capitals_over_titles(blocks: list[Block]) -> int:
    """How often a short ALL-CAPS line ("IN FOCUS") stands right over a one-line title
    in mixed case ("Five questions to a border guard") that has text under it: the
    sections and stories of a file that keeps one blank line between all three."""
    return sum(
        1
        for caps, title, text in zip(blocks, blocks[1:], blocks[2:], strict=False)
        if _is_capital_line(caps)
        and len(title.lines) == 1 and _is_title_line(title.lines[0])
        and not _is_capital(title.text) and len(text.plain.split()) > TITLE_MAX_WORDS
    )


def _capital_sections(blocks: list[Block]) -> None:
    """Short ALL-CAPS lines are the sections of a file that cut off titles as above and
    uses no blank-line rule: they are given the two blank lines that mark a section."""
    caps = [b for b in blocks if _is_capital_line(b)]
    if any(b.blank_after >= 2 for b in caps):
        return
    for b in caps:
        b.blank_after = 2


CONTACT_TITLE_RE = re.compile(r"^(?:useful |our )?contacts?(?: us| details)?$", re.IGNORECASE)
_PHONE_RE = re.compile(r"\+?\d[\d ]{4,}\d")


def contacts_left_in_text(sections: list, warnings: list[str]) -> None:
    """A warning for contact lines kept as story text under a "Contacts" heading: the
    directory takes an entry only with its country, and these name none it knows (an
    office of another region, a hotline without a country). They stay visible there;
    the warning asks for them to be added to the directory by hand."""
    for section in sections:
        for story in section.stories:
            heading = story.title or section.title
            if CONTACT_TITLE_RE.match(heading.strip(" :")) and (
                EMAIL_RE.search(story.body) or _PHONE_RE.search(story.body)
            ):
                warnings.append(
                    f"contact lines under '{heading}' kept as story text: no known country "
                    "for them, so the directory did not take them; add them by hand"
                )

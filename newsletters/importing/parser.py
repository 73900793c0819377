"""Turn the text of one newsletter issue (converted from PDF) into plain dataclasses.

Pure Python on purpose: no Django, no database, so every step can be tried on a
three-line string. ``parse`` is a small pipeline:

    normalise            line endings, odd spaces, BOM
    strip_running_headers  page headers/footers -> series, number, date
    split_blocks         lines -> blocks separated by blank lines (blank count kept)
    extract_masthead     a title banner at the top names the series when headers don't
    extract_directory    contact block, hotline sentence, staff list, hotline table
    drop_boilerplate     "FOLLOW US", "click on the photo", tables of contents, footnotes
    classify_blocks      headings (section or story), photo captions, paragraphs
    join_paragraphs      paragraphs cut by page breaks, words cut by line-end hyphens
    extract_key_figures  prose, bold blocks and "N label" lines -> key figures
    build_sections       sections -> stories (Markdown bodies) -> inline clean-up + warnings

Two conversion styles exist. "Markdown" files have ``#`` headings; there only ``#`` lines
are headings and the shallowest level is a section. In "plain" files headings are bare
lines; a short one (<= 6 words) followed by two or more blank lines is a section, any other
heading (long, multi-line, or followed by one blank line) is a story title.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import asdict, dataclass, field

from .countries import (
    COUNTRIES,
    country_code,
    find_countries,
    mention_positions,
    normalise_phone,
    tidy_phone,
)

# ---------------------------------------------------------------------------- data model


@dataclass
class ParsedPhoto:
    caption: str


@dataclass
class ParsedImage:
    """A Markdown image the story refers to: ``![alt](src "title")``. The loader imports
    it as a Photo when ``src`` is in the same upload, and warns otherwise."""

    src: str
    alt: str
    caption: str = ""


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
    value: int
    unit: str


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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        for hotline in data["directory"]["hotlines"]:
            del hotline["e164"]
        return data


CONFIDENCE_THRESHOLD = 0.6
LAYOUTS = ("auto", "sections", "one-story")


class ParseError(ValueError):
    """The text is not a recognisable issue. The message is one human-readable line."""


# ---------------------------------------------------------------------------- shared bits

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
        ],
        start=1,
    )
}
_MONTH_RE = "|".join(m.capitalize() for m in MONTHS)

# Numbers as printed in figures; OCR sometimes puts a space after the thousands comma.
NUM = r"\d{1,3}(?:,\s?\d{3})+|\d+"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MAILTO_LINK_RE = re.compile(r"\[([^\]]*)\]\(mailto:[^)]*\)")
DEAD_LINK_RE = re.compile(r"\[([^\]]+)\]\(\s*#?\s*\)")
LATEX_RE = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")
SUP_RE = re.compile(r"</?sup>", re.IGNORECASE)
# "<sup>1</sup>" is a footnote reference; its footnote is dropped, so the marker goes too.
SUP_REF_RE = re.compile(r"(?<!^)<sup>\s*\d+\s*</sup>", re.IGNORECASE | re.MULTILINE)
CAPTION_RE = re.compile(
    r"^(?:\*\*)?(?:Photos?|Фото)\b\s*(?:\d+(?:\s*[-–]\s*\d+)?\s*[.:]|of\b|by\b|from\b|above\b"
    r"|below\b|:|credit)",
)
LIST_ITEM_RE = re.compile(r"^(?:[-*•]\s+|\d+[.)]\s+)")
# Words people really write with a hyphen at a line end; anything else is a line-break split.
KEEP_HYPHEN_PREFIXES = {"self", "non", "ex", "cross", "well", "anti", "semi", "co", "multi"}
FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "as", "that", "which", "between", "into", "its", "their", "our", "this", "these",
}
SMALL_TITLE_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "as", "via", "vs",
}
ACRONYMS = {
    "IOM", "UN", "UNHCR", "USAID", "NGO", "CT", "COVID", "GCM", "HIV", "AIDS", "STI", "UAE",
    "NAP", "TIP", "VOT", "SDC", "MIA", "EU", "OSCE", "UNODC", "ILO", "UNICEF", "USA", "CIS",
    "NRM", "II", "III", "IV",
}
ACRONYM_FORMS = {"NGOS": "NGOs", "VOTS": "VoTs", "STIS": "STIs"}
# A hint only: the main rule is the blank-line/heading-level one described above.
KNOWN_SECTIONS = {
    "direct assistance", "partnership in action", "homecoming", "orange the world!",
    "advocating for human rights of migrants",
}
MASTHEAD_WORDS = re.compile(
    r"\b(report|programme|program|bulletin|newsletter|digest|update|review|news)\b", re.I
)


def smart_title(text: str) -> str:
    """Title case for text printed all in capitals (or all in lower case); mixed case is
    the author's choice and is kept. Acronyms (IOM, COVID-19, NGOs) stay in capitals."""
    if re.search(r"[a-zа-я]", text) and re.search(r"[A-ZА-Я]", text):
        return text
    words = text.split()
    out = []
    for i, word in enumerate(words):
        parts = []
        for part in word.split("-"):
            core = re.sub(r"[^\w]", "", part).upper()
            if core in ACRONYM_FORMS:
                parts.append(part.upper().replace(core, ACRONYM_FORMS[core]))
            elif core in ACRONYMS:
                parts.append(part.upper())
            elif i > 0 and part.lower() in SMALL_TITLE_WORDS and "-" not in word:
                parts.append(part.lower())
            else:
                low = part.lower()
                idx = next((k for k, ch in enumerate(low) if ch.isalpha()), None)
                parts.append(low if idx is None else low[:idx] + low[idx].upper() + low[idx + 1:])
        out.append("-".join(parts))
    return " ".join(out)


LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
EMPHASIS_RE = re.compile(r"\*{1,3}|(?<!\w)_{1,2}|_{1,2}(?!\w)")


# Cached: the classifiers ask again and again about the same lines of one issue.
@functools.lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """Text without bold/italic markers and link syntax, for pattern matching only."""
    text = MAILTO_LINK_RE.sub(r"\1", text)
    text = LINK_RE.sub(r"\1", text)
    text = SUP_REF_RE.sub("", text)
    text = SUP_RE.sub("", text)
    return EMPHASIS_RE.sub("", text).strip()


def _to_int(number: str) -> int:
    return int(re.sub(r"[,\s]", "", number))


# ---------------------------------------------------------------------------- 1. normalise


def normalise(text: str) -> str:
    """LF line endings, no BOM, ordinary spaces, no trailing whitespace, blank lines empty."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\t]", " ", text)
    text = re.sub(r"[\u200b\u200e\u200f\ufeff]", "", text)
    return "\n".join(line.rstrip() if line.strip() else "" for line in text.split("\n"))


# ---------------------------------------------------------------------------- 2. headers

_DATE_PATTERNS = (
    r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})",
    rf"(?P<td>\d{{1,2}})\s+(?P<tm>{_MONTH_RE})\s+(?P<ty>\d{{4}})",
    rf"(?P<um>{_MONTH_RE})\s+(?P<ud>\d{{1,2}}),?\s+(?P<uy>\d{{4}})",
)
RUNNING_HEADER_RE = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?\s*(?:(?P<series>[^,●•*#\n]{3,}?)\s*,\s*)?"
    r"ISSUE\s*(?:№|No\.?|N°|#)?\s*(?P<num>\d{1,4})\s*[,\-–—]?\s*"
    r"(?P<date>" + "|".join(f"(?:{p})" for p in _DATE_PATTERNS) + r")"
    r"\s*[●•\s]*(?:\*\*)?\s*$",
    re.IGNORECASE,
)


@dataclass
class HeaderInfo:
    series: str | None = None
    number: int | None = None
    date: datetime.date | None = None
    warnings: list[str] = field(default_factory=list)


def _date_from_match(m: re.Match) -> datetime.date | None:
    g = m.groupdict()
    try:
        if g.get("y"):
            return datetime.date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g.get("ty"):
            return datetime.date(int(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"]))
        if g.get("uy"):
            return datetime.date(int(g["uy"]), MONTHS[g["um"].lower()], int(g["ud"]))
    except ValueError:
        return None
    return None


def strip_running_headers(lines: list[str]) -> tuple[list[str], HeaderInfo]:
    """Remove page headers/footers ("SERIES, ISSUE 6, 02/10/2020 ● ●", "Issue №4, 7 August
    2020") wherever they stand; the first one found names the series, number and date.
    The lines around a removed header are joined later by ``join_paragraphs``."""
    info = HeaderInfo()
    kept: list[str] = []
    for line in lines:
        m = RUNNING_HEADER_RE.match(line)
        if not m:
            kept.append(line)
            continue
        number = int(m.group("num"))
        date = _date_from_match(m)
        series = (m.group("series") or "").strip(" #*") or None
        if info.number is None and info.date is None:
            info.number, info.date = number, date
            info.series = smart_title(series) if series else None
        elif (number, date) != (info.number, info.date):
            info.warnings.append(
                f"running headers disagree: '{line.strip()}' vs issue {info.number}, {info.date}"
            )
        if info.series is None and series:
            info.series = smart_title(series)
    return kept, info


# ---------------------------------------------------------------------------- 3. blocks


@dataclass
class Block:
    lines: list[str]
    blank_after: int = 0
    md_level: int | None = None  # "#" count when the block is a Markdown heading

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def heading_text(self) -> str:
        return _plain(re.sub(r"^#+\s*", "", self.text)).strip()


MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*)$")


def split_blocks(lines: list[str]) -> list[Block]:
    """Group lines into blocks separated by blank lines; a Markdown heading is always a
    block of its own. How many blank lines follow a block is kept: it separates
    section headings from story headings in plain-text files."""
    blocks: list[Block] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append(Block(current.copy()))
            current.clear()

    for line in lines:
        if not line.strip():
            close()
            if blocks:
                blocks[-1].blank_after += 1
            continue
        m = MD_HEADING_RE.match(line.strip())
        if m:
            close()
            blocks.append(Block([m.group(2).strip()], md_level=len(m.group(1))))
            continue
        current.append(line.strip())
    close()
    return blocks


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: soft breaks become spaces, a word split by a
    line-end hyphen is mended ("Com-" + "bating"), real hyphens stay ("Jalal-" + "Abad"),
    list items keep their own lines."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif LIST_ITEM_RE.match(line) or (
            FIGURE_LINE_RE.match(_plain(line)) and FIGURE_LINE_RE.match(_plain(out.split("\n")[-1]))
        ):
            out += "\n" + line  # list items and "1,377 hotline calls" figure lines
        else:
            out = _join_two(out, line, " ")
    return out


def _join_two(left: str, right: str, sep: str) -> str:
    m = re.search(r"([A-Za-zА-Яа-я]+)-$", left)
    if m:
        if right[:1].islower() and m.group(1).lower() not in KEEP_HYPHEN_PREFIXES:
            return left[:-1] + right
        return left + right
    return left + sep + right


# ---------------------------------------------------------------------------- 4. masthead


def extract_masthead(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """A banner heading at the very top ("## IOM COUNTER-TRAFFICKING PROGRAMME IN CENTRAL
    ASIA") names the series when no running header does. It counts as a masthead when it
    says what kind of publication it is, or when a deeper heading follows at once."""
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
    if MASTHEAD_WORDS.search(text) or deeper_next:
        return blocks[1:], smart_title(text)
    return blocks, None


# ---------------------------------------------------------------------------- 5. directory

CONTACT_START_RE = re.compile(r"^\W*contact\b.*\b(missions?|offices?|us)\b", re.IGNORECASE)
TEAM_HEADING_RE = re.compile(r"\b(team|staff|contacts|our people)\b", re.IGNORECASE)
HOTLINE_HEADING_RE = re.compile(r"\bhotlines?\b", re.IGNORECASE)
PERSON_RE = re.compile(r"^(?:Mr|Ms|Mrs|Miss|Dr|Prof)\.?\s+[A-ZА-Я]")
TEL_RE = re.compile(r"^(?:Tel|Phone|Mob(?:ile)?|Cell)\.?\s*:?\s*(.+)$", re.IGNORECASE)
PHONE_IN_TEXT_RE = re.compile(r"\+\s?\d[\d \-]{5,}\d|\b\d{3,6}\b")


def _contact_line_code(line: str) -> tuple[bool, str | None, list[str]]:
    """(is a contact line, country named at its start, e-mails on it)."""
    plain = _plain(line)
    emails = EMAIL_RE.findall(plain)
    rest = EMAIL_RE.sub("", plain).strip(" /,;:.")
    if not rest:
        return bool(emails), None, emails
    code = country_code(rest)
    return code is not None, code, emails


def _is_heading_like(block: Block) -> bool:
    return block.md_level is not None or (
        len(block.lines) == 1 and _is_capital(block.text) and len(block.text.split()) <= 8
    )


def _country_heading(text: str) -> str | None:
    return country_code(_plain(text))


def extract_directory(blocks: list[Block]) -> tuple[list[Block], ParsedDirectory]:
    """Move the contact block, the hotline sentence, the staff list and the hotline table
    out of the flow of text into a directory."""
    directory = ParsedDirectory()
    offices: dict[str, list[str]] = {}
    kept: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.md_level is None and CONTACT_START_RE.match(_plain(block.lines[0])):
            current: str | None = None
            lines = block.lines[1:]
            i += 1
            while i < len(blocks) and blocks[i].md_level is None and all(
                _contact_line_code(ln)[0] for ln in blocks[i].lines
            ):
                lines += blocks[i].lines
                i += 1
            for line in lines:
                _, code, emails = _contact_line_code(line)
                current = code or current
                if current:
                    bucket = offices.setdefault(current, [])
                    bucket += [e for e in emails if e.lower() not in map(str.lower, bucket)]
            continue
        if block.md_level is None and _is_hotline_sentence(block.text):
            directory.hotlines += parse_hotline_sentence(_plain(block.text))
            i += 1
            continue
        if _is_heading_like(block) and not _country_heading(block.heading_text):
            text = block.heading_text
            if HOTLINE_HEADING_RE.search(text) and len(text.split()) <= 10:
                end = _directory_region_end(blocks, i)
                directory.hotlines += parse_hotline_table(blocks[i + 1:end])
                i = end
                continue
            if TEAM_HEADING_RE.search(text) and len(text.split()) <= 10:
                end = _directory_region_end(blocks, i)
                directory.people += parse_staff_list(blocks[i + 1:end])
                i = end
                continue
        kept.append(block)
        i += 1
    directory.offices = [ParsedOffice(code, emails) for code, emails in offices.items()]
    directory.hotlines = _dedupe_hotlines(directory.hotlines)
    return kept, directory


def _directory_region_end(blocks: list[Block], start: int) -> int:
    for j in range(start + 1, len(blocks)):
        block = blocks[j]
        if _is_heading_like(block) and not _country_heading(block.heading_text):
            text = block.heading_text
            if not (HOTLINE_HEADING_RE.search(text) or TEAM_HEADING_RE.search(text)):
                return j
            return j  # the next directory part starts its own region
    return len(blocks)


def _is_hotline_sentence(text: str) -> bool:
    plain = _plain(text)
    if not re.search(r"hotline", plain, re.IGNORECASE) or len(plain.split()) > 60:
        return False
    numbers = len(PHONE_IN_TEXT_RE.findall(plain))
    if not numbers or not mention_positions(plain):
        return False  # "Hotline calls received" in a figure block is no directory entry
    return bool(re.search(r"receive calls|call", plain, re.I)) or numbers >= 2


_HOTLINE_NOTES = ("national hotline", "emergency cell number", "cell number", "hotline")


def parse_hotline_sentence(text: str) -> list[ParsedHotline]:
    """"Kazakhstan's (11616) and Kyrgyzstan's national hotline (1899) as well as emergency
    cell number in Tajikistan +992900800800 ..." -> one hotline per number, each given to
    the country named last before it, its note the nearest descriptive phrase."""
    mentions = mention_positions(text)
    numbers = list(PHONE_IN_TEXT_RE.finditer(text))
    hotlines = []
    for k, m in enumerate(numbers):
        before = [code for pos, code in mentions if pos < m.start()]
        after = [code for pos, code in mentions if pos > m.end()]
        code = before[-1] if before else (after[0] if after else None)
        if code is None:
            continue
        lo = numbers[k - 1].end() if k else 0
        hi = numbers[k + 1].start() if k + 1 < len(numbers) else len(text)
        note = ""
        best = None
        for phrase in _HOTLINE_NOTES:
            for pm in re.finditer(phrase, text[lo:hi], re.IGNORECASE):
                # Measured from the phrase end, so "national hotline" ties with "hotline"
                # and, coming first in the list, wins.
                dist = abs(lo + pm.end() - m.start())
                if best is None or dist < best:
                    best, note = dist, phrase
        printed = tidy_phone(m.group(0), code)
        hotlines.append(ParsedHotline(code, printed, note, normalise_phone(printed, code)))
    return hotlines


def parse_hotline_table(blocks: list[Block]) -> list[ParsedHotline]:
    """Country headings, then lines like "189 (Bishkek)", "+ 99 312 463514;" or a number
    with its "(landlines)" note on the next line."""
    hotlines: list[ParsedHotline] = []
    country: str | None = None
    for block in blocks:
        code = _country_heading(block.heading_text) if _is_heading_like(block) else None
        if code:
            country = code
            continue
        if country is None:
            continue
        for line in block.lines:
            line = _plain(line)
            note_only = re.fullmatch(r"\(([^)]*)\)[;,.]?", line)
            if note_only:
                if hotlines and not hotlines[-1].note:
                    hotlines[-1].note = note_only.group(1).strip()
                continue
            for piece in re.split(r";", line):
                m = re.match(r"^\s*(\+?[\d\s\-–]*\d)\s*(?:\(([^)]*)\))?", piece)
                if not m or len(re.sub(r"\D", "", m.group(1))) < 3:
                    continue
                printed = tidy_phone(m.group(1), country)
                hotlines.append(
                    ParsedHotline(
                        country, printed, (m.group(2) or "").strip(),
                        normalise_phone(printed, country),
                    )
                )
    return hotlines


def _dedupe_hotlines(hotlines: list[ParsedHotline]) -> list[ParsedHotline]:
    seen: set[tuple[str, str]] = set()
    out = []
    for h in hotlines:
        key = (h.country, h.e164 or re.sub(r"\D", "", h.number))
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def parse_staff_list(blocks: list[Block]) -> list[ParsedPerson]:
    """Names ("Ms. Aliya Alikova"), role lines, "Tel:" lines and an e-mail, grouped under
    optional country headings. Someone listed before any country heading gets the
    country of their phone's calling code."""
    people: list[ParsedPerson] = []
    country: str | None = None
    role_lines: list[str] = []
    person: ParsedPerson | None = None

    def finish() -> None:
        if person is not None:
            person.role = join_lines(role_lines)
            if person.country is None:
                person.country = _country_of_phone(person.phones)
            people.append(person)

    lines: list[tuple[str | None, str]] = []
    for block in blocks:
        code = _country_heading(block.heading_text) if _is_heading_like(block) else None
        if code:
            lines.append((code, ""))
        else:
            lines += [(None, ln) for ln in block.lines]
    for code, line in lines:
        if code:
            finish()
            person, role_lines, country = None, [], code
            continue
        plain = _plain(line)
        if PERSON_RE.match(plain) or _looks_like_name(plain) and person is None:
            finish()
            person, role_lines = ParsedPerson(plain, "", country, [], None), []
            continue
        if person is None:
            continue
        tel = TEL_RE.match(plain)
        emails = EMAIL_RE.findall(plain)
        if tel:
            for number in re.split(r"[;,/]", tel.group(1)):
                if re.search(r"\d{3}", number):
                    person.phones.append(tidy_phone(number, person.country))
        elif emails:
            person.email = person.email or emails[0]
        elif not person.phones and not person.email:
            role_lines.append(plain)
    finish()
    return people


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() and w[1:].islower() for w in words)
        and not country_code(text)
    )


def _country_of_phone(phones: list[str]) -> str | None:
    for phone in phones:
        digits = re.sub(r"\D", "", phone)
        if phone.startswith("+"):
            for c in sorted(COUNTRIES, key=lambda c: -len(c.calling_code)):
                if digits.startswith(c.calling_code):
                    return c.code
    return None


# ---------------------------------------------------------------------------- 6. boilerplate

FOLLOW_RE = re.compile(r"^\W*follow us\b", re.IGNORECASE)
CLICK_RE = re.compile(
    r"^\W*(?:please\s+)?click on the (?:photo|icon|image|picture|video|banner)", re.IGNORECASE
)
TOC_RE = re.compile(r"^\W*in this (?:edition|issue)\W*$", re.IGNORECASE)
FOOTNOTE_RE = re.compile(r"^\s*(?:<sup>\s*\d+\s*</sup>|\[\^\d+\]:?)")
# Bare, not bold: "**386**" is a key figure, "3" alone on a line is a page number.
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,3}$", re.IGNORECASE)


def _toc_entry(block: Block) -> bool:
    first = _plain(block.lines[0])
    m = re.match(r"^([A-Za-z’' ]{4,30}?)\s*:", first)
    return bool(m and country_code(m.group(1)))


def drop_boilerplate(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop what is not story text: social-media calls, "click on the photo" notes that
    point at pictures we don't have, tables of contents, page numbers. Footnotes are
    dropped with a warning because they may carry a source worth re-adding by hand."""
    kept: list[Block] = []
    warnings: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        plain = _plain(block.text)
        if TOC_RE.match(_plain(block.lines[0])):
            i += 1
            while i < len(blocks) and blocks[i].md_level is None and _toc_entry(blocks[i]):
                i += 1
            continue
        if block.md_level is None and FOOTNOTE_RE.match(block.lines[0]):
            warnings.append(f"footnote dropped: '{_shorten(plain)}'")
        elif FOLLOW_RE.match(plain) or CLICK_RE.match(plain) or PAGE_NUMBER_RE.match(block.text):
            pass
        else:
            kept.append(block)
        i += 1
    return kept, warnings


def _shorten(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------------------- 7. classify


@dataclass
class Item:
    kind: str  # "section" | "story" | "para" | "caption"
    text: str
    countries: list[str] = field(default_factory=list)


COUNTRY_HEADING_RE = re.compile(r"^\**\s*([A-Za-z’' ]{4,30}?)\s*:\s*\**\s*(\S.*?)\**$")


def _is_capital(text: str) -> bool:
    letters = [ch for ch in _plain(text) if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) / len(letters) >= 0.9


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?:;][\"”’»)\]*]*$", _plain(text)))


def split_country_heading(text: str) -> tuple[str, str] | None:
    """"KAZAKHSTAN: Seminar on ..." -> ("KZ", "Seminar on ...")."""
    m = COUNTRY_HEADING_RE.match(_plain(text).strip())
    if not m:
        return None
    code = country_code(m.group(1))
    if not code:
        return None
    return code, m.group(2).strip().rstrip(".").strip()


def _is_plain_heading(block: Block, prev: Block | None, nxt: Block | None) -> bool:
    text = block.text
    plain = _plain(text)
    if CAPTION_RE.match(plain) or EMAIL_RE.search(plain) or "://" in plain:
        return False
    if nxt is not None and nxt.text[:1].islower():
        return False  # a heading is never followed by the rest of a sentence
    words = plain.split()
    if _is_capital(plain):
        return len(words) <= 30
    if len(block.lines) != 1 or len(words) > 6 or re.search(r"[.,;:]$", plain):
        return False
    if not plain[:1].isalpha() or words[-1].lower() in FUNCTION_WORDS:
        return False  # "migrants back to" is a sentence cut by a page break
    # After "...three areas:" or mid-sentence, a short line is the rest of the text.
    return prev is None or not (
        prev.text.rstrip().endswith(":") or (plain[:1].islower() and not _ends_sentence(prev.text))
    )


def classify_blocks(blocks: list[Block]) -> list[Item]:
    """Label every block as a section heading, story heading, photo caption or paragraph."""
    markdown = any(b.md_level is not None for b in blocks)
    content_levels = [
        b.md_level for b in blocks
        if b.md_level is not None and not split_country_heading(b.heading_text)
    ]
    section_level = min(content_levels) if content_levels else None
    items: list[Item] = []
    for i, block in enumerate(blocks):
        prev = blocks[i - 1] if i else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        text = block.text
        plain = _plain(text)
        if CAPTION_RE.match(plain):
            items += _caption_items(block)
            continue
        if markdown:
            if block.md_level is None:
                items.append(Item("para", text))
                continue
            heading = block.heading_text
            country = split_country_heading(heading)
            if country:
                items.append(Item("story", country[1], [country[0]]))
            elif block.md_level == section_level:
                items.append(Item("section", smart_title(heading)))
            else:
                items.append(Item("story", smart_title(heading).rstrip(".")))
            continue
        country = split_country_heading(text) if len(block.lines) == 1 else None
        if country and len(plain.split()) <= 25:
            items.append(Item("story", country[1], [country[0]]))
        elif _is_plain_heading(block, prev, nxt):
            title = smart_title(plain).rstrip(".")
            is_section = len(block.lines) == 1 and len(plain.split()) <= 6 and (
                block.blank_after >= 2 or plain.lower() in KNOWN_SECTIONS
            )
            items.append(Item("section" if is_section else "story", title))
        else:
            items.append(Item("para", text))
    return items


def _caption_items(block: Block) -> list[Item]:
    """A caption is the "Photo ..." line; what follows it in the same block is story text,
    unless it keeps talking about the photo."""
    if len(block.lines) > 1 and _ends_sentence(block.lines[0]):
        return [Item("caption", _plain(block.lines[0])), Item("para", join_lines(block.lines[1:]))]
    text = block.text
    m = re.match(r"^(.+?[.!?])\s+(?=[A-Z])(.*)$", text, re.S)
    talks_of_photo = m and re.search(r"\bphotos?\b", m.group(2), re.IGNORECASE)
    if m and len(m.group(1).split()) >= 3 and not talks_of_photo:
        return [Item("caption", _plain(m.group(1))), Item("para", m.group(2))]
    return [Item("caption", _plain(text))]


# ---------------------------------------------------------------------------- 8. joining


def _continues(left: str, right: str) -> bool:
    if LIST_ITEM_RE.match(right) or _ends_sentence(left):
        return False
    last_word = re.sub(r"\W", "", left.split()[-1]).lower() if left.split() else ""
    return right[:1].islower() or last_word in FUNCTION_WORDS or left.endswith("-")


def join_paragraphs(items: list[Item]) -> list[Item]:
    """Mend paragraphs cut by a page break or a removed running header: join when the first
    stops mid-sentence and the second starts in lower case (or the first ends on "the",
    "to", "of" ...). A word split by a hyphen across the break is mended too."""
    out: list[Item] = []
    for item in items:
        if item.kind == "para" and out and out[-1].kind == "para" and _continues(
            out[-1].text, item.text
        ):
            out[-1] = Item("para", _join_two(out[-1].text, item.text, " "))
        else:
            out.append(item)
    return out


# ---------------------------------------------------------------------------- 9. figures

COVID_TERMS_RE = re.compile(
    rf"({NUM})\s+(registered cases|confirmed cases|cases|recover(?:ies|ed)|deaths)", re.I
)
ASSISTED_RE = re.compile(rf"\b(?:have|has|had)\s+(?:been\s+)?assisted\s+({NUM})\s+([^.]+)", re.I)
FIGURE_LINE_RE = re.compile(rf"^({NUM})\s+([A-Za-z][A-Za-z' \-]{{2,60}})$")
NUMBER_ONLY_RE = re.compile(rf"^({NUM})$")


def canonical_label(raw: str, covid: bool = False) -> tuple[str, str]:
    """One label per concept, so a figure can be followed from issue to issue."""
    low = raw.lower()
    if covid or "covid" in low:
        if "recover" in low:
            return "COVID-19 recoveries", "people"
        if "death" in low:
            return "COVID-19 deaths", "deaths"
        if re.search(r"case|registered|confirmed", low):
            return "COVID-19 registered cases", "cases"
    if "assisted" in low:
        return "Migrants and victims of trafficking assisted", "people"
    label = " ".join(raw.strip(" .:*").split())
    label = label[:1].upper() + label[1:]
    unit = "calls" if "call" in low else "cases" if "case" in low else "people"
    return label, unit


def figures_in_text(text: str) -> tuple[list[ParsedKeyFigure], bool]:
    """Key figures stated in one paragraph, and whether the paragraph says nothing else
    (a short single sentence), in which case it is a figure block, not story text."""
    plain = " ".join(_plain(text).split())
    figures: list[ParsedKeyFigure] = []
    if re.search(r"covid", plain, re.IGNORECASE):
        for m in COVID_TERMS_RE.finditer(plain):
            label, unit = canonical_label(m.group(2), covid=True)
            figures.append(ParsedKeyFigure(label, _to_int(m.group(1)), unit))
    for m in ASSISTED_RE.finditer(plain):
        label, unit = canonical_label("assisted")
        figures.append(ParsedKeyFigure(label, _to_int(m.group(1)), unit))
    lines = [_plain(ln) for ln in text.split("\n") if ln.strip()]
    if not figures and lines and all(FIGURE_LINE_RE.match(ln) for ln in lines):
        for ln in lines:
            m = FIGURE_LINE_RE.match(ln)
            assert m is not None
            label, unit = canonical_label(m.group(2))
            figures.append(ParsedKeyFigure(label, _to_int(m.group(1)), unit))
        return figures, True
    single_sentence = not re.search(r"[.!?]\s+[A-Z]", plain)
    return figures, bool(figures) and single_sentence and len(plain.split()) <= 30


def extract_key_figures(items: list[Item]) -> tuple[list[Item], list[ParsedKeyFigure]]:
    """Collect key figures and drop pure figure blocks (prose figure sentences, "**171,428**"
    + "**Registered**" pairs with their heading line) from the story text."""
    figures: list[ParsedKeyFigure] = []
    kept: list[Item] = []
    covid_context = False
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind != "para":
            kept.append(item)
            i += 1
            continue
        plain = _plain(item.text)
        nxt = items[i + 1] if i + 1 < len(items) else None
        if NUMBER_ONLY_RE.match(plain) and nxt and nxt.kind == "para" and _is_label(nxt.text):
            label, unit = canonical_label(_plain(nxt.text), covid=covid_context)
            figures.append(ParsedKeyFigure(label, _to_int(plain), unit))
            i += 2
            continue
        if (
            nxt is not None
            and nxt.kind == "para"
            and NUMBER_ONLY_RE.match(_plain(nxt.text))
            and not _ends_sentence(plain)
            and len(plain.split()) <= 20
        ):
            # The caption line of a figure block ("COVID-19 overview in Central Asia").
            covid_context = bool(re.search(r"covid", plain, re.IGNORECASE))
            i += 1
            continue
        found, pure = figures_in_text(item.text)
        figures += found
        if not pure:
            kept.append(item)
        i += 1
    unique: dict[str, ParsedKeyFigure] = {}
    for f in figures:
        unique.setdefault(f.label, f)
    return kept, list(unique.values())


def _is_label(text: str) -> bool:
    plain = _plain(text)
    return 1 <= len(plain.split()) <= 6 and not re.search(r"\d", plain) and not _ends_sentence(
        plain
    )


# ---------------------------------------------------------------------------- 10. build


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
    text = re.sub(r"[ ]{2,}", " ", text)
    return re.sub(r" +([,.;:])", r"\1", text).strip()


def _mission_countries(title: str, body: str) -> list[str]:
    """Countries a story is about: named in its title, or the missions acting in it ("IOM
    Kazakhstan"), or, failing both, the countries its text names if there are one or two
    (a story naming all five is regional, not about each of them)."""
    codes = find_countries(title)
    for m in re.finditer(r"\bIOM[\s-]+([A-Z][a-z]+)", body):
        code = country_code(m.group(1))
        if code and code not in codes:
            codes.append(code)
    if not codes:
        named = find_countries(body)
        codes = named if len(named) <= 2 else []
    return codes


def _is_prose(text: str) -> bool:
    return len(_plain(text).split()) >= 8 and _ends_sentence(text)


def build_sections(items: list[Item], warnings: list[str]) -> list[ParsedSection]:
    """Sections hold stories; text before a section's first story heading is a story with
    a blank title; stories before any section go into a section with a blank title."""
    sections: list[ParsedSection] = []
    front: list[Item] = []
    bodies: dict[int, list[str]] = {}

    def story() -> ParsedStory:
        if not sections:
            sections.append(ParsedSection(""))
        if not sections[-1].stories:
            sections[-1].stories.append(ParsedStory("", [], ""))
        return sections[-1].stories[-1]

    for item in items:
        if item.kind == "section":
            sections.append(ParsedSection(item.text))
        elif item.kind == "story":
            if not sections:
                sections.append(ParsedSection(""))
            sections[-1].stories.append(ParsedStory(item.text, list(item.countries), ""))
        elif not sections:
            front.append(item)
        elif item.kind == "caption":
            story().photos.append(ParsedPhoto(item.text))
        else:
            bodies.setdefault(id(story()), []).append(item.text)

    if front:
        _place_front_matter(front, sections, bodies, warnings)

    for section in sections:
        for st in section.stories:
            where = (
                f"story '{st.title}'" if st.title else "untitled story"
            ) + (f" in section '{section.title}'" if section.title else "")
            st.title = clean_inline(st.title, where, warnings)
            st.body = clean_inline("\n\n".join(bodies.get(id(st), [])), where, warnings)
            for photo in st.photos:
                photo.caption = clean_inline(photo.caption, where, warnings)
            if not st.countries:
                st.countries = _mission_countries(st.title, st.body)
        section.stories = [s for s in section.stories if s.title or s.body or s.photos]
    return sections


def _place_front_matter(
    front: list[Item],
    sections: list[ParsedSection],
    bodies: dict[int, list[str]],
    warnings: list[str],
) -> None:
    """Text before the first heading (a front page) becomes an untitled leading story of
    the first section when it reads as prose; poster fragments are dropped with a
    warning. Front-page photo captions go with whichever story comes first."""
    paras = [it.text for it in front if it.kind == "para"]
    captions = [ParsedPhoto(_plain(it.text)) for it in front if it.kind == "caption"]
    if not sections:
        sections.append(ParsedSection(""))
    first = sections[0]
    if paras and any(_is_prose(p) for p in paras):
        lead = ParsedStory("", [], "", captions)
        first.stories.insert(0, lead)
        bodies[id(lead)] = paras
        return
    if paras:
        shown = "; ".join(f"'{_shorten(_plain(p), 40)}'" for p in paras)
        warnings.append(f"front-page fragments dropped: {shown}")
    if captions:
        if not first.stories:
            first.stories.append(ParsedStory("", [], ""))
        first.stories[0].photos[:0] = captions


# ---------------------------------------------------------------------------- parse


def _period_of(sections: list[ParsedSection]) -> str | None:
    for section in sections:
        for st in section.stories:
            m = re.search(rf"\b({_MONTH_RE})\s+(\d{{4}})\b", st.body)
            if m:
                return f"{m.group(1)} {m.group(2)}"
    return None


def make_title(
    series: str | None, number: int | None, date: datetime.date | None,
    sections: list[ParsedSection],
) -> str:
    when = f"{date.day} {date:%B %Y}" if date else None
    if series and number is not None:
        return f"{series} — Issue {number}"
    if series and when:
        return f"{series} — {when}"
    if series:
        period = _period_of(sections)
        return f"{series} — {period}" if period else series
    if number is not None:
        return f"Issue {number}" + (f", {when}" if when else "")
    return f"Issue of {when}"


def parse(
    text: str,
    *,
    series: str | None = None,
    number: int | None = None,
    date: datetime.date | None = None,
    title: str | None = None,
    filename: str | None = None,
    layout: str = "auto",
) -> ParsedIssue:
    """Parse the text of one issue. ``series`` is used when the text names none.

    ``number``, ``date`` and ``title`` are explicit overrides (a user's word beats the
    text); ``filename`` may carry metadata (``bulletin_09_2019-12.md``); ``layout`` is one
    of LAYOUTS.

    Raises ParseError when nothing identifies the issue (no series, number or date)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    warnings: list[str] = []
    lines, header = strip_running_headers(normalise(text).split("\n"))
    warnings += header.warnings
    blocks = split_blocks(lines)
    found_series = header.series
    if found_series is None:
        blocks, found_series = extract_masthead(blocks)
    issue_series = found_series or (series.strip() if series and series.strip() else None)
    if number is not None:
        header.number = number
    if date is not None:
        header.date = date
    if issue_series is None and header.number is None and header.date is None:
        raise ParseError(
            "no recognisable issue: no series, number or date found and no --series given"
        )
    blocks, directory = extract_directory(blocks)
    blocks, dropped = drop_boilerplate(blocks)
    warnings += dropped
    items = join_paragraphs(classify_blocks(blocks))
    items, figures = extract_key_figures(items)
    sections = build_sections(items, warnings)
    if not any(s.stories for s in sections):
        warnings.append("no stories found")
    return ParsedIssue(
        series=issue_series,
        number=header.number,
        date=header.date,
        title=title or make_title(issue_series, header.number, header.date, sections),
        sections=sections,
        key_figures=figures,
        directory=directory,
        warnings=warnings,
    )

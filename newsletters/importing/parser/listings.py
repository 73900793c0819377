"""Stage 5, its listings: directory entries printed as prose or as lists, read by
directory.extract_directory (which finds where they are).

- A hotline sentence: "Kazakhstan's (11616) and Kyrgyzstan's national hotline (1899)
  continue to receive calls" -> one hotline per number, each under the country named
  nearest before it.
- A hotline table: country headings or labels over numbers ("Kazakhstan" / "8 8000 1111
  22 (landlines)"), or a pipe table with a country and a number in every row.
- A staff list: name, role, "Tel:" lines and an address per person, under country
  headings; the role may come first ("Head of Office: Ms Dilnoza Karimova").
Also the two block tests the directory stage and these readers share: a heading-like
block, and the country a heading names."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..countries import COUNTRIES, mention_positions, normalise_phone, tidy_phone
from .bilingual import country_code
from .blocks import Block, join_lines
from .contacts import COUNTRY_NUMBER_RE, is_person_line, role_and_name
from .languages import CALL_WORDS_RE, HOTLINE_PHRASE_RE, HOTLINES_IN_NOTES, may_name_hotline
from .model import ParsedHotline, ParsedPerson
from .text import EMAIL_RE, _is_capital, _plain, is_pipe_table, is_spaced_table, table_cells

TEL_RE = re.compile(
    r"^(?:Tel|Phone|Mob(?:ile)?|Cell|Тел|Телефон|Моб(?:ильный)?|Сот(?:овый)?)\.?\s*:?\s*(.+)$",
    re.IGNORECASE,
)
# A number in a sentence: "+992 900 800 800", "8 800 100 2020" (a domestic number in three
# to five groups, kept whole: read as "800", "100" and "2020" it gave three hotlines), or
# a short hotline ("1899", "11616").
PHONE_IN_TEXT_RE = re.compile(r"\+\s?\d[\d \-]{5,}\d|\b\d{1,4}(?: \d{2,4}){2,4}\b|\b\d{3,6}\b")


def is_heading_like(block: Block) -> bool:
    return block.md_level is not None or (
        len(block.lines) == 1 and len(block.text) <= 120 and _is_capital(block.text)
        and len(block.text.split()) <= 8
    )


def country_heading(text: str) -> str | None:
    return country_code(_plain(text))



_HOTLINE_WORD_RE = re.compile(
    rf"hotline|горяч\w{{0,3}}\s+лини|телефон\w{{0,2}}\s+доверия|{HOTLINE_PHRASE_RE}", re.I
)
_CALL_WORD_RE = re.compile(rf"receive calls|call|звон|бесплатн|{CALL_WORDS_RE}", re.I)


def is_hotline_sentence(text: str) -> bool:
    low = text.lower()  # substring tests first: this runs on every block of the file
    if (
        "hotline" not in low and "горяч" not in low and "доверия" not in low
        and may_name_hotline(low) is None
    ):
        return False
    if not _HOTLINE_WORD_RE.search(text):
        return False
    plain = _plain(text)
    if len(plain.split()) > 60:
        return False
    if "  " in text and is_spaced_table(text.split("\n")):
        return False  # "Country   Returns   Hotline calls" over rows: a table of figures
    numbers = len(PHONE_IN_TEXT_RE.findall(plain))
    if not numbers or not mention_positions(plain):
        return False  # "Hotline calls received" in a figure block is no directory entry
    return bool(_CALL_WORD_RE.search(plain)) or numbers >= 2


_HOTLINE_NOTES = (
    "national hotline", "emergency cell number", "cell number", "hotline",
    "национальная горячая линия", "горячая линия", "телефон доверия", *HOTLINES_IN_NOTES,
)


def parse_hotline_sentence(text: str, default: str | None = None) -> list[ParsedHotline]:
    """"Kazakhstan's (11616) and Kyrgyzstan's national hotline (1899) as well as emergency
    cell number in Tajikistan +992900800800 ..." -> one hotline per number, each given to
    the country named last before it (or first after it, or ``default``: the country
    heading the sentence is under), its note the nearest descriptive phrase."""
    mentions = mention_positions(text)
    numbers = list(PHONE_IN_TEXT_RE.finditer(text))
    hotlines = []
    for k, m in enumerate(numbers):
        before = [code for pos, code in mentions if pos < m.start()]
        after = [code for pos, code in mentions if pos > m.end()]
        code = before[-1] if before else (after[0] if after else default)
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


def parse_hotline_table(
    blocks: list[Block], labelled: Callable[[str], ParsedHotline | None] = lambda line: None
) -> list[ParsedHotline]:
    """Country headings, then lines like "189 (Bishkek)", "+ 99 312 463514;" or a number
    with its "(landlines)" note on the next line; a pipe table of countries and numbers
    (pipe_table_hotlines); or lines that name their country with the number, in any of
    the region's languages ("Tajikistan: 511", "O‘zbekiston: 1176 (bepul)",
    "Тоҷикистон: 511 (ройгон)"), or in a hotline label (``labelled``: directory.py's
    reader of "Телефони боварӣ дар Ӯзбекистон: 1176")."""
    hotlines: list[ParsedHotline] = []
    country: str | None = None
    for block in blocks:
        table = pipe_table_hotlines(block) if block.lines[0][:1] == "|" else None
        if table:
            hotlines += table
            continue
        code = country_heading(block.heading_text) if is_heading_like(block) else None
        if code:
            country = code
            continue
        for line in block.lines:
            line = _plain(line)
            own = _country_number(line) or labelled(line)
            if own is not None:
                hotlines.append(own)
                continue
            if country is None:
                continue
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


# A number alone in a table cell: "1409", "+992 900 800 800", "8-800-080-7777".
_CELL_NUMBER_RE = re.compile(r"\+?\d[\d \-–]{1,20}\d")


def pipe_table_hotlines(block: Block) -> list[ParsedHotline] | None:
    """A hotline box printed as a pipe table ("| Kazakhstan | 1409 | free, 24/7 |"):
    a hotline per row, from the cell naming a country and the cell that is a number; the
    row's other cells are its note. None unless every row gives one."""
    if not is_pipe_table(block.lines[:2]) or len(block.lines) < 3:
        return None
    found = []
    for line in block.lines[2:]:
        cells = [_plain(cell) for cell in table_cells(line)]
        codes = [country_code(cell) if cell else None for cell in cells]
        code = next((c for c in codes if c), None)
        at = next((k for k, cell in enumerate(cells) if _CELL_NUMBER_RE.fullmatch(cell)), None)
        if code is None or at is None:
            return None
        note = "; ".join(c for k, c in enumerate(cells) if c and k != at and not codes[k])
        printed = tidy_phone(cells[at], code)
        found.append(ParsedHotline(code, printed, note, normalise_phone(printed, code)))
    return found


def _country_number(line: str) -> ParsedHotline | None:
    """"Kyrgyzstan: 1899 (free)", "Тоҷикистон: 511": a hotline of the country named."""
    m = COUNTRY_NUMBER_RE.match(line)
    code = country_code(m.group(1)) if m else None
    if not code:
        return None
    printed = tidy_phone(m.group(2), code)
    return ParsedHotline(code, printed, (m.group(3) or "").strip(), normalise_phone(printed, code))


def dedupe_hotlines(hotlines: list[ParsedHotline]) -> list[ParsedHotline]:
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
        code = country_heading(block.heading_text) if is_heading_like(block) else None
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
        if is_person_line(plain) or _looks_like_name(plain) and person is None:
            finish()
            person, role_lines = ParsedPerson(plain, "", country, [], None), []
            continue
        role_name = role_and_name(plain) if ":" in plain or " –" in plain or " —" in plain else None
        if role_name:  # "Head of Office: Ms Dilnoza Karimova": the job title first
            finish()
            person, role_lines = ParsedPerson(role_name[1], "", country, [], None), [role_name[0]]
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

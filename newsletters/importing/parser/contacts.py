"""Stage 5b: the part of an issue under a "Contacts", "Useful contacts" or "Directory"
heading -> directory entries, and what of it is no contact back into the text.

Such a heading names no story: what follows it is a list of e-mail addresses, hotline
numbers and people. Every line under it is read on its own:

- "Kazakhstan: help@example.org" or a bare address after a country line -> an office
  address (the country named last);
- a sentence giving a number with a hotline word ("hotline", "helpline", "call", "dial",
  "free") and a country (named in it, or the country heading above it) -> hotlines;
- "Kyrgyzstan: 1899 (free, 24 hours)" -> a hotline of that country with its note;
- "- Kazakhstan hotline: **1409** (free, 24/7)", "Kazakhstan office: kz@example.org",
  a list item or not, pieces parted by " | " -> hotlines with their notes and office
  addresses, when each piece names its country (directory.py's contact_pieces);
- "Ms. Aliya Testova" (or "Head of Office: Ms Aliya Testova"), then role, "Tel:" and
  e-mail lines -> a person (its country the heading's, else its phone's calling code);
- under a country, "Tel.: +7 …" -> the country's office phone (a hotline noted "office
  phone"), "E-mail: …" -> its office address, and a street or web address ("45 Dostyk
  Ave, Almaty", "Web: …", footer.py) -> ``dropped`` as "footer address";
- a country heading ("### Kazakhstan", "KAZAKHSTAN") -> the country of the lines under
  it; it goes to ``dropped`` as "directory heading".

Any other line (opening hours, an office phone without a country, a sentence) stays in
the text under the heading, which then titles it, so it ends up in a story; when every
line went to the directory the heading itself is dropped as "directory heading". The
part ends at the next heading that is not a country's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..countries import mention_positions, normalise_phone, tidy_phone
from .bilingual import country_code, halves
from .blocks import Block
from .footer import office_line
from .languages import CALL_WORDS_RE, CONTACT_HEADING_RE, HOTLINE_PHRASE_RE
from .model import DroppedLine, ParsedHotline, ParsedOffice, ParsedPerson
from .text import EMAIL_RE, _plain

# The whole heading, so "Directory of services opens in Osh" stays a story's title.
DIRECTORY_HEADING_RE = re.compile(
    r"(?:(?:useful|key|important|local|emergency|our)\s+)?"
    r"(?:contacts?|contact\s+(?:us|details|information|list)|directory|helplines?"
    r"|useful\s+(?:numbers|addresses))",
    re.IGNORECASE,
)
# A Russian or Kyrgyz contacts heading, the whole line: "КОНТАКТЫ", "Наши контакты",
# "Контактная информация", "Свяжитесь с нами", Kyrgyz "Байланыш", Kazakh "Байланыс".
RU_CONTACT_START_RE = re.compile(
    r"^\W*(?:(?:наши\s+)?контакты|контактная\s+информация|свяжитесь\s+с\s+нами"
    r"|как\s+с\s+нами\s+связаться|байланыш(?:\s+үчүн)?"
    # Kazakh "Байланыс" (contact), "Байланыс ақпараты" (contact information).
    r"|байланыс(?:\s+ақпараты|\s+үшін)?"
    # Uzbek, Tajik, Turkmen: "Aloqa", "Тамос", "Habarlaşmak üçin" (languages.py).
    rf"|{CONTACT_HEADING_RE})\W*$",
    re.IGNORECASE,
)
HOTLINE_WORD_RE = re.compile(
    r"\b(?:hot\s?lines?|help\s?lines?|call|calls|dial|toll[- ]free|free of charge"
    # Uzbek, Tajik, Turkmen, Kyrgyz hotline and call words (languages.py).
    rf"|{HOTLINE_PHRASE_RE}|{CALL_WORDS_RE})\b",
    re.I,
)
PHONE_RE = re.compile(r"\+\s?\d[\d \-]{5,}\d|\b\d{3,6}\b")
# "Kyrgyzstan: 1899" or "Kyrgyzstan – +996 312 333 444 (landlines)"; bounded pieces only.
# The name in any script, with Uzbek apostrophes: "Тоҷикистон: 511", "O‘zbekiston: 1176";
# or in two ("O'zbekiston / Узбекистан: 1176": bilingual.country_code reads both halves).
COUNTRY_NUMBER_RE = re.compile(
    r"^([^\W\d_](?:[^\W\d_]|[’‘ʻʼ`' /]){3,29}?)\s*[:–-]\s*(\+?\s?\d[\d \-]{1,20}\d)\s*"
    r"(?:\(([^()]{0,80})\))?[.;]?$"
)
# "Ms. Aliya", "Dr Ivanov"; Russian "г-н" (Mr), "г-жа" (Mrs), "д-р". The name's first
# letter is checked with str.isupper (is_person_line): [A-ZА-Я] missed Ё, Ө, Ү, Ұ ...
PERSON_RE = re.compile(r"^(?:Mr|Ms|Mrs|Miss|Dr|Prof|г-н|г-жа|д-р|проф)\.?\s+(?=\w)", re.IGNORECASE)


def is_person_line(plain: str) -> bool:
    """"Ms. Үмүт Асанова": a title, then a name starting with a capital of any script."""
    m = PERSON_RE.match(plain)
    return bool(m) and plain[m.end()].isupper()

TEL_RE = re.compile(r"^(?:Tel|Phone|Mob(?:ile)?|Cell)\.?\s*:?\s*(.+)$", re.IGNORECASE)
_EMAIL_LABEL_RE = re.compile(
    r"e-?mail|эл\.?\s?почта|электрон(?:ная|дук)\s+почта|электрондық\s+пошта", re.IGNORECASE
)


def role_and_name(plain: str) -> tuple[str, str] | None:
    """"Head of Office: Ms Dilnoza Karimova" -> ("Head of Office", "Ms Dilnoza Karimova"):
    a job title of one to six words before the name, parted by a colon or a dash."""
    for sep in (":", " – ", " — "):
        role, found, name = plain.partition(sep)
        if found:
            break
    else:
        return None
    role, name = role.strip(), name.strip()
    if not name or not is_person_line(name):
        return None
    if not 1 <= len(role.split()) <= 6 or not role[:1].isupper():
        return None
    return (role, name) if not any(c.isdigit() for c in role) else None


def is_directory_heading(block: Block) -> bool:
    """A heading (Markdown, or a line of its own) that says "Contacts", "Useful contacts",
    "Directory" and the like, and nothing else."""
    if block.md_level is None and len(block.lines) != 1:
        return False
    if len(block.lines[0]) < 7:  # shorter than "contact": cheap, and most blocks of a file
        return False
    text = block.heading_text.strip(" :.*")
    parts = halves(text) if len(text) <= 80 else None
    if parts:  # "Contacts / Контакты": both halves say it
        return all(DIRECTORY_HEADING_RE.fullmatch(part) or RU_CONTACT_START_RE.match(part)
                   for part in parts)
    return len(text) <= 40 and DIRECTORY_HEADING_RE.fullmatch(text) is not None


@dataclass
class ContactsPart:
    """What one part under a directory heading gave."""

    offices: dict[str, list[str]] = field(default_factory=dict)  # code -> addresses
    hotlines: list[ParsedHotline] = field(default_factory=list)
    people: list[ParsedPerson] = field(default_factory=list)
    leftover: list[Block] = field(default_factory=list)  # lines that are no contact


def read_contacts(
    blocks: list[Block],
    is_country_heading: Callable[[Block], str | None],
    sentence_hotlines: Callable[[str, str | None], list[ParsedHotline]],
    dropped: list[DroppedLine] | None,
    own_country_contacts: Callable[[str], list[ParsedHotline | ParsedOffice | str] | None]
    = lambda line: None,
) -> ContactsPart:
    """Read the blocks under a directory heading (the heading not included).
    ``is_country_heading(block)`` gives the country code of a country heading, else None;
    ``sentence_hotlines(text, country)`` the hotlines of a sentence (directory.py's
    parse_hotline_sentence, passed in because that module calls this one), and
    ``own_country_contacts(line)`` the entries of a line whose pieces each name their
    country (directory.py's _own_country_contacts), else None."""
    part = ContactsPart()
    reader = _Reader(part, sentence_hotlines, own_country_contacts)
    for block in blocks:
        code = is_country_heading(block)
        if code:
            reader.country, reader.person = code, None
            if dropped is not None:
                dropped += [DroppedLine(no, "", "directory heading") for no in block.nos]
            continue
        if _is_sentence(block) and _is_hotline_text(block.plain, reader.country):
            part.hotlines += sentence_hotlines(block.plain, reader.country)
            reader.person = None
            continue
        kept = []
        for line, no in zip(block.lines, block.nos, strict=False):
            took = reader.take(line)
            if took is None:
                kept.append((line, no))
            elif took == HEADING and dropped is not None:
                dropped.append(DroppedLine(no, line, "directory heading"))
            elif took == FOOTER and dropped is not None:
                # A footer's street and web address: the directory has no field for them.
                dropped.append(DroppedLine(no, line, "footer address"))
        if kept:
            lines, nos = [line for line, _ in kept], [no for _, no in kept]
            part.leftover.append(Block(lines, blank_after=block.blank_after, nos=nos))
    reader.finish()
    return part


def _is_sentence(block: Block) -> bool:
    """One line, or lines that read as one sentence wrapped (it ends with a full stop and
    no line is an entry of its own), so a list of lines is never read as one sentence."""
    if len(block.lines) == 1:
        return not EMAIL_RE.search(block.plain)
    if not _plain(block.lines[-1]).endswith((".", "!", "?")) or EMAIL_RE.search(block.plain):
        return False
    return not any(
        COUNTRY_NUMBER_RE.match(plain) or is_person_line(plain) or TEL_RE.match(plain)
        for plain in map(_plain, block.lines)
    )


def _is_hotline_text(plain: str, country: str | None) -> bool:
    if len(plain.split()) > 60 or not HOTLINE_WORD_RE.search(plain):
        return False
    return bool(PHONE_RE.search(plain)) and (country is not None or bool(mention_positions(plain)))


ENTRY, HEADING, FOOTER = "entry", "heading", "footer"


class _Reader:
    """Reads the lines of a directory part one at a time; ``take`` says where a line
    went: ENTRY (into the directory), HEADING (a country line such as "Kazakhstan:", that
    only says whose the next lines are), FOOTER (a footer whose e-mail and phone went
    into the directory, its street and web address to nowhere) or None (no contact: it
    stays in the text)."""

    def __init__(self, part: ContactsPart, sentence_hotlines, own_country_contacts):
        self.part, self.sentence_hotlines = part, sentence_hotlines
        self.own_country_contacts = own_country_contacts
        self.country: str | None = None
        self.person: ParsedPerson | None = None
        self.roles: list[str] = []

    def finish(self) -> None:
        if self.person is not None:
            self.person.role = " ".join(self.roles)
            if self.person.country is None:  # no country heading: the phone's code
                from .listings import _country_of_phone  # listings imports this module

                self.person.country = _country_of_phone(self.person.phones)
            self.part.people.append(self.person)
        self.person, self.roles = None, []

    def take(self, line: str) -> str | None:
        plain = _plain(line)
        if is_person_line(plain):
            self.finish()
            self.person = ParsedPerson(plain, "", self.country, [], None)
            return ENTRY
        role_name = role_and_name(plain) if ":" in plain or " –" in plain or " —" in plain else None
        if role_name:  # "Head of Office: Ms Dilnoza Karimova"
            self.finish()
            self.person = ParsedPerson(role_name[1], "", self.country, [], None)
            self.roles = [role_name[0]]
            return ENTRY
        person = self.person
        tel = TEL_RE.match(plain)
        if person is not None and tel:
            numbers = [n for n in re.split(r"[;,/]", tel.group(1)) if re.search(r"\d{3}", n)]
            person.phones += [tidy_phone(n, person.country) for n in numbers]
            return ENTRY if numbers else None
        emails = EMAIL_RE.findall(plain)
        rest = EMAIL_RE.sub("", plain).strip(" /,;:.")
        if emails and rest and _EMAIL_LABEL_RE.fullmatch(rest):
            rest = ""  # "E-mail: kz@example.org": the label says only what follows
        if person is not None and emails and not rest and person.email is None:
            person.email = emails[0]
            return ENTRY
        entries = self.own_country_contacts(line) if rest and not country_code(rest) else None
        if entries:
            self.finish()
            for entry in entries:
                if isinstance(entry, str):  # a footer's street or web address
                    continue
                if isinstance(entry, ParsedHotline):
                    self.part.hotlines.append(entry)
                else:
                    bucket = self.part.offices.setdefault(entry.country, [])
                    bucket += [e for e in entry.emails if e not in bucket]
            return FOOTER if any(isinstance(entry, str) for entry in entries) else ENTRY
        if not rest or country_code(rest):
            self.finish()  # an address or a country line: no longer about the person
            self.country = country_code(rest) if rest else self.country
            if not emails:
                return HEADING
            if self.country is None:
                return None  # an address of no known country: left in the text
            bucket = self.part.offices.setdefault(self.country, [])
            bucket += [e for e in emails if e not in bucket]
            return ENTRY
        m = COUNTRY_NUMBER_RE.match(plain)
        code = country_code(m.group(1)) if m else None
        if code:
            self.finish()
            printed = tidy_phone(m.group(2), code)
            note = (m.group(3) or "").strip()
            self.part.hotlines.append(
                ParsedHotline(code, printed, note, normalise_phone(printed, code))
            )
            return ENTRY
        if not emails and _is_hotline_text(plain, self.country):
            self.finish()
            self.part.hotlines += self.sentence_hotlines(plain, self.country)
            return ENTRY
        office = office_line(plain) if self.country is not None else None
        if office is not None:  # "Tel.: +7 …", "45 Dostyk Ave, Almaty", "Web: …"
            if office[0] == "address":
                return FOOTER  # no field for it in the directory
            self.finish()
            printed = tidy_phone(office[1], self.country)
            self.part.hotlines.append(ParsedHotline(
                self.country, printed, "office phone", normalise_phone(printed, self.country)
            ))
            return ENTRY
        if (
            person is not None and not person.phones and person.email is None
            and len(plain) <= 80 and not plain.endswith((".", "!", "?"))
        ):
            self.roles.append(plain)  # "Programme Assistant"
            return ENTRY
        self.finish()
        return None

"""Stage 5: the contact block, hotline sentence, staff list and hotline table -> directory
(found here, the last three read by listings.py), and contact lines of pieces
("Contact: info@example.org | Hotline (Tajikistan): 8 800 100 2020 (free)"): each piece
under the country it names, or the only one its line names;
what has no country stays in the text (marked UNFILED, warned about in boilerplate.py).
A footer may also print an office phone, a street and a web address and the
organisation's name ("Northwind Centre · 12 Abay Ave, Almaty · info@… · +7 … · www…",
footer.py): the phone is filed as the country's number (note "office phone"), the
addresses, which the directory has no field for, go to ``dropped`` as "footer address".
So do an office's "Tel.:", street and web address lines under "Contact our offices".

The words it knows are English and Russian (with a little Kyrgyz): "Contact IOM missions"
and "Контакты", "hotline" and "горячая линия" / "телефон доверия", "Tel." and "Тел.",
"office" and "офис" / "эл. почта"; an office's country is named in its line, as a
country or as a city ("г. Бишкек"). Uzbek, Tajik, Turkmen and Kyrgyz hotline and
contacts words ("ishonch telefoni", "телефони боварӣ", "Aloqa", "Тамос") are
languages.py's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..countries import (
    find_cities,
    find_countries,
    normalise_phone,
    tidy_phone,
)
from .bilingual import country_code
from .blocks import Block, drop_block
from .contacts import RU_CONTACT_START_RE, is_directory_heading, read_contacts
from .footer import is_name_piece, is_street_address, is_web_piece, office_line, phone_piece
from .languages import (
    APOSTROPHE_CLASS,
    HOTLINE_PHRASE_RE,
    PLACE_PREPOSITIONS,
    may_name_contacts,
    may_name_hotline,
)
from .listings import (
    _country_of_phone,
    country_heading,
    dedupe_hotlines,
    is_heading_like,
    is_hotline_sentence,
    parse_hotline_sentence,
    parse_hotline_table,
    parse_staff_list,
)
from .model import DroppedLine, ParsedDirectory, ParsedHotline, ParsedOffice
from .text import EMAIL_RE, _plain, is_pipe_table

CONTACT_START_RE = re.compile(r"^\W*contact\b.*\b(missions?|offices?|us)\b", re.IGNORECASE)
TEAM_HEADING_RE = re.compile(
    r"\b(team|staff|contacts|our people|сотрудники|команда|контактные лица)\b", re.IGNORECASE
)
HOTLINE_HEADING_RE = re.compile(
    r"\bhotlines?\b|\bгоряч(?:ая|ие|их)\s+лини(?:я|и)\b|\bтелефоны?\s+доверия\b"
    # Uzbek "ISHONCH TELEFONLARI", Tajik "ТЕЛЕФОНҲОИ БОВАРӢ", Turkmen "YNAM TELEFONLARY",
    # Kyrgyz "ИШЕНИМ ТЕЛЕФОНДОРУ" ... (languages.py).
    rf"|(?<!\w)(?:{HOTLINE_PHRASE_RE})(?!\w)",
    re.IGNORECASE,
)
# "Горячая линия: 189 (бесплатно)", "Телефон доверия: 0 800 ...", "Hotline: 1899 (free)".
# A place's name in a label, in any script; Uzbek ones hold apostrophes ("Qozog‘iston").
_PLACE = rf"[^\W\d_](?:[^\W\d_]|{APOSTROPHE_CLASS}){{1,29}}"
HOTLINE_LABEL_RE = re.compile(
    # "Kazakhstan hotline:", "Kazakhstan's hotline:": a place (or any word) before it,
    # "O‘zbekiston ishonch telefoni:".
    rf"^(?:{_PLACE}(?:['’]s)?\s+)?"
    r"(?:национальная\s+|national\s+)?(?:горяч(?:ая|ей|ую)\s+лини(?:я|и|ю)"
    r"|телефон\s+доверия|линия\s+доверия|ишеним\s+телефону|hot\s?line|help\s?line"
    # Kazakh "сенім телефоны" (helpline), "жедел желі" (hotline).
    r"|сенім\s+телефоны|жедел\s+желі"
    # Uzbek, Tajik, Turkmen, Kyrgyz: "ishonch telefoni", "телефони боварӣ" (languages.py).
    rf"|{HOTLINE_PHRASE_RE})"
    # "Горячая линия в Казахстане:", "Hotline in Tajikistan:", "Hotline (Tajikistan):",
    # "Hotline, Tajikistan:", "Телефони боварӣ дар Тоҷикистон:": a place before the colon.
    rf"(?:\s(?:в|во|по|in|for|{PLACE_PREPOSITIONS})\s{_PLACE}(?:\s{_PLACE})?"
    rf"|\s?\({_PLACE}(?:\s{_PLACE})?\)|,\s{_PLACE}(?:\s{_PLACE})?)?"
    r"\s*[:–—-]\s*",
    re.IGNORECASE,
)
# "Офис проекта: г. Бишкек, ... info@...", "Эл. почта: ...", "Office: ...".
OFFICE_LABEL_RE = re.compile(
    r"^(?:офис(?:\s+проекта)?|представительство|адрес|эл\.?\s*почта|электронная\s+почта"
    r"|e-?mail|office|кеңсе)\s*[:–—-]\s*",
    re.IGNORECASE,
)
def place_country(text: str) -> str | None:
    """The country a line names, as a country ("Казахстан") or a city ("г. Бишкек")."""
    named = find_countries(text)
    if named:
        return named[0]
    cities = find_cities(text)
    return cities[0] if cities else None


@dataclass
class LabelledContact:
    """A contact line of the form "label: value" ("Горячая линия: 189 (бесплатно)",
    "Офис проекта: г. Бишкек, ..., info@..."): a hotline or an office."""

    kind: str  # "hotline" | "office"
    country: str | None
    number: str = ""
    note: str = ""
    emails: list[str] = field(default_factory=list)


def labelled_contact(line: str) -> LabelledContact | None:
    """Read a "label: value" contact line in English or Russian; None for any other line.
    A hotline line gives its number and the note in brackets; an office line its e-mail
    addresses (it needs one) and the country its address names."""
    plain = _plain(line)
    if len(plain) > 200:
        return None
    m = HOTLINE_LABEL_RE.match(plain)
    if m:
        rest = plain[m.end():]
        number = re.match(r"(\+?\s?\d[\d \-–]{0,20}\d|\d)\s*(?:\(([^()]{0,80})\))?[.;]?", rest)
        if not number or len(re.sub(r"\D", "", number.group(1))) < 3:
            return None
        return LabelledContact(
            "hotline", place_country(plain), number.group(1).strip(),
            (number.group(2) or "").strip(),
        )
    m = OFFICE_LABEL_RE.match(plain)
    emails = EMAIL_RE.findall(plain)
    if m and emails:
        return LabelledContact("office", place_country(plain), emails=emails)
    return None


def _labelled_hotline(line: str) -> ParsedHotline | None:
    """A hotline label line that names its country ("Hotline in Tajikistan: 1899",
    "Телефони боварӣ дар Ӯзбекистон: 1176"), else None."""
    found = labelled_contact(line)
    if found is None or found.kind != "hotline" or found.country is None:
        return None
    printed = tidy_phone(found.number, found.country)
    return ParsedHotline(found.country, printed, found.note,
                         normalise_phone(printed, found.country))


_BULLET_RE = re.compile(r"^[-*•]\s+")
# A contact footer's pieces are parted by " | ", " • " or " · ".
_PIECE_SEP_RE = re.compile(r"\s[|•·]\s")
# A hotline piece's value: the number, its note in brackets, nothing else.
_NUMBER_NOTE_RE = re.compile(r"(\+?\s?\d[\d \-–]{0,20}\d|\d)\s?(?:\(([^()]{0,80})\))?[.;]?")
# What may stand beside an address in a piece: a label of a few words ("Contact",
# "E-mail", "Network secretariat", "Kazakhstan office"), no digits.
_ADDRESS_LABEL_RE = re.compile(r"[^\W\d_][^\W\d]{0,29}(?:[ \-'’][^\W\d]{1,30}){0,3}")
# The mark of a block of contact lines the directory could not file: kept as text, and
# drop_boilerplate (boilerplate.py) warns about it and makes it a paragraph.
UNFILED = "unfiled contact"


@dataclass
class ContactPiece:
    """One piece of a contact line: an address or a hotline, and the country it names.
    ``kind`` "phone" is an office phone with no hotline label (a footer's "+7 727 …"),
    "address" a street or web address or the organisation's name (footer.py), which the
    directory has no field for."""

    text: str  # as printed
    country: str | None
    emails: list[str] = field(default_factory=list)
    number: str = ""
    note: str = ""
    kind: str = ""


FOOTER_ADDRESS = "footer address"
OFFICE_PHONE = "office phone"


def contact_pieces(line: str, single: bool = False) -> list[ContactPiece] | None:
    """The pieces of a contact line ("Contact: info@example.org | Hotline (Tajikistan):
    8 800 100 2020 (free)", "Hotline in Kazakhstan: 1409"), or None when any part of the
    line is something else (a sentence, a table row). A line of one piece must be a
    hotline (an address alone on a line is left to the other readers) unless ``single``.
    A footer of two pieces or more may also print an office phone, a street address, a
    web address and, first, the organisation's name (footer.py), when it gives an e-mail
    address or a number too."""
    if len(line) > 300 or not _may_hold_contacts(line):
        return None
    raws = [raw.strip() for raw in _PIECE_SEP_RE.split(line.strip())]
    pieces: list[ContactPiece] = []
    for k, raw in enumerate(raws):
        piece = _contact_piece(raw)
        if piece is None and len(raws) > 1:
            piece = _footer_piece(raw, first=k == 0 and len(raws) >= 3)
        if piece is None:
            return None
        pieces.append(piece)
    if not any(piece.emails or piece.number for piece in pieces):
        return None
    if len(pieces) == 1 and not pieces[0].number and not single:
        return None
    return pieces


def _may_hold_contacts(text: str) -> bool:
    """Substring tests that every contact line passes: an "@", a word of
    HOTLINE_LABEL_RE ("hotline", "help line", "горячая линия", "телефон доверия"), or a
    footer's phone ("+7 …", "Tel.", "Тел.")."""
    low = text.lower()
    return (
        "@" in low or "line" in low or "лини" in low or "телефон" in low
        or "+" in low or "tel" in low or "тел" in low
        or may_name_hotline(low) is not None
    )


def _contact_piece(text: str) -> ContactPiece | None:
    plain = _BULLET_RE.sub("", _plain(text))
    m = HOTLINE_LABEL_RE.match(plain)
    if m:
        number = _NUMBER_NOTE_RE.fullmatch(plain[m.end():].strip())
        if not number or len(re.sub(r"\D", "", number.group(1))) < 3:
            return None
        return ContactPiece(text, place_country(plain[:m.end()]), number=number.group(1).strip(),
                            note=(number.group(2) or "").strip())
    emails = EMAIL_RE.findall(plain)
    if not emails:
        return None
    label = EMAIL_RE.sub(" ", plain).strip(" :,;.–—-")
    if label and not _ADDRESS_LABEL_RE.fullmatch(label):
        return None
    return ContactPiece(text, place_country(label) if label else None, emails=emails)


def _footer_piece(text: str, first: bool) -> ContactPiece | None:
    """A footer's office phone, street or web address, or (``first``) its organisation's
    name; None for anything else."""
    plain = _BULLET_RE.sub("", _plain(text)).rstrip(";")
    number = phone_piece(plain)
    if number:
        return ContactPiece(text, None, number=number, note=OFFICE_PHONE, kind="phone")
    if is_web_piece(plain):
        return ContactPiece(text, None, kind="address")
    place = place_country(plain)
    if is_street_address(plain, place is not None) or first and is_name_piece(plain):
        return ContactPiece(text, place, kind="address")
    return None


def _line_country(pieces: list[ContactPiece]) -> str | None:
    """The one country a contact line names (in any piece, a street address's city
    too), else the one its office phones' calling codes give; None when none or two."""
    named = {p.country for p in pieces if p.country}
    if not named:
        named = {_country_of_phone([p.number]) for p in pieces if p.kind == "phone"}
        named.discard(None)
    return next(iter(named)) if len(named) == 1 else None


def _own_country_contacts(line: str) -> list[ParsedHotline | ParsedOffice | str] | None:
    """The hotlines and office addresses of a contact line whose every piece names its
    own country ("Kazakhstan hotline: **1409** (free, 24/7)", "Kazakhstan office:
    kz@example.org"), the note in brackets kept; None for any other line. A footer's
    pieces take the one country its line names ("… · 12 Abay Ave, Almaty · info@… ·
    +7 …"); its street and web addresses come back as their text."""
    pieces = contact_pieces(line, single=True)
    if not pieces:
        return None
    footer = any(piece.kind for piece in pieces)
    default = _line_country(pieces) if footer else None
    if not all(piece.country or default or piece.kind == "address" for piece in pieces):
        return None
    found: list[ParsedHotline | ParsedOffice | str] = []
    for piece in pieces:
        code = piece.country or default
        if piece.kind == "address":
            found.append(piece.text)
            continue
        assert code is not None
        if piece.number:
            printed = tidy_phone(piece.number, code)
            found.append(ParsedHotline(code, printed, piece.note, normalise_phone(printed, code)))
        else:
            found.append(ParsedOffice(code, piece.emails))
    return found


def _file_contact_pieces(
    block: Block, directory: ParsedDirectory, offices: dict[str, list[str]],
    seen_emails: set[str], dropped: list[DroppedLine] | None,
) -> list[Block] | None:
    """For a block of contact lines (contact_pieces), file each piece under its country:
    the one it names, or else the only one its line names ("Contact: pamir@example.org |
    Hotline (Tajikistan): …": the address is Tajikistan's office). What has no country
    stays in the text, its pieces as printed, marked UNFILED. None: no contact lines."""
    if not _may_hold_contacts(block.text):  # most blocks: one look at the text
        return None
    lines = [contact_pieces(line) for line in block.lines]
    if not all(lines):
        return None
    kept_lines: list[str] = []
    kept_nos: list[int] = []
    for pieces, line, no in zip(lines, block.lines, block.nos, strict=False):
        assert pieces is not None
        unfiled = file_pieces(pieces, None, directory, offices, seen_emails)
        if unfiled:
            kept_lines.append(" | ".join(unfiled))
            kept_nos.append(no)
        elif dropped is not None and any(piece.kind == "address" for piece in pieces):
            # Its e-mail and phone are in the directory; its street and web address
            # have no field there.
            dropped.append(DroppedLine(no, line, FOOTER_ADDRESS))
    if not kept_lines:
        return []
    if kept_nos == block.nos and kept_lines == [ln.strip() for ln in block.lines]:
        block.kind = UNFILED  # nothing filed: the block as it is
        return [block]
    rest = Block(kept_lines, blank_after=block.blank_after, nos=kept_nos)
    rest.kind = UNFILED
    return [rest]


def file_pieces(
    pieces: list[ContactPiece], current: str | None, directory: ParsedDirectory,
    offices: dict[str, list[str]], seen_emails: set[str],
) -> list[str]:
    """File the pieces of one contact line, each under the country it names, else the
    one its line names, else ``current`` (the country of the lines above). What is left
    unfiled comes back as printed, with the line's street and web addresses beside it
    (then they stay in the text with it); [] when everything was filed."""
    default = _line_country(pieces) or current
    printed_left, unfiled = [], False  # in the line's order
    for piece in pieces:
        code = piece.country or default
        if piece.kind == "address":
            printed_left.append(piece.text)
        elif code is None:
            printed_left.append(piece.text)
            unfiled = True
        elif piece.number:
            printed = tidy_phone(piece.number, code)
            directory.hotlines.append(
                ParsedHotline(code, printed, piece.note, normalise_phone(printed, code))
            )
        else:
            _add_emails(offices, code, piece.emails, seen_emails)
    return printed_left if unfiled else []


def _contact_line_code(line: str) -> tuple[bool, str | None, list[str]]:
    """(is a contact line, country named at its start, e-mails on it)."""
    plain = _plain(line)
    emails = EMAIL_RE.findall(plain)
    rest = EMAIL_RE.sub("", plain).strip(" /,;:.")
    if not rest:
        return bool(emails), None, emails
    code = country_code(rest)
    if code is None:
        labelled = labelled_contact(plain)
        if labelled is not None:
            return True, labelled.country, labelled.emails
    return code is not None, code, emails


def _country_heading_code(block: Block) -> str | None:
    """The country of a block that is a country heading ("### Kazakhstan", "KAZAKHSTAN")."""
    return country_heading(block.heading_text) if is_heading_like(block) else None


def extract_directory(
    blocks: list[Block], dropped: list[DroppedLine] | None = None
) -> tuple[list[Block], ParsedDirectory]:
    """Move the contact block, the hotline sentence, the staff list and the hotline table
    out of the flow of text into a directory. Their headings ("Contact IOM missions:",
    "National hotlines") go to ``dropped`` as "directory heading".

    A heading that merely mentions hotlines or staff ("A hotline for returning workers")
    opens a directory part only when what follows reads as one: no prose, and at least
    one number or person found. Otherwise it is a story, and the text after it stays.

    Under a "Contacts", "Useful contacts" or "Directory" heading every line is read as a
    directory entry (contacts.py); the lines that are none stay in the text under it."""
    directory = ParsedDirectory()
    offices: dict[str, list[str]] = {}
    seen_emails: set[str] = set()  # an address is listed once, under its first country
    kept: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        footer = _file_contact_pieces(block, directory, offices, seen_emails, dropped) if (
            block.md_level is None
        ) else None
        if footer is not None:  # "Contact: … | Hotline (Tajikistan): …"
            kept += footer
            i += 1
            continue
        if block.md_level is None and _is_contact_start(block):
            current: str | None = None
            lines, nos = block.lines[1:], block.nos[1:]
            if dropped is not None:
                dropped.append(DroppedLine(block.nos[0], block.lines[0], "directory heading"))
            i += 1
            while i < len(blocks) and blocks[i].md_level is None and all(
                _contact_line_code(ln)[0] or contact_pieces(ln) or office_line(_plain(ln))
                for ln in blocks[i].lines
            ):
                lines, nos = lines + blocks[i].lines, nos + blocks[i].nos
                i += 1
            codes = [_contact_line_code(line)[1] for line in lines]
            for k, (line, no) in enumerate(zip(lines, nos, strict=False)):
                pieces = contact_pieces(line)
                if pieces and any(piece.kind for piece in pieces):
                    # A footer ("… · 12 Abay Ave, Almaty · info@… · +7 …") under the
                    # heading: its e-mail and phone filed, its addresses dropped or kept.
                    left = file_pieces(pieces, current, directory, offices, seen_emails)
                    if left:
                        rest = Block([" | ".join(left)], nos=[no])
                        rest.kind = UNFILED
                        kept.append(rest)
                    elif dropped is not None:
                        dropped.append(DroppedLine(no, line, FOOTER_ADDRESS))
                    continue
                is_contact, code, emails = _contact_line_code(line)
                office = None if is_contact else office_line(_plain(line))
                if office is not None:
                    # "Tel.: +7 …", "45 Dostyk Ave, Almaty", "Web: …" in an office's
                    # entry: the phone is its country's, the addresses have no field.
                    where = current or next((c for c in codes[k + 1:] if c), None)
                    if where is None:
                        rest = Block([line.strip()], nos=[no])
                        rest.kind = UNFILED
                        kept.append(rest)
                    elif office[0] == "phone":
                        printed = tidy_phone(office[1], where)
                        directory.hotlines.append(ParsedHotline(
                            where, printed, OFFICE_PHONE, normalise_phone(printed, where)
                        ))
                    elif dropped is not None:
                        dropped.append(DroppedLine(no, line, FOOTER_ADDRESS))
                    continue
                current = code or current
                hotline = labelled_contact(line) if not emails else None
                if hotline is not None and hotline.kind == "hotline":
                    # A hotline line that names no country is the country of the block:
                    # named above it, or else by the next line that names one.
                    where = current or next((c for c in codes[k + 1:] if c), None)
                    if where:
                        printed = tidy_phone(hotline.number, where)
                        directory.hotlines.append(ParsedHotline(
                            where, printed, hotline.note, normalise_phone(printed, where)
                        ))
                    continue
                if current:
                    _add_emails(offices, current, emails, seen_emails)
            continue
        end = _contact_heading_part(blocks, i)
        if end is not None:  # "Contact us" as a heading, over contact lines only
            drop_block(dropped, block, "directory heading")
            _file_contact_lines([ln for b in blocks[i + 1:end] for ln in b.lines],
                                offices, seen_emails)
            i = end
            continue
        if block.md_level is None and is_hotline_sentence(block.text):
            directory.hotlines += parse_hotline_sentence(_plain(block.text))
            i += 1
            continue
        if is_directory_heading(block):
            end = _directory_region_end(blocks, i)
            part = read_contacts(
                blocks[i + 1:end], _country_heading_code, parse_hotline_sentence, dropped,
                _own_country_contacts,
            )
            for code, emails in part.offices.items():
                _add_emails(offices, code, emails, seen_emails)
            directory.hotlines += part.hotlines
            directory.people += part.people
            if part.leftover:  # what is no contact stays: a story under the heading
                block.kind = "story"
                for rest in part.leftover:
                    rest.kind = "para"
                kept += [block, *part.leftover]
            else:
                drop_block(dropped, block, "directory heading")
            i = end
            continue
        if is_heading_like(block) and not country_heading(block.heading_text):
            text = block.heading_text
            if HOTLINE_HEADING_RE.search(text) and len(text.split()) <= 10:
                end = _directory_region_end(blocks, i)
                found = parse_hotline_table(blocks[i + 1:end], _labelled_hotline)
                if found and not _has_prose(blocks[i + 1:end]):
                    directory.hotlines += found
                    drop_block(dropped, block, "directory heading")
                    for b in blocks[i + 1:end]:  # a pipe table's header and rule rows
                        if dropped is not None and is_pipe_table(b.lines[:2]):
                            dropped += [DroppedLine(no, ln, "directory heading")
                                        for no, ln in zip(b.nos[:2], b.lines[:2], strict=True)]
                    i = end
                    continue
            if TEAM_HEADING_RE.search(text) and len(text.split()) <= 10:
                end = _directory_region_end(blocks, i)
                people = parse_staff_list(blocks[i + 1:end])
                if people and not _has_prose(blocks[i + 1:end]):
                    directory.people += people
                    drop_block(dropped, block, "directory heading")
                    i = end
                    continue
        kept.append(block)
        i += 1
    directory.offices = [ParsedOffice(code, emails) for code, emails in offices.items()]
    directory.hotlines = dedupe_hotlines(directory.hotlines)
    return kept, directory


def _contact_heading_part(blocks: list[Block], i: int) -> int | None:
    """For a Markdown or setext heading that says "Contact us" ("Contacts", "Contact our
    offices"), the index after its part when every block under it, up to the next
    heading, is contact lines ("KAZAKHSTAN: kz@example.org"); else None, and the part is
    left to the later stages (text they keep visible)."""
    block = blocks[i]
    if block.md_level is None or not CONTACT_HEADING_RE.match(block.heading_text):
        return None
    end = i + 1
    while end < len(blocks) and blocks[end].md_level is None and all(
        _contact_line_code(ln)[0] for ln in blocks[end].lines
    ):
        end += 1
    if end == i + 1 or (end < len(blocks) and blocks[end].md_level is None):
        return None
    return end


CONTACT_HEADING_RE = re.compile(
    r"^\W*(?:contacts?|contact (?:us|our (?:country )?(?:offices|missions)|details))\W*$",
    re.IGNORECASE,
)


def _file_contact_lines(lines: list[str], offices: dict[str, list[str]],
                        seen_emails: set[str]) -> None:
    """Contact lines -> office addresses, each under the country named last."""
    current: str | None = None
    for line in lines:
        _, code, emails = _contact_line_code(line)
        current = code or current
        if current:
            _add_emails(offices, current, emails, seen_emails)


def _add_emails(offices: dict[str, list[str]], code: str, emails, seen: set[str]) -> None:
    """The country's office gets each address not listed yet (under any country)."""
    bucket = offices.setdefault(code, [])
    for email in emails:
        if email.lower() not in seen:
            seen.add(email.lower())
            bucket.append(email)


def _is_contact_start(block: Block) -> bool:
    first = block.lines[0]
    low = first.lower()
    if (
        "контакт" in low or "связ" in low or "байланы" in low
        or may_name_contacts(low) is not None  # Uzbek, Tajik, Turkmen (languages.py)
    ):
        return bool(RU_CONTACT_START_RE.match(_plain(first)))
    return "contact" in low and bool(CONTACT_START_RE.match(_plain(first)))


def _has_prose(blocks: list[Block]) -> bool:
    """A sentence of six words or more: story text, never a directory listing."""
    return any(
        sum(w.isalpha() for w in b.plain.split()) >= 6
        and b.plain.rstrip(")\"”’»*").endswith((".", "!", "?"))
        and not EMAIL_RE.search(b.plain)
        for b in blocks
        if b.md_level is None
    )


def _directory_region_end(blocks: list[Block], start: int) -> int:
    for j in range(start + 1, len(blocks)):
        block = blocks[j]
        if block.md_level is None and _is_contact_start(block):
            return j
        if is_heading_like(block) and not country_heading(block.heading_text):
            text = block.heading_text
            if not (HOTLINE_HEADING_RE.search(text) or TEAM_HEADING_RE.search(text)):
                return j
            return j  # the next directory part starts its own region
    return len(blocks)

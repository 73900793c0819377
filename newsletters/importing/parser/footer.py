"""The pieces of a one-line contact footer that are no e-mail address and no hotline:
an office phone ("+7 727 255 0000", "Tel. +996 312 445566"), a web address
("www.northwind.example.org", "https://…", "Web: …"), a street address ("12 Abay Ave,
Almaty", "ул. Токтогула 112, Бишкек") and the organisation's name opening the line
("Northwind Migration Centre · 12 Abay Ave, Almaty · info@… · +7 … · www…").

directory.contact_pieces reads a footer's pieces with these tests: the phone goes to the
directory as the office's number, the e-mail address to the office, and the street and
web address (the directory has no field for them) to ``dropped`` as "footer address",
so the line is never left "not placed". Each test is one bounded regular expression
over one piece (at most 300 characters): linear time.
"""

from __future__ import annotations

import re

# "Tel.", "Phone:", "T:", "Тел.:", "Телефон:" then the number; "+7 727 255 0000",
# "(727) 255-00-00". Seven digits at least, so a house number is never a phone.
PHONE_PIECE_RE = re.compile(
    r"(?:(?:tel|phone|ph|t|тел|телефон)\.?\s?:?\s?)?(\+?\s?\(?\d[\d ()\-–]{5,22}\d)",
    re.IGNORECASE,
)
_MIN_PHONE_DIGITS = 7
# "www.northwind.example.org", "https://northwind.example.org/kz", "Web: northwind.org".
WEB_PIECE_RE = re.compile(
    r"(?:(?:web(?:site)?|сайт|веб-сайт)\s?:\s?)?((?:https?://)?[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}"
    r"(?:/\S{0,120})?)",
    re.IGNORECASE,
)
_WEB_LABEL_RE = re.compile(r"(?:web(?:site)?|сайт|веб-сайт)\s?:", re.IGNORECASE)
# A street word of English, Russian, Kazakh or Kyrgyz addresses ("Ave", "ул.",
# "көшесі", "көчөсү"), or a post-office box. Not "office" or "офис": "Office hours:
# 9:00–18:00" is no address.
STREET_WORD_RE = re.compile(
    r"\b(?:street|st|ave|avenue|road|rd|blvd|boulevard|lane|square|sq|building|bldg|floor"
    r"|suite|p\.?\s?o\.?\s?box|ул|улица|пр|просп|проспект|мкр|микрорайон|бульвар"
    r"|пл|площадь|дом|д|көшесі|даңғылы|көчөсү|проспектиси)\b",
    re.IGNORECASE,
)
_NAME_MAX_WORDS = 6
_ADDRESS_MAX_WORDS = 12


def phone_piece(plain: str) -> str | None:
    """The number of a piece that is an office phone and nothing else, else None."""
    m = PHONE_PIECE_RE.fullmatch(plain)
    if m is None or sum(c.isdigit() for c in m.group(1)) < _MIN_PHONE_DIGITS:
        return None
    return m.group(1).strip()


def is_web_piece(plain: str) -> bool:
    """ "www.…", "https://…" or "Web: …": a web address and nothing else."""
    m = WEB_PIECE_RE.fullmatch(plain)
    if m is None:
        return False
    url = m.group(1).lower()
    return url.startswith(("www.", "http://", "https://")) or bool(_WEB_LABEL_RE.match(plain))


def is_street_address(plain: str, names_place: bool) -> bool:
    """A short piece that reads as a postal address: a number with a street word, or a
    place the directory knows (``names_place``: "Almaty", "г. Бишкек"); no sentence."""
    words = plain.split()
    if not words or len(words) > _ADDRESS_MAX_WORDS or plain.endswith(("!", "?")):
        return False
    if "@" in plain:
        return False
    has_digit = any(c.isdigit() for c in plain)
    return names_place or has_digit and STREET_WORD_RE.search(plain) is not None


def is_name_piece(plain: str) -> bool:
    """ "Northwind Migration Centre": a few capitalised words, no digit, no sentence."""
    words = plain.split()
    return (
        0 < len(words) <= _NAME_MAX_WORDS
        and plain[:1].isupper()
        and not any(c.isdigit() for c in plain)
        and not plain.endswith((".", "!", "?", ","))
        and "@" not in plain
    )


# "Address:", "Адрес:", Kyrgyz "Дарек:", Kazakh "Мекенжай:": what follows is a postal
# address, whatever its words.
ADDRESS_LABEL_RE = re.compile(r"(?:address|адрес|дарек|мекенжай|мекен-жай)\s?:", re.IGNORECASE)
_TEL_LABEL_RE = re.compile(r"(?:tel|phone|ph|тел|телефон)\.?\s?:?\s?", re.IGNORECASE)


def office_line(plain: str) -> tuple[str, str] | None:
    """A line of an office's entry that is no e-mail address: ("phone", number) for
    "Tel.: +7 727 300 1122", ("address", "") for a street address ("45 Dostyk Ave,
    050010 Almaty", "Дарек: Токтогул көчөсү 112, Бишкек") or a web address ("Web: …",
    "Сайт: www…"); None for any other line. Lines of 120 characters at most."""
    if len(plain) > 120 or "@" in plain:
        return None
    if _TEL_LABEL_RE.match(plain):
        number = phone_piece(plain)
        return ("phone", number) if number else None
    if is_web_piece(plain) or ADDRESS_LABEL_RE.match(plain):
        return ("address", "")
    if is_street_address(plain.rstrip("."), names_place=False):
        return ("address", "")
    return None

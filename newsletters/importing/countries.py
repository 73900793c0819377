"""The five Central Asian countries the newsletters cover, and phone-number tidying.

Pure standard library on purpose: the parser must stay importable without Django or
third-party packages, so the few numbering rules needed here are written out by hand
instead of pulling in ``phonenumbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    calling_code: str  # E.164 country calling code, without "+"
    trunk_prefix: str  # dialled before national numbers inside the country
    names: tuple[str, ...]  # spellings met in the archive, typos included
    adjectives: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "KZ", "Kazakhstan", "7", "8",
        ("Kazakhstan", "Kazakstan", "Qazaqstan", "Republic of Kazakhstan"),
        ("Kazakh", "Kazakhstani"),
    ),
    Country(
        "KG", "Kyrgyzstan", "996", "0",
        ("Kyrgyzstan", "Kyrgystan", "Kirgizstan", "Kyrgyz Republic", "Kirghizia"),
        ("Kyrgyz",),
    ),
    Country(
        "TJ", "Tajikistan", "992", "8",
        ("Tajikistan", "Tajkistan", "Tadjikistan", "Tajikstan", "Republic of Tajikistan"),
        ("Tajik",),
    ),
    Country(
        "TM", "Turkmenistan", "993", "8",
        ("Turkmenistan", "Turkmenstan"),
        ("Turkmen",),
    ),
    Country(
        "UZ", "Uzbekistan", "998", "8",
        ("Uzbekistan", "Uzbekstan", "Republic of Uzbekistan"),
        ("Uzbek",),
    ),
)

# Russian (and Kazakh/Kyrgyz) names, in the cases a sentence puts them in: "в Казахстане"
# (prepositional), "из Казахстана" (genitive), "Казахстану", "Казахстаном". Russian-language
# bulletins name countries this way; with the English spellings only, no Russian story was
# ever tagged with its country.
_RU_CASE_ENDINGS = ("", "а", "у", "ом", "е")
RU_NAMES: dict[str, tuple[str, ...]] = {
    "KZ": (
        *(f"Казахстан{e}" for e in _RU_CASE_ENDINGS), "Республика Казахстан",
        "Республики Казахстан", "Республике Казахстан", "Қазақстан", "Казакстан",
    ),
    "KG": (
        *(f"Кыргызстан{e}" for e in _RU_CASE_ENDINGS),
        *(f"Киргизи{e}" for e in ("я", "и", "ю", "ей")),
        "Кыргызская Республика", "Кыргызской Республики", "Кыргызской Республике",
        "Кыргызстанда", "Кыргызстандын",
    ),
    "TJ": tuple(f"Таджикистан{e}" for e in _RU_CASE_ENDINGS),
    "TM": (
        *(f"Туркменистан{e}" for e in _RU_CASE_ENDINGS),
        *(f"Туркмени{e}" for e in ("я", "и", "ю", "ей")),
    ),
    "UZ": (
        *(f"Узбекистан{e}" for e in _RU_CASE_ENDINGS), "Республика Узбекистан",
        "Республики Узбекистан", "Республике Узбекистан", "Ўзбекистон",
    ),
}
# The region's other languages, with the case endings a sentence puts on the name (in a
# tuple of their own, as the Russian ones). Uzbek Latin writes o‘ and g‘ with any
# apostrophe: the names here have "'", and text is folded to it before matching
# (_FOLD). "O'zbekistonda" (in), "-ga" (to), "-dan" (from), "-ning" (of), "-dagi" (in,
# as an adjective); OCR often loses the apostrophe ("Ozbekiston").
_UZ_ENDINGS = ("", "da", "ga", "dan", "ning", "ni", "dagi")
_UZ_CYR_ENDINGS = ("", "да", "га", "дан", "нинг", "ни", "даги")
# Tajik: "Тоҷикистон", "Тоҷикистони" (izofa: "Тоҷикистони азиз"), "Тоҷикистонро".
_TJ_ENDINGS = ("", "и", "ро")
# Turkmen (back vowels in every name): "Türkmenistanda", "-dan", "-yň" (of), "-a" (to).
_TM_ENDINGS = ("", "da", "dan", "yň", "a", "y", "daky")
# Kyrgyz: "Кыргызстанда" (in), "-дан" (from), "-га" (to), "-дын" (of), "-дагы".
_KY_ENDINGS = ("", "да", "дан", "га", "дын", "ды", "дагы")


def _forms(endings: tuple[str, ...], *names: str) -> tuple[str, ...]:
    return tuple(f"{name}{e}" for name in names for e in endings)


LOCAL_NAMES: dict[str, tuple[str, ...]] = {
    "KZ": (
        *_forms(_UZ_ENDINGS, "Qozog'iston", "Qozogiston"),
        *_forms(_UZ_CYR_ENDINGS, "Қозоғистон"), *_forms(_TJ_ENDINGS, "Қазоқистон"),
        *_forms(_TM_ENDINGS, "Gazagystan"), *_forms(_KY_ENDINGS, "Казакстан"),
    ),
    "KG": (
        *_forms(_UZ_ENDINGS, "Qirg'iziston", "Qirgiziston"),
        *_forms(_UZ_CYR_ENDINGS, "Қирғизистон"), *_forms(_TJ_ENDINGS, "Қирғизистон"),
        *_forms(_TM_ENDINGS, "Gyrgyzystan"), *_forms(_KY_ENDINGS, "Кыргызстан"),
        "Қырғызстан",
    ),
    "TJ": (
        *_forms(_UZ_ENDINGS, "Tojikiston"), *_forms(_UZ_CYR_ENDINGS, "Тожикистон"),
        *_forms(_TJ_ENDINGS, "Тоҷикистон"), *_forms(_TM_ENDINGS, "Täjigistan"),
        *_forms(_KY_ENDINGS, "Тажикстан"), "Тәжікстан",
    ),
    "TM": (
        *_forms(_UZ_ENDINGS, "Turkmaniston"), *_forms(_UZ_CYR_ENDINGS, "Туркманистон"),
        *_forms(_TJ_ENDINGS, "Туркманистон"), *_forms(_TM_ENDINGS, "Türkmenistan"),
        *_forms(_KY_ENDINGS, "Түркмөнстан"), "Түрікменстан",
    ),
    "UZ": (
        *_forms(_UZ_ENDINGS, "O'zbekiston", "Ozbekiston"),
        *_forms(_UZ_CYR_ENDINGS, "Ўзбекистон"), *_forms(_TJ_ENDINGS, "Ӯзбекистон"),
        *_forms(_TM_ENDINGS, "Özbegistan"), *_forms(_KY_ENDINGS, "Өзбекстан"),
    ),
}
# Kyrgyz "Кыргызстан" (and its endings) was a Russian name already.
for _code, _names in LOCAL_NAMES.items():
    LOCAL_NAMES[_code] = tuple(dict.fromkeys(n for n in _names if n not in RU_NAMES[_code]))


def _flat_ru() -> list[str]:
    return [n for names in RU_NAMES.values() for n in names]


COUNTRIES = tuple(
    Country(c.code, c.name, c.calling_code, c.trunk_prefix,
            (*c.names, *RU_NAMES[c.code], *LOCAL_NAMES[c.code]), c.adjectives)
    for c in COUNTRIES
)

BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}

_NAME_TO_CODE: dict[str, str] = {}
for _c in COUNTRIES:
    for _n in (*_c.names, *_c.adjectives):
        _NAME_TO_CODE[_n.lower()] = _c.code

# Longest spellings first so "Kyrgyz Republic" wins over "Kyrgyz". The Russian names are
# a pattern of their own, tried only on text that has Cyrillic letters: in one alternation
# they made every search of English text half as fast again.
_RU_SPELLINGS = {n.lower() for names in RU_NAMES.values() for n in names}
_LOCAL_SPELLINGS = {n.lower() for names in LOCAL_NAMES.values() for n in names}
_ALL_SPELLINGS = sorted(
    set(_NAME_TO_CODE) - _RU_SPELLINGS - _LOCAL_SPELLINGS, key=len, reverse=True
)
_MENTION_RE = re.compile(
    r"\b(" + "|".join(re.escape(s) for s in _ALL_SPELLINGS) + r")(?:['’]s)?\b",
    re.IGNORECASE,
)
_NAME_ONLY_RE = re.compile(
    r"\b("
    + "|".join(
        re.escape(n)
        for n in sorted({n for c in COUNTRIES for n in c.names} - set(_flat_ru())
                        - {n for names in LOCAL_NAMES.values() for n in names}, key=len,
                        reverse=True)
    )
    + r")(?:['’]s)?\b",
    re.IGNORECASE,
)
_RU_NAME_RE = re.compile(
    r"\b(" + "|".join(re.escape(n) for n in sorted(_RU_SPELLINGS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]").search
# The other languages' names: a pattern of their own too, tried on text that may hold
# one (_may_name_local), so English text pays one substring scan for them.
# The lookahead of first letters comes first: one class test rejects most positions of a
# text before the hundred-odd names are tried there (ten times faster on long text).
_LOCAL_FIRST = "".join(sorted({ch for n in _LOCAL_SPELLINGS for ch in (n[0], n[0].upper())}))
_LOCAL_NAME_RE = re.compile(
    rf"(?=[{re.escape(_LOCAL_FIRST)}])(?<!\w)("
    + "|".join(re.escape(n) for n in sorted(_LOCAL_SPELLINGS, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)
# Every Latin name above holds one of these (lower case); the Cyrillic ones are tried on
# text with Cyrillic letters.
_LOCAL_LATIN_MARKS = ("iston", "ystan", "gistan", "türkmen")
# Uzbek apostrophes folded to "'": one character for one, so match offsets stay the
# text's own. (The same forms as parser/languages.py's APOSTROPHE_CLASS; the parser
# imports this module, so this one does not import the parser.)
_FOLD = str.maketrans({c: "'" for c in "’‘ʻʼ`"})


def _may_name_local(text: str) -> bool:
    if not text.isascii() and _HAS_CYRILLIC(text):
        return True
    low = text.lower()
    return any(mark in low for mark in _LOCAL_LATIN_MARKS)


def _mentions(regex: re.Pattern, text: str) -> list[re.Match]:
    """Matches of ``regex`` and, in text with Cyrillic letters, of the Russian names, and
    of the other languages' names where the text may hold one, in the order they stand
    in the text."""
    found = list(regex.finditer(text))
    more: list[re.Match] = []
    if not text.isascii() and _HAS_CYRILLIC(text):
        more += _RU_NAME_RE.finditer(text)
    if _may_name_local(text):
        more += _LOCAL_NAME_RE.finditer(text if text.isascii() else text.translate(_FOLD))
    return sorted(found + more, key=lambda m: m.start()) if more else found


def country_code(word: str) -> str | None:
    """Alpha-2 code for a country name, typo or adjective ("TAJKISTAN", "Kazakhstan's")."""
    key = re.sub(r"['’]s$", "", word.strip().strip(":*.,").strip()).lower()
    code = _NAME_TO_CODE.get(key)
    if code is None and (not key.isascii() or "`" in key):  # Uzbek o‘ and g‘, any apostrophe
        code = _NAME_TO_CODE.get(key.translate(_FOLD))
    return code


def find_countries(text: str, *, adjectives: bool = False) -> list[str]:
    """Codes of the countries named in ``text``, in order of first mention, no repeats.

    Adjectives are off by default because "70 Kyrgyz migrants" in a story about
    Kazakhstan does not make the story a Kyrgyz one.
    """
    regex = _MENTION_RE if adjectives else _NAME_ONLY_RE
    found: list[str] = []
    for m in _mentions(regex, text):
        code = _NAME_TO_CODE[m.group(1).lower()]
        if code not in found:
            found.append(code)
    return found


def mention_positions(text: str) -> list[tuple[int, str]]:
    """(offset, code) of every country mention, adjectives and possessives included."""
    return [(m.start(), _NAME_TO_CODE[m.group(1).lower()]) for m in _mentions(_MENTION_RE, text)]


def _calling_code_of(digits: str) -> str | None:
    for c in sorted(COUNTRIES, key=lambda c: len(c.calling_code), reverse=True):
        if digits.startswith(c.calling_code):
            return c.calling_code
    return None


def normalise_phone(number_as_printed: str, country_code: str | None) -> str | None:
    """E.164 form ("+992918853434") of a printed number, or None when it is not dialable
    from abroad (short national hotlines such as 11616, 1899, 189) or makes no sense.

    Printed "+" numbers that lack the country code ("+ 918-85-34-34" under Tajikistan)
    get the code of the country they are listed under.
    """
    printed = number_as_printed.strip()
    digits = re.sub(r"\D", "", printed)
    if not digits:
        return None
    country = BY_CODE.get(country_code or "")
    if printed.startswith("+"):
        if _calling_code_of(digits) is None:
            if country is None:
                return None
            digits = country.calling_code + digits
        e164 = "+" + digits
    elif digits.startswith("00"):
        e164 = "+" + digits[2:]
    elif country is None:
        return None
    elif (
        country.trunk_prefix
        and digits.startswith(country.trunk_prefix)
        and len(digits) >= 9
    ):
        # Domestic form with trunk prefix: "8 8000 8000 15" in Kazakhstan.
        e164 = "+" + country.calling_code + digits[len(country.trunk_prefix):]
    elif digits.startswith(country.calling_code) and len(digits) >= 10:
        e164 = "+" + digits
    else:
        # Bare short numbers are national hotlines that only work inside the country.
        return None
    return e164 if 8 <= len(e164) - 1 <= 15 else None


def tidy_phone(number_as_printed: str, country_code: str | None) -> str:
    """The number as printed, tidied for display but not reformatted beyond need.

    Rules: "+ 996 312 641364" loses the space after "+"; a "+" number whose digit groups
    run the country code into the area code ("+ 99871 276 94 44") is re-split after the
    code ("+998 71 276 94 44"); a "+" number printed without its country code
    ("+ 918-85-34-34" under TJ) gets it ("+992 918 85 34 34"); hyphens between groups
    become spaces in "+" numbers; an unbroken "+992900800800" and domestic numbers
    ("8 8000 8000 15", "0800 0000189") stay as printed apart from extra spaces.
    """
    printed = re.sub(r"\s+", " ", number_as_printed.strip().rstrip(";,."))
    if not printed.startswith("+"):
        return printed
    groups = [g for g in re.split(r"[\s\-–]+", printed[1:].strip()) if g]
    if len(groups) <= 1:
        return "+" + "".join(groups)
    digits = "".join(groups)
    cc = _calling_code_of(digits)
    if cc is None:
        country = BY_CODE.get(country_code or "")
        return "+" + (country.calling_code + " " if country else "") + " ".join(groups)
    rest: list[str] = []
    need = len(cc)
    for g in groups:
        if need >= len(g):
            need -= len(g)
            continue
        rest.append(g[need:])
        need = 0
    return "+" + cc + " " + " ".join(rest)


# Cities that name their country: an office's address ("г. Бишкек", "12 Abay Ave,
# Almaty") and a story about a place ("Shelter opens in Osh") say where without naming
# the country. Only cities in one country: not the Ferghana valley, not "Talas" (a town
# and a district on both sides of a border), not "Mary" (an English name too). Russian
# in the cases an address or a dateline puts them in.
CITY_COUNTRIES: dict[str, tuple[str, ...]] = {
    "KG": ("Bishkek", "Бишкек", "Бишкеке", "Бишкека", "Osh", "Ош", "Оше", "Оша",
           "Karakol", "Каракол", "Караколе", "Jalal-Abad", "Джалал-Абад", "Джалал-Абаде",
           "Naryn", "Нарын", "Нарыне", "Batken", "Баткен", "Баткене", "Tokmok", "Токмок"),
    "KZ": ("Almaty", "Алматы", "Astana", "Астана", "Астане", "Астаны", "Nur-Sultan",
           "Нур-Султан", "Нур-Султане", "Shymkent", "Шымкент", "Шымкенте", "Karaganda",
           "Караганда", "Караганде", "Aktau", "Актау", "Atyrau", "Атырау", "Taraz", "Тараз",
           "Таразе", "Pavlodar", "Павлодар", "Павлодаре", "Semey", "Семей", "Kostanay",
           "Костанай", "Костанае", "Aktobe", "Актобе", "Oral", "Uralsk", "Уральск",
           "Уральске"),
    "TJ": ("Dushanbe", "Душанбе", "Khujand", "Худжанд", "Худжанде", "Kulob", "Kulyab",
           "Куляб", "Кулябе", "Bokhtar", "Бохтар", "Бохтаре", "Khorog", "Хорог", "Хороге"),
    "UZ": ("Tashkent", "Ташкент", "Ташкенте", "Ташкента", "Samarkand", "Samarqand",
           "Самарканд", "Самарканде", "Bukhara", "Бухара", "Бухаре", "Namangan", "Наманган",
           "Намангане", "Andijan", "Андижан", "Андижане", "Nukus", "Нукус", "Нукусе",
           "Termez", "Термез", "Термезе"),
    "TM": ("Ashgabat", "Ашхабад", "Ашхабаде", "Ашгабат", "Ашгабате", "Turkmenabat",
           "Туркменабат", "Dashoguz", "Дашогуз", "Balkanabat", "Балканабат"),
}
_CITY_CODE = {name.lower(): code for code, names in CITY_COUNTRIES.items() for name in names}
# A city is a whole token of letters, digits and hyphens ("Jalal-Abad", not the "Osh" of
# "Oshkosh"): the text is cut into such tokens once and each is looked up, in one pass
# (an alternation of a hundred names tried at every position cost a quarter of a 1 MB
# file's parse).
_TOKEN_RE = re.compile(r"[\w-]+")


def find_cities(text: str, *, capitalised: bool = False) -> list[str]:
    """Codes of the countries whose cities ``text`` names, in order of first mention.
    ``capitalised``: only names written with a capital ("Osh", not "osh"), for running
    text, where a lower-case word is no city."""
    found: list[str] = []
    for token in _TOKEN_RE.findall(text):
        code = _CITY_CODE.get(token.lower())
        if code is None or code in found or (capitalised and not token[:1].isupper()):
            continue
        found.append(code)
    return found

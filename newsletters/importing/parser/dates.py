"""Dates and issue numbers as newsletters print them: "15/01/2021", "1 March 2022",
"January 1984", "April - June 2014", "Q2 2014", "Summer 2021"; "Issue 9", "No. 6",
"Vol. I - No. 6".

Russian too, as the Central Asian archives print it: month names in any grammatical case
("май 2019 г.", "15 мая 2019 года", "апрель – июнь 2014"), quarters ("I квартал 2020",
"2-й квартал 2021 г."), and "Выпуск 3", "Вып. 3", "№ 5" as issue numbers; Kazakh month
names ("Қазан 2023", "2023 жылғы 15 қазан"). Uzbek, Tajik, Turkmen and Kyrgyz
(languages.py's tables): "2022-yil, mart", "2023-yil 15-aprel", "15 марти соли 2022",
"Sentýabr, 2021", "2024-жылдын 10-апрели"; "12-son", "Шумораи 4", "Sany 3",
"6-чыгарылыш"."""

from __future__ import annotations

import datetime
import re

from .languages import (
    LOCAL_MONTH_RE,
    LOCAL_MONTHS,
    MONTH_WORD_AFTER,
    NUMBER_WORDS_AFTER,
    NUMBER_WORDS_BEFORE,
    ORDINAL_SUFFIX,
    YEAR_WORD_AFTER,
    YEAR_WORD_BEFORE,
)
from .text import _MONTH_RE, MONTHS

MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# Russian month names in every case a date puts them in: "май" (nominative), "мая"
# (genitive: "15 мая"), "мае" (prepositional: "в мае 2019"), "маем"; "март/марта/марте".
# Each is a fixed word followed by \b, so nothing here can backtrack.
_RU_STEMS = ("январ", "феврал", "апрел", "июн", "июл", "сентябр", "октябр", "ноябр", "декабр")
RU_MONTH_RE = "|".join(
    [f"{stem}(?:ь|я|е|ю|ём|ем)" for stem in _RU_STEMS]
    + ["март(?:а|е|у|ом)?", "август(?:а|е|у|ом)?", "ма(?:й|я|е|ю|ем)"]
)
RU_MONTH_ABBR = r"янв|февр?|апр|авг|сент?|окт|нояб?|дек"
# The first three letters of every Russian form and abbreviation name its month.
RU_MONTHS = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5, "маю": 5,
    "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}
# Nominative names for labels ("май 2019") and genitive ones after a day ("15 мая 2019").
RU_MONTH_NAMES = (
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
    "октябрь", "ноябрь", "декабрь",
)
RU_MONTH_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
)
# Kazakh month names ("Қазан 2023" is October 2023, "2023 жылғы 15 қазан" a day); their
# first three letters name the month and differ from every Russian key.
KZ_MONTH_NAMES = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
    "қазан", "қараша", "желтоқсан",
)
KZ_MONTH_RE = "|".join(KZ_MONTH_NAMES)
KZ_MONTHS = {name[:3]: n for n, name in enumerate(KZ_MONTH_NAMES, start=1)}
_M = (
    rf"(?:{_MONTH_RE}|{MONTH_ABBR}|{RU_MONTH_RE}|{RU_MONTH_ABBR}|{KZ_MONTH_RE}"
    rf"|{LOCAL_MONTH_RE})\.?"
)
# Uzbek, Tajik, Turkmen and Kyrgyz: a month, theirs or in a Russian form (its name ends
# at a word end, so "iyun" is not read in "iyunda"'s place), with the word "month" after
# it or not ("mart oyi", "март айы"); a day as "15-mart", "15-nji marty", "10-апрели" or
# "15 марти"; a year with its word after it ("2022-yil", "2024-жылдын") or, Tajik, before
# it ("соли 2021"). Each part is a fixed word list or a bounded run: no backtracking.
_LM = rf"(?P<mn>{LOCAL_MONTH_RE}|{RU_MONTH_RE})\b(?: (?:{MONTH_WORD_AFTER})\b)?"
_LD = rf"(?P<d>\d{{1,2}})(?:-(?:{ORDINAL_SUFFIX}))?[- ]"
_LY_AFTER = rf"(?P<y>\d{{4}})(?:-(?:{ORDINAL_SUFFIX}))?[- ]?(?:{YEAR_WORD_AFTER})\b"
# Each form is a bounded sequence of tokens: nothing here can backtrack more than a few
# characters, whatever the line holds.
DATE_FORMS = [
    ("day", re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")),
    ("day", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    # One or two spaces between a day and its month: "No. 6        March 2022" is no date.
    ("day", re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? {{1,2}}(?P<mn>{_M}) {{1,2}}(?P<y>\d{{4}})\b", re.I
    )),
    ("day", re.compile(rf"\b(?P<mn>{_M}) {{1,2}}(?P<d>\d{{1,2}}),? {{1,2}}(?P<y>\d{{4}})\b", re.I)),
    ("quarter", re.compile(
        rf"\b(?P<mn>{_M})\s*(?:-|–|—|to|по)\s*(?P<mn2>{_M})\s+(?P<y>\d{{4}})\b", re.I
    )),
    ("quarter", re.compile(r"\b(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth) quarter)"
                           r"(?:\s+of)?\s+(?P<y>\d{4})\b", re.I)),
    # "I квартал 2020", "2-й квартал 2021 г.", "III кв. 2019", "первый квартал 2020 года".
    ("quarter", re.compile(
        r"\b(?:(?P<qr>IV|I{1,3})|(?P<qd>[1-4])(?:-?(?:й|ый|ой))?"
        r"|(?P<qru>перв|втор|трет|четв[её]рт)[а-я]{0,3})"
        r"\s+(?:квартал[а-я]{0,2}|кв\.)\s+(?P<y>\d{4})\b", re.I
    )),
    # Kazakh "2023 жылғы 15 қазан" ("of the year 2023, 15 October"), "2023 жылғы қазан".
    ("day", re.compile(
        rf"\b(?P<y>\d{{4}}) жылғы (?P<d>\d{{1,2}}) (?P<mn>{KZ_MONTH_RE})\b", re.I
    )),
    ("month", re.compile(rf"\b(?P<y>\d{{4}}) жылғы (?P<mn>{KZ_MONTH_RE})\b", re.I)),
    # "2023-yil 15-aprel", "2024-жылдын 10-апрели", "2021 йил, декабр", "2022-yil, mart".
    ("day", re.compile(rf"\b{_LY_AFTER},? {{1,2}}{_LD}{_LM}", re.I)),
    ("month", re.compile(rf"\b{_LY_AFTER},? {{1,2}}{_LM}", re.I)),
    # "15-mart, 2022-yil", "15 марти соли 2022", "15-nji marty 2022"; "июни соли 2021",
    # "mart oyi, 2022", "Sentýabr, 2021".
    ("day", re.compile(
        rf"(?<!\w){_LD}{_LM},? {{1,2}}(?:{YEAR_WORD_BEFORE} )?(?P<y>\d{{4}})\b", re.I
    )),
    ("month", re.compile(
        rf"(?<!\w){_LM},? {{1,2}}(?:{YEAR_WORD_BEFORE} )?(?P<y>\d{{4}})\b", re.I
    )),
    ("month", re.compile(rf"\b(?P<mn>{_M})\s+(?P<y>\d{{4}})\b", re.I)),
    ("month", re.compile(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?P<y>\d{4})\b",
                         re.I)),
    ("month", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})\b")),
]
_QUARTER_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4,
    "перв": 1, "втор": 2, "трет": 3, "четв": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4,
}
# A season printed as the date ("Summer 2021") is read as its first month, with month
# precision: the meteorological seasons of the northern hemisphere, where the archive's
# organisations are; "Winter 2021" is the winter that starts in December 2021. The issue
# page then says "June 2021"; the printed season stays in the masthead line (dropped as
# "masthead", so it is listed) and an editor can correct the date in the preview.
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# "Issue 9", "No. 6", "Vol. I - No. 6", "Volume 1, Number 6", "Newsletter 7", "№4", "#12";
# Russian "Выпуск 3", "Вып. 3", "Номер 4", Kyrgyz "Чыгарылыш 2".
# Uzbek, Tajik, Turkmen and Kyrgyz (languages.py): "Шумораи 4", "Sany 3"; after the
# number "12-son", "9-сон", "6-чыгарылыш", "3-nji sany" (group "n2").
NUMBER_RE = re.compile(
    r"(?:\b(?:issue|no|number|newsletter|bulletin|edition|nr|выпуск|вып|номер|чыгарылыш"
    rf"|{NUMBER_WORDS_BEFORE})\b\.?"
    r"|№|#)\s*(?P<n>\d{1,4})\b"
    rf"|\b(?P<n2>\d{{1,4}})-(?:(?:{ORDINAL_SUFFIX}) )?(?:{NUMBER_WORDS_AFTER})\b",
    re.I,
)
# "Vol. I", "Volume 2", Russian "Том 2", "Т. 2": a volume number is never the issue's.
VOLUME_RE = re.compile(
    r"(?:\bvol(?:ume)?|\bтом|\bт)\b\.?\s*(?:[IVXLC]{1,6}|\d{1,3})\b\s*[,\-–—·|]?\s*", re.I
)
_HAS_VOLUME = re.compile(r"\bvol|\bт(?:ом)?\b", re.I).search


# "Volume 4, Issue 2", "Vol. I - No. 6", "Том 3, № 5": the volume, and the issue number
# printed with it (kept to quote the pair as printed). Bounded runs of spaces only.
VOLUME_ISSUE_RE = re.compile(
    r"(?:\bvol(?:ume)?\b\.?|\bтом\b)\s{0,3}(?P<v>[IVXLC]{1,6}|\d{1,3})\b"
    r"(?:\s{0,3}[,\-–—·|]?\s{0,3}(?:(?:\b(?:issue|no|number|nr|выпуск|вып)\b\.?)|№|#)"
    r"\s{0,3}\d{1,4}\b)?",
    re.I,
)


def find_volume(text: str) -> tuple[str, str] | None:
    """The volume printed in ``text`` and the words that print it with the issue number:
    "Vol. I - No. 6 · March 2022" -> ("I", "Vol. I - No. 6"); None without a volume."""
    if not _HAS_VOLUME(text):
        return None
    m = VOLUME_ISSUE_RE.search(text)
    return (m.group("v"), m.group(0).strip(" ,-–—·|")) if m else None


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def volume_key(printed: str) -> str:
    """The volume as the issue stores it: arabic digits, so that "Vol. IV" and
    "Volume 4" are one volume ("IV" -> "4"); anything else as printed."""
    text = printed.strip().upper()
    if text.isdigit():
        return str(int(text))
    if not text or any(c not in _ROMAN for c in text):
        return printed.strip()
    total = 0
    for k, c in enumerate(text):
        value = _ROMAN[c]
        total += -value if k + 1 < len(text) and _ROMAN[text[k + 1]] > value else value
    return str(total)


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in LOCAL_MONTHS:  # whole words: Uzbek "iyun" and "iyul" share three letters
        return LOCAL_MONTHS[key]
    if key[:3] in RU_MONTHS:
        return RU_MONTHS[key[:3]]
    if key[:3] in KZ_MONTHS:
        return KZ_MONTHS[key[:3]]
    for full, number in MONTHS.items():
        if full.startswith(key[:3]):
            return number
    raise ValueError(name)


def find_date(text: str) -> tuple[datetime.date, str] | None:
    """The first date printed in ``text`` and its precision: "15/01/2021", "1 March 2022"
    (day), "January 1984" (month), "April - June 2014", "Q2 2014" (quarter, first day)."""
    best: tuple[int, datetime.date, str] | None = None
    for precision, regex in DATE_FORMS:
        m = regex.search(text)
        if not m:
            continue
        g = m.groupdict()
        try:
            year = int(g["y"])
            if precision == "quarter":
                if g.get("mn"):
                    first, last = _month(g["mn"]), _month(g["mn2"])
                    span = (last - first) % 12 + 1
                    precision = "quarter" if span == 3 and first % 3 == 1 else "month"
                    when = datetime.date(year, first, 1)
                elif g.get("q") or g.get("qd"):
                    quarter = int(g.get("q") or g["qd"])
                    when = datetime.date(year, 3 * quarter - 2, 1)
                else:
                    word = g.get("qw") or g.get("qr") or g["qru"]
                    word = word.lower()
                    quarter = _QUARTER_WORDS.get(word) or _QUARTER_WORDS[word[:4]]
                    when = datetime.date(year, 3 * quarter - 2, 1)
            else:
                if g.get("season"):
                    month = SEASON_MONTHS[g["season"].lower()]
                else:
                    month = _month(g["mn"]) if g.get("mn") else int(g["m"])
                when = datetime.date(year, month, int(g["d"]) if g.get("d") else 1)
        except (ValueError, KeyError):
            continue
        if not 1800 <= year <= 2100:
            continue
        # The earliest match in the text wins; at one place the longer (more precise) form.
        if best is None or m.start() < best[0]:
            best = (m.start(), when, precision)
    return (best[1], best[2]) if best else None


def find_number(text: str) -> int | None:
    """The issue number printed in ``text`` ("Vol. I - No. 6" -> 6, "Issue 9" -> 9)."""
    m = NUMBER_RE.search(VOLUME_RE.sub(" ", text) if _HAS_VOLUME(text) else text)
    return int(m.group("n") or m.group("n2")) if m else None


def when_label(date: datetime.date, precision: str, lang: str = "en") -> str:
    """"1 March 2022", "March 2022", "April–June 2014" or "2014"; with ``lang="ru"``
    "15 марта 2021", "май 2019", "апрель–июнь 2014" (month names are not capitalised in
    Russian, and a day takes the genitive)."""
    if lang == "ru":
        return _when_label_ru(date, precision)
    if precision == "year":
        return str(date.year)
    if precision == "quarter":
        last = datetime.date(date.year, date.month + 2, 1)
        return f"{date:%B}–{last:%B %Y}"
    if precision == "month":
        return f"{date:%B %Y}"
    return f"{date.day} {date:%B %Y}"


def _when_label_ru(date: datetime.date, precision: str) -> str:
    if precision == "year":
        return str(date.year)
    if precision == "quarter":
        return f"{RU_MONTH_NAMES[date.month - 1]}–{RU_MONTH_NAMES[date.month + 1]} {date.year}"
    if precision == "month":
        return f"{RU_MONTH_NAMES[date.month - 1]} {date.year}"
    return f"{date.day} {RU_MONTH_GENITIVE[date.month - 1]} {date.year}"

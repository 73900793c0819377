"""Shared text helpers of the parser: month names, number and link patterns, title case,
markup-free text for matching."""

from __future__ import annotations

import functools
import re

from ..countries import country_code
from . import languages

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
# NUM for searching: starts only where no digit or comma precedes, so a long run of digits
# is tried once, not once per digit.
NUM_AT = rf"(?<![\d,])(?:{NUM})"
# Linear-time patterns: a match may only start where the previous character cannot be
# part of it (the lookbehinds), and bracketed parts stop at the next opening bracket, so
# one long "word", a run of "[" or "$" is read once instead of once per position.
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MAILTO_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(mailto:[^()]*\)")
DEAD_LINK_RE = re.compile(r"\[([^\[\]]+)\]\(\s*(?:#\s*)?\)")
# "$...\frac...$": the text before the first "\letter" cannot hold one, so it is read once.
LATEX_RE = re.compile(r"\$(?:[^$\n\\]|\\(?![A-Za-z]))*\\[A-Za-z][^$\n]*\$")
SUP_RE = re.compile(r"</?sup>", re.IGNORECASE)
# "<sup>1</sup>" is a footnote reference; its footnote is dropped, so the marker goes too.
SUP_REF_RE = re.compile(r"(?<!^)<sup>\s*\d+\s*</sup>", re.IGNORECASE | re.MULTILINE)
CAPTION_RE = re.compile(
    r"^(?:\*\*)?(?:Photos?|Фото)\b\s*(?:\d+(?:\s*[-–]\s*\d+)?\s*[.:]|of\b|by\b|from\b|above\b"
    r"|below\b|:|credit)"
    # Uzbek and Turkmen "Surat:", "Foto:", Tajik "Сурат:", "Акс:", Kyrgyz "Сүрөт:" (photo),
    # with a colon or a number only: "Surat 3:" (languages.py).
    rf"|^(?:\*\*)?(?:{languages.PHOTO_WORDS_RE})\s*(?:\d+(?:\s*[-–]\s*\d+)?\s*)?:"
    r"|^(?:\*\*)?(?:Caption|Подпись) ?:",  # a photo essay's "Caption: Drivers wait at …"
)
# How CAPTION_RE's lines start: others skip the pattern.
_CAPTION_START = frozenset("*PФCП") | {word[0] for word in languages.PHOTO_WORDS}


def is_caption(plain: str) -> bool:
    """CAPTION_RE.match, with a look at the first character first: nearly every line of a
    file fails there, and the classifiers ask about every block."""
    return plain[:1] in _CAPTION_START and CAPTION_RE.match(plain) is not None


# A rule drawn with one character: "---", "___", "***", "* * *", "- - -", "~~~". Each
# repeat takes its character, so the pattern reads a line once.
RULE_RE = re.compile(r"^([-*_~])(?: ?\1){2,}$")
# Footnotes written out: "[1] Repair log, 2023." or "¹ In 2011 ..." starts a note; "gas.[1]"
# or "gas.¹" refers to one (a bracket followed by "(" is a link, "[1]:" a link target).
SUPERSCRIPT_DIGITS = "\u00b9\u00b2\u00b3\u2070\u2074-\u2079"
NOTE_LINE_RE = re.compile(rf"^(?:\[(\d{{1,3}})\]|([{SUPERSCRIPT_DIGITS}]{{1,3}}))\s+\S")
NOTE_REF_RE = re.compile(
    rf"(?<=\S)(?:\[(\d{{1,3}})\](?![(:\[])|([{SUPERSCRIPT_DIGITS}]{{1,3}}))"
)
LIST_ITEM_RE = re.compile(r"^(?:[-*•]\s+|\d+[.)]\s+)")
# Words people really write with a hyphen at a line end; anything else is a line-break split.
KEEP_HYPHEN_PREFIXES = {"self", "non", "ex", "cross", "well", "anti", "semi", "co", "multi"}
FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "as", "that", "which", "between", "into", "its", "their", "our", "this", "these",
    # Russian: a line ending on one of these is a sentence cut by a line break.
    "в", "во", "на", "и", "с", "со", "по", "для", "к", "ко", "от", "о", "об", "из", "у",
    "за", "при", "до", "а", "но", "что", "как", "который", "которые", "их", "его", "её",
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
# Russian and Kyrgyz acronyms kept in capitals when a Cyrillic heading is put in
# sentence case: МОМ (IOM), ООН (UN), НПО (NGO), МВД, ОБСЕ, ЮНИСЕФ ...
RU_ACRONYMS = {
    "МОМ", "ООН", "НПО", "МВД", "ОБСЕ", "ЮНИСЕФ", "ВИЧ", "СПИД", "ЕС", "СНГ", "КР", "РК",
    "РТ", "РУЗ", "МИД", "ГКНБ", "УВКБ", "МОТ", "ЕАЭС", "США", "ОАЭ",
}
# A hint only: the main rule is the blank-line/heading-level one described above.
KNOWN_SECTIONS = {
    "direct assistance", "partnership in action", "homecoming", "orange the world!",
    "advocating for human rights of migrants",
    # Russian and Kyrgyz section names the Central Asian bulletins print.
    "новости", "новости проекта", "события", "анонсы", "объявления", "партнёры", "партнеры",
    "жаңылыктар", "жаңылыктар / новости", "кабарлар",
    # Uzbek, Tajik, Turkmen and Kyrgyz ones: languages.py.
    *languages.SECTION_NAMES,
}
MASTHEAD_WORDS = re.compile(
    r"\b(report|programme|program|bulletin|newsletter|digest|update|review|news"
    r"|бюллетень|бюллетеня|вестник|дайджест|обзор|отч[её]т|газета|информационный"
    r"|бюллетени|маалымат|бюллетені|хабаршысы|жаршысы"
    # Uzbek, Tajik, Turkmen ("axborotnomasi", "ахборотномаи", "habarnama"): languages.py.
    rf"|{languages.MASTHEAD_WORDS_RE})\b", re.I
)
# A banner line made only of such words ("NEWSLETTER", "Информационный бюллетень") says
# what kind of publication it is, not which: it names no series by itself.
GENERIC_PUBLICATION_WORDS = {
    "newsletter", "bulletin", "news", "digest", "update", "information", "the", "monthly",
    "quarterly", "weekly", "информационный", "бюллетень", "вестник", "дайджест", "новости",
    "ежемесячный", "ежеквартальный", "маалымат", "бюллетени", "·", "/", "|", "-", "–", "—",
    # Kazakh: "ақпараттық бюллетені" (information bulletin), "хабаршысы" (herald).
    "ақпараттық", "бюллетені", "хабаршысы", "жаршысы",
    # Uzbek, Tajik, Turkmen: "axborotnomasi", "ахборотномаи", "habarnama" (languages.py).
    *languages.GENERIC_PUBLICATION_WORDS,
}
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def is_cyrillic(text: str) -> bool:
    """Whether most of the letters of ``text`` are Cyrillic (Russian, Kyrgyz, Kazakh)."""
    sample = text[:400]
    return len(_CYRILLIC_RE.findall(sample)) * 2 > len(_LETTER_RE.findall(sample))


def starts_upper(text: str) -> bool:
    """Whether the first letter of ``text`` is a capital, in any script (a regex class
    such as [A-Z] or [А-Я] misses Ё, Ң, Ө, Ү ...; str.isupper does not)."""
    m = _LETTER_RE.search(text[:40])
    return bool(m) and m.group(0).isupper()


_SENTENCE_GAP_RE = re.compile(r"[.!?]\s+(?=\S)")


def next_sentence_start(text: str) -> int | None:
    """Where the second sentence of ``text`` starts: after ". ", "! " or "? " and at a
    capital letter of any script; None when there is no such place. Linear: each gap is
    looked at once."""
    for m in _SENTENCE_GAP_RE.finditer(text):
        if text[m.end()].isupper():
            return m.end()
    return None


def smart_title(text: str) -> str:
    """Title case for text printed all in capitals (or all in lower case); mixed case is
    the author's choice and is kept. Acronyms (IOM, COVID-19, NGOs) stay in capitals.
    Cyrillic text takes sentence case, as Russian and Kyrgyz titles are written
    ("НОВОСТИ ПРОЕКТА" -> "Новости проекта"); each half of a bilingual "КЫРГЫЗЧА /
    ПО-РУССКИ" heading starts with a capital, and in an "ENGLISH / РУССКИЙ" one each half
    takes its own language's case ("Caspian Crossings / Каспийские переходы")."""
    # Mixed case (any script) is the author's: upper() and lower() both change it.
    if text.upper() != text and text.lower() != text:
        return text
    if " / " in text and not text.isascii():
        return " / ".join(
            smart_title(half) if half.isascii() or not is_cyrillic(half) else _sentence_case(half)
            for half in text.split(" / ")
        )
    if not text.isascii() and is_cyrillic(text):  # isascii: a C check, no regex
        return _sentence_case(text)
    if is_uzbek_or_turkmen_latin(text):
        return _sentence_case(text)  # "ÝAŞLAR ÜÇIN HABARNAMA" -> "Ýaşlar üçin habarnama"
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


# Uzbek and Turkmen Latin write titles in sentence case, as Russian does. A line is
# theirs when it holds a letter only Turkmen uses (Ň, Ý), an Uzbek "ʻ", a g‘ (G and an
# apostrophe, then a letter), an o‘ inside a word ("BO‘YICHA"; "O'BRIEN" starts one), or
# one of their bulletin or section words (languages.UZ_TM_LATIN_WORDS: "AXBOROTNOMASI").
_UZ_TM_LATIN_RE = re.compile(
    rf"[ŇÝňýʻ]|[Gg]{languages.APOSTROPHE_CLASS}(?=[^\W\d_])"
    rf"|(?<=[^\W\d_])[Oo]{languages.APOSTROPHE_CLASS}(?=[^\W\d_])"
)


def is_uzbek_or_turkmen_latin(text: str) -> bool:
    """Whether ``text`` reads as Uzbek or Turkmen in Latin letters (see above)."""
    if not (text.isascii() and "'" not in text and "`" not in text) and (
        _UZ_TM_LATIN_RE.search(text) is not None
    ):
        return True
    return not languages.UZ_TM_LATIN_WORDS.isdisjoint(text.lower().split())


def _sentence_case(text: str) -> str:
    out = []
    for word in text.split():
        core = re.sub(r"[^\w]", "", word).upper()
        if core in RU_ACRONYMS or core in ACRONYMS or core in languages.ACRONYMS:
            out.append(word.upper())
        elif out and country_code(word.strip(",.:;!?«»\"“”()")):
            # A country keeps its capital in every language: "Новости Казахстана".
            low = word.lower()
            idx = next((k for k, ch in enumerate(low) if ch.isalpha()), 0)
            out.append(low[:idx] + low[idx:idx + 1].upper() + low[idx + 1:])
        elif not out:
            low = word.lower()
            idx = next((k for k, ch in enumerate(low) if ch.isalpha()), None)
            out.append(low if idx is None else low[:idx] + low[idx].upper() + low[idx + 1:])
        else:
            out.append(word.lower())
    return " ".join(out)


LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
EMPHASIS_RE = re.compile(r"\*{1,3}|(?<!\w)_{1,2}|_{1,2}(?!\w)")


_MARKUP_CHAR = re.compile(r"[\[*_<]").search
# Any ASCII punctuation may be escaped (CommonMark 2.4).
MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Escaped markup characters are kept out of _plain's way in the private-use area.
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate("*_[]()<`")}
_SHOW = str.maketrans({v: k for k, v in _HIDE.items()})


def plain_unescaped(text: str) -> str:
    """_plain, with Markdown escapes honoured: "Women\\-led \\*groups\\*" -> "Women-led
    *groups*" (the escaped stars are text, not emphasis)."""
    if "\\" not in text:
        return _plain(text)
    hidden = MD_ESCAPE_RE.sub(lambda m: _HIDE.get(m.group(1), m.group(1)), text)
    return _plain(hidden).translate(_SHOW)


# Cached: the classifiers ask again and again about the same lines of one issue.
@functools.lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """Text without bold/italic markers and link syntax, for pattern matching only."""
    if not _MARKUP_CHAR(text):
        return text.strip()
    text = MAILTO_LINK_RE.sub(r"\1", text)
    text = LINK_RE.sub(r"\1", text)
    text = SUP_REF_RE.sub("", text)
    text = SUP_RE.sub("", text)
    return EMPHASIS_RE.sub("", text).strip()


def _to_int(number: str) -> int:
    return int(re.sub(r"[,\s]", "", number))



# "1,250 returning workers counselled", "37% of calls came from women", "12.5% ...",
# "140 консультаций": the number, its "%" if any, a label of letters in any script.
# "1 200 мигрантов": a space (a no-break or thin space before normalise) parts thousands
# too; at the start of a line that is only "N label" it cannot be two numbers.
FIGURE_LINE_RE = re.compile(
    rf"^((?:\d{{1,3}}(?: \d{{3}})+|{NUM})(?:\.\d{{1,4}})?)( ?%)?"
    rf"\s+([^\W\d_](?:[^\W\d_]|['’ \-]){{2,60}})$"
)


def figure_line(line: str) -> re.Match | None:
    """FIGURE_LINE_RE's match, unless its "value" is an outline number over a title: a
    decimal with no "%" before a capitalised word ("1.1 Shelter in Khujand doubles its
    capacity", "2.2 School debates"). A decimal figure says what it counts in a unit or
    scale word ("12.5 tonnes of flour", "1.2 million transfers"), or is a share ("12.5%")."""
    m = FIGURE_LINE_RE.match(line)
    if m and "." in m.group(1) and not m.group(2) and m.group(3)[:1].isupper():
        return None
    return m


def _is_capital(text: str) -> bool:
    # Judged on the first 1,000 characters: headings are short, and a long block's case
    # is plain from its start (this keeps a 100 KB block from costing a loop per letter).
    sample = _plain(text[:1000])
    if sample.islower():  # no capital at all (a C method): most lines of any file
        return False
    letters = sum(map(str.isalpha, sample))  # map over C methods: no Python loop per letter
    return letters >= 3 and sum(map(str.isupper, sample)) / letters >= 0.9


_SENTENCE_END_RE = re.compile(r"[.!?:;][\"”’»)\]*]*$")
# The most words a heading line may have and still be a story's title (shapes, outline,
# and the confidence score's look for titles left in a body).
TITLE_MAX_WORDS = 12


def _ends_sentence(text: str) -> bool:
    if text[-1:].isalnum():
        # No markup _plain removes ends in a letter or digit, so its result ends in the
        # same one: no sentence end. Most lines, and no cache look-up for them.
        return False
    return bool(_SENTENCE_END_RE.search(_plain(text)))


def _shorten(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------- tables of figures
# A figure value as newsletters/figures.py's parse_figure reads it ("10,000", "1 340",
# "12.5", "61%", "57 %"), with an optional unit word ("10,000 calls"). Written out here
# because the parser imports nothing from Django; tests/newsletters/importing/
# test_tables_figures.py checks that both read the same values alike.
FIGURE_VALUE_RE = re.compile(
    r"^(?P<n>[+-]?(?:\d{1,3}(?:[,\u00a0\u202f' ]\d{3})+|\d{1,20})(?:\.\d{1,10})?)"
    r"\s?(?P<u>%|[^\W\d_]{1,20}(?: [^\W\d_]{1,20}){0,2})?$"
)
# "Calls to the helpline ......... 10,000" or "Average wait (days)      2.5": a label, dot
# leaders or a run of two spaces or more, a value. Only lines of at most ALIGNED_MAX_CHARS
# are tried, and the label is at most 100 characters, so a line costs a bounded amount.
ALIGNED_ROW_RE = re.compile(
    r"^(?P<label>\S.{0,99}?)(?: *(?:[.·]{2,}|…{1,3}) *| {2,})(?P<value>[^ .…·].{0,39})$"
)
ALIGNED_MAX_CHARS = 160
# A Markdown (GFM) table's delimiter row: "|---|---:|", ":--- | ---".
TABLE_DELIMITER_RE = re.compile(r"^\|? *:?-{1,}:? *(?:\| *:?-{1,}:? *)*\|?$")


def parse_figure_value(text: str):
    """"10,000" -> (Decimal 10000, ""), "61%" -> (61, "%"), "1 340" -> (1340, ""),
    "12 calls" -> (12, "calls"); None when ``text`` is no figure."""
    from decimal import Decimal

    m = FIGURE_VALUE_RE.match(text.strip())
    unit = m.group("u") if m else None
    if not m or unit and unit != "%" and not unit[:1].islower():
        return None  # "5 April" is a date; a unit is written in lower case ("12 calls")
    number = Decimal(re.sub(r"[,\u00a0\u202f' ]", "", m.group("n")))
    return number, m.group("u") or ""


def aligned_row(line: str) -> tuple[str, str] | None:
    """(label, value text) of an aligned table row whose value is a figure, else None."""
    if len(line) > ALIGNED_MAX_CHARS or not ("  " in line or ".." in line or "…" in line):
        return None
    m = ALIGNED_ROW_RE.match(line.strip())
    if not m or parse_figure_value(m.group("value")) is None:
        return None
    return m.group("label").strip(), m.group("value").strip()


def is_pipe_table(lines: list[str]) -> bool:
    """A Markdown (GFM) pipe table: a header row, then a delimiter row with a pipe
    ("Indicator | Value" over "--- | ---"); the rows need no leading pipe."""
    if len(lines) < 2 or "|" not in lines[0] or "|" not in lines[1] or "-" not in lines[1]:
        return False
    return bool(TABLE_DELIMITER_RE.match(lines[1].strip()))


def is_table_row(line: str) -> bool:
    """A Markdown table row: it starts with "|" (a line of a pipe table keeps its line)."""
    return line.startswith("|") and line.count("|") >= 2


def table_cells(line: str) -> list[str]:
    """The cells of a pipe-table row: "| a | b |" -> ["a", "b"]."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in inner.split("|")]


def spaced_cells(line: str) -> list[str]:
    """The cells of a line aligned by runs of two or more spaces:
    "Kazakhstan    112    140" -> ["Kazakhstan", "112", "140"]. One split: linear."""
    return [cell.strip() for cell in line.strip().split("  ") if cell.strip()]


def is_spaced_table(lines: list[str]) -> bool:
    """A plain-text table: two or more rows, each of three or more cells parted by runs
    of spaces ("Country   Q1 2023   Q2 2023" over "Kazakhstan   112   140"). Joined into
    one line a table is destroyed; two cells a line is not enough (a label and its value,
    or two columns of text side by side, which other rules read)."""
    rows = [line for line in lines if line.strip()]
    return len(rows) >= 2 and all(_spaced_row(row) for row in rows)


def _spaced_row(row: str) -> bool:
    """Three or more cells, and no more than one (a row's label) starting in lower case:
    justified prose from OCR parts every word by two spaces, and its "cells" are the
    words of a sentence ("The  new  clinic  in  the  port")."""
    if "  " not in row.strip():
        return False
    cells = spaced_cells(row)
    return len(cells) >= 3 and sum(1 for cell in cells if cell[:1].islower()) <= 1

"""Shared text helpers of the parser: month names, number and link patterns, title case,
markup-free text for matching."""

from __future__ import annotations

import functools
import re

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



# "1,250 returning workers counselled", "37% of calls came from women", "12.5% ...":
# the number, its "%" if any, the label.
FIGURE_LINE_RE = re.compile(rf"^({NUM}(?:\.\d{{1,4}})?)( ?%)?\s+([A-Za-z][A-Za-z' \-]{{2,60}})$")


def _is_capital(text: str) -> bool:
    # Judged on the first 1,000 characters: headings are short, and a long block's case
    # is plain from its start (this keeps a 100 KB block from costing a loop per letter).
    sample = _plain(text[:1000])
    letters = sum(map(str.isalpha, sample))  # map over C methods: no Python loop per letter
    return letters >= 3 and sum(map(str.isupper, sample)) / letters >= 0.9


_SENTENCE_END_RE = re.compile(r"[.!?:;][\"”’»)\]*]*$")


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END_RE.search(_plain(text)))


def _shorten(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"

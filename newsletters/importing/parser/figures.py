"""Stage 9: key figures from prose, bold number blocks and "N label" lines."""

from __future__ import annotations

import re
from decimal import Decimal

from .classify import Item
from .model import DroppedLine, ParsedKeyFigure
from .text import FIGURE_LINE_RE, NUM, NUM_AT, _ends_sentence, _plain, _shorten, _to_int

COVID_TERMS_RE = re.compile(
    rf"({NUM_AT})\s+(registered cases|confirmed cases|cases|recover(?:ies|ed)|deaths)", re.I
)
ASSISTED_RE = re.compile(rf"\b(?:have|has|had)\s+(?:been\s+)?assisted\s+({NUM})\s+([^.]+)", re.I)
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
            figures.append(_figure_line(m))
        return figures, True
    single_sentence = not re.search(r"[.!?]\s+[A-Z]", plain)
    return figures, bool(figures) and single_sentence and len(plain.split()) <= 30


def _figure_line(m: re.Match) -> ParsedKeyFigure:
    """A figure line's value as newsletters/figures.py reads a printed value: "1,250" ->
    1250, "12.5" -> Decimal("12.5"), "37%" -> 37 with the unit "%" (a share, whatever
    its label counts: "37% of calls to the hotline came from women")."""
    number, percent, raw = m.group(1), m.group(2), m.group(3)
    value: int | Decimal = (
        Decimal(number.replace(",", "").replace(" ", "")) if "." in number else _to_int(number)
    )
    if percent:
        label = raw.strip()
        label = label[3:] if label.lower().startswith("of ") else label
        return ParsedKeyFigure(label[:1].upper() + label[1:], value, "%")
    label, unit = canonical_label(raw)
    return ParsedKeyFigure(label, value, unit)


FIGURES_HEADING_RE = re.compile(
    r"^(?:key |facts and )?(?:figures|numbers)(?: of the (?:month|quarter|year))?$"
    r"|^(?:the )?(?:month|quarter|year) in (?:figures|numbers)$|^in (?:figures|numbers)$",
    re.IGNORECASE,
)


def drop_figure_headings(items: list[Item], dropped: list[DroppedLine] | None) -> list[Item]:
    """A "KEY FIGURES" heading whose figures all went to the key figures holds nothing
    now: it is listed in ``dropped`` as "key figure" rather than left an empty section
    (or a section over the next part's story: figures never title stories)."""
    kept: list[Item] = []
    for k, item in enumerate(items):
        nxt = items[k + 1] if k + 1 < len(items) else None
        if (
            item.kind in ("section", "story") and FIGURES_HEADING_RE.match(item.text.strip())
            and (nxt is None or nxt.kind in ("section", "story"))
        ):
            if dropped is not None:
                dropped.extend(DroppedLine(no, "", "key figure") for no in item.nos)
            continue
        kept.append(item)
    return kept


def extract_key_figures(
    items: list[Item], dropped: list[DroppedLine] | None = None
) -> tuple[list[Item], list[ParsedKeyFigure]]:
    """Collect key figures and drop pure figure blocks (prose figure sentences, "**171,428**"
    + "**Registered**" pairs with their heading line) from the story text; their lines go
    to ``dropped`` as "key figure" (the figure itself is in the result)."""

    def drop(item: Item) -> None:
        if dropped is not None:
            dropped.extend(DroppedLine(no, _shorten(item.text, 200), "key figure")
                           for no in item.nos)

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
            drop(item)
            drop(nxt)
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
            drop(item)
            i += 1
            continue
        found, pure = figures_in_text(item.text)
        figures += found
        if pure:
            drop(item)
        else:
            kept.append(item)
        i += 1
    unique: dict[str, ParsedKeyFigure] = {}
    for f in figures:
        unique.setdefault(f.label, f)
    return drop_figure_headings(kept, dropped), list(unique.values())


def _is_label(text: str) -> bool:
    plain = _plain(text)
    return 1 <= len(plain.split()) <= 6 and not re.search(r"\d", plain) and not _ends_sentence(
        plain
    )

"""Stage 9: key figures from prose, bold number blocks and "N label" lines, and from a
table of label and value (a Markdown pipe table, or rows aligned with dot leaders or
spaces) under a heading that says it holds figures ("Key figures", "In numbers",
"Numbers of the month", "В цифрах", "Ключевые показатели"): the heading and the table's
lines are then dropped as "key figure", and no empty section or story is left behind.

Under such a heading a bulleted list of "N label" lines ("• 2,340 travellers informed",
"- 118 referrals to shelters", "* **1,203** calls") is figures too; elsewhere a "-" or
"•" list is the story's (a "*" list reads as plain figure lines, as before), and so is a
table under any other heading. A pipe table's value column head that names a period
("March 2024", "Q1 2024", "2023") is kept as each figure's note; a generic head ("Value",
"Number") is no note."""

from __future__ import annotations

import re
from decimal import Decimal

from .classify import Item
from .dates import find_date
from .model import DroppedLine, ParsedKeyFigure
from .text import (
    MONTHS,
    NUM,
    NUM_AT,
    TABLE_DELIMITER_RE,
    _ends_sentence,
    _plain,
    _shorten,
    _to_int,
    aligned_row,
    figure_line,
    is_pipe_table,
    is_table_row,
    next_sentence_start,
    parse_figure_value,
    table_cells,
)

COVID_TERMS_RE = re.compile(
    rf"({NUM_AT})\s+(registered cases|confirmed cases|cases|recover(?:ies|ed)|deaths)", re.I
)
ASSISTED_RE = re.compile(rf"\b(?:have|has|had)\s+(?:been\s+)?assisted\s+({NUM})\s+([^.]+)", re.I)
NUMBER_ONLY_RE = re.compile(rf"^({NUM})$")

# Headings under which a table of label and value is the key figures (compared
# case-folded; a bilingual "КЫРГЫЗЧА / РУССКИЙ" heading counts when either half does).
KEY_FIGURE_HEADINGS = {
    "key figures", "in numbers", "figures", "facts and figures", "the numbers", "by the numbers",
    "numbers", "key facts and figures", "statistics", "in figures",
    "в цифрах", "ключевые показатели", "основные показатели", "цифры", "цифры и факты",
    "показатели", "статистика", "итоги в цифрах",
    "негизги көрсөткүчтөр", "сандар менен", "көрсөткүчтөр",
}


# The same headings with the period they cover: "Numbers of the month", "Figures for
# March", "Key figures 2023", "The quarter in numbers", "2023 in figures", "Цифры месяца",
# "Месяц в цифрах". Compared with fullmatch on a folded heading of at most 80 characters;
# every piece is a bounded word.
_WORD = r"(?:[^\W\d_]{3,12}|\d{4})"
FIGURE_PERIOD_HEADING_RE = re.compile(
    rf"(?:key |the |our )?(?:numbers|figures|statistics|facts and figures|indicators)"
    rf"(?: (?:of|for|in) (?:the )?{_WORD}(?: \d{{4}})?| \d{{4}})"
    rf"|(?:the |this |our )?{_WORD}(?: \d{{4}})? (?:in|by) (?:the )?(?:numbers|figures)"
    rf"|(?:цифры|показатели|итоги) {_WORD}(?: \d{{4}})?|{_WORD} в цифрах"
)


def is_key_figure_heading(text: str) -> bool:
    """"Key figures", "## In numbers", "Numbers of the month", "В цифрах", "НЕГИЗГИ
    КӨРСӨТКҮЧТӨР / КЛЮЧЕВЫЕ ПОКАЗАТЕЛИ"."""
    if len(text) > 120:
        return False
    folded = " ".join(_plain(text).casefold().strip(" :.").split())
    return len(folded) <= 80 and any(
        half in KEY_FIGURE_HEADINGS or FIGURE_PERIOD_HEADING_RE.fullmatch(half) is not None
        for half in (h.strip(" :.") for h in folded.split(" / "))
    )


_BULLET_RE = re.compile(r"^[-*•]\s+")


def period_note(head: str) -> str:
    """A value column's head when it names a period ("March 2024", "Q1 2024", "2023",
    "March"), else "" ("Value", "Number", "Total")."""
    plain = " ".join(_plain(head).split())
    if len(plain) > 40:
        return ""
    if find_date(plain) or re.fullmatch(r"(?:19|20)\d{2}(?:[-–/]\d{2,4})?", plain):
        return plain
    return plain if plain.casefold() in MONTHS else ""


def bullet_figures(text: str) -> list[ParsedKeyFigure] | None:
    """The figures of a paragraph that is a bulleted list of "N label" lines, every line
    of it ("• 2,340 travellers informed at crossings", "- **118** referrals"); None
    otherwise."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines or len(lines) > 200:
        return None
    figures = []
    for line in lines:
        bullet = _BULLET_RE.match(line)
        m = figure_line(_plain(line[bullet.end():])) if bullet else None
        if m is None:
            return None
        figures.append(_figure_line(m))
    return figures


def table_figures(text: str) -> list[ParsedKeyFigure] | None:
    """The figures of a paragraph that is a table of label and value, every row of it:
    a pipe table (its header and delimiter rows are skipped; a row's label is its first
    cell, its value the last of two) or aligned rows. None when it is not such a table."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        return None
    figures: list[ParsedKeyFigure] = []
    if is_pipe_table(lines) or all(is_table_row(ln) for ln in lines):
        if len(lines) < 3 or not TABLE_DELIMITER_RE.match(lines[1]):
            return None
        head = table_cells(lines[0])
        note = period_note(head[1]) if len(head) == 2 else ""
        rows = lines[2:]
        for row in rows:
            cells = table_cells(row)
            value = parse_figure_value(cells[1]) if len(cells) == 2 and cells[0] else None
            if value is None:
                return None
            figures.append(_figure(cells[0], value, note))
        return figures
    for line in lines:
        row = aligned_row(line)
        value = parse_figure_value(row[1]) if row else None
        if value is None or row is None:
            return None
        figures.append(_figure(row[0], value))
    return figures


def _figure(label: str, value, note: str = "") -> ParsedKeyFigure:
    """A table's figure: the label as printed; the unit is what the value cell prints
    ("%", "calls" or nothing); an integral value is an int, any other an exact Decimal;
    the note the period the value column is headed with."""
    number, unit = value
    label = " ".join(_plain(label).strip(" .:*").split())
    exact = int(number) if number == number.to_integral_value() else number
    return ParsedKeyFigure(label, exact, unit, note)


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
    return label, _unit_of(low)


# Word stems that make a counted label a count of people ("Drivers trained", "Мигрантов
# получили помощь", "Учеников на занятиях"). A label that counts anything else ("Школ",
# "Referrals to shelters") gets no unit rather than a wrong one: the public page would
# print "37 people" beside "Schools".
PEOPLE_STEMS = (
    "people", "person", "migrant", "worker", "victim", "survivor", "patient", "driver",
    "passenger", "student", "pupil", "child", "women", "woman", "men ", "girl", "boy",
    "youth", "young ", "participant", "trainee", "officer", "guard", "official", "staff",
    "teacher", "journalist", "returnee", "resident", "refugee", "citizen", "volunteer",
    "nurse", "doctor", "lawyer", "inspector", "beneficiar", "applicant", "job seeker",
    "traveller", "traveler", "visitor", "listener", "viewer", "reader", "member",
    "client", "parent", "mother", "father", "farmer", "employee", "labourer", "laborer",
    "seafarer", "crew", "guest", "attendee", "individual", "adult", "pensioner",
    "человек", "люд", "мигрант", "пострадавш", "жертв", "учени", "учащ", "студент", "дет",
    "ребен", "женщин", "мужчин", "работник", "водител", "пассажир", "участник",
    "сотрудник", "граждан", "волонт", "беженц", "специалист", "путешеств", "слушател",
    "посетител", "родител", "клиент", "член", "фермер", "пенсионер",
)


def _unit_of(low: str) -> str:
    """The unit a counted label implies (``low``: the label in lower case): calls, cases,
    consultations, people, or "" when it counts something else."""
    if "call" in low or "звон" in low:
        return "calls"
    if "consultation" in low or "консультац" in low:
        return "consultations"
    if "case" in low or "случа" in low:
        return "cases"
    padded = low + " "
    return "people" if any(stem in padded for stem in PEOPLE_STEMS) else ""


_HAS_DIGIT = re.compile(r"\d").search


def figures_in_text(text: str) -> tuple[list[ParsedKeyFigure], bool]:
    """Key figures stated in one paragraph, and whether the paragraph says nothing else
    (a short single sentence), in which case it is a figure block, not story text."""
    if not _HAS_DIGIT(text):
        return [], False  # every pattern below reads a number: most paragraphs skip them
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
    if not figures and lines and all(figure_line(ln) for ln in lines):
        for ln in lines:
            m = figure_line(ln)
            assert m is not None
            figures.append(_figure_line(m))
        return figures, True
    single_sentence = next_sentence_start(plain) is None
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


def extract_key_figures(
    items: list[Item], dropped: list[DroppedLine] | None = None
) -> tuple[list[Item], list[ParsedKeyFigure]]:
    """Collect key figures and drop pure figure blocks (prose figure sentences, "**171,428**"
    + "**Registered**" pairs with their heading line) from the story text; their lines go
    to ``dropped`` as "key figure" (the figure itself is in the result).

    Under a key-figure heading ("In numbers", "В цифрах") a table of label and value is
    figures too. Such a heading left with nothing under it once its figures are taken
    goes as well (as "key figure"): it would be an empty section or story. A section
    heading with stories under it stays."""
    drops = [0]

    def drop(item: Item) -> None:
        drops[0] += 1
        if dropped is not None:
            # Shortened once per item, not once per line: a table of 10,000 rows is one
            # item of 10,000 lines, and re-reading its text for each line was quadratic.
            # (parse() puts each line's own input text in afterwards.)
            short = _shorten(item.text[:400], 200)
            # Each line once: an HTML table's header and delimiter rows share a line.
            dropped.extend(
                DroppedLine(no, short, "key figure") for no in dict.fromkeys(item.nos)
            )

    figures: list[ParsedKeyFigure] = []
    kept: list[Item] = []
    covid_context = False
    heading_at: int | None = None  # where in ``kept`` the key-figure heading being read is
    drops_before = 0  # drops[0] when that heading was met

    def close(nxt: Item | None) -> None:
        """The key-figure heading's part ends before ``nxt``: drop the heading if its
        figures were taken and nothing else is under it."""
        nonlocal heading_at
        if heading_at is not None and drops[0] > drops_before and heading_at == len(kept) - 1:
            heading = kept[heading_at]
            if not (heading.kind == "section" and nxt is not None
                    and nxt.kind in ("story", "country")):
                kept.pop()
                drop(heading)
        heading_at = None

    i = 0
    while i < len(items):
        item = items[i]
        if item.kind in ("section", "story", "country"):
            close(item)
            kept.append(item)
            if item.kind != "country" and is_key_figure_heading(item.text):
                heading_at, drops_before = len(kept) - 1, drops[0]
            i += 1
            continue
        if item.kind != "para":
            kept.append(item)
            i += 1
            continue
        if heading_at is not None:
            table = table_figures(item.text) or bullet_figures(item.text)
            if table:
                figures.extend(table)
                drop(item)
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
    close(None)
    unique: dict[str, ParsedKeyFigure] = {}
    for f in figures:
        unique.setdefault(f.label, f)
    return kept, list(unique.values())


def _is_label(text: str) -> bool:
    plain = _plain(text)
    return 1 <= len(plain.split()) <= 6 and not re.search(r"\d", plain) and not _ends_sentence(
        plain
    )

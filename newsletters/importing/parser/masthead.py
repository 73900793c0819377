"""The masthead at the top of an issue: the banner lines that print the series, the issue
number and the date ("THE COURIER · Vol. 2, No. 3 · March 2022"), read by ``read_masthead``;
and a banner heading that names the series alone (``extract_masthead``)."""

from __future__ import annotations

import re

from .blocks import Block, drop_block
from .dates import NUMBER_RE, find_number, find_volume, when_label
from .listings import country_heading
from .metadata import Metadata, is_single_top_heading
from .model import DroppedLine
from .numbering import date_start, day_span, masthead_date
from .text import (
    GENERIC_PUBLICATION_WORDS,
    KNOWN_SECTIONS,
    MASTHEAD_WORDS,
    _ends_sentence,
    _is_capital,
    _plain,
    smart_title,
)


def extract_masthead(
    blocks: list[Block], dropped: list[DroppedLine] | None = None, below_masthead: bool = False
) -> tuple[list[Block], str | None]:
    """A banner heading at the very top ("## IOM COUNTER-TRAFFICKING PROGRAMME IN CENTRAL
    ASIA") names the series when no running header does. It counts as a masthead when it
    says what kind of publication it is, when a deeper heading follows at once, or when it
    is a Markdown file's single top heading (no other heading as shallow: the title). A
    country is never the series; nor, ``below_masthead`` (read_masthead took the lines
    above it: "# DIGEST, 15/03/2022"), is a heading of generic section words ("## NEWS",
    "Events", "Новости"): that is the first section. (At the very top, "NEWS" over
    "ISSUE 5, 14/03/2022" is the masthead.)"""
    if not blocks:
        return blocks, None
    first = blocks[0]
    is_heading = first.md_level is not None or (
        len(first.lines) == 1 and _is_capital(first.text) and first.blank_after >= 1
    )
    text = first.heading_text
    if not is_heading or country_heading(text) or (below_masthead and is_section_word(text)):
        return blocks, None
    deeper_next = (
        len(blocks) > 1
        and first.md_level is not None
        and blocks[1].md_level is not None
        and blocks[1].md_level > first.md_level
    )
    if MASTHEAD_WORDS.search(text) or deeper_next or is_single_top_heading(blocks):
        drop_block(dropped, first, "masthead")
        return blocks[1:], smart_title(text)
    return blocks, None


# Headings that name a kind of content, never a publication: under a masthead ("# DIGEST,
# 15/03/2022" then "## NEWS") they are the first section. Compared whole, casefolded.
SECTION_WORDS = KNOWN_SECTIONS | {
    "news", "latest news", "news in brief", "in brief", "briefly", "briefs", "updates",
    "update", "latest updates", "events", "upcoming events", "news and events",
    "news & events", "announcements", "highlights", "agenda", "calendar", "stories",
    "features", "editorial", "feature", "in focus", "spotlight",
    "кратко", "коротко", "новости и события", "анонс", "календарь",
}


def is_section_word(text: str) -> bool:
    """"NEWS", "In brief:", "Новости": a generic section heading (SECTION_WORDS)."""
    return " ".join(_plain(text).casefold().strip(" .:!").split()) in SECTION_WORDS


# "май 2019 г.", "2019 года": the Russian year abbreviation ends a date, not a sentence.
_YEAR_ABBR_END_RE = re.compile(r"\d{4}\s?(?:г|гг)\.$")


def _is_banner_line(line: str) -> bool:
    """Short and not a sentence: a masthead line, never story text."""
    plain = _plain(line)
    if _YEAR_ABBR_END_RE.search(plain):
        plain = plain[:-1]
    return len(plain) <= 100 and not (len(plain.split()) >= 8 and _ends_sentence(plain))


def _is_generic(line: str) -> bool:
    """"NEWSLETTER", "Информационный бюллетень": the kind of publication, not its name."""
    words = _plain(line).lower().replace("·", " ").split()
    return bool(words) and all(w.strip(".,:") in GENERIC_PUBLICATION_WORDS for w in words)


# A press release's release line ("FOR IMMEDIATE RELEASE", "Press release", "Пресс-релиз"):
# masthead, but it says how the text may be used, never what the publication is called.
RELEASE_MARKERS = {
    "for immediate release", "immediate release", "press release", "news release",
    "media release", "for release", "пресс-релиз", "пресс релиз",
    "для немедленного распространения",
}


def is_release_marker(line: str) -> bool:
    return " ".join(_plain(line).casefold().strip(" .:!*#_-–—").split()) in RELEASE_MARKERS


def read_masthead(blocks: list[Block], dropped: list[DroppedLine] | None = None
                  ) -> tuple[list[Block], Metadata]:
    """A masthead at the top: up to four leading blocks of short lines, before any
    sentence, that print an issue number or a date ("Vol. I - No. 6 · March 2022",
    "Newsletter 7", "April - June 2014"). Such a block is the masthead, all of it: its
    lines go to ``dropped`` as "masthead"; its first line without a number or date names
    the series, unless that is an organisation over a publication's name printed with the
    number ("Migration Bulletin · Issue 12"). A one-line tagline right under it, over a
    heading, is masthead too. Nothing is read below the first sentence, so a date in a
    story never becomes the issue's date."""
    meta = Metadata()
    title_block: int | None = None
    consumed: list[int] = []
    generic: str | None = None  # "Информационный бюллетень": the series only if nothing else
    for k, block in enumerate(blocks[:4]):
        if len(block.lines) > 8 or not all(_is_banner_line(line) for line in block.lines):
            break
        numbers = [find_number(_plain(line)) for line in block.lines]
        dates = [masthead_date(_plain(line)) for line in block.lines]
        if all(n is None for n in numbers) and not any(dates):
            if k == 0 and len(block.lines) == 1 and is_release_marker(block.lines[0]):
                consumed.append(k)  # "FOR IMMEDIATE RELEASE" over the organisation's name
                continue
            if k == 0 and len(block.lines) == 1:
                title_block = k  # "# The Courier" above "Vol. 2, No. 3"
                continue
            break
        for line, number, when in zip(block.lines, numbers, dates, strict=True):
            if number is not None and meta.number is None:
                meta.number = number
            if meta.volume is None:
                meta.volume = find_volume(_plain(line))
            if when and meta.date is None:
                meta.date, meta.precision = when
                span = day_span(_plain(line))
                if span is not None:
                    meta.date, meta.precision = span[0], "day"
                    meta.warnings.append(
                        f"the masthead prints the span '{span[1]}': the issue is dated by its "
                        f"first day, {when_label(span[0], 'day')}"
                    )
            if (
                number is None and not when and meta.series is None and _is_title_case(line)
                and not EMAIL_HEADER_RE.match(line) and not is_release_marker(line)
            ):
                if _is_generic(line):
                    generic = generic or _series_name(line)
                else:
                    meta.series = _series_name(line)
        if title_block is not None:
            meta.series = _series_name(blocks[title_block].heading_text) or meta.series
            consumed.append(title_block)
            title_block = None
        # The name printed before the number: "THE COURIER, Vol. 2, No. 3", or under a
        # generic banner "Проект «Безопасная дорога» № 5, май 2019 г."; a saved e-mail's
        # "From:" and "Date:" lines aside ("Subject: Bridges Newsletter - No. 31").
        first = next((n for n, (line, num, when)
                      in enumerate(zip(block.lines, numbers, dates, strict=True))
                      if (num is not None or when) and not EMAIL_HEADER_RE.match(line)),
                     None)
        if first is not None and meta.series is None and (
            first == 0 or generic or EMAIL_HEADER_RE.match(block.lines[0])
        ):
            meta.series = _series_name(block.lines[first], strip_identity=True)
        elif first is not None and meta.series:
            # "SILK ROAD MIGRANT SUPPORT NETWORK" over "Migration Bulletin · Issue 12": the
            # line above names the organisation; the publication is the one numbered.
            named = _series_name(block.lines[first], strip_identity=True)
            if named and MASTHEAD_WORDS.search(named) and not _is_generic(named):
                if not MASTHEAD_WORDS.search(meta.series):
                    meta.series = named
                elif named.casefold() != meta.series.casefold():
                    # Two publications named ("HARBOUR HEALTH NEWS" over "Clinic Bulletin
                    # · No. 7"): no rule tells which is the series; say so.
                    meta.warnings.append(
                        f"the masthead names two publications, '{meta.series}' and "
                        f"'{named}': '{meta.series}' was taken as the series; check it"
                    )
        consumed.append(k)
    meta.series = meta.series or generic
    after = max(consumed) + 1 if consumed else 0
    if consumed and after < len(blocks) and _is_tagline(blocks[after], blocks[after + 1:]):
        consumed.append(after)
    for k in consumed:
        drop_block(dropped, blocks[k], "masthead")
    return [b for k, b in enumerate(blocks) if k not in consumed], meta


def _is_tagline(block: Block, rest: list[Block]) -> bool:
    """"News from our field offices in Central Asia" under the masthead: one short line in
    mixed case, no sentence, no number or date, with a heading right after it (over text
    it would be a story's title; in capitals, a section's)."""
    if len(block.lines) != 1 or block.md_level is not None or not rest:
        return False
    plain = block.plain.strip()
    if (
        not plain or len(plain.split()) > 12 or _ends_sentence(plain) or _is_capital(plain)
        or find_number(plain) is not None or masthead_date(plain)
        or country_heading(plain) or is_section_word(plain)
    ):
        return False
    after = rest[0]
    return after.md_level is not None or (len(after.lines) == 1 and _is_capital(after.text))


def _is_title_case(line: str) -> bool:
    words = [w for w in _plain(line).split() if w[:1].isalpha()]
    return bool(words) and sum(w[:1].isupper() for w in words) >= max(1, len(words) - 2)


# An issue sent as an e-mail and saved with its subject line: "Subject: Bridges Newsletter".
EMAIL_SUBJECT_RE = re.compile(r"^(?:(?:subject|fwd?|re)\s*:\s*)+", re.IGNORECASE)
# The other header lines of a saved e-mail name a sender or a time, never the series.
EMAIL_HEADER_RE = re.compile(r"^(?:from|to|cc|bcc|sent|date|reply-to)\s*:", re.IGNORECASE)


def _series_name(line: str, strip_identity: bool = False) -> str | None:
    """The series from a banner line, without the number and date printed beside it
    ("THE COURIER, Vol. 2, No. 3" -> "The Courier" with ``strip_identity``)."""
    text = EMAIL_SUBJECT_RE.sub("", _plain(line).strip(" #*_"))
    if strip_identity:
        m = re.search(
            r"[,\-–—|·•]?\s*(?:\bvol|\bissue|\bno\b|\bnumber|№|#|\bвып|\bтом\b)", text, re.I
        )
        # Else the name ends where the number ("Newsletter 8": no name) or the date starts
        # ("NORTHWIND DIGEST, 15/03/2022"); a line that starts with either names nothing.
        if not m:
            m = NUMBER_RE.search(text)
        text = text[: m.start() if m else date_start(text)]
        if not re.search(r"[^\W\d_]{3}", text) or not _is_title_case(text):
            return None
        # "Проект «Безопасная дорога»", "Project “Safe Road”": the project's name is the series.
        named = PROJECT_NAME_RE.match(text.strip(" ,.:;-–—|·•"))
        if named:
            return named.group(1).strip()
    text = re.split(r"\s[-–—|·•]\s|\s{2,}", text)[0].strip(" ,.:;-–—|·•")
    quoted = QUOTED_NAME_RE.search(text)
    if quoted and _is_generic(text[: quoted.start()] + " " + text[quoted.end():]):
        # "«ҚАУІПСІЗ ЖОЛ» АҚПАРАТТЫҚ БЮЛЛЕТЕНІ": the words around the name only say it is
        # a bulletin; the name in quotes is the series.
        text = quoted.group(1).strip()
    return smart_title(text) if text and len(text) <= 80 else None


QUOTED_NAME_RE = re.compile(r"[«\"“„]([^«»\"“”„]{2,80})[»\"”“]")


PROJECT_NAME_RE = re.compile(
    r"^(?:проект|программа|project|programme|program)\s+[«\"“„]([^«»\"“”„]{2,80})[»\"”“]$", re.I
)

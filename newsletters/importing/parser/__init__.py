"""Turn the text of one newsletter issue (converted from PDF) into plain dataclasses.

A package with one module per pipeline stage; this module runs them in order and
re-exports the names the loader, the exporter and the tests use (``parser.parse``,
``parser.ParsedIssue``, ``parser.smart_title`` ...).

Pure Python on purpose: no Django, no database, so every step can be tried on a
three-line string. ``parse`` is a small pipeline (module in brackets):

    read_front_matter      YAML title/series/number/date at the top            (metadata)
                           an issue export's body is read as written instead  (exported)
    normalise              line endings, odd spaces, ligatures, BOM            (normalise)
    read_html              HTML pasted as text -> Markdown, tag-only lines dropped (html)
    strip_forward          a forward's "> " quote marks, its cover note and headers (forwarded)
    strip_running_headers  "SERIES, ISSUE 6, 02/10/2020" -> series, number, date (headers)
    strip_repeated_headers other page headers, page numbers                    (headers)
    split_columns          two columns side by side (pdftotext -layout): left, then right
                                                                              (columns)
    split_blocks           lines -> blocks; conversions without blank lines re-cut (blocks)
    read_masthead, extract_masthead  banner, Vol./No., dates; the series       (masthead)
    extract_directory      contact block, hotline sentence, staff list, hotline table,
                           the part under a "Contacts"/"Directory" heading  (directory, contacts)
    reshape                e-mail footer and greeting, numbered and glued titles,
                           outline numbering ("1.", "1.1"), "Section 2:"/"Box 1:",
                           bilingual titles, region sub-headings, caption lines,
                           ALL-CAPS sections                     (shapes, outline, bilingual)
    drop_boilerplate       "FOLLOW US", contents lists, colophon; footnotes
                           out of the flow                                    (boilerplate)
    classify_blocks        sections, stories, country headings, captions, jumps (classify)
    join_paragraphs        paragraphs cut by page breaks, words cut by line-end hyphens
    extract_key_figures    prose, bold blocks and "N label" lines -> key figures (figures)
    apply_layout           the user's "one-story" or "sections" choice        (structure)
    place_notes            each footnote at the end of the story citing it    (notes)
    build_sections         sections -> stories, images, continued jumps joined,
                           rules between stories dropped                      (sections)
    cap_body               a body over 50,000 characters cut at a paragraph end (bodylimit)
    account_lines          any input line found nowhere -> dropped "not placed"  (account)
    score                  confidence 0..1 and its reasons                    (confidence)

Every input line ends up in the result or in ``ParsedIssue.dropped`` with a reason;
every stage runs in linear time (see tests/newsletters/importing/test_parser_linear.py).

Two conversion styles exist. "Markdown" files have ``#`` headings; there only ``#`` lines
are headings, a single top heading is the title, the shallowest level of the others holds
sections, and bare country headings tag the stories under them. In "plain" files headings
are bare lines; a short one (<= 6 words) followed by two or more blank lines is a section,
any other heading (long, multi-line, or followed by one blank line) is a story title.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterator

from .account import NOT_PLACED, account_lines, not_placed_warning
from .blocks import Block, join_lines, split_blocks
from .boilerplate import drop_boilerplate
from .classify import Item, classify_blocks, join_paragraphs, split_country_heading
from .columns import split_columns
from .confidence import score
from .dates import find_date, find_number, volume_key, when_label
from .directory import (
    extract_directory,
    parse_hotline_sentence,
    parse_hotline_table,
    parse_staff_list,
)
from .exported import countries_comment, read_export
from .figures import canonical_label, extract_key_figures, figures_in_text
from .forwarded import strip_forward
from .headers import RUNNING_HEADER_RE, HeaderInfo, strip_repeated_headers, strip_running_headers
from .html import looks_like_html, read_html
from .masthead import extract_masthead, read_masthead
from .metadata import (
    EXPORT_FORMAT,
    Metadata,
    apply_front_matter,
    drop_title_heading,
    from_filename,
    from_header_line,
    read_front_matter,
)
from .model import (
    CONFIDENCE_THRESHOLD,
    LAYOUTS,
    DroppedLine,
    ParsedDirectory,
    ParsedHotline,
    ParsedImage,
    ParsedIssue,
    ParsedKeyFigure,
    ParsedOffice,
    ParsedPerson,
    ParsedPhoto,
    ParsedSection,
    ParsedStory,
    ParseError,
)
from .normalise import normalise
from .notes import place_notes
from .sections import _mission_countries, build_sections, clean_inline
from .shapes import contacts_left_in_text, reshape
from .structure import apply_layout
from .text import CAPTION_RE, EMAIL_RE, _plain, smart_title
from .titles import make_title

__all__ = [
    "find_date",
    "find_number",
    "when_label",
    "Metadata",
    "read_front_matter",
    "read_masthead",
    "from_filename",
    "strip_repeated_headers",
    "apply_layout",
    "score",
    "Block",
    "build_sections",
    "canonical_label",
    "CAPTION_RE",
    "classify_blocks",
    "clean_inline",
    "CONFIDENCE_THRESHOLD",
    "drop_boilerplate",
    "DroppedLine",
    "EMAIL_RE",
    "extract_directory",
    "extract_key_figures",
    "extract_masthead",
    "figures_in_text",
    "HeaderInfo",
    "Item",
    "join_lines",
    "join_paragraphs",
    "LAYOUTS",
    "NOT_PLACED",
    "make_title",
    "normalise",
    "parse_hotline_sentence",
    "parse_hotline_table",
    "parse_staff_list",
    "ParsedDirectory",
    "ParsedHotline",
    "ParsedImage",
    "ParsedIssue",
    "ParsedKeyFigure",
    "ParsedOffice",
    "ParsedPerson",
    "ParsedPhoto",
    "ParsedSection",
    "ParsedStory",
    "ParseError",
    "RUNNING_HEADER_RE",
    "smart_title",
    "split_blocks",
    "split_country_heading",
    "strip_running_headers",
    "_mission_countries",
    "_plain",
    "parse",
]


def parse(
    text: str,
    *,
    series: str | None = None,
    number: int | None = None,
    date: datetime.date | None = None,
    title: str | None = None,
    filename: str | None = None,
    layout: str = "auto",
    volume: str | None = None,
) -> ParsedIssue:
    """Parse the text of one issue. ``series`` is used when the text names none.

    ``volume``, ``number``, ``date`` and ``title`` are explicit overrides (a user's word beats the
    text); then come YAML front matter, the masthead and running headers, and last the
    file name (``bulletin_09_2019-12.md``). ``layout`` is one of LAYOUTS: "one-story" puts
    all the text in one story, "sections" turns section detection off.

    Raises ParseError when nothing identifies the issue (no series, number or date)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    with _no_cyclic_gc():
        return _parse(text, series, number, date, title, filename, layout, volume)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing. A big file makes hundreds of
    thousands of small objects, none in a reference cycle (reference counting frees
    them all), and meanwhile the collector would walk the whole process heap again and
    again: in a Django process that took a 256 KB parse from 0.75 s to 1.3 s."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(
    text: str,
    series: str | None,
    number: int | None,
    date: datetime.date | None,
    title: str | None,
    filename: str | None,
    layout: str,
    volume: str | None = None,
) -> ParsedIssue:
    warnings: list[str] = []
    dropped: list[DroppedLine] = []
    meta = Metadata(number=number, date=date, title=title)
    if volume:  # a user's word, as typed ("IV"): the title prints it so
        meta.volume = (volume, volume)
    # An issue export keeps its text as written (tabs, no-break spaces, line-end spaces
    # included), so its front matter is looked for before any normalising.
    raw = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    given = list(raw)  # as the input has them: a dropped line is listed so (tabs, ligatures)
    if raw[0].rstrip() == "---":
        front = read_front_matter(raw, dropped)
        if front.extra.format == EXPORT_FORMAT:
            issue = _parse_export(raw, front, meta, series, filename, dropped)
            if layout != "auto":
                issue.warnings.append(
                    f"layout '{layout}' not used: an issue export states its sections and "
                    "stories"
                )
            return issue
        dropped.clear()
    source = normalise(text).split("\n")
    lines = list(source)
    nos = list(range(1, len(lines) + 1))

    front = read_front_matter(lines, dropped)
    warnings += front.warnings
    meta.fill(front)
    # What the account and the score read: each input line as the stages see it.
    seen, seen_text = source, text
    if "</" in text and looks_like_html(text):
        lines, seen = read_html(lines, nos, dropped, warnings)
        seen_text = "\n".join(seen)
    lines, forwarded = strip_forward(lines, nos, dropped)
    lines, header = strip_running_headers(lines, nos, dropped)
    warnings += header.warnings
    lines, repeated = strip_repeated_headers(lines, nos, dropped)
    lines = split_columns(lines, nos, warnings)
    printed = Metadata(series=header.series, number=header.number, date=header.date)
    if repeated:
        printed.fill(from_header_line(repeated[0]))
    markup: list[int] = []  # setext underlines: markup of the heading above them
    blocks = split_blocks(lines, nos, markup)
    read_from = len(blocks)
    blocks, mast = read_masthead(blocks, dropped)
    warnings += mast.warnings
    printed.volume = mast.volume or printed.volume  # quoted as the masthead prints it
    printed.fill(mast)
    if printed.series is None and front.series is None and front.title is None:
        blocks, printed.series = extract_masthead(
            blocks, dropped, below_masthead=len(blocks) < read_from
        )
    else:
        blocks = drop_title_heading(blocks, front.title, dropped)
    meta.fill(printed)
    meta.fill(forwarded)  # the forward's subject line, below the newsletter's own masthead
    meta.fill(from_filename(filename))
    meta.fill(Metadata(series=series.strip() if series and series.strip() else None))
    if meta.series is None and meta.number is None and meta.date is None:
        raise ParseError(
            "no recognisable issue: no series, number or date found and no --series given"
        )
    before = blocks
    blocks, directory = extract_directory(blocks, dropped)
    directory_blocks = _blocks_taken(before, blocks)
    blocks = reshape(blocks, dropped)
    footnotes: list[Block] = []
    blocks, notes = drop_boilerplate(blocks, dropped, footnotes)
    warnings += notes
    items = join_paragraphs(classify_blocks(blocks))
    items, figures = extract_key_figures(items, dropped)
    items = apply_layout(items, layout)
    items = place_notes(items, footnotes, dropped, warnings)
    sections = build_sections(items, warnings, dropped, seen)
    if not any(s.stories for s in sections):
        warnings.append("no stories found")
    contacts_left_in_text(sections, warnings)
    for line in dropped:  # the line as the input has it, whatever the stage kept
        line.text = given[line.line - 1].strip()
    dropped.sort(key=lambda d: d.line)
    issue = _issue(meta, front, sections, figures, directory, warnings, dropped)
    stray = [  # one look at the whole text first: most files hold no comment at all
        n for n, line in enumerate(source, 1) if countries_comment(line) is not None
    ] if "<!--" in text else []
    if stray:
        # An export whose "format" line was deleted: say why its countries did not count.
        warnings.append(
            f"'<!-- countries: -->' on line {', '.join(map(str, stray[:5]))}"
            f"{' and more' if len(stray) > 5 else ''}: read only in an issue export (front "
            f"matter 'format: {EXPORT_FORMAT}'); left in the story's text"
        )
    lost = account_lines(issue, seen, markup, directory_blocks)
    if lost:
        for line in lost:
            line.text = given[line.line - 1].strip()
        issue.warnings.append(not_placed_warning(lost))
        issue.dropped = sorted(dropped + lost, key=lambda d: d.line)
    issue.confidence, issue.confidence_reasons = score(issue, seen_text, layout)
    return issue


def _blocks_taken(before: list[Block], after: list[Block]) -> list[list[int]]:
    """The input line numbers of each block a stage took out of the flow of text. The
    stage keeps the order of what it keeps, so one walk along both lists finds them; a
    few blocks it made anew (what is left under a contacts heading) are stepped over.
    A kept block behind more new ones than that counts as taken: its lines are then
    checked against the directory first, never lost from the account."""
    taken: list[list[int]] = []
    k = 0
    for block in before:
        j = k
        while j < len(after) and j < k + 8 and after[j] is not block:
            j += 1
        if j < len(after) and after[j] is block:
            k = j + 1
        else:
            taken.append(block.nos)
    return taken


def _parse_export(
    lines: list[str], front: Metadata, meta: Metadata, series: str | None,
    filename: str | None, dropped: list[DroppedLine],
) -> ParsedIssue:
    """An issue export (exported.py): its front matter and its body as written. Its
    structure is stated, not guessed, so its confidence is 1; its key figures are those
    of the front matter only."""
    warnings = list(front.warnings)
    meta.fill(front)
    meta.fill(from_filename(filename))
    meta.fill(Metadata(series=series.strip() if series and series.strip() else None))
    if meta.series is None and meta.number is None and meta.date is None:
        raise ParseError(
            "no recognisable issue: no series, number or date found and no --series given"
        )
    sections = read_export(lines, warnings)
    if not any(s.stories for s in sections):
        warnings.append("no stories found")
    return _issue(meta, front, sections, [], ParsedDirectory(), warnings, dropped)


def _issue(meta, front, sections, figures, directory, warnings, dropped) -> ParsedIssue:
    """The result from what the stages found; the front matter's other fields last."""
    precision = meta.precision if meta.date else "day"
    issue = ParsedIssue(
        series=meta.series,
        number=meta.number,
        date=meta.date,
        title=meta.title or make_title(
            meta.series, meta.number, meta.date, sections, precision,
            meta.volume[0] if meta.volume else None,
        ),
        sections=sections,
        key_figures=figures,
        directory=directory,
        warnings=warnings,
        date_precision=precision,
        dropped=dropped,
        volume=volume_key(meta.volume[0]) if meta.volume else None,
    )
    apply_front_matter(issue, front.extra)
    return issue

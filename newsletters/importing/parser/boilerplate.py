"""Stage 6: what is not story text (social-media calls, contents lists, page numbers,
footnotes and the markers that refer to them), and at the end of an issue its imprint and
disclaimer ("colophon"), a mailing's "You receive this digest because … Unsubscribe"
line ("e-mail footer") and a mail server's "This e-mail is confidential" notice ("e-mail
disclaimer").

Contact lines the directory stage could not file (no country, or more than one, for an
address or a hotline: directory.UNFILED) stay story text, with a warning naming them."""

from __future__ import annotations

import re

from ..countries import country_code
from .blocks import Block, drop_block
from .directory import UNFILED, contact_pieces
from .model import DroppedLine
from .text import NOTE_LINE_RE, NOTE_REF_RE, RULE_RE, _ends_sentence, _plain, _shorten

FOLLOW_RE = re.compile(r"^\W*follow us\b", re.IGNORECASE)
CLICK_RE = re.compile(
    r"^\W*(?:please\s+)?click on the (?:photo|icon|image|picture|video|banner)", re.IGNORECASE
)
TOC_RE = re.compile(
    r"^\W*(?:in this (?:edition|issue|number)|contents|table of contents|inside this issue"
    r"|содержание|в (?:этом )?(?:номере|выпуске)|мазмуну)\W*$",
    re.IGNORECASE,
)
FOOTNOTE_RE = re.compile(r"^\s*(?:<sup>\s*\d+\s*</sup>|\[\^\d+\]:?)")
# Bare, not bold: "**386**" is a key figure, "3" alone on a line is a page number.
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,3}$", re.IGNORECASE)
# A contents entry: "Title ....... 7", "Title 7", "7 Title", "p. 7 Title", or a short
# list item "- Title" / "- [Title](#title)". Bounded pieces only, so each line costs
# linear time.
TOC_ENTRY_RE = re.compile(
    r"^(?:[-*•]\s+)?(?:\d{1,3}\s+[^\d\s].{0,150}|(?:p\.\s*)?\d{1,3}\s+\S.{0,150}"
    r"|[^.]{2,150}?(?:\s*\.{2,}\s*|\s+|\s*…\s*)\d{1,3})$"
)
TOC_LIST_ITEM_RE = re.compile(r"^[-*•]\s+\S")


def _toc_entry(block: Block) -> bool:
    """Every line of the block is a contents entry: "KAZAKHSTAN: title" (as in the seeds),
    a title with its page number, or a short list item without a full stop."""
    m = re.match(r"^((?:[^\W\d_]|[’' ]){4,30}?)\s*:", _plain(block.lines[0]))
    if m and country_code(m.group(1)):
        return True  # "**Kazakhstan:** Seminar on 1" and the lines it wraps onto
    for line in block.lines:
        plain = _plain(line)
        if len(plain) > 160 or _ends_sentence(plain) and not plain.endswith(".."):
            return False
        if TOC_ENTRY_RE.match(plain) or TOC_LIST_ITEM_RE.match(line) and len(plain.split()) <= 15:
            continue
        return False
    return True


# The imprint at the end of an issue: who publishes, edits, designs and prints it.
COLOPHON_RE = re.compile(
    r"^\W*(?:published by|publisher\b|editor(?:ial board)?\b|edited by|printed (?:by|on|in)"
    r"|design(?:ed)?(?: and layout)?(?: by)?\s*:|layout\s*:|issn\b|©|copyright\b"
    r"|the views expressed|photos?: all rights|disclaimer\b"
    # Russian imprints: founder, (chief) editor, print run, "printed in", "views expressed".
    r"|учредитель\b|издатель\b|(?:главный\s+)?редактор\b|редакция\b|тираж\b|отпечатано\b"
    r"|мнения,?\s+выраженные|отказ от ответственности)",
    re.IGNORECASE,
)


# A mailing's footer line: why the reader gets it, how to stop it. Without the "--" rule
# shapes.py looks for, so only a short block among the last three, which says so in
# these words ("asked how to unsubscribe from the alerts" in a story says neither).
EMAIL_FOOTER_RE = re.compile(
    r"\byou(?:'re| are| have been)? (?:receiv\w{0,6}|sent|subscribed to) this\b"
    r"|\byou (?:can |may )?(?:unsubscribe|opt out) (?:at any time|here)\b"
    r"|^\W*(?:to )?unsubscribe\b|\bto stop receiving\b|\bmanage your subscription\b",
    re.IGNORECASE,
)
# A mail server's confidentiality notice under a forwarded or mailed issue ("This e-mail
# and any attachments are confidential. If you received it by mistake, please delete
# it."): only a short block among the last three, which says so in these words.
DISCLAIMER_RE = re.compile(
    r"\b(?:this|the) (?:e-?mail|message|communication)(?: and any (?:attachments?|files?))?"
    r" (?:is|are|may be|contains?|may contain) (?:strictly |legally )?(?:confidential|privileged"
    r"|intended)|\bif you (?:have )?received (?:this|it) (?:e-?mail |message )?"
    r"(?:in error|by mistake)|\bintended (?:solely |only )?for the (?:use of the )?"
    r"(?:named )?(?:addressee|recipient|individual)"
    r"|\b(?:это|данное) (?:сообщение|письмо)(?: и (?:все |любые )?вложения)?"
    r" (?:является |содержит )?конфиденциальн"
    r"|\bесли вы получили (?:это|данное) (?:сообщение|письмо) по ошибке",
    re.IGNORECASE,
)
DISCLAIMER_MAX_WORDS = 80
UNSUBSCRIBE_LINK_RE = re.compile(r"\[[^\[\]]{0,40}unsubscribe[^\[\]]{0,40}\]\(", re.IGNORECASE)
FOOTER_MAX_WORDS = 60


def _is_email_footer(block: Block) -> bool:
    if len(block.plain) > 600 or len(block.plain.split()) > FOOTER_MAX_WORDS:
        return False
    return bool(EMAIL_FOOTER_RE.search(block.plain) or UNSUBSCRIBE_LINK_RE.search(block.text))


def _is_disclaimer(block: Block) -> bool:
    return len(block.plain) <= 800 and len(block.plain.split()) <= DISCLAIMER_MAX_WORDS and bool(
        DISCLAIMER_RE.search(block.plain)
    )


# Letters or digits in any script; a block with none is layout debris from a converter.
_HAS_WORD = re.compile(r"[^\W_]").search


def _is_colophon(block: Block) -> bool:
    """Most of the block's lines are imprint lines (one line may be an address)."""
    hits = sum(bool(COLOPHON_RE.match(line)) for line in block.lines)
    return hits >= 1 and hits >= len(block.lines) - 1 and len(block.plain) <= 600


def drop_boilerplate(
    blocks: list[Block],
    dropped: list[DroppedLine] | None = None,
    kept_notes: list[Block] | None = None,
) -> tuple[list[Block], list[str]]:
    """Drop what is not story text: social-media calls, "click on the photo" notes that
    point at pictures we don't have, contents lists, page numbers. Each dropped line goes
    to ``dropped`` with its reason.

    Footnotes written out ("[1] Source", "¹ Source") that the text refers to, and notes
    in markup ("[^1]: Source", "<sup>1</sup> Source"): with ``kept_notes`` they go
    there, out of the flow, their markers stay in the text, and a
    "Footnotes" heading over them is dropped as "footnotes heading" (notes.py puts each
    note at the end of the story citing it); without, they are dropped with a warning
    each, and so are their markers."""
    kept: list[Block] = []
    warnings: list[str] = []
    notes, markers = _written_notes(blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        plain = block.plain
        if kept_notes is not None and (i in notes or i + 1 in notes):
            if i in notes:
                kept_notes.append(block)
                i += 1
                continue
            if _is_notes_heading(block):
                drop_block(dropped, block, "footnotes heading")
                i += 1
                continue
        if i in notes or i + 1 in notes and _is_notes_heading(block):
            # "[1] Repair log ..." and "¹ In 2011 ...": a warning for each note; the
            # "Footnotes" heading over them goes with them, without one.
            if i in notes:
                warnings += [f"footnote dropped: '{_shorten(_plain(line))}'"
                             for line in block.lines if NOTE_LINE_RE.match(line)]
            drop_block(dropped, block, "footnote")
            i += 1
            continue
        if block.kind == UNFILED:
            warnings.append(_unfiled_warning(block))
            block.kind = "para"
            kept.append(block)
            i += 1
            continue
        if TOC_RE.match(_plain(block.lines[0])):
            drop_block(dropped, block, "contents list")
            i += 1
            while i < len(blocks) and blocks[i].md_level is None and _toc_entry(blocks[i]):
                drop_block(dropped, blocks[i], "contents list")
                i += 1
            continue
        if block.md_level is None and FOOTNOTE_RE.match(block.lines[0]) and kept_notes is not None:
            kept_notes.append(block)  # "[^1]: ..." or "<sup>1</sup> ...": notes.py reads it
        elif block.md_level is None and FOOTNOTE_RE.match(block.lines[0]):
            warnings.append(f"footnote dropped: '{_shorten(plain)}'")
            drop_block(dropped, block, "footnote")
        elif FOLLOW_RE.match(plain) or CLICK_RE.match(plain):
            drop_block(dropped, block, "boilerplate")
        elif block.md_level is None and i >= len(blocks) - 3 and _is_colophon(block):
            drop_block(dropped, block, "colophon")
        elif block.md_level is None and i >= len(blocks) - 3 and _is_email_footer(block):
            drop_block(dropped, block, "e-mail footer")
        elif block.md_level is None and i >= len(blocks) - 3 and _is_disclaimer(block):
            drop_block(dropped, block, "e-mail disclaimer")
        elif PAGE_NUMBER_RE.match(block.text):
            drop_block(dropped, block, "page number")
        elif not _HAS_WORD(plain) and not (len(block.lines) == 1 and RULE_RE.match(block.text)):
            # "● ● ●", "| | |", "...". A rule ("---", "* * *") is the author's: between
            # stories it parts them (dropped as "rule" by build_sections), inside one it
            # stays its text.
            drop_block(dropped, block, "conversion junk")
        else:
            kept.append(block)
        i += 1
    if markers and kept_notes is None:
        _drop_markers(kept, markers)
    return kept, warnings


NOTES_HEADING_RE = re.compile(
    r"^\W*(?:foot ?notes|end ?notes|notes|references|sources|сноски|примечания)\W*$", re.I
)


def _is_notes_heading(block: Block) -> bool:
    return len(block.lines) == 1 and bool(NOTES_HEADING_RE.match(block.plain))


def _written_notes(blocks: list[Block]) -> tuple[set[int], set[str]]:
    """The blocks that are footnotes written out ("[1] Source ...", "¹ Source ..."), each
    of its notes referred to in the text ("gas.[1]", "gas.¹"), and their markers. A
    numbered list in brackets nothing refers to is no footnote. One pass to find the
    candidates, one over the text for the references, only when there is a candidate."""
    candidates = {
        i for i, b in enumerate(blocks)
        if b.md_level is None and b.lines[0][:1] in _NOTE_START and NOTE_LINE_RE.match(b.lines[0])
    }
    if not candidates:
        return set(), set()
    refs = {
        m.group(1) or m.group(2)
        for i, b in enumerate(blocks) if i not in candidates
        for m in NOTE_REF_RE.finditer(b.text)
    }
    notes, markers = set(), set()
    for i in candidates:
        marks = [m.group(1) or m.group(2) for m in map(NOTE_LINE_RE.match, blocks[i].lines) if m]
        if all(mark in refs for mark in marks):
            notes.add(i)
            markers.update(marks)
    return notes, markers


_NOTE_START = frozenset("[\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079")


def _drop_markers(blocks: list[Block], markers: set[str]) -> None:
    """The references to dropped footnotes leave the text ("gas.[1] The" -> "gas. The")."""
    def strip(m: re.Match) -> str:
        return "" if (m.group(1) or m.group(2)) in markers else m.group(0)

    for block in blocks:
        if "[" in block.text or not block.text.isascii():
            text = NOTE_REF_RE.sub(strip, block.text)
            if text != block.text:
                block.text, block.plain = text, _plain(text)


def _unfiled_warning(block: Block) -> str:
    contacts = [
        ", ".join(piece.emails) or piece.number
        for line in block.lines for piece in contact_pieces(line, single=True) or []
        if piece.emails or piece.number
    ]
    return (
        f"contact line kept as story text: no country known for {', '.join(contacts[:5])}"
        f"{' and more' if len(contacts) > 5 else ''} (none named, or more than one), so the "
        "directory did not take it; add it by hand"
    )

"""Last stage: the account of every input line, a safety net under all the others.

Each stage records what it leaves out in ``dropped``; a stage with a bug (or a shape of
text nobody foresaw) can still lose a line without saying so. This stage compares the
words of every input line with the words of the result (titles, bodies, captions, images,
key figures, directory, metadata); a line with a word found nowhere, and not listed in
``dropped``, is added to ``dropped`` as NOT_PLACED, with a warning. The score then puts
the file below the review threshold (confidence.py).

The comparison is by word *set*, not by position: it cannot see a line whose words all
occur elsewhere, but it does see the lines that carry something of their own (a name, an
address, a number), which are the ones a person misses. Linear time: one pass over the
result to build the sets, one over the input lines.

A line of a block the directory stage took may lose its connecting words ("continues to
receive calls"), never what it gives: each e-mail address, phone number and number of
three digits or more on it must be in the result (an address beside a hotline on one
line, or a number cut into three, was lost without a word).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from ..countries import BY_CODE
from .model import DroppedLine, ParsedIssue
from .text import EMAIL_RE, LATEX_RE, LIST_ITEM_RE, NOTE_REF_RE, _plain, _shorten

NOT_PLACED = "not placed"
_WORD_RE = re.compile(r"\w+")
_HYPHEN_END_RE = re.compile(r"[^\W\d_]-$")
_MARKUP = re.compile(r"[\[*_<]").search  # what _plain takes out; other lines skip it
# A phone number as printed ("8 800 100 2020", "+996 312 641364", "0800-000-189"):
# bounded, so a line of digits and spaces costs linear time.
_PHONE_RE = re.compile(r"\+?\d[\d \-]{4,30}\d")
_NON_DIGIT = re.compile(r"\D")
# An outline heading's number or a report's label ("1.1 ", "2.3.1. ", "IV. ", "B) ",
# "Section 2: ", "Box 1: "): structure, not words the result must hold (outline.py takes
# them off the title).
OUTLINE_NUMBER_RE = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){1,3}\.?|[IVX]{1,6}[.)]|[A-H][.)]"
    r"|(?i:section|part|chapter|box|sidebar|panel|inset|раздел|часть|глава|врезка)"
    r"(?: (?:\d{1,2}|[IVX]{1,6}|[A-H]))?\.? ?[:.—–-])\s+"
)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


def _marks(text: str) -> Iterable[str]:
    """Runs of characters without letters or digits ("---", "***", "●"): how a line with
    no word at all is found again in the result."""
    return (chunk for chunk in text.split() if not _WORD_RE.search(chunk))


def _country_words(code: str | None) -> str:
    country = BY_CODE.get(code or "")
    if country is None:
        return code or ""
    return " ".join((code or "", *country.names, *country.adjectives))


def metadata_texts(issue: ParsedIssue) -> Iterable[str]:
    yield issue.series or ""
    yield issue.title
    if issue.number is not None:
        yield str(issue.number)


def result_texts(issue: ParsedIssue) -> Iterable[str]:
    """Every piece of text the result holds but its metadata (metadata_texts): the
    sections, stories, key figures and directory."""
    for section in issue.sections:
        yield section.title
        for story in section.stories:
            yield story.title
            yield story.body
            yield from (_country_words(code) for code in story.countries)
            yield from (photo.caption for photo in story.photos)
            for image in story.images:
                yield f"{image.src} {image.alt} {image.caption}"
    for figure in issue.key_figures:
        value = figure.value
        printed = f"{value:,}" if isinstance(value, int) else str(value)
        yield f"{figure.label} {figure.unit} {value} {printed}"
    yield from directory_texts(issue)


def directory_texts(issue: ParsedIssue) -> Iterable[str]:
    d = issue.directory
    for office in d.offices:
        yield _country_words(office.country)
        yield " ".join(office.emails)
    for hotline in d.hotlines:
        yield f"{_country_words(hotline.country)} {hotline.number} {hotline.note}"
        yield hotline.e164 or ""
    for person in d.people:
        yield f"{person.name} {person.role} {' '.join(person.phones)} {person.email or ''}"
        yield _country_words(person.country)


def account_lines(
    issue: ParsedIssue,
    source: Sequence[str],
    markup: Iterable[int] = (),
    directory_blocks: Iterable[Sequence[int]] = (),
) -> list[DroppedLine]:
    """The input lines (``source``, numbered from 1) that are neither in ``issue.dropped``
    nor found in the result. ``markup`` are lines that are pure markup of a kept line (a
    setext heading's underline); ``directory_blocks`` the line numbers of each block the
    directory stage took: a block must have given the directory at least one of its
    words (a hotline sentence's connecting words, "continues to receive calls", are its
    context, not lost text), else its lines are checked like any other."""
    texts = [text for text in result_texts(issue) if text]
    have: Counter[str] = Counter()
    for text in texts:
        have.update(_words(text))
    # The metadata's words count for the word-set test, not for the counts: the lines
    # that print them (masthead, running headers) are in ``dropped`` and the made title
    # repeats the series.
    words = set(have)
    for text in metadata_texts(issue):
        words.update(_words(text))
    marks: set[str] | None = None  # made on the first line without a word, if any
    directory_words: set[str] = set()
    for text in directory_texts(issue):
        directory_words.update(_words(text))
    accounted = {d.line for d in issue.dropped}
    accounted.update(markup)
    taken: set[int] = set()
    for nos in directory_blocks:
        if any(directory_words.intersection(_line_words(source[no - 1])) for no in nos):
            taken.update(nos)
    held: _Held | None = None  # made on the first taken line, if any

    lost: list[DroppedLine] = []
    placed: list[tuple[int, str, list[str]]] = []  # lines found by the word-set test
    head = ""  # the start of a word cut by a line-end hyphen on the last non-blank line
    seen: dict[str, list[str]] = {}  # a line's words, once per distinct line
    for no, line in enumerate(source, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        cut = stripped[-1] == "-" and _HYPHEN_END_RE.search(stripped) is not None
        if no in taken and no not in accounted:
            if held is None:
                held = _Held(texts)
            if not held.gives(stripped, words):
                lost.append(DroppedLine(no, stripped, NOT_PLACED))
        if no in accounted or no in taken:
            line_words = (seen.get(stripped) or _line_words(stripped)) if cut else []
            head = line_words[-1] if line_words else ""
            continue
        line_words = seen.get(stripped)
        if line_words is None:
            line_words = seen[stripped] = _line_words(stripped)
        cut_head, head = head, line_words[-1] if cut and line_words else ""
        if not line_words:
            if marks is None:
                marks = {mark for text in texts for mark in _marks(text)}
            if all(mark in marks for mark in _marks(stripped)):
                continue
        elif all(w in words for w in line_words):
            placed.append((no, stripped, line_words))
            continue
        elif _mended(line_words, cut_head, head, source, no, words):
            continue
        lost.append(DroppedLine(no, stripped, NOT_PLACED))
    lost += _short_of_words(placed, have)
    return sorted(lost, key=lambda d: d.line)


class _Held:
    """The e-mail addresses and phone numbers the result holds (a number as its digits,
    and every tail of them: "+992 918 85 34 34" holds a printed "918-85-34-34")."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.emails: set[str] = set()
        self.numbers: set[str] = set()
        for text in texts:
            if "@" in text:
                self.emails.update(e.casefold() for e in EMAIL_RE.findall(text))
            for m in _PHONE_RE.finditer(text):
                digits = _NON_DIGIT.sub("", m.group(0))
                self.numbers.update(digits[k:] for k in range(len(digits)))

    def gives(self, line: str, words: set[str]) -> bool:
        """Whether the result holds every address, phone number and number of three
        digits or more that ``line`` prints."""
        plain = _plain(line)
        if "@" in plain:
            if any(e.casefold() not in self.emails for e in EMAIL_RE.findall(plain)):
                return False
            plain = EMAIL_RE.sub(" ", plain)
        if any(_NON_DIGIT.sub("", m.group(0)) not in self.numbers
               for m in _PHONE_RE.finditer(plain)):
            return False
        # Other numbers as words; a phone number's groups may be printed otherwise.
        rest = _PHONE_RE.sub(" ", plain).casefold()
        return all(w in words for w in _WORD_RE.findall(rest) if len(w) >= 3 and w.isdigit())


def _short_of_words(placed: list[tuple[int, str, list[str]]], have: Counter[str]
                    ) -> list[DroppedLine]:
    """Lines whose every word the result holds fewer times than the input's kept lines
    print it: a heading whose words also stand in the text ("DIRECT ASSISTANCE" over a
    story on direct assistance) passes the word-set test even when it is lost. Each line
    found so uses up the shortfall of its words, so one missing occurrence condemns one
    line, the first that is made only of short words."""
    need = Counter(chain.from_iterable(line_words for _, _, line_words in placed))
    short = {w: n - have[w] for w, n in need.items() if n > have[w]}
    lost: list[DroppedLine] = []
    if not short:
        return lost
    for no, stripped, line_words in placed:
        if all(short.get(w, 0) > 0 for w in line_words):
            for w in line_words:
                short[w] -= 1
            lost.append(DroppedLine(no, stripped, NOT_PLACED))
    return lost


def _line_words(line: str) -> list[str]:
    """A line's words as the result can hold them: without link targets and emphasis
    (_plain), a list item's number, and LaTeX fragments (removed with a warning)."""
    if "$" in line:
        line = LATEX_RE.sub("", line)
    if line[:1].isdigit() or line[:1] in "-*•":
        line = LIST_ITEM_RE.sub("", line)  # "1. Title": the number is the list's markup
        line = OUTLINE_NUMBER_RE.sub("", line)  # "1.1 Title": the outline's (outline.py)
    elif line[:1].isalpha():
        line = OUTLINE_NUMBER_RE.sub("", line)  # "IV. Title", "B) Title", "Section 2:"
    if _MARKUP(line):
        line = _plain(line)
    if "[" in line or not line.isascii():
        line = NOTE_REF_RE.sub("", line)  # "gas.[1]", "gas.¹": a footnote's marker, no word
    return _WORD_RE.findall(line.casefold())


def _mended(line_words: list[str], head: str, tail: str, source: Sequence[str], no: int,
            words: set[str]) -> bool:
    """Whether the words missing from the result are halves of words mended across a
    line-end hyphen ("Com-" + "bating" -> "combating"), over a page break too."""
    missing = [w for w in line_words if w not in words]
    if head and missing and missing[0] == line_words[0] and head + missing[0] in words:
        missing = missing[1:]
    if tail and missing and missing[-1] == line_words[-1]:
        # The next non-blank line, a few lines on at most: linear however many blanks.
        for k in range(no, min(len(source), no + 6)):
            if source[k].strip():
                following = _line_words(source[k].strip())
                if following and tail + following[0] in words:
                    missing = missing[:-1]
                break
    return not missing


def not_placed_warning(lost: Sequence[DroppedLine]) -> str:
    shown = "; ".join(f"line {d.line} '{_shorten(d.text, 50)}'" for d in lost[:3])
    more = f" and {len(lost) - 3} more" if len(lost) > 3 else ""
    return f"{len(lost)} line(s) not placed in the result: {shown}{more}"

"""Stage 10b: a story body over the model's limit is cut where a person can see it.

A story body may hold at most MAX_BODY_CHARS characters (newsletters/markdown.py keeps
the same number for the model and the admin form; a test keeps the two equal). The
loader writes with bulk_create, which runs no validator, so a longer body would be
stored as it is and then never rendered. Instead the parser keeps the body up to the
last paragraph end under the limit, lists every input line after the cut in
``dropped`` with the reason OVER_LIMIT, and adds a warning naming the story.

Pure Python like the rest of the parser, and linear: each paragraph is measured once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .model import DroppedLine

MAX_BODY_CHARS = 50_000
OVER_LIMIT = f"over the {MAX_BODY_CHARS:,}-character body limit"
_SEP = "\n\n"  # between paragraphs, as build_sections joins them


def cap_body(
    paragraphs: Sequence[str],
    paragraph_lines: Sequence[Sequence[int]],
    clean: Callable[[str], str],
    where: str,
    full_length: int,
    source: Sequence[str] | None,
    warnings: list[str],
    dropped: list[DroppedLine] | None,
) -> str:
    """The cleaned body of a story whose cleaned body (``full_length`` characters) is over
    MAX_BODY_CHARS, cut at the last paragraph end that fits.

    ``paragraph_lines`` gives the input line numbers (1-based) of each paragraph;
    ``clean`` is the inline clean-up the whole body goes through (without warnings: the
    caller already gave them once). ``source`` holds the input lines; it is only needed
    when the first paragraph alone is over the limit, and then the cut is at the end of
    the last whole input line that fits (or, without it, after the last sentence)."""
    # Measured up to the first that does not fit: the rest are cut whatever their length
    # (a body of 75,000 one-word paragraphs cleaned them all, 2 s of a 256 KB parse).
    lengths: list[int] = []
    kept, total = 0, 0
    for paragraph in paragraphs:
        length = len(clean(paragraph))
        lengths.append(length)
        step = length + (len(_SEP) if kept else 0)
        if total + step > MAX_BODY_CHARS:
            break
        total += step
        kept += 1
    body = clean(_SEP.join(paragraphs[:kept]))
    # Measured paragraph by paragraph, the estimate can differ from the joined text by a
    # few characters (a strip at a paragraph end): drop whole paragraphs until it fits.
    # Each round removes at least the excess, so this ends after a round or two.
    while kept and len(body) > MAX_BODY_CHARS:
        excess = len(body) - MAX_BODY_CHARS
        while kept and excess > 0:
            kept -= 1
            excess -= lengths[kept] + len(_SEP)
        body = clean(_SEP.join(paragraphs[:kept]))

    lost: list[int] = [no for lines in paragraph_lines[kept + 1:] for no in lines]
    if kept < len(paragraphs):
        if kept == 0:
            body, partial = _cut_paragraph(clean(paragraphs[0]), paragraph_lines[0], source)
            lost[:0] = partial
        else:
            lost[:0] = list(paragraph_lines[kept])
    if dropped is not None:
        dropped += [DroppedLine(no, "", OVER_LIMIT) for no in lost]
    first = f" (from input line {min(lost)})" if lost else ""
    how = "a paragraph end" if kept else "a line end inside its first paragraph"
    warnings.append(
        f"{where[:1].upper()}{where[1:]} has {full_length:,} characters, {OVER_LIMIT}: "
        f"kept the first {len(body):,} (cut at {how}); the {len(lost):,} input line(s) "
        f"after the cut{first} are listed as dropped, not imported"
    )
    return body


def _cut_paragraph(
    text: str, lines: Sequence[int], source: Sequence[str] | None
) -> tuple[str, list[int]]:
    """One paragraph longer than the limit: (what is kept, the input lines not kept whole).

    With the input lines, the kept text is the longest run of whole lines that fits, as
    their offsets in the joined text read (a line is joined to the next by one space);
    a line straddling the cut is listed as dropped in full, so every word of it is seen
    somewhere. Without them, the cut is after the last sentence that fits, and every
    line of the paragraph is listed."""
    if source is not None and lines:
        offset, cut, keep = 0, 0, 0
        for no in lines:
            end = offset + len(source[no - 1].strip())
            if end > MAX_BODY_CHARS:
                break
            cut, keep, offset = end, keep + 1, end + 1
        if keep:
            return text[:cut].rstrip(), list(lines[keep:])
    head = text[: MAX_BODY_CHARS + 1]
    cut = max(head.rfind(". "), head.rfind("\n"))
    if cut < MAX_BODY_CHARS // 2:
        cut = head.rfind(" ")
    cut = cut + 1 if cut > 0 else MAX_BODY_CHARS
    return text[:cut].rstrip(), list(lines)

"""Stage 2b: two columns printed side by side, as ``pdftotext -layout`` writes a page.

Each line of such a page holds a line of the left column, a run of spaces, and a line of
the right column, which starts at the same place on every line:

    Shelter doubles its capacity               Border posts get information desks
    The shelter in Khujand moved in            Information desks opened at two border

Read line by line, the two columns' sentences are woven into each other. A person reads
the left column down, then the right: so does this stage, over each stretch of such
lines (blank lines and lines of one column only may stand inside it). The stretch must
hold at least MIN_ROWS lines of two parts, each part of a few words: a table's rows
(several runs of spaces, or one value on the right) are no columns.

Which stories the columns hold, and in what order a page's articles go on, a person
still has to check: the issue gets a warning, and confidence.py puts it below the
review threshold. One pass to read the lines, one to cut them: linear.
"""

from __future__ import annotations

import re

COLUMNS_WARNING = "two columns side by side"
MIN_ROWS = 3  # lines of two parts a stretch needs
MIN_GAP = 3  # spaces between the columns
MIN_RIGHT_AT = 20  # where the right column starts, at the least
_GAP_RE = re.compile(" {" + str(MIN_GAP) + ",}")


def _shape(line: str) -> tuple[str, int, int]:
    """("two", where the gap starts, where the right part starts), ("right", indent, 0)
    for a line of the right column only, ("one", length, 0) for any other line and
    ("blank", 0, 0)."""
    text = line.rstrip()
    if not text:
        return "blank", 0, 0
    indent = len(text) - len(text.lstrip())
    gaps = [m for m in _GAP_RE.finditer(text, indent) if m.start() > indent]
    if len(gaps) == 1 and gaps[0].end() >= MIN_RIGHT_AT:
        return "two", gaps[0].start(), gaps[0].end()
    if not gaps and indent >= MIN_RIGHT_AT:
        return "right", indent, 0
    return "one", len(text), 0


def _fits(shape: tuple[str, int, int], at: int) -> bool:
    """Whether a line can stand in a stretch whose right column starts at ``at``."""
    kind, a, b = shape
    if kind == "two":
        return abs(b - at) <= 1
    if kind == "right":
        return abs(a - at) <= 1
    return kind == "blank" or a <= at - MIN_GAP  # a line of the left column only


def _words(text: str) -> int:
    return len(text.split())


def _heading(text: str) -> bool:
    """Short, capitalised, no sentence: how a title reads."""
    return 1 <= _words(text) <= 10 and text[:1].isupper() and text[-1:] not in ".,;:!?"


def _headings_side_by_side(left: list[tuple[str, int]], right: list[tuple[str, int]]) -> bool:
    """Both columns open with a heading over a capitalised line of text."""
    return all(
        len(col) >= 3 and _heading(col[0][0]) and col[1][0][:1].isupper()
        for col in (left, right)
    )


def split_columns(lines: list[str], nos: list[int], warnings: list[str]) -> list[str]:
    """The lines with each stretch of two side-by-side columns rewritten as the left
    column's lines, a blank line, then the right column's; ``nos`` is updated alike (both
    halves of a line keep its number)."""
    if not any("   " in line for line in lines):
        return lines  # no run of spaces, no columns: most files stop here
    shapes = [_shape(line) for line in lines]
    out: list[str] = []
    out_nos: list[int] = []
    stretches: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        kind, _, at = shapes[i]
        if kind != "two":
            out.append(lines[i])
            out_nos.append(nos[i])
            i += 1
            continue
        end, j = i, i + 1  # end: the stretch's last line of two parts
        while j < len(lines) and _fits(shapes[j], at):
            if shapes[j][0] == "two":
                end = j
            j += 1
        rows = [k for k in range(i, end + 1) if shapes[k][0] == "two"]
        wordy = sum(
            1 for k in rows
            if _words(lines[k][:shapes[k][1]]) >= 2 and _words(lines[k][shapes[k][2]:]) >= 2
        )
        if len(rows) < MIN_ROWS or 3 * wordy < 2 * len(rows):
            out += lines[i:end + 1]
            out_nos += nos[i:end + 1]
            i = end + 1
            continue
        left: list[tuple[str, int]] = []
        right: list[tuple[str, int]] = []
        for k in range(i, end + 1):
            kind, a, b = shapes[k]
            line = lines[k]
            if kind == "two":
                left.append((line[:a].strip(), nos[k]))
                right.append((line[b:].strip(), nos[k]))
            elif kind == "right":
                left.append(("", nos[k]))
                right.append((line.strip(), nos[k]))
            else:  # blank, or the left column's only
                left.append((line.strip(), nos[k]))
                right.append(("", nos[k]))
        if _headings_side_by_side(left, right):
            # Two headings on the stretch's first line, each over its column's text: each
            # column's first line is its title, with the blank line a title stands over.
            left.insert(1, ("", left[0][1]))
            right.insert(1, ("", right[0][1]))
        for text, no in (*left, ("", nos[end]), *right):
            out.append(text)
            out_nos.append(no)
        stretches.append((nos[i], nos[end]))
        i = end + 1
    if stretches:
        where = ", ".join(f"{a}–{b}" for a, b in stretches[:5])
        warnings.append(
            f"lines {where}: {COLUMNS_WARNING} (a PDF's text kept in its layout), read as "
            "the left column, then the right; check the stories' titles and order"
        )
        nos[:] = out_nos
        return out
    return lines

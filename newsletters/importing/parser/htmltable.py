"""Tables of an issue pasted as HTML (html.py), read cell by cell.

A table of data (every cell short text: a label and a figure, an office and its phone)
becomes the Markdown pipe table the later stages know: under a key-figures heading its
rows become key figures (figures.py), anywhere else the table keeps its lines in the
story. A table used for layout, as e-mail newsletters are built (a cell holding
headings, lists, other tables), or one of a single column, is no table of data: its
cells are read as paragraphs.

Whether a table holds data is known only once a block tag shows up in a cell, or at its
end; until then its cells are held here, each with the input line its text started on,
so the lines keep their numbers either way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import parse_figure_value

# A row of more cells than this is no table a newsletter prints: read as paragraphs
# (and a run of unclosed "<td>" does not make one line of thousands of cells).
MAX_CELLS = 20
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_BOLD_RE = re.compile(r"\*\*([^*]+)\*\*")


@dataclass
class Cell:
    head: bool  # a <th>
    no: int  # the input line index its text started on (-1 while it has none)
    pieces: list[str] = field(default_factory=list)
    last: int = -1  # the input line index its text ended on

    def text(self) -> str:
        return " ".join("".join(self.pieces).split())


@dataclass
class Row:
    no: int  # the input line index of its <tr>
    cells: list[Cell] = field(default_factory=list)

    def first_no(self) -> int:
        """The line the row's text starts on: where it is placed and accounted for."""
        return next((c.no for c in self.cells if c.no >= 0), self.no)

    def last_no(self) -> int:
        return max((c.last for c in self.cells), default=self.no)


@dataclass
class Table:
    """A table being read; ``layout`` once it is known to be no table of data."""

    no: int
    layout: bool = False
    rows: list[Row] = field(default_factory=list)

    def cell(self) -> Cell | None:
        return self.rows[-1].cells[-1] if self.rows and self.rows[-1].cells else None

    def start_row(self, no: int) -> None:
        self.rows.append(Row(no))

    def start_cell(self, head: bool, no: int) -> None:
        if not self.rows:
            self.start_row(no)
        self.rows[-1].cells.append(Cell(head, -1))

    def add(self, text: str, no: int) -> None:
        """Text in the table: into the open cell, or a new one (text between cells)."""
        cell = self.cell()
        if cell is None:
            if not text.strip():
                return
            self.start_cell(False, no)
            cell = self.cell()
        if text.strip():
            cell.no = no if cell.no < 0 else cell.no
            cell.last = no
        cell.pieces.append(text)

    def too_wide(self) -> bool:
        return bool(self.rows) and len(self.rows[-1].cells) > MAX_CELLS

    def paragraphs(self) -> list[tuple[int, str]]:
        """The cells read so far as paragraphs (line index, text), for a layout table."""
        out = []
        for row in self.rows:
            out += [(cell.no, cell.text()) for cell in row.cells if cell.text()]
        self.rows = []
        return out

    def pipe_lines(self) -> list[tuple[int, str]] | None:
        """The table as pipe-table lines (line index, text): a header row, the delimiter
        row, one line a row. None when it is no table of data (one column at most)."""
        rows = [r for r in self.rows if any(c.text() for c in r.cells)]
        width = max((len(r.cells) for r in rows), default=0)
        if width < 2:
            return None
        texts = [[_escape(c.text()) for c in r.cells] for r in rows]
        texts = [t + [""] * (width - len(t)) for t in texts]
        first = rows[0].first_no()
        if _is_header(rows[0], texts[0], len(rows)):
            head, body, body_rows = [_unbold(t) for t in texts[0]], texts[1:], rows[1:]
            # The delimiter row carries the head row's last line: a head written a cell
            # a line ("<th>Indicator</th>" over "<th>Value</th>") then has each of its
            # lines in the table's lines (dropped with it when it is key figures).
            rule = max(first, rows[0].last_no())
        else:  # a header of empty cells: the first row is data (a label and a figure)
            head, body, body_rows, rule = [""] * width, texts, rows, first
        out = [(first, _pipe(head)), (rule, "|" + "---|" * width)]
        out += [(row.first_no(), _pipe(t)) for row, t in zip(body_rows, body, strict=True)]
        return out


def _is_header(row: Row, texts: list[str], count: int) -> bool:
    """The first row heads the table: <th> cells, or cells all bold, or (when more rows
    follow) no cell after the first reads as a figure (a year is a column head)."""
    filled = [t for t in texts if t]
    if all(c.head for c in row.cells) or filled and all(_BOLD_RE.fullmatch(t) for t in filled):
        return True
    return count > 1 and not any(
        t and not _YEAR_RE.fullmatch(t) and parse_figure_value(t) is not None for t in texts[1:]
    )


def _escape(text: str) -> str:
    return text.replace("|", "/")  # a "|" in a cell would cut it in two


def _unbold(text: str) -> str:
    m = _BOLD_RE.fullmatch(text)
    return m.group(1).strip() if m else text


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"

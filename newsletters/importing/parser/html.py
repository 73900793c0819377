"""Stage 1b: an issue pasted as HTML ("<h2>News</h2>", "<p>...</p>", "&amp;") made the
Markdown the other stages read: headings "#" by their level, paragraphs parted by blank
lines, "<br>" a line break (a Markdown hard break, "\\" at the line's end, so an address
keeps its lines) and "<br><br>" a paragraph break, list items "- " or "1. ", quotes "> ",
bold "**", italics "*", links "[text](href)", images "![alt](src)", entities decoded,
tables of data as pipe tables (htmltable.py). A line of tags only ("<ul>", "</div>")
goes to ``dropped`` as "markup"; the lines of a comment, a "<style>" or "<script>" block
as "comment", "style block", "script block". No tag and no entity reaches a story.

The standard library's html.parser is not used: on this Python (3.11.7, before the fix
of CVE-2025-6069) it takes quadratic time on unclosed tags ("<a " repeated: 9 s for
30 KB). The text is read once, left to right, by ``_tokens``: a tag runs from "<" to the
next ">" with no "<" between (across lines: e-mail HTML wraps its long tags), and every
"find the next >" resumes where the last one stopped, so no character is read twice.

Each input line keeps its number: an output line carries the number of the input line
its text starts on. ``read_html`` also gives each input line's text as converted, which
the account compares with the result."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

from .htmltable import Table
from .model import DroppedLine

# An HTML text: lines that open with a block tag, three at least.
_BLOCK_START_RE = re.compile(
    r"^[ \t]*<(?:p|h[1-6]|li|ul|ol|div|br|hr|table|tr|td|blockquote|section|article)\b",
    re.IGNORECASE | re.MULTILINE,
)
HTML_MIN_BLOCK_TAGS = 3
# Nested quotes are marked at most this deep: a run of unclosed "<blockquote>" would
# otherwise make each line longer than the last (quadratic output).
MAX_DEPTH = 3
# A tag's name after "<" or "</" ("o:p" is Word's), then what may follow a name.
_NAME_RE = re.compile(r"(/?)([a-zA-Z][a-zA-Z0-9:-]{0,19})(?=[\s/>])")
_BREAKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "hr",
        "body",
        "html",
        "head",
        "main",
        "nav",
        "figure",
        "center",
    }
)
_LISTS = frozenset({"ul", "ol"})
_CELLS = frozenset({"td", "th"})
# Block tags that make the table they are in a layout table (see htmltable.py).
_LAYOUT_TAGS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "table",
    }
)
# Their text is no story text: read to their end tag, dropped with this reason.
_RAW = {"style": "style block", "script": "script block", "title": "markup"}
# An attribute's start: its name, "=", and the quote (none: the value ends at a space).
_ATTR_RE = re.compile(r"""(?:^|\s)(href|src|alt)\s*=\s*(["']?)""", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s|$")


def looks_like_html(text: str) -> bool:
    """Three lines or more opening with a block tag, and a closing tag somewhere."""
    if "</" not in text:
        return False
    for found, _ in enumerate(_BLOCK_START_RE.finditer(text), start=1):
        if found >= HTML_MIN_BLOCK_TAGS:
            return True
    return False


class _Finder:
    """The next place ``find`` finds from a position, for positions that only grow: a
    search resumes after the last one's result, so the text is read once in all."""

    def __init__(self, find: Callable[[int], int]) -> None:
        self._find = find
        self._start, self._found = 0, -2

    def __call__(self, pos: int) -> int:
        if self._found == -2 or pos < self._start or -1 < self._found < pos:
            self._start, self._found = pos, self._find(pos)
        return self._found


def _regex_finder(text: str, pattern: str) -> _Finder:
    regex = re.compile(pattern, re.IGNORECASE)

    def find(pos: int) -> int:
        m = regex.search(text, pos)
        return m.start() if m else -1

    return _Finder(find)


def _tokens(text: str) -> Iterator[tuple[str, str, str]]:
    """("text", chunk, ""), ("tag", "/name" or "name", attributes), ("comment", raw, ""),
    ("raw", name, content) for a style or script block. Newlines stay inside the chunks
    (the caller counts them); an "<" that starts no tag is text."""
    next_lt = _Finder(lambda pos: text.find("<", pos))
    next_gt = _Finder(lambda pos: text.find(">", pos))
    comment_end = _Finder(lambda pos: text.find("-->", pos))
    raw_end = {name: _regex_finder(text, rf"</{name}\s*>") for name in _RAW}
    pos, n = 0, len(text)
    while pos < n:
        lt = next_lt(pos)
        if lt == -1:
            yield "text", text[pos:], ""
            return
        if lt > pos:
            yield "text", text[pos:lt], ""
        end = -1
        if text.startswith("<!--", lt):
            end = comment_end(lt + 4)
            if end != -1:
                yield "comment", text[lt : end + 3], ""
                pos = end + 3
                continue
        elif text.startswith("<!", lt) or text.startswith("<?", lt):
            end = next_gt(lt)  # a doctype, Word's "<![if !supportLists]>"
            if end != -1 and not -1 < next_lt(lt + 1) < end:
                yield "tag", "!", text[lt + 2 : end]  # markup, no text
                pos = end + 1
                continue
        elif m := _NAME_RE.match(text, lt + 1):
            end = next_gt(m.end())
            if end != -1 and not -1 < next_lt(lt + 1) < end:
                name = m.group(2).lower()
                yield "tag", m.group(1) + name, text[m.end() : end]
                pos = end + 1
                if name in _RAW and not m.group(1) and text[end - 1] != "/":
                    close = raw_end[name](pos)
                    if close != -1:  # unclosed: only the tag goes, never the rest
                        yield "raw", name, text[pos:close]
                        pos = text.index(">", close) + 1
                continue
        yield "text", "<", ""
        pos = lt + 1


def _attr(attrs: str, name: str) -> str | None:
    """An attribute's value, read once left to right (a 256 KB value costs one pass)."""
    pos = 0
    while m := _ATTR_RE.search(attrs, pos):
        quote = m.group(2)
        if quote:
            end = attrs.find(quote, m.end())
            end = len(attrs) if end == -1 else end
        else:
            end = _SPACE_RE.search(attrs, m.end()).start()
        if m.group(1).lower() == name:
            return html.unescape(attrs[m.end() : end])
        pos = end + 1
    return None


def _text(raw: str) -> str:
    """Entities decoded; a no-break space is a space (normalise ran before the decoding)."""
    return html.unescape(raw).replace("\u00a0", " ") if "&" in raw else raw


class _Converter:
    """The tokens made output lines. ``lines`` holds [input line index, pieces, hard
    break after it] or None (a paragraph break); ``said[i]`` the text input line i gave,
    ``why[i]`` why a line that gave none is dropped."""

    def __init__(self, count: int, warnings: list[str] | None) -> None:
        self.lines: list[list | None] = []
        self.new = True  # the next text starts a new output line
        self.no = 0  # the input line being read
        self.said: list[list[str]] = [[] for _ in range(count)]
        self.why: list[str] = ["markup"] * count
        self.warnings = warnings
        self.heading = False
        self.href: str | None = None
        self.lists: list[list[int | None]] = []  # per open list: its next number (None: "-")
        self.quote = 0  # open blockquotes
        self.tables: list[Table] = []
        self.breaks = 0  # <br> in a row with no text between

    # -- output
    def data_table(self) -> Table | None:
        return self.tables[-1] if self.tables and not self.tables[-1].layout else None

    def put(self, text: str, said: bool = False) -> None:
        """Text on the current line (a new one after a break), or into a table's cell;
        ``said``: text of the input (not a mark the conversion adds)."""
        if not text:
            return
        if text.strip():
            if said:
                self.said[self.no].append(text)
            self.breaks = 0
        table = self.data_table()
        if table is not None:
            table.add(text, self.no)
            return
        last = self.lines[-1] if self.lines else None
        if self.new or last is None:
            if not text.strip():
                return
            # A quote's paragraph: "> " on its first line (the next ones continue it).
            starts = last is None
            prefix = "> " * min(self.quote, MAX_DEPTH) if starts else ""
            self.lines.append([self.no, [prefix] if prefix else [], False])
            self.new = False
            last = self.lines[-1]
        last[1].append(text)

    def line(self) -> None:
        self.new = True

    def para(self) -> None:
        if self.data_table() is None and self.lines and self.lines[-1] is not None:
            self.lines.append(None)
        self.new = True
        self.breaks = 0

    def hard_break(self) -> None:
        """<br>: a line break, or with the one before it a paragraph break."""
        table = self.data_table()
        if table is not None:
            table.add(" ", self.no)
            return
        if self.heading:
            self.put(" ")
            return
        self.breaks += 1
        last = self.lines[-1] if self.lines else None
        if self.breaks >= 2:
            if last is not None:
                last[2] = False
            self.para()
        elif last is not None and not self.new:
            last[2] = True
            self.new = True

    def to_layout(self) -> None:
        """The innermost table holds blocks: no table of data, its cells paragraphs."""
        table = self.tables[-1]
        table.layout = True
        open_cell = table.cell()
        for no, text in table.paragraphs():
            self.para()
            self.lines.append([no, [text], False])
        # The open cell's text, if it has any yet, goes on as it was.
        self.new = open_cell is None or not open_cell.text()

    def end_table(self) -> None:
        table = self.tables.pop()
        if table.layout:
            self.para()
            return
        rows = table.pipe_lines()
        if rows is None:
            self.tables.append(table)
            self.to_layout()
            self.tables.pop()
            self.para()
            return
        self.para()
        for no, text in rows:
            self.lines.append([no, [text], False])
        self.lines.append(None)
        self.new = True

    # -- tags
    def tag(self, name: str, attrs: str) -> None:
        closing = name.startswith("/")
        name = name.lstrip("/")
        if (
            name in _LAYOUT_TAGS
            and self.data_table() is not None
            and not (closing and name == "table")
        ):
            self.to_layout()
        if name == "table":
            if closing:
                if self.tables:
                    self.end_table()
            else:
                self.para()
                self.tables.append(Table(self.no))
        elif name == "tr" and self.tables:
            if self.data_table() is not None and not closing:
                self.tables[-1].start_row(self.no)
            elif self.data_table() is None:
                self.para()
        elif name in _CELLS and self.tables:
            table = self.data_table()
            if table is None:
                self.para()
            elif not closing:
                table.start_cell(name == "th", self.no)
                if table.too_wide():
                    self.to_layout()
        elif len(name) == 2 and name[0] == "h" and name[1] in "123456":
            self.para()
            self.heading = not closing
            if not closing:
                self.put("#" * int(name[1]) + " ")
        elif name in _LISTS:
            if closing:
                if self.lists:
                    self.lists.pop()
                self.line() if self.lists else self.para()
            else:
                self.line() if self.lists else self.para()
                self.lists.append([1 if name == "ol" else None])
        elif name == "li":
            self.line()
            if not closing:
                # A nested list's items are items too, not indented: the paragraph join
                # reads each list line stripped.
                number = self.lists[-1][0] if self.lists else None
                if number is None:
                    self.put("- ")
                else:
                    self.put(f"{number}. ")
                    self.lists[-1][0] = number + 1
        elif name == "blockquote":
            self.para()
            self.quote = max(0, self.quote + (-1 if closing else 1))
        elif name in _BREAKS:
            self.para()
        elif name == "br":
            self.hard_break()
        elif name in ("strong", "b"):
            self.put("**")
        elif name in ("em", "i"):
            self.put("*")
        elif name == "a":
            if closing and self.href:
                self.put(f"]({self.href})")
                self.href = None
            elif not closing:
                # An anchor in the page ("#_ftn1", Word's footnote links) leads nowhere
                # in a story: its text stays, without the link.
                self.href = _attr(attrs, "href")
                if self.href and self.href.startswith("#"):
                    self.href = None
                if self.href:
                    self.put("[")
        elif name == "img" and not closing:
            self.image(attrs)

    def image(self, attrs: str) -> None:
        src = _attr(attrs, "src")
        alt = " ".join((_attr(attrs, "alt") or "").split())
        if src and src.strip().lower().startswith("data:"):
            # An image written into the page: no file to import, so no photo.
            if self.warnings is not None:
                self.warnings.append(
                    f"image on line {self.no + 1} is written into the HTML (a data: "
                    f"address){f' ({alt!r})' if alt else ''}: not imported"
                )
            self.why[self.no] = "inline image data"
            if alt:
                self.put(alt, said=True)
        elif src:
            self.put(f"![{alt.replace(']', ')')}]({src.strip()})", said=True)
        elif alt:
            self.put(alt, said=True)

    # -- the whole text
    def read(self, text: str) -> None:
        for kind, value, attrs in _tokens(text):
            if kind == "text":
                self.text(value)
            elif kind == "tag":
                self.tag(value, attrs)
                self.no += value.count("\n") + attrs.count("\n")
            else:  # a comment or a raw block: its lines are dropped with its reason
                why = "comment" if kind == "comment" else _RAW[value]
                body = value if kind == "comment" else attrs
                self.why[self.no] = why if self.why[self.no] == "markup" else self.why[self.no]
                for _ in range(body.count("\n")):
                    self.no += 1
                    self.why[self.no] = why
        if self.href:  # a link left open: its text stays, without the bracket
            self.href = None
            for line in reversed(self.lines):
                if line is not None and "[" in line[1]:
                    line[1].remove("[")
                    break
        while self.tables:
            self.end_table()

    def text(self, chunk: str) -> None:
        """A run of text. A newline ends an output line; after an input line that gave
        no text (blank, or tags only) it ends the paragraph; in a heading it is a space."""
        first = True
        for part in chunk.split("\n"):
            if not first:
                self.no += 1
                if self.heading:
                    self.put(" ")
                elif not self.said[self.no - 1]:
                    self.para()
                else:
                    self.line()
            first = False
            if part:
                self.put(_text(part), said=True)


_EMPTY_MARKS = frozenset({"-", "#", "##", "###", "####", "#####", "######", "**", "*", ">"})


def read_html(
    lines: list[str],
    nos: list[int],
    dropped: list[DroppedLine] | None = None,
    warnings: list[str] | None = None,
) -> tuple[list[str], list[str]]:
    """The lines as Markdown (``nos`` is updated to match) and each input line's
    converted text (by position in ``lines``, for the account)."""
    reader = _Converter(len(lines), warnings)
    reader.read("\n".join(lines))
    out: list[str] = []
    out_nos: list[int] = []
    hard = False  # the last line kept ends with a hard break
    for entry in reader.lines:
        if entry is None:
            if out and out[-1]:
                out.append("")
                out_nos.append(out_nos[-1])
            hard = False
            continue
        index, pieces, ends_hard = entry
        text = " ".join("".join(pieces).split())
        if not text or text in _EMPTY_MARKS or text.startswith(">") and not text[1:].strip(" >"):
            continue
        if hard:  # a "<br>" between this line and the last: a Markdown hard break
            out[-1] += "\\"
        out.append(text)
        out_nos.append(nos[index])
        hard = ends_hard
    converted = [" ".join(" ".join(said).split()) for said in reader.said]
    for index, line in enumerate(lines):
        if line.strip() and not converted[index] and dropped is not None:
            dropped.append(DroppedLine(nos[index], line.strip(), reader.why[index]))
    nos[:] = out_nos
    return out, converted

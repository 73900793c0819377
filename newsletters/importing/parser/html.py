"""Stage 1b: an issue pasted as HTML ("<h2>News</h2>", "<p>...</p>", "&amp;") made the
Markdown the other stages read: headings "#" by their level, paragraphs parted by blank
lines, list items "- ", bold "**", italics "*", links "[text](href)", images
"![alt](src)", entities decoded. A line of tags only ("<ul>", "</div>", "<hr>") goes to
``dropped`` as "markup". No tag and no entity reaches a story.

Line by line, so the input's line numbers hold: an input line becomes one line or more
(a paragraph break is a blank line), each carrying its number. ``read_html`` also gives
each input line's text as converted, which the account compares with the result."""

from __future__ import annotations

import html
import re

from .model import DroppedLine

# A tag: name, then attributes up to the next ">" (at most 500 characters and never
# across another "<", so a run of "<" or an unclosed tag is read once).
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,9})\b([^<>]{0,500})>")
# A comment on one line ("<!-- footer -->"): each character is read once.
COMMENT_RE = re.compile(r"<!--(?:[^-]|-(?!->)){0,2000}-->")
# An HTML text: lines that open with a block tag, three at least.
_BLOCK_START_RE = re.compile(
    r"^[ \t]*<(?:p|h[1-6]|li|ul|ol|div|br|hr|table|tr|td|blockquote|section|article)\b",
    re.IGNORECASE | re.MULTILINE,
)
HTML_MIN_BLOCK_TAGS = 3
_BREAKS = frozenset({
    "p", "div", "ul", "ol", "table", "tr", "blockquote", "section", "article", "header",
    "footer", "hr", "body", "html", "head", "main", "nav", "figure",
})
_ATTR_RE = re.compile(r"""\b(href|src|alt)\s*=\s*(?:"([^"]{0,400})"|'([^']{0,400})')""", re.I)
_SKIPPED = frozenset({"title", "style", "script"})  # their text is no story text


def looks_like_html(text: str) -> bool:
    """Three lines or more opening with a block tag, and a closing tag somewhere."""
    if "</" not in text:
        return False
    for found, _ in enumerate(_BLOCK_START_RE.finditer(text), start=1):
        if found >= HTML_MIN_BLOCK_TAGS:
            return True
    return False


def read_html(
    lines: list[str], nos: list[int], dropped: list[DroppedLine] | None = None
) -> tuple[list[str], list[str]]:
    """The lines as Markdown (``nos`` is updated to match) and each input line's
    converted text (by position in ``lines``, for the account)."""
    out: list[str] = []
    out_nos: list[int] = []
    converted: list[str] = []
    for no, line in zip(nos, lines, strict=True):
        pieces = _convert(line) if "<" in line or "&" in line else [line]
        text = " ".join(piece for piece in pieces if piece)
        converted.append(text)
        if line.strip() and not text:
            if dropped is not None:
                dropped.append(DroppedLine(no, line.strip(), "markup"))
            out += ["", ""]  # a paragraph ends at a tag-only line
            out_nos += [no, no]
            continue
        out += pieces
        out_nos += [no] * len(pieces)
    nos[:] = out_nos
    return out, converted


def _convert(line: str) -> list[str]:
    """One input line as output lines; "" is a paragraph break (a blank line)."""
    out: list[str | None] = [""]  # None: a paragraph break; a string: a line
    pos = 0
    href: str | None = None
    skip = False

    def add(text: str) -> None:
        if out[-1] is None:
            out.append(text)
        else:
            out[-1] += text

    if "<!--" in line:
        line = COMMENT_RE.sub("", line)
    for m in TAG_RE.finditer(line):
        if not skip:
            add(_text(line[pos:m.start()]))
        pos = m.end()
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name in _SKIPPED:
            skip = not closing
        elif len(name) == 2 and name[0] == "h" and name[1] in "123456":
            out += [None] if closing else [None, "#" * int(name[1]) + " "]
        elif name in _BREAKS:
            out.append(None)
        elif name == "li":
            if not closing:
                out.append("- ")
        elif name == "br":
            out.append("")
        elif name in ("strong", "b"):
            add("**")
        elif name in ("em", "i"):
            add("*")
        elif name == "a":
            if closing and href:
                add(f"]({href})")
                href = None
            elif not closing:
                href = _attr(m.group(3), "href")
                add("[" if href else "")
        elif name == "img":
            src = _attr(m.group(3), "src")
            if src:
                add(f"![{_attr(m.group(3), 'alt') or ''}]({src})")
    if not skip:
        add(_text(line[pos:]))
    if href:  # a link left open on its line: its text stays, without the bracket
        last = next(k for k in range(len(out) - 1, -1, -1) if out[k] and "[" in out[k])
        out[last] = out[last].replace("[", "", 1)
    return _tidy(out)


def _text(raw: str) -> str:
    """Entities decoded; a no-break space is a space (normalise ran before the decoding)."""
    return html.unescape(raw).replace("\u00a0", " ") if "&" in raw else raw


def _attr(attrs: str, name: str) -> str | None:
    for m in _ATTR_RE.finditer(attrs):
        if m.group(1).lower() == name:
            return html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
    return None


_EMPTY_MARKS = frozenset({"-", "#", "##", "###", "####", "#####", "######", "**", "*"})


def _tidy(pieces: list[str | None]) -> list[str]:
    """Spaces trimmed; lines left with no text ("", "- ", "# ") gone; a run of breaks one
    blank line, kept at either end (the paragraph ends there)."""
    out: list[str] = []
    broken = False
    for piece in pieces:
        if piece is None:
            broken = True
            continue
        piece = " ".join(piece.split())
        if not piece or piece in _EMPTY_MARKS:
            continue
        if broken and (not out or out[-1]):
            out.append("")
        out.append(piece)
        broken = False
    if broken or not out:
        out.append("")
    return out

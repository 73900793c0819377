"""Stage 2b: a newsletter forwarded by e-mail, made the newsletter again before the
masthead is read.

- A forward quoted with "> " on every line (a mail client's reply or inline forward):
  the quote marks are taken off from the first quoted line to the end, when every
  non-blank line there is quoted and the quote holds a forward separator or e-mail
  header lines, or an "On … wrote:" line stands over it. A quoted blank line (">"
  alone) is dropped as "markup".
- The cover note above a forward separator ("-----Original Message-----", "----------
  Forwarded message ---------", "Begin forwarded message:", "-------- Пересылаемое
  сообщение --------", "On 4 April 2023, Ann wrote:", Gmail's "ср, 12 апр. 2023 г. в
  10:05, Name <address>:"): the sender's header lines,
  greeting, "Please find below …" and signature go to ``dropped`` as "e-mail cover
  note", the separator with them, when that part is short (FORWARD_MAX_LINES) and reads
  as an e-mail (a "From:"/"Subject:" line, a greeting, or a few words such as "sharing
  with you", "please find below"), or is nothing at all. The
  forwarded message's own header lines right under the separator go as "e-mail header".
- With no separator, a short cover note that says it is one (header lines above it, or
  "please find below …") from its greeting to its sign-off ("Best regards,") and the
  signature lines under it goes as "e-mail cover note" too.

The cover note's "Subject:" line is kept as a source of the issue's series, number and
date below the masthead's (the masthead of the forwarded newsletter, not the day the
e-mail was sent, dates the issue). One pass over the lines; every pattern is bounded.
"""

from __future__ import annotations

import re

from .masthead import _series_name
from .metadata import Metadata, from_header_line
from .model import DroppedLine

FORWARD_MAX_LINES = 60
SEPARATOR_RE = re.compile(
    r"^(?:-{2,} ?(?:original message|forwarded message|пересылаемое сообщение"
    r"|исходное сообщение|переадресованное сообщение) ?-{0,20}"
    r"|begin forwarded message:?|forwarded message:?)$",
    re.IGNORECASE,
)
# "On Tue, 4 Apr 2023 at 09:12, Ann Lee <ann@example.org> wrote:" (tested on lines of at
# most 250 characters), "4 апр. 2023 г., в 09:12, Анна <…> написал(а):".
WROTE_RE = re.compile(r"^(?:on\b.{4,240}\bwrote|.{4,240}\bнаписал(?:\(а\)|а)?):$", re.IGNORECASE)
# Gmail's line over a quote in any language: "ср, 12 апр. 2023 г. в 10:05, Пресс-служба
# <press@example.org>:" (a date, then the sender's address in brackets, then a colon).
ADDRESSED_RE = re.compile(r"\d.{0,200}<[^<>@\s]{1,64}@[^<>\s]{1,200}>:$")
# A mail client's header lines, English and Russian.
HEADER_RE = re.compile(
    r"^(?:from|sent|date|to|cc|bcc|subject|reply-to|от|отправлено|дата|кому|копия|тема)"
    r" ?:", re.IGNORECASE,
)
SUBJECT_RE = re.compile(r"^(?:subject|тема) ?:", re.IGNORECASE)
GREETING_RE = re.compile(
    r"^(?:hello|hi|dear|greetings|good (?:morning|afternoon|day)|здравствуйте|добрый день"
    r"|уважаемые|коллеги)\b.{0,60}[,!]$",
    re.IGNORECASE,
)
SIGNOFF_RE = re.compile(
    r"^(?:(?:with )?(?:best|kind|kindest|warm|warmest|many thanks and best) regards|regards"
    r"|(?:with )?best wishes"
    r"|(?:yours )?sincerely|many thanks|thank you|thanks|cheers|с уважением"
    r"|с наилучшими пожеланиями|всего доброго)[,.!]?$",
    re.IGNORECASE,
)
FORWARDING_RE = re.compile(
    r"\b(?:please )?find (?:below|attached|enclosed)|\bbelow (?:is|you will find)"
    r"|\b(?:forward(?:ing)?|sharing|share with you)\b|\bнаправляю|\bпересылаю|\bниже\b",
    re.IGNORECASE,
)
NOTE_MAX_WORDS = 80
QUOTE_RE = re.compile(r"^(?:> ?)+")  # each round takes one ">": no two ways to match


def _is_separator(line: str) -> bool:
    return bool(SEPARATOR_RE.match(line)) or (
        len(line) <= 250 and line.endswith(":") and (
            WROTE_RE.match(line) is not None
            or line.endswith(">:") and ADDRESSED_RE.search(line) is not None
        )
    )


def strip_forward(
    lines: list[str], nos: list[int], dropped: list[DroppedLine] | None = None
) -> tuple[list[str], Metadata]:
    """The lines without the quote marks and cover note of a forward (see the module's
    docstring), ``nos`` updated to match; and what the cover note's subject line says
    of the issue (series, number, date), to be trusted below the masthead."""
    lines = _unquote(lines, nos, dropped)
    meta = Metadata()
    stripped = [line.strip() for line in lines[:FORWARD_MAX_LINES + 1]]
    at = next((k for k, line in enumerate(stripped) if line and _is_separator(line)), None)
    if at is None:
        at = _signed_note(stripped)
    if at is None:
        return lines, meta
    before = [line for line in stripped[:at] if line]
    if before and not any(HEADER_RE.match(line) or GREETING_RE.match(line) for line in before):
        note = " ".join(before)
        if len(note.split()) > NOTE_MAX_WORDS or not FORWARDING_RE.search(note):
            return lines, meta  # text above a separator that is no e-mail: leave it be
    end = at + 1
    while end < len(lines) and (
        not lines[end].strip() and end == at + 1 or HEADER_RE.match(lines[end].strip())
    ):
        end += 1
    subjects = [line for line in (*stripped[:at], *(s.strip() for s in lines[at + 1:end]))
                if SUBJECT_RE.match(line)]
    if subjects:
        meta = _subject_meta(subjects[-1])
    if dropped is not None:
        for k in range(end):
            text = lines[k].strip()
            if text:
                reason = "e-mail cover note" if k <= at else "e-mail header"
                dropped.append(DroppedLine(nos[k], text, reason))
    del nos[:end]
    return lines[end:], meta


def _signed_note(stripped: list[str]) -> int | None:
    """Where a cover note with no separator under it ends (its signature's last line):
    a greeting near the top, a sign-off ("Best regards,") and the signature lines glued to
    it. Only a short note (NOTE_MAX_WORDS) that says it is one, by the e-mail's header
    lines above it or words such as "please find below": a director's letter ("Dear
    readers, …  Sincerely,") is the issue's editorial and stays."""
    greeting = next((k for k, line in enumerate(stripped[:12]) if GREETING_RE.match(line)),
                    None)
    if greeting is None:
        return None
    sign = next((k for k in range(greeting + 1, min(len(stripped), greeting + 16))
                 if SIGNOFF_RE.match(stripped[k])), None)
    if sign is None:
        return None
    end = sign
    while end + 1 < len(stripped) and stripped[end + 1] and end < sign + 3:
        end += 1
    note = " ".join(stripped[greeting + 1:sign])
    headed = any(HEADER_RE.match(line) for line in stripped[:greeting])
    if len(note.split()) > NOTE_MAX_WORDS or not (headed or FORWARDING_RE.search(note)):
        return None
    return end


def _subject_meta(line: str) -> Metadata:
    """The series, number and date a subject line prints ("FW: Steppe Bridge Update
    No. 9 (April 2023)")."""
    meta = from_header_line(line)
    meta.series = _series_name(line, strip_identity=True)
    return meta


def _unquote(lines: list[str], nos: list[int], dropped: list[DroppedLine] | None
             ) -> list[str]:
    """The lines with a quoted forward's "> " marks taken off (see the docstring)."""
    first = next((k for k, line in enumerate(lines[:FORWARD_MAX_LINES + 1])
                  if line.lstrip()[:1] == ">"), None)
    if first is None:
        return lines
    quoted = [line.strip() for line in lines[first:] if line.strip()]
    if len(quoted) < 3 or any(line[:1] != ">" for line in quoted):
        return lines
    inner = [QUOTE_RE.sub("", line).strip() for line in quoted[:FORWARD_MAX_LINES]]
    over = next((line.strip() for line in reversed(lines[:first]) if line.strip()), "")
    if not (_is_separator(over) or any(_is_separator(x) or HEADER_RE.match(x) for x in inner)):
        return lines  # a Markdown blockquote at the end of a file, not a forward
    out = lines[:first]
    for k in range(first, len(lines)):
        line = lines[k].strip()
        text = QUOTE_RE.sub("", line) if line else ""
        if line and not text.strip() and dropped is not None:
            dropped.append(DroppedLine(nos[k], line, "markup"))  # ">" alone: a blank line
        out.append(text)
    return out

"""How sure the parser is of its result: a score from 0 to 1 and the reasons, in words a
user can act on. Below CONFIDENCE_THRESHOLD a file needs review before it is imported."""

from __future__ import annotations

import re

from .columns import COLUMNS_WARNING
from .model import CONFIDENCE_THRESHOLD, ParsedIssue
from .text import TITLE_MAX_WORDS

# Dropped for what they are, not lost: these lines never were story text.
STRUCTURAL_REASONS = {
    "running header", "page number", "masthead", "front matter", "directory heading",
    "continued on page", "key figure", "contents list", "e-mail footer", "e-mail greeting",
    "rule", "markup", "comment", "style block", "script block", "footnotes heading",
    "e-mail cover note", "e-mail header", "e-mail disclaimer",
}
# Never story text either, but information the result does not hold (the directory has no
# field for an office's street and web address): set aside from the share of words in
# stories, and still named in the reasons, so a reviewer sees them.
SET_ASIDE_REASONS = STRUCTURAL_REASONS | {"footer address"}
TINY_BODY_WORDS = 15
NOT_PLACED = "not placed"  # account.py's reason (not imported: account imports this module's user)
# One story holding this share of the story words, when the file printed headings or
# the story has no title, is a layout the parser did not see (everything in one story).
DOMINANT_SHARE = 0.7
DOMINANT_MIN_WORDS = 80
_WORD_RE = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _directory_words(issue: ParsedIssue) -> int:
    d = issue.directory
    return (
        sum(1 + 2 * len(o.emails) for o in d.offices)
        + sum(4 + _words(h.number) + _words(h.note) for h in d.hotlines)
        + sum(
            _words(p.name) + _words(p.role) + 2 * len(p.phones) + (3 if p.email else 0) + 1
            for p in d.people
        )
    )


def score(issue: ParsedIssue, text: str, layout: str = "auto") -> tuple[float, list[str]]:
    """Share of the input's words that are in stories, less a little for each tiny body,
    one-word title, empty section and warning, and more for the marks of a wrong layout
    (_structure_penalties) unless the user chose the layout "one-story", whose one
    untitled story is what was asked for."""
    stories = [st for s in issue.sections for st in s.stories]
    if not stories:
        return 0.0, ["no stories found"]
    reasons: list[str] = []
    story_words = sum(
        _words(st.title) + _words(st.body) + sum(_words(ph.caption) for ph in st.photos)
        + sum(_words(im.alt) + _words(im.caption) for im in st.images)
        for st in stories
    ) + sum(_words(s.title) for s in issue.sections)
    set_aside = sum(_words(d.text) for d in issue.dropped if d.reason in SET_ASIDE_REASONS)
    figures = sum(3 for _ in issue.key_figures)
    expected = _words(text) - set_aside - _directory_words(issue) - figures
    share = min(1.0, story_words / expected) if expected > 0 else 1.0
    value = min(1.0, share / 0.9)
    if share < 0.9:
        reasons.append(f"only {share:.0%} of the text's words are in stories")
    lost = [d for d in issue.dropped if d.reason not in STRUCTURAL_REASONS]
    if lost:
        why = ", ".join(sorted({d.reason for d in lost}))
        reasons.append(f"{len(lost)} line(s) dropped as {why}")
    tiny = [st for st in stories if _words(st.body) < TINY_BODY_WORDS and not st.photos]
    if tiny:
        value -= min(0.3, 0.3 * len(tiny) / len(stories) + 0.05 * len(tiny))
        reasons.append(f"{len(tiny)} of {len(stories)} stories have fewer than "
                       f"{TINY_BODY_WORDS} words")
    one_word = [st for st in stories if len(st.title.split()) == 1]
    if one_word:
        value -= min(0.2, 0.1 * len(one_word))
        reasons.append(f"{len(one_word)} story title(s) of one word: "
                       + ", ".join(f"'{st.title}'" for st in one_word[:5]))
    empty = [s for s in issue.sections if not s.stories]
    if empty:
        value -= min(0.2, 0.1 * len(empty))
        reasons.append(f"{len(empty)} empty section(s): "
                       + ", ".join(f"'{s.title}'" for s in empty[:5]))
    if issue.warnings:
        value -= min(0.2, 0.03 * len(issue.warnings))
        first = issue.warnings[0] if len(issue.warnings[0]) <= 80 else issue.warnings[0][:79] + "…"
        reasons.append(f"{len(issue.warnings)} warning(s), the first: {first}")
    if layout != "one-story":
        value -= _structure_penalties(issue, stories, reasons)
    if any(COLUMNS_WARNING in w for w in issue.warnings):
        # Columns read apart: their order and titles are a guess a person must check.
        value = min(value, CONFIDENCE_THRESHOLD - 0.05)
        reasons.append("two columns side by side were read apart: check the stories")
    not_placed = [d for d in issue.dropped if d.reason == NOT_PLACED]
    if not_placed:
        # Text the parser could not place is never a confident parse, whatever else holds.
        value = min(value, CONFIDENCE_THRESHOLD - 0.1) - min(0.2, 0.02 * len(not_placed))
        reasons.append(f"{len(not_placed)} line(s) not placed anywhere, the first: line "
                       f"{not_placed[0].line} '{_clip(not_placed[0].text)}'")
    return max(0.0, round(value, 2)), reasons


# Any closing mark, not only a sentence's end (text._ends_sentence): a line ending in
# "…", "," or a closing quote is not read as a bare title.
_CLOSING_MARKS = ".!?:;,…»\"'”)"


def _opens_with_title(story) -> bool:
    """The body's first paragraph is one line of 2 to TITLE_MAX_WORDS words, starting
    with a capital and ending with no punctuation, and more text follows it."""
    first, sep, rest = story.body.partition("\n\n")
    line = first.strip()
    return bool(
        sep and rest.strip() and "\n" not in line and line[:1].isupper()
        and line[-1:] not in _CLOSING_MARKS and 2 <= len(line.split()) <= TITLE_MAX_WORDS
    )


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _structure_penalties(issue: ParsedIssue, stories: list, reasons: list[str]) -> float:
    """What a wrong layout leaves behind: one story holding most of the text, text with
    no heading at all, a section whose stories all lack a title, headings that became
    empty stories. Each costs enough that two of them put a file below the threshold.

    A titled section's first story may have no title: that is how the seeds print a
    section's introduction (the section heading titles it), and it costs nothing."""
    penalty = 0.0
    headless = [
        st for s in issue.sections for k, st in enumerate(s.stories)
        if not st.title and (not s.title or k > 0)
    ]
    sizes = [_words(st.body) for st in stories]
    total = sum(sizes)
    biggest = max(range(len(stories)), key=sizes.__getitem__)
    share = sizes[biggest] / total if total else 0.0
    if total >= DOMINANT_MIN_WORDS and share >= DOMINANT_SHARE and (
        len(stories) > 1 or any(st is stories[biggest] for st in headless)
    ):
        penalty += 0.25
        title = stories[biggest].title
        reasons.append(f"one story ({f'{title!r}' if title else 'untitled'}) holds "
                       f"{share:.0%} of the story text")
    if headless:
        penalty += min(0.4, 0.2 * len(headless))
        reasons.append(f"{len(headless)} untitled story(ies) with no section heading "
                       "above them either")
    # ...unless it opens with what reads as a title ("Shelter opens in Osh" alone on its
    # line, then the text): more likely a title the parser did not see than an intro.
    titled_intros = [
        s.stories[0] for s in issue.sections
        if s.title and s.stories and not s.stories[0].title and _opens_with_title(s.stories[0])
    ]
    if titled_intros:
        penalty += min(0.4, 0.2 * len(titled_intros))
        first = titled_intros[0].body.split("\n", 1)[0]
        reasons.append(f"{len(titled_intros)} untitled story(ies) opening with a line that "
                       f"reads as a title, the first: '{_clip(first)}'")
    blind = [s for s in issue.sections if len(s.stories) > 1
             and not any(st.title for st in s.stories)]
    if blind:
        penalty += 0.25
        reasons.append(f"{len(blind)} section(s) whose stories all have no title: "
                       + ", ".join(f"'{s.title}'" for s in blind[:5]))
    empty = [st for st in stories if st.title and not st.body.strip() and not st.photos
             and not st.images]
    if empty:
        penalty += min(0.4, 0.25 * len(empty))
        reasons.append(f"{len(empty)} heading(s) turned into empty stories: "
                       + ", ".join(f"'{st.title}'" for st in empty[:5]))
    return penalty

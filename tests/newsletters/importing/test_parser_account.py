"""Nothing is lost silently (issue 10, item 1): every line of the input is in the result
or in ``dropped`` with a reason, and story text is never dropped.

Hypothesis writes newsletters in the plain-text style of the archive (section headings
in capitals over two blank lines, story headings, wrapped paragraphs, running headers
that fall between paragraphs or in the middle of one, contact blocks and hotline
sentences), in Markdown ("##"/"###") or in setext Markdown (headings underlined with
"===" and "---"), with the contact block under a "Contact our country offices:" line or
under a "Contact us" heading of the file's own style, and checks every word it wrote
against what the parser gives back.
"""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletters.importing import parser as p

# Words that trigger no rule of their own (no numbers, countries, "photo", "hotline"...).
VOCABULARY = [
    "river", "school", "garden", "market", "volunteers", "bridge", "library", "winter",
    "harvest", "teachers", "families", "village", "road", "clinic", "festival", "choir",
    "boats", "fields", "mountain", "bakery", "orchard", "lantern", "meadow", "potters",
]
COUNTRIES = {"KAZAKHSTAN": "KZ", "KYRGYZSTAN": "KG", "TAJIKISTAN": "TJ", "UZBEKISTAN": "UZ"}

word = st.sampled_from(VOCABULARY)
# Headings may say "hotline": such a story must not swallow what follows it.
heading_word = st.sampled_from([*VOCABULARY, "hotline", "hotlines"])


@st.composite
def paragraph(draw) -> list[str]:
    """Two to four sentences of 8-14 words, wrapped at about 60 characters."""
    sentences = []
    for _ in range(draw(st.integers(2, 4))):
        words = draw(st.lists(word, min_size=8, max_size=14))
        sentences.append(" ".join(words).capitalize() + ".")
    lines, line = [], ""
    for w in " ".join(sentences).split():
        if line and len(line) + len(w) > 60:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return [*lines, line]


@st.composite
def newsletter(draw):
    """(text, paragraphs, headings, e-mails, hotline numbers) of an invented issue, in
    the plain style (bare headings, blank lines tell sections from stories), the
    Markdown one ("## section", "### story") or setext ("===" under a section, "---"
    under a story)."""
    style = draw(st.sampled_from(["plain", "markdown", "setext"]))
    markdown = style == "markdown"
    number = draw(st.integers(1, 99))
    header = f"MEADOWLAND GAZETTE, ISSUE {number}, 01/0{draw(st.integers(1, 9))}/2021"
    out: list[str] = [header, ""]
    paragraphs: list[list[str]] = []
    headings: list[str] = []
    emails: list[str] = []
    hotlines: list[str] = []
    used_headings: set[str] = set()

    def heading(n_min: int, n_max: int) -> str:
        while True:
            text = " ".join(draw(st.lists(heading_word, min_size=n_min, max_size=n_max))).upper()
            if text not in used_headings:
                used_headings.add(text)
                return text

    for _ in range(draw(st.integers(1, 3))):
        section = heading(1, 3)
        headings.append(section)
        if style == "setext":
            out += [section, "=" * len(section), ""]
        else:
            out += [f"## {section}" if markdown else section, "", "", ""]
        for _ in range(draw(st.integers(1, 3))):
            title = heading(4, 7)
            headings.append(title)
            if style == "setext":
                out += [title, "-" * len(title), ""]
            else:
                out += [f"### {title}" if markdown else title, ""]
            for _ in range(draw(st.integers(1, 3))):
                para = draw(paragraph())
                paragraphs.append(para)
                if len(para) > 2 and draw(st.booleans()):
                    cut = draw(st.integers(1, len(para) - 1))  # a page break mid-paragraph
                    out += para[:cut] + [header] + para[cut:] + [""]
                else:
                    out += para + [""]
            if draw(st.booleans()):
                out += [header, ""]
    if draw(st.booleans()):
        code = draw(st.sampled_from(sorted(COUNTRIES)))
        number_text = str(draw(st.integers(1000, 99999)))
        hotlines.append(number_text)
        out += [f"{code.capitalize()}'s national hotline ({number_text}) continues to "
                "receive calls.", ""]
    if draw(st.booleans()):
        # The contact block under a line that says so, or under a heading of its own.
        out += draw(st.sampled_from([
            ["Contact our country offices:", ""],
            {"plain": ["Contact us", ""], "markdown": ["## Contact us", ""],
             "setext": ["Contact us", "----------", ""]}[style],
        ]))
        for name in draw(st.lists(st.sampled_from(sorted(COUNTRIES)), min_size=1, max_size=3,
                                  unique=True)):
            email = f"gazette-{COUNTRIES[name].lower()}@example.org"
            emails.append(email)
            out.append(f"{name}: {email}")
    return "\n".join(out) + "\n", paragraphs, headings, emails, hotlines


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newsletter())
def test_every_line_is_in_the_result_or_dropped_with_a_reason(generated):
    text, paragraphs, headings, emails, hotlines = generated
    issue = p.parse(text)
    stories = [story for s in issue.sections for story in s.stories]
    bodies = [" ".join(story.body.split()) for story in stories]
    titles = {s.title.lower() for s in issue.sections} | {story.title.lower() for story in stories}

    # Story text is never dropped: each paragraph is whole in one story's body.
    for para in paragraphs:
        joined = " ".join(para)
        assert any(joined in body for body in bodies), joined
    # Every heading is a section or story title.
    for heading in headings:
        assert heading.lower() in titles, heading
    # The directory holds the contact block and the hotline sentence.
    assert sorted(e for o in issue.directory.offices for e in o.emails) == sorted(emails)
    assert sorted(h.number for h in issue.directory.hotlines) == sorted(hotlines)

    # Every word written is in the result or in a dropped line that gives a reason.
    kept = set()
    for story in stories:
        kept |= _words(story.title) | _words(story.body)
    for section in issue.sections:
        kept |= _words(section.title)
    for office in issue.directory.offices:
        kept |= {o.lower() for o in COUNTRIES if COUNTRIES[o] == office.country}
        kept |= _words(" ".join(office.emails))
    for hotline in issue.directory.hotlines:
        kept |= _words(hotline.note)
        kept |= {o.lower() for o in COUNTRIES if COUNTRIES[o] == hotline.country}
    dropped = set()
    for line in issue.dropped:
        assert line.reason, line
        assert text.split("\n")[line.line - 1].strip() == line.text
        dropped |= _words(line.text)
    # The hotline sentence is the directory's now: its connecting words ("continues to
    # receive calls") are its note's context, counted with the hotline.
    sentence_words = _words("national hotline continues to receive calls s")
    missing = _words(text) - kept - dropped - (sentence_words if hotlines else set())
    assert not missing, missing
    # And the dropped lines are only what the generator wrote as non-story lines: no
    # line is "not placed" (the accounting stage found every line somewhere).
    assert {line.reason for line in issue.dropped} <= {"running header", "directory heading"}
    assert not issue.warnings

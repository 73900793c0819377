"""Shapes met in the second probe of unseen newsletter styles: a wiki export's emoji
section markers ("📌 News", "☎️ Hotlines") are decoration before the heading's words."""

import pytest

from newsletters.importing import parser as p
from newsletters.importing.parser.blocks import strip_emoji_marker
from tests.newsletters.importing.parsing import HEADER, STORY, section_titles


@pytest.mark.parametrize(("text", "want"), [
    ("📌 News", "News"), ("☎️ Hotlines", "Hotlines"), ("👩‍👧 Mothers and daughters",
                                                     "Mothers and daughters"),
    ("№ 5 special", "№ 5 special"), ("⭐", "⭐"), ("News 📌", "News 📌"), ("→Next", "→Next"),
])
def test_only_a_leading_pictograph_before_a_space_is_stripped(text, want):
    assert strip_emoji_marker(text) == want


def test_emoji_marked_plain_headings_are_sections_and_titles():
    issue = p.parse(
        f"{HEADER}\n\n📌 NEWS\n\n\nNew Shelter Opens\n\n{STORY}\n\n"
        f"☎️ Hotlines\n\n\n🏠 Home Visits\n\n{STORY}\n"
    )
    assert section_titles(issue) == [
        ("News", ["New Shelter Opens"]), ("Hotlines", ["Home Visits"]),
    ]


def test_emoji_marked_markdown_headings_are_read_without_the_marker():
    issue = p.parse(
        f"# Safe Roads, No. 5, April 2024\n\n## 📌 News\n\n### 🏠 Home visits\n\n{STORY}\n"
    )
    assert section_titles(issue) == [("News", ["Home visits"])]

"""Outline-numbered headings ("1. PROTECTION" over "1.1 Shelter …", "I." and "A." tops,
"2.3.1" deeper) and the key-figure rule they broke ("1.1 Shelter …" read as the figure
1.1 people): each rule on a few lines. Whole files: tests/fixtures/archive_styles/."""

from decimal import Decimal

from newsletters.importing import parser as p
from newsletters.importing.parser.text import figure_line

from .parsing import HEADER, STORY, section_titles

_titles = section_titles


def _not_placed(issue):
    return [d.text for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_an_outline_number_over_a_title_is_no_figure_line():
    assert figure_line("1.1 Shelter in Khujand doubles its capacity") is None
    assert figure_line("2.2 School debates") is None


def test_a_decimal_with_a_unit_word_or_a_share_is_still_a_figure_line():
    assert figure_line("12.5 tonnes of flour delivered") is not None
    assert figure_line("12.5% of the budget spent") is not None
    assert figure_line("1,250 returning workers counselled") is not None


def test_outline_numbers_make_sections_and_stories_and_no_figures():
    text = (f"{HEADER}\n\n1. PROTECTION\n\n1.1 Shelter doubles its capacity\n\n{STORY}\n\n"
            f"1.2 Legal clinics on wheels\n\n{STORY}\n\n2. PREVENTION\n\n"
            f"2.1 Radio drama\n\n{STORY}\n\n2.2 School debates\n\n{STORY}\n")
    issue = p.parse(text)
    assert _titles(issue) == [
        ("Protection", ["Shelter doubles its capacity", "Legal clinics on wheels"]),
        ("Prevention", ["Radio drama", "School debates"]),
    ]
    assert issue.key_figures == []
    assert _not_placed(issue) == []


def test_outline_titles_glued_to_their_text():
    text = (f"{HEADER}\n\n1. NEWS\n\n1.1 Shelter doubles its capacity\n{STORY}\n\n"
            f"1.2 Legal clinics on wheels\n{STORY}\n")
    issue = p.parse(text)
    assert _titles(issue) == [
        ("News", ["Shelter doubles its capacity", "Legal clinics on wheels"]),
    ]
    assert issue.sections[0].stories[1].body == STORY


def test_sub_numbers_alone_are_stories():
    text = f"{HEADER}\n\n3.1 Shelter news\n\n{STORY}\n\n3.2 Legal clinics\n\n{STORY}\n"
    assert _titles(p.parse(text)) == [("", ["Shelter news", "Legal clinics"])]


def test_roman_tops_over_numbered_stories():
    text = (f"{HEADER}\n\nI. PROTECTION\n\n1.1 Shelter news\n\n{STORY}\n\n"
            f"II. PREVENTION\n\n2.1 Radio drama\n\n{STORY}\n")
    issue = p.parse(text)
    assert _titles(issue) == [
        ("Protection", ["Shelter news"]), ("Prevention", ["Radio drama"]),
    ]
    assert _not_placed(issue) == []


def test_lettered_stories():
    text = f"{HEADER}\n\nA. Shelter news\n\n{STORY}\n\nB. Radio drama\n\n{STORY}\n"
    assert _titles(p.parse(text)) == [("", ["Shelter news", "Radio drama"])]


def test_a_third_level_stays_a_line_of_its_story():
    text = (f"{HEADER}\n\n1. PROTECTION\n\n1.1 Shelter news\n\n{STORY}\n\n"
            f"1.1.1 New beds\n\n{STORY}\n\n1.2 Legal clinics\n\n{STORY}\n")
    issue = p.parse(text)
    assert _titles(issue) == [("Protection", ["Shelter news", "Legal clinics"])]
    assert "1.1.1 New beds" in issue.sections[0].stories[0].body


def test_numbers_out_of_order_are_no_outline():
    text = f"{HEADER}\n\n2.4 Shelter news\n\n{STORY}\n\n1.3 Legal clinics\n\n{STORY}\n"
    titles = [st.title for s in p.parse(text).sections for st in s.stories]
    assert "Legal clinics" not in titles  # the numbers stay: nothing read as an outline


def test_one_lettered_line_is_no_outline():
    text = f"{HEADER}\n\nNews\n\n\nA. Tal visits\n\n{STORY}\n"
    titles = [st.title for s in p.parse(text).sections for st in s.stories]
    assert "Tal visits" not in titles


def test_a_decimal_figure_with_a_unit_word_is_still_a_key_figure():
    text = (f"{HEADER}\n\nNEWS\n\n\nSchools open\n\n{STORY}\n\nKEY FIGURES\n\n\n"
            "12.5 tonnes of flour delivered\n1,250 returning workers counselled\n")
    got = [(f.label, f.value) for f in p.parse(text).key_figures]
    assert got == [("Tonnes of flour delivered", Decimal("12.5")),
                   ("Returning workers counselled", 1250)]


# A report's labels, story trailers and longer one-line titles (outline.py, shapes.py):
# the shapes the invented report, press digest and "Read more" bulletin showed.

def test_section_labels_and_boxes_lose_their_labels():
    text = (f"{HEADER}\n\nSection 1: Protection\n\nShelter news\n{STORY}\n\n"
            f"Box 1: What a shelter offers\n{STORY}\n\nSECTION 2 — PREVENTION\n\n"
            f"Radio drama\n{STORY}\n")
    issue = p.parse(text)
    assert _titles(issue) == [
        ("Protection", ["Shelter news", "What a shelter offers"]),
        ("Prevention", ["Radio drama"]),
    ]
    assert _not_placed(issue) == []


def test_a_label_inside_a_sentence_is_no_heading():
    text = f"{HEADER}\n\nNews\n\n\nShelter news\n\nSection 3: the law says workers may leave.\n"
    titles = [st.title for s in p.parse(text).sections for st in s.stories]
    assert "the law says workers may leave" not in " ".join(titles).lower()


def test_a_glued_title_over_a_clipping_that_ends_with_its_source():
    clipping = ("Border crossing at Zhibek Zholy to work around the clock\n"
                "The crossing on the road to Tashkent will stay open day and night during\n"
                "the spring season, the border service said, to shorten the queues.\n"
                "Source: Tengrinews, 14 March 2023\n")
    issue = p.parse(f"{HEADER}\n\n{clipping}")
    story = issue.sections[0].stories[0]
    assert story.title == "Border crossing at Zhibek Zholy to work around the clock"
    assert story.body.endswith("queues.\n\nSource: Tengrinews, 14 March 2023")


def test_a_block_without_a_trailer_keeps_the_sixty_percent_rule():
    text = (f"{HEADER}\n\nThe crossing on the road to Tashkent stays open\n"
            "day and night during the spring season, the border service said today.\n")
    issue = p.parse(text)
    assert [st.title for s in issue.sections for st in s.stories] == [""]


def test_a_longer_title_of_the_files_shape_after_a_finished_story():
    long_story = STORY + " " + STORY
    text = (f"{HEADER}\n\nShelter news\n\n{long_story}\n\nRead more: https://x.example.org/a\n\n"
            f"A legal help desk at the bus station\n\n{long_story}\n\n"
            f"Radio drama\n\n{long_story}\n")
    assert _titles(p.parse(text)) == [
        ("", ["Shelter news", "A legal help desk at the bus station", "Radio drama"]),
    ]


def test_a_longer_line_is_no_title_where_the_file_shows_no_such_titles():
    text = f"{HEADER}\n\nA legal help desk at the bus station\n\n{STORY}\n"
    titles = [st.title for s in p.parse(text).sections for st in s.stories]
    assert "A legal help desk at the bus station" not in titles


def test_one_short_title_is_enough_to_show_the_files_shape():
    # Under a section heading in capitals: a seven-word title first, a short one after.
    long_story = STORY + " " + STORY
    text = (f"{HEADER}\n\nFIELD NEWS\n\n\nA legal help desk at the bus station\n\n"
            f"{long_story}\n\nRadio drama\n\n{long_story}\n")
    assert _titles(p.parse(text)) == [
        ("Field News", ["A legal help desk at the bus station", "Radio drama"]),
    ]

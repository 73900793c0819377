"""Unit tests of each parser step, each on a few lines of text."""

import datetime

import pytest

from newsletters.importing import countries as c
from newsletters.importing import parser as p


def blocks(text):
    return p.split_blocks(p.normalise(text).split("\n"))


def items(text):
    return [(i.kind, i.text) for i in p.join_paragraphs(p.classify_blocks(blocks(text)))]


# -- countries


@pytest.mark.parametrize(
    "word, code",
    [("TAJKISTAN", "TJ"), ("Kazakhstan's", "KZ"), ("Kyrgyz", "KG"), ("Turkmen", "TM"),
     ("uzbekistan:", "UZ"), ("Russia", None)],
)
def test_country_code(word, code):
    assert c.country_code(word) == code


def test_find_countries_ignores_adjectives_by_default():
    assert c.find_countries("70 Kyrgyz migrants left Kazakhstan for Tajikistan") == ["KZ", "TJ"]
    assert c.find_countries("70 Kyrgyz migrants", adjectives=True) == ["KG"]


@pytest.mark.parametrize(
    "printed, country, e164",
    [("+99290080080 0", "TJ", "+992900800800"), ("+ 918-85-34-34", "TJ", "+992918853434"),
     ("11616", "KZ", None), ("1899", "KG", None), ("189", "KG", None),
     ("8 8000 8000 15", "KZ", "+78000800015"), ("0800 0000189", "KG", "+9968000000189"),
     ("+996 312 641364", "KG", "+996312641364"), ("+ 99 312 463514", "TM", "+99312463514"),
     ("00 998 71 276 94 44", None, "+998712769444"), ("", "KZ", None)],
)
def test_normalise_phone(printed, country, e164):
    assert c.normalise_phone(printed, country) == e164


@pytest.mark.parametrize(
    "printed, country, tidy",
    [("+ 918-85-34-34", "TJ", "+992 918 85 34 34"),
     ("+ 99871 276 94 44", "UZ", "+998 71 276 94 44"),
     ("+ 99 312 463514;", "TM", "+993 12 463514"), ("+992900800800", "TJ", "+992900800800"),
     ("8 8000  8000 15", "KZ", "8 8000 8000 15")],
)
def test_tidy_phone(printed, country, tidy):
    assert c.tidy_phone(printed, country) == tidy


# -- normalise and headers


def test_normalise_line_endings_and_spaces():
    assert p.normalise("\ufeffa\r\nb\u00a0c  \rd\n   \ne") == "a\nb c\nd\n\ne"


def test_smart_title():
    assert p.smart_title("ADVOCATING FOR HUMAN RIGHTS OF MIGRANTS") == (
        "Advocating for Human Rights of Migrants")
    assert p.smart_title("direct assistance") == "Direct Assistance"
    assert p.smart_title("IOM COUNTER-TRAFFICKING PROGRAMME IN CENTRAL ASIA") == (
        "IOM Counter-Trafficking Programme in Central Asia")
    assert p.smart_title("COVID-19 AND NGOS") == "COVID-19 and NGOs"
    assert p.smart_title("Mixed Case stays as written") == "Mixed Case stays as written"


def test_running_header_is_removed_and_read():
    lines, info = p.strip_running_headers(
        ["to combat", "", "IOM CENTRAL ASIA REGIONAL RESPONSE REPORT, ISSUE 1, 01/02/2021 ● ●",
         "", "human trafficking"])
    assert lines == ["to combat", "", "", "human trafficking"]
    assert (info.series, info.number, info.date) == (
        "IOM Central Asia Regional Response Report", 1, datetime.date(2021, 2, 1))


@pytest.mark.parametrize(
    "line, number, date",
    [("**Issue №4, 7 August 2020**", 4, datetime.date(2020, 8, 7)),
     ("# BULLETIN, ISSUE 6, 02/10/2020 ● ● ●", 6, datetime.date(2020, 10, 2)),
     ("Issue No. 12, March 3, 2019", 12, datetime.date(2019, 3, 3))],
)
def test_running_header_variants(line, number, date):
    lines, info = p.strip_running_headers([line])
    assert lines == [] and (info.number, info.date) == (number, date)


def test_sentence_mentioning_an_issue_is_not_a_header():
    lines, info = p.strip_running_headers(["This issue, 7 August 2020, was late."])
    assert lines and info.number is None


# -- blocks and joining


def test_split_blocks_counts_blank_lines_and_isolates_headings():
    bs = blocks("TITLE\n\n\nbody one\nbody two\n## Heading\ntext")
    assert [(b.lines, b.blank_after, b.md_level) for b in bs] == [
        (["TITLE"], 2, None), (["body one", "body two"], 0, None),
        (["Heading"], 0, 2), (["text"], 0, None)]


def test_join_lines_mends_hyphenation_but_keeps_real_hyphens():
    assert p.join_lines(["Com-", "bating trafficking in", "Jalal-", "Abad"]) == (
        "Combating trafficking in Jalal-Abad")
    assert p.join_lines(["non-", "governmental"]) == "non-governmental"
    assert p.join_lines(["areas:", "- one", "- two"]) == "areas:\n- one\n- two"


def test_page_break_paragraphs_are_joined():
    assert items("the risks of\n\nmigration processes.\n\nNext one.") == [
        ("para", "the risks of migration processes."), ("para", "Next one.")]
    assert items("migrants back to\n\nTajikistan by land.") == [
        ("para", "migrants back to Tajikistan by land.")]
    assert items("It was very valu-\n\nable indeed.") == [("para", "It was very valuable indeed.")]
    assert items("It ends here.\n\nand this is a new paragraph.") == [
        ("para", "It ends here."), ("para", "and this is a new paragraph.")]


# -- headings


def test_plain_section_vs_story_headings():
    text = ("PARTNERSHIP IN ACTION\n\n\n\nTRAINING MANUAL ON RETURN MIGRATION\n\n"
            "On 23 November a course began.")
    assert items(text) == [("section", "Partnership in Action"),
                           ("story", "Training Manual on Return Migration"),
                           ("para", "On 23 November a course began.")]


def test_multi_line_capital_heading_is_one_story_title():
    assert items("IOM CONTINUES PROVIDING\nASSISTANCE TO MIGRANTS.\n\nIOM helped.")[0] == (
        "story", "IOM Continues Providing Assistance to Migrants")


def test_lowercase_heading_standing_alone():
    assert items("direct assistance\n\n\n\nPhoto above.  Text follows here.")[0] == (
        "section", "Direct Assistance")


def test_short_lowercase_fragment_is_not_a_heading():
    assert items("three areas:\n\nbeing silent\n\nabout violence.") == [
        ("para", "three areas:"), ("para", "being silent about violence.")]


def test_markdown_levels_and_country_headings():
    text = "## SECTION ONE\n\n### A story\n\nText.\n\n### KYRGYZSTAN: Dialogue in Bishkek."
    assert [(i.kind, i.text, i.countries) for i in p.classify_blocks(blocks(text))] == [
        ("section", "Section One", []), ("story", "A story", []), ("para", "Text.", []),
        ("story", "Dialogue in Bishkek", ["KG"])]


def test_masthead_names_the_series():
    rest, series = p.extract_masthead(blocks("## STEPPE NEWSLETTER\n\n### KAZAKHSTAN: x"))
    assert series == "Steppe Newsletter" and len(rest) == 1
    rest, series = p.extract_masthead(blocks("## DIRECT ASSISTANCE\n\nSince the start."))
    assert series is None and len(rest) == 2


# -- captions


@pytest.mark.parametrize(
    "text, expected",
    [("Photo of a shoemaker in Kostanay", [("caption", "Photo of a shoemaker in Kostanay")]),
     ("Photo by IOM Kazakhstan.\nIn November 18 migrants returned.",
      [("caption", "Photo by IOM Kazakhstan."), ("para", "In November 18 migrants returned.")]),
     ("Photo above by IOM partners. During the period IOM helped.",
      [("caption", "Photo above by IOM partners."), ("para", "During the period IOM helped.")]),
     ("Photo by IOM Tajikistan. Outreach in 2011. This photo was reused.",
      [("caption", "Photo by IOM Tajikistan. Outreach in 2011. This photo was reused.")]),
     ("Photos: Campaign-marathon", [("caption", "Photos: Campaign-marathon")]),
     ("Photo 1-2. Representatives at the roundtable.",
      [("caption", "Photo 1-2. Representatives at the roundtable.")])],
)
def test_captions(text, expected):
    assert items(text) == expected


# -- boilerplate and directory


def test_boilerplate_is_dropped():
    kept, warnings = p.drop_boilerplate(blocks(
        "FOLLOW US ON [FACEBOOK](#)\n\nPlease click on the photo to see more\n\n7\n\nStory.\n\n"
        "<sup>1</sup> [source](https://example.org)"))
    assert [b.text for b in kept] == ["Story."]
    assert warnings == ["footnote dropped: '1 source'"]


def test_table_of_contents_is_dropped_until_the_text_resumes():
    kept, _ = p.drop_boilerplate(blocks(
        "#### In this edition:\n\n**Kazakhstan:** Seminar 1\n\n**Kyrgyzstan:** Com- 2\nbating\n\n"
        "In November a seminar was held."))
    assert [b.text for b in kept] == ["In November a seminar was held."]


def test_contact_block_goes_to_the_directory():
    kept, directory = p.extract_directory(blocks(
        "Story text.\n\nContact IOM missions in Central Asia:\n\nKAZAKHSTAN\n"
        "[a@iom.int](mailto:a@iom.int)/b@iom.int\nTAJKISTAN: c@iom.int\nTURKMENISTAN d@iom.int"))
    assert [b.text for b in kept] == ["Story text."]
    assert [(o.country, o.emails) for o in directory.offices] == [
        ("KZ", ["a@iom.int", "b@iom.int"]), ("TJ", ["c@iom.int"]), ("TM", ["d@iom.int"])]


def test_hotline_sentence():
    hotlines = p.parse_hotline_sentence(
        "Kazakhstan's (11616) and Kyrgyzstan's national hotline (1899) as well as emergency "
        "cell number in Tajikistan +992900800800 continue to receive calls.")
    assert [(h.country, h.number, h.note, h.e164) for h in hotlines] == [
        ("KZ", "11616", "national hotline", None), ("KG", "1899", "national hotline", None),
        ("TJ", "+992900800800", "emergency cell number", "+992900800800")]


def test_hotline_table_and_staff_list():
    kept, directory = p.extract_directory(blocks(
        "## TEAM\n\nMs. Ann Example\nCT Officer for Kyrgyz-\nstan\n\nTel: + 996 312 612456\n"
        "ann@example.org\n\n# Hotlines\n\n### Kyrgyzstan\n\n189 (Bishkek)\n0800 0000189\n"
        "(regions)\n\n### Tajikistan\n\n+ 918-85-34-34"))
    assert kept == []
    assert [(x.name, x.role, x.country, x.phones, x.email) for x in directory.people] == [
        ("Ms. Ann Example", "CT Officer for Kyrgyzstan", "KG", ["+996 312 612456"],
         "ann@example.org")]
    assert [(h.country, h.number, h.note) for h in directory.hotlines] == [
        ("KG", "189", "Bishkek"), ("KG", "0800 0000189", "regions"),
        ("TJ", "+992 918 85 34 34", "")]


# -- key figures


def test_figures_from_prose_with_ocr_damage():
    figures, pure = p.figures_in_text(
        "COVID-19 in Central Asia (Kazakhstan): 330, 528 registered cases, 4,378 deaths.")
    assert [(f.label, f.value, f.unit) for f in figures] == [
        ("COVID-19 registered cases", 330528, "cases"), ("COVID-19 deaths", 4378, "deaths")]
    assert pure


def test_assisted_figure_in_bold():
    figures, pure = p.figures_in_text(
        "IOM missions in Central Asia have assisted **4,017** victims of trafficking.")
    assert [(f.label, f.value) for f in figures] == [
        ("Migrants and victims of trafficking assisted", 4017)]
    assert pure


def test_figure_in_a_longer_story_stays_in_the_text():
    figures, pure = p.figures_in_text(
        "We have assisted 40 people. Then the office moved to a new building in spring.")
    assert figures and not pure


def test_bold_figure_block():
    kept, figures = p.extract_key_figures(p.classify_blocks(blocks(
        "## S\n\n**COVID-19 overview**\n\n**171,428**\n\n**Registered**\n\n**2,758**\n\n"
        "**Deaths<sup>1</sup>**\n\nStory text.")))
    assert [(f.label, f.value) for f in figures] == [
        ("COVID-19 registered cases", 171428), ("COVID-19 deaths", 2758)]
    assert [i.text for i in kept] == ["S", "Story text."]


def test_figure_lines():
    kept, figures = p.extract_key_figures(p.classify_blocks(blocks(
        "1,377 hotline calls received\n431 returning migrants counselled")))
    assert kept == [] and [(f.label, f.value, f.unit) for f in figures] == [
        ("Hotline calls received", 1377, "calls"), ("Returning migrants counselled", 431, "people")]


# -- inline clean-up and whole issues


def test_clean_inline_warns_about_junk():
    warnings = []
    body = p.clean_inline(
        "[Click here](#) to read. Return of $\\frac{3120}{120}$ migrants on the 10<sup>th</sup>.",
        "story 'X'", warnings)
    assert body == "Click here to read. Return of migrants on the 10th."
    assert warnings == [
        "dead link '[Click here](#)' in story 'X'",
        "conversion junk '$\\frac{3120}{120}$' removed from story 'X'",
        "leftover <sup> tags removed in story 'X'"]


def test_parse_minimal_issue():
    issue = p.parse("BULLETIN, ISSUE 2, 15/04/2023 ● ●\n\nNEWS\n\n\n\nA quiet month.")
    assert issue.to_dict() == {
        "series": "Bulletin", "number": 2, "date": "2023-04-15", "title": "Bulletin — Issue 2",
        "sections": [{"title": "News", "stories": [
            {"title": "", "countries": [], "body": "A quiet month.", "photos": [],
             "images": []}]}],
        "key_figures": [], "directory": {"offices": [], "hotlines": [], "people": []},
        "warnings": [], "date_precision": "day",
        "dropped": [
            {"line": 1, "text": "BULLETIN, ISSUE 2, 15/04/2023 ● ●", "reason": "running header"}],
        "confidence": 0.7, "confidence_reasons": ["1 of 1 stories have fewer than 15 words"]}


def test_parse_uses_series_argument_only_when_text_names_none():
    assert p.parse("Issue №4, 7 August 2020\n\nText.", series="Given").series == "Given"
    assert p.parse("X REPORT, ISSUE 1, 01/02/2021\n\nText.", series="Given").series == "X Report"
    assert p.parse("Just text.", series="Given").title == "Given"


def test_parse_error_when_nothing_identifies_the_issue():
    with pytest.raises(p.ParseError, match="no recognisable issue"):
        p.parse("Just some text.\n\nAnd more.")
    with pytest.raises(p.ParseError):
        p.parse("")

"""Newsletters in styles the importer had not met (the "parser robustness" brief): HTML
pasted as text, English/Russian pairs, Word's "save as text", stories parted by rules,
Kazakh, OCR with ligatures. Each defect found on the corpus files
(tests/fixtures/archive_styles/, expectations in expected.py) has a short test here;
the corpus-wide aspects the general corpus tests do not check (text that must be absent,
people, hotlines) are checked at the end."""

import pytest

from newsletters.importing import parser as p
from newsletters.importing.reader import decode
from tests.fixtures.archive_styles.expected import EXPECTED

from .test_parser_archive_styles import CORPUS

BODY = "The volunteers met on the green and agreed on a plan for the whole of the summer."


def _stories(issue):
    return [(s.title, st.title) for s in issue.sections for st in s.stories]


def _body(issue, title):
    return next(st.body for s in issue.sections for st in s.stories if st.title == title)


# ------------------------------------------------------------ OCR, Kazakh/Kyrgyz names


def test_a_byline_with_kazakh_or_kyrgyz_capitals_is_a_byline():
    # "By Өмүр ..." was no byline ([A-ZА-Я] misses Ө), so the title above it stayed
    # glued to the text and the section over it became a story.
    text = ("NEWS\n\nISSUE 5, 14/03/2022\n\nFIELD REPORTS\n\nA clinic on wheels\nBy Өмүр "
            f"Токтогулова\n\n{BODY}\n\nNurses train in Naryn\nBy Ғалия Сәрсенбаева\n\n{BODY}\n")
    issue = p.parse(text, series="News")
    assert _stories(issue) == [("Field Reports", "A clinic on wheels"),
                               ("Field Reports", "Nurses train in Naryn")]
    assert _body(issue, "A clinic on wheels").startswith("By Өмүр Токтогулова\n\n")


def test_a_byline_needs_capitalised_names():
    from newsletters.importing.parser.shapes import is_byline

    assert is_byline("By Ғалия Сәрсенбаева") and is_byline("by Mira Tal")
    assert not is_byline("by the river") and not is_byline("By")


def test_a_contact_person_whose_name_starts_with_a_kyrgyz_capital():
    text = (f"NEWS, ISSUE 5, 14/03/2022\n\nA clinic\n\n{BODY}\n\nCONTACTS\n\nKYRGYZSTAN\n"
            "Ms. Үмүт Асанова\nProgramme Coordinator\nTel: +996 312 555 010\n"
            "umut@example.org\n")
    issue = p.parse(text)
    assert [(x.name, x.role, x.country, x.email) for x in issue.directory.people] == [
        ("Ms. Үмүт Асанова", "Programme Coordinator", "KG", "umut@example.org")]
    assert not issue.directory.offices
    assert issue.warnings == []


def test_a_long_scanner_footer_naming_its_page_is_a_running_header():
    footer = "Scanned by the Tien Shan Health Network archive — page {} of 2"
    text = (f"NEWS, ISSUE 5, 14/03/2022\n\nA clinic\n\n{BODY}\n\n{footer.format(1)}\n\n"
            f"Nurses train\n\n{BODY}\n\n{footer.format(2)}\n")
    issue = p.parse(text)
    assert [d.reason for d in issue.dropped if "Scanned" in d.text] == ["running header"] * 2


def test_ligatures_become_letters():
    issue = p.parse("NEWS, ISSUE 5, 14/03/2022\n\nA clinic\n\nThe ﬁrst van ﬂew past the "
                    "ﬀ and ﬃ and ﬄ and ﬅ signs. " + BODY)
    assert "The first van flew past the ff and ffi and ffl and st signs." in _body(
        issue, "A clinic")
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


# ------------------------------------------------------------------- the whole corpus


NEW_ASPECTS = [n for n in EXPECTED if {"absent", "people", "hotlines"} & set(EXPECTED[n])]


@pytest.fixture(scope="module")
def parsed():
    return {n: p.parse(decode((CORPUS / n).read_bytes()), filename=n) for n in NEW_ASPECTS}


@pytest.mark.parametrize("name", NEW_ASPECTS)
def test_corpus_text_absent_people_and_hotlines(parsed, name):
    issue, want = parsed[name], EXPECTED[name]
    texts = [issue.title, *(s.title for s in issue.sections)]
    for s in issue.sections:
        for st in s.stories:
            texts += [st.title, st.body, *(ph.caption for ph in st.photos)]
    for bad in want.get("absent", []):
        assert not [t for t in texts if bad in t], bad
    if "people" in want:
        assert [(x.name, x.role, x.country, x.phones, x.email)
                for x in issue.directory.people] == want["people"]
    if "hotlines" in want:
        assert [(h.country, h.number, h.note)
                for h in issue.directory.hotlines] == want["hotlines"]


# ---------------------------------------------------------------------------- Kazakh


KZ_BODY = ("Өскемен қаласында шетелге жұмысқа баратын азаматтарға арналған кеңес беру "
           "орталығы ашылды. Заңгер апта сайын тегін кеңес береді.")


@pytest.mark.parametrize(("printed", "month"), [
    ("Қаңтар 2023", 1), ("ақпан 2023", 2), ("Наурыз 2023", 3), ("сәуір 2023", 4),
    ("Мамыр 2023", 5), ("маусым 2023", 6), ("Шілде 2023", 7), ("тамыз 2023", 8),
    ("Қыркүйек 2023", 9), ("Қазан 2023", 10), ("қараша 2023", 11), ("Желтоқсан 2023", 12),
])
def test_kazakh_month_names_are_months(printed, month):
    import datetime

    assert p.find_date(f"№ 8 · {printed}") == (datetime.date(2023, month, 1), "month")


def test_kazakh_day_month_year():
    import datetime

    assert p.find_date("2023 жылғы 15 қазан") == (datetime.date(2023, 10, 15), "day")
    assert p.find_date("15 қазан 2023 ж.") == (datetime.date(2023, 10, 15), "day")


@pytest.mark.parametrize("banner", [
    "«ҚАУІПСІЗ ЖОЛ» АҚПАРАТТЫҚ БЮЛЛЕТЕНІ", "АҚПАРАТТЫҚ БЮЛЛЕТЕНІ «ҚАУІПСІЗ ЖОЛ»",
])
def test_a_banner_of_a_quoted_name_and_generic_words_names_the_series_by_the_name(banner):
    issue = p.parse(f"{banner}\n№ 8 · 2023\n\nЖАҢАЛЫҚТАР\n\n\nОрталық ашылды\n\n{KZ_BODY}\n")
    assert issue.series == "Қауіпсіз жол"
    issue = p.parse(f"«SAFE ROAD» INFORMATION BULLETIN\nNo. 8 · 2023\n\nNews\n\n{BODY}\n")
    assert issue.series == "Safe Road"


def test_kazakh_contacts_heading_office_and_hotline():
    issue = p.parse(f"ХАБАР, № 8 · 2023\n\n\nОрталық ашылды\n\n{KZ_BODY}\n\n\nБАЙЛАНЫС\n\n\n"
                    "Қазақстан: info@example.kz\nСенім телефоны: 1424 (тегін)\n")
    assert [(o.country, o.emails) for o in issue.directory.offices] == [
        ("KZ", ["info@example.kz"])]
    assert [(h.country, h.number, h.note) for h in issue.directory.hotlines] == [
        ("KZ", "1424", "тегін")]
    assert _stories(issue) == [("", "Орталық ашылды")]


# ------------------------------------------------------------ stories parted by rules


@pytest.mark.parametrize("rule", ["---", "___", "* * *", "***", "- - -", "~~~"])
def test_a_rule_between_stories_parts_them_and_is_in_no_story(rule):
    text = (f"NEWS, ISSUE 4, 01/06/2022\n\nFirst story\n{BODY}\n\n{rule}\n\nSecond story\n"
            f"{BODY}\n\n{rule}\n")
    issue = p.parse(text)
    assert _stories(issue) == [("", "First story"), ("", "Second story")]
    assert [st.body for s in issue.sections for st in s.stories] == [BODY, BODY]
    assert [(d.line, d.reason) for d in issue.dropped if d.reason != "running header"] == [
        (6, "rule"), (11, "rule")]
    assert issue.confidence_reasons == []


def test_a_rule_inside_a_story_stays_and_debris_is_still_junk():
    issue = p.parse(f"NEWS, ISSUE 4, 01/06/2022\n\nFirst story\n\n{BODY}\n\n* * *\n\n{BODY}\n\n"
                    "● ● ●\n\nSecond story\n\n" + BODY)
    assert f"{BODY}\n\n* * *\n\n{BODY}" in _body(issue, "First story")
    assert [d.reason for d in issue.dropped if d.text == "● ● ●"] == ["conversion junk"]


# ---------------------------------------------------------- English/Russian pairs

EN = ("Twenty drivers from the Aktau depot spent two days learning first aid with the "
      "volunteers of the Red Steppe society.")
RU = ("Двадцать водителей из депо Актау провели два дня с волонтёрами общества «Красная "
      "степь», изучая первую помощь.")
MAST = "CASPIAN CROSSINGS / КАСПИЙСКИЕ ПЕРЕХОДЫ\nNewsletter No. 12 · October 2023\n\n\n"


def test_each_half_of_a_bilingual_capital_line_takes_its_own_language_case():
    assert p.smart_title("CASPIAN CROSSINGS / КАСПИЙСКИЕ ПЕРЕХОДЫ") == (
        "Caspian Crossings / Каспийские переходы")
    assert p.smart_title("ЖАҢЫЛЫКТАР / НОВОСТИ") == "Жаңылыктар / Новости"
    assert p.smart_title("NEWS / EVENTS OF THE MONTH") == "News / Events of the Month"


def test_a_bilingual_country_heading_tags_the_stories_under_it():
    issue = p.parse(f"{MAST}KAZAKHSTAN / КАЗАХСТАН\n\n\nDrivers learn first aid\n\n{EN}\n\n"
                    f"TURKMENISTAN / ТУРКМЕНИСТАН\n\n\nA reading corner\n\n{EN}\n")
    assert [(s.title, st.title, st.countries) for s in issue.sections for st in s.stories] == [
        ("", "Drivers learn first aid", ["KZ"]), ("", "A reading corner", ["TM"])]


@pytest.mark.parametrize("heading", [
    "Drivers learn first aid on the Aktau road / Водители учатся первой помощи на трассе Актау",
    "Drivers learn first aid on the Aktau road\nВодители учатся первой помощи на трассе Актау",
])
def test_a_bilingual_title_heads_one_story_holding_both_versions(heading):
    issue = p.parse(f"{MAST}{heading}\n\n{EN}\n\n{RU}\n\nA second story / Второй сюжет\n\n{EN}\n")
    title = ("Drivers learn first aid on the Aktau road / Водители учатся первой помощи на "
             "трассе Актау")
    assert _stories(issue) == [("", title), ("", "A second story / Второй сюжет")]
    assert _body(issue, title) == f"{EN}\n\n{RU}"
    assert issue.confidence >= p.CONFIDENCE_THRESHOLD
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_two_lines_of_one_language_are_no_bilingual_title():
    issue = p.parse(f"{MAST}A story\n\nThe drivers met at noon\nand talked until dark\n\n{EN}\n")
    assert _stories(issue) == [("", "A story")]


def test_a_bilingual_contacts_heading_and_country_lines():
    issue = p.parse(f"{MAST}Drivers learn first aid\n\n{EN}\n\n\nContacts / Контакты\n\n"
                    "Kazakhstan / Казахстан: kz@example.org\n"
                    "Turkmenistan / Туркменистан: tm@example.org\n")
    assert [(o.country, o.emails) for o in issue.directory.offices] == [
        ("KZ", ["kz@example.org"]), ("TM", ["tm@example.org"])]
    assert _stories(issue) == [("", "Drivers learn first aid")]


def test_a_title_over_a_cyrillic_byline_is_no_bilingual_title():
    issue = p.parse(f"{MAST}A reading corner\nBy Өмүр Токтогулова\n\n{EN}\n")
    assert _stories(issue) == [("", "A reading corner")]
    assert _body(issue, "A reading corner").startswith("By Өмүр Токтогулова\n\n")


# ------------------------------------------------------------- Word "save as text"

LONG = ("The association replaced the three boilers of Block C in January, after two winters "
        "of breakdowns, and the new boilers use a third less gas; the heating can now be set "
        "for each floor, which the tenants on the top floor asked for at every meeting.")
WORD_HEAD = "Meridian Tenants' Newsletter\r\nNo. 17 · 12 February 2024\r\n\r\n"


def test_a_word_text_file_keeps_one_paragraph_per_line():
    # Word's "save as text" writes a paragraph as one long line and no blank line
    # between paragraphs: the lines were joined into one paragraph under no title.
    issue = p.parse(f"{WORD_HEAD}New boilers\r\n{LONG}\r\n{LONG}\r\nThe work\r\n{LONG}\r\n")
    assert _stories(issue) == [("", "New boilers"), ("", "The work")]
    assert _body(issue, "New boilers") == f"{LONG}\n\n{LONG}"


def test_wrapped_lines_of_a_paragraph_are_still_one_paragraph():
    # A line over 100 characters that ends no sentence runs on into the next one.
    wrapped = BODY[:-1] + " and then walked down to the river to see where the bridge is"
    issue = p.parse(f"{WORD_HEAD}New boilers\r\n\r\n{wrapped}\r\n{LONG}\r\n")
    assert _body(issue, "New boilers") == f"{wrapped} {LONG}"


def test_numbered_headings_over_unnumbered_ones_are_sections():
    issue = p.parse(f"{WORD_HEAD}1. Heating upgrades\r\nNew boilers\r\n{LONG}\r\n"
                    f"What tenants can do\r\n{LONG}\r\n2. The committee\r\n{LONG}\r\n")
    assert _stories(issue) == [("Heating upgrades", "New boilers"),
                               ("Heating upgrades", "What tenants can do"),
                               ("The committee", "")]
    assert issue.confidence >= p.CONFIDENCE_THRESHOLD, issue.confidence_reasons


def test_numbered_story_titles_stay_stories():
    issue = p.parse(f"{WORD_HEAD}1. Heating upgrades\r\n{LONG}\r\n2. The committee\r\n{LONG}\r\n")
    assert _stories(issue) == [("", "Heating upgrades"), ("", "The committee")]


def test_bracketed_and_superscript_footnotes_are_kept_at_the_end_of_their_story():
    text = (f"{WORD_HEAD}New boilers\r\n\r\nThe boilers broke down twice.[1] The new ones use a "
            "third less gas.¹ Tenants are pleased.\r\n\r\nFootnotes\r\n\r\n[1] Repair log, "
            "2022–2023.\r\n¹ Gas bills of 2023.\r\n")
    issue = p.parse(text)
    assert _stories(issue) == [("", "New boilers")]
    # The markers stay as printed; the notes, one a line (a Markdown hard break), last.
    assert _body(issue, "New boilers") == (
        "The boilers broke down twice.[1] The new ones use a third less gas.¹ Tenants are "
        "pleased.\n\nNotes: [1] Repair log, 2022–2023.\\\n¹ Gas bills of 2023.")
    assert [(d.line, d.reason) for d in issue.dropped if "footnote" in d.reason] == [
        (8, "footnotes heading")]
    assert issue.warnings == []
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_a_bracketed_number_nothing_refers_to_is_no_footnote():
    issue = p.parse(f"{WORD_HEAD}How to apply\r\n\r\n[1] Call the office before noon.\r\n"
                    "[2] Bring your tenancy card.\r\n")
    assert "[1] Call the office before noon." in _body(issue, "How to apply")
    assert not [d for d in issue.dropped if d.reason == "footnote"]


# ------------------------------------------------------------------ HTML pasted as text

HTML_HEAD = "<h1>The Courier</h1>\n<p><strong>Issue 2</strong> &nbsp;|&nbsp; May 2024</p>\n\n"


def test_html_pasted_as_text_reads_as_markdown():
    text = (f"{HTML_HEAD}<h2>Community</h2>\n<h3>Library &amp; reading room</h3>\n"
            f"<p>{BODY[:31]}\n{BODY[32:]}</p>\n<p>Open from 9&nbsp;am &#8211; see "
            '<a href="https://example.org/lib">the site</a>.<br>Closed on <em>Sundays</em>.</p>'
            "\n<ul>\n<li>Tuesday: market</li>\n<li>Thursday: hall</li>\n</ul>\n"
            "<!-- the end -->\n")
    issue = p.parse(text)
    assert (issue.series, issue.number) == ("The Courier", 2)
    assert _stories(issue) == [("Community", "Library & reading room")]
    assert _body(issue, "Library & reading room") == (
        # <br> is a line break: a Markdown hard break ("\\" at the line's end).
        f"{BODY}\n\nOpen from 9 am – see [the site](https://example.org/lib).\\\nClosed on "
        "*Sundays*.\n\n- Tuesday: market\n- Thursday: hall")
    assert [(d.line, d.reason) for d in issue.dropped if d.reason in ("markup", "comment")] == [
        (9, "markup"), (12, "markup"), (13, "comment")]
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]
    assert issue.confidence == 1.0, issue.confidence_reasons


def test_a_few_tags_in_markdown_do_not_make_it_html():
    issue = p.parse("# The Courier\n\n## News\n\n### A story\n\nSee <b>this</b>.<br>\n"
                    f"{BODY}\n", series="The Courier")
    assert "<b>this</b>" in _body(issue, "A story")


# ------------------------------------------------------------------ Volume and issue


@pytest.mark.parametrize(("masthead", "printed", "volume", "number"), [
    ("Volume 4, Issue 2 · May 2024", "4", "4", 2),
    ("Vol. I - No. 6 · May 2024", "I", "1", 6),
    ("Vol. XIV - No. 6 · May 2024", "XIV", "14", 6),
    ("Volume 3, Number 2 — Summer 2021", "3", "3", 2),
])
def test_the_volume_is_read_with_the_number(masthead, printed, volume, number):
    # Stored with the number (issue 2 of volume 4 is not issue 2 of volume 1), in arabic
    # digits; the title keeps it as printed. Nothing to warn about.
    issue = p.parse(f"THE COURIER\n{masthead}\n\n\nNews\n\n{BODY}\n")
    assert (issue.volume, issue.number) == (volume, number)
    assert issue.title == f"The Courier — Vol. {printed}, Issue {number}"
    assert issue.warnings == []


def test_a_volume_without_an_issue_number_is_only_in_the_title():
    issue = p.parse(f"THE COURIER\nVol. 12 · May 2024\n\n\nNews\n\n{BODY}\n")
    assert (issue.number, issue.title, issue.warnings) == (
        None, "The Courier — Vol. 12, May 2024", [])


def test_find_volume():
    from newsletters.importing.parser.dates import find_volume

    assert find_volume("THE COURIER · Vol. 2, No. 6 · Page 3") == ("2", "Vol. 2, No. 6")
    assert find_volume("Том 3, № 5 · май 2019") == ("3", "Том 3, № 5")
    assert find_volume("Issue 9 · May 2024") is None
    assert find_volume("A volume of 40 pages") is None

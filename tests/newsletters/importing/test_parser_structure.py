"""Structure from the document itself (issue 10, item 4), the confidence score and the
layouts a user can choose when the automatic one fails (item 5)."""

from newsletters.importing import parser as p

BODY = "The volunteers met on the green and agreed on a plan for the whole of the summer."


def _stories(issue):
    return [(s.title, st.title, st.countries) for s in issue.sections for st in s.stories]


def test_country_headings_tag_the_stories_under_them():
    issue = p.parse(
        f"# Partners Digest\n\n#### Kazakhstan\n\n### Bus drivers meet\n\n{BODY}\n\n"
        f"### A night line\n\n{BODY}\n\n#### Kyrgyzstan\n\n### Councils plan\n\n{BODY}")
    assert _stories(issue) == [
        ("", "Bus drivers meet", ["KZ"]), ("", "A night line", ["KZ"]),
        ("", "Councils plan", ["KG"]),
    ]


def test_shallowest_level_holds_sections_and_the_single_top_heading_is_the_title():
    issue = p.parse(
        f"# Club Letter\n\n## News\n\n### One\n\n{BODY}\n\n## Notes\n\n### Two\n\n{BODY}")
    assert issue.series == "Club Letter"
    assert _stories(issue) == [("News", "One", []), ("Notes", "Two", [])]


def test_markdown_images_and_escapes():
    issue = p.parse(
        "## Letter\n\n### Notes\n\n#### Women\\-led \\*groups\\*\n\n"
        f'{BODY}\n\n![A stall](img/stall.png "The stall at noon")\n\n'
        "![](img/empty-alt.png)\n*Caption under it.*\n\nMore text after the pictures.",
        series="Letter")
    (story,) = [st for s in issue.sections for st in s.stories]
    assert story.title == "Women-led *groups*"
    assert [(i.src, i.alt, i.caption) for i in story.images] == [
        ("img/stall.png", "A stall", "The stall at noon"),
        ("img/empty-alt.png", "", "Caption under it."),
    ]
    assert story.body == f"{BODY}\n\nMore text after the pictures."


def test_continued_on_page_joins_the_rest_of_the_story():
    issue = p.parse(
        "NEWS, ISSUE 2, 01/02/2020\n\n\nHEALTH\n\n\nCLINICS OPEN\n\nThe clinics opened in the\n"
        "(Continued on page 4)\n\nSCHOOLS REOPEN\n\nAll schools reopened on Monday morning.\n\n"
        "CLINICS (Continued from page 1)\n\nvalley towns last week.")
    stories = {st.title: st.body for s in issue.sections for st in s.stories}
    assert stories == {
        "Clinics Open": "The clinics opened in the valley towns last week.",
        "Schools Reopen": "All schools reopened on Monday morning.",
    }
    assert [(d.line, d.reason) for d in issue.dropped][-2:] == [
        (10, "continued on page"), (16, "continued on page")]


def test_contents_lists_are_dropped_never_stories():
    issue = p.parse(
        "NEWS, ISSUE 2, 01/02/2020\n\nIN THIS ISSUE\nClinics open ....... 2\nRoads ....... 3\n\n"
        f"\nHEALTH\n\n\nCLINICS OPEN\n\n{BODY}\n\n## \n")
    assert _stories(issue) == [("Health", "Clinics Open", [])]
    assert [d.reason for d in issue.dropped].count("contents list") == 3


def test_colophon_and_page_numbers_are_dropped_with_their_reason():
    issue = p.parse(
        f"NEWS, ISSUE 2, 01/02/2020\n\n{BODY}\n\n7\n\n{BODY}\n\n"
        "Published by the Valley Trust.\nEditor: Ann Lee.\nISSN 1111-2222")
    reasons = [(d.text, d.reason) for d in issue.dropped]
    assert ("7", "page number") in reasons
    assert ("ISSN 1111-2222", "colophon") in reasons
    assert "Editor" not in issue.sections[0].stories[0].body


def test_a_story_title_with_hotline_keeps_the_last_story_and_the_contacts():
    issue = p.parse(
        "NEWS, ISSUE 2, 01/02/2020\n\n\nHELP\n\n\nA NEW HOTLINE FOR WORKERS\n\n"
        f"{BODY}\n\nLAST STORY\n\n{BODY}\n\nContact our offices:\n\nKAZAKHSTAN: a@example.org")
    assert [st.title for s in issue.sections for st in s.stories] == [
        "A New Hotline for Workers", "Last Story"]
    assert [(o.country, o.emails) for o in issue.directory.offices] == [("KZ", ["a@example.org"])]


def test_conversion_without_blank_lines_is_cut_into_stories():
    para = ("The new bridge over the river opened to traffic on Monday after two years of "
            "work by the\ncouncil and its builders, and buses now cross it every twenty "
            "minutes from the early\nmorning until late in the evening on every day.\n")
    text = "NEWS, ISSUE 2, 01/02/2020\nTRANSPORT\nBridge opens\n" + para * 3
    text += "Ferry stops\n" + para * 3
    issue = p.parse(text)
    assert _stories(issue) == [("Transport", "Bridge opens", []), ("Transport", "Ferry stops", [])]
    assert issue.confidence >= p.CONFIDENCE_THRESHOLD


def test_layout_one_story_keeps_every_heading_as_text():
    text = f"## Letter\n\n### News\n\n#### One\n\n{BODY}\n\n#### Two\n\n{BODY}"
    issue = p.parse(text, series="S", layout="one-story")
    (section,) = issue.sections
    (story,) = section.stories
    assert story.title == ""
    assert story.body.split("\n\n") == ["**News**", "**One**", BODY, "**Two**", BODY]


def test_layout_sections_turns_section_detection_off():
    text = f"## Letter\n\n### News\n\n#### One\n\n{BODY}\n\n### Notes\n\n#### Two\n\n{BODY}"
    assert [s.title for s in p.parse(text, series="S").sections] == ["News", "Notes"]
    issue = p.parse(text, series="S", layout="sections")
    assert [(s.title, [st.title for st in s.stories]) for s in issue.sections] == [
        ("", ["News", "One", "Notes", "Two"])]


def test_confidence_is_low_for_tiny_files_and_explains_why():
    good = p.parse(f"NEWS, ISSUE 2, 01/02/2020\n\n\nHEALTH\n\n\nCLINICS OPEN\n\n{BODY} {BODY}")
    assert (good.confidence, good.confidence_reasons) == (1.0, [])
    # "A" is too short to be a heading: a fragment before the first one, dropped.
    tiny = p.parse("NEWS, ISSUE 2, 01/02/2020\n\n\nA\n\n\nB\n\nTwo words.")
    assert tiny.confidence < p.CONFIDENCE_THRESHOLD
    assert tiny.confidence_reasons == [
        "only 75% of the text's words are in stories",
        "1 line(s) dropped as front-page fragment",
        "1 of 1 stories have fewer than 15 words",
        "1 story title(s) of one word: 'B'",
        "1 warning(s), the first: front-page fragments dropped: 'A'",
    ]
    empty = p.parse("NEWS, ISSUE 2, 01/02/2020\n")
    assert (empty.confidence, empty.confidence_reasons) == (0.0, ["no stories found"])


def test_repeated_headers_of_any_form_go_but_lists_and_sentences_stay():
    page = "THE COURIER · Vol. 2, No. 6 · Page {}"
    text = "\n\n".join([
        page.format(1), f"FERRIES\n\n{BODY}", "Step 1 of the plan\nStep 2 of the plan",
        page.format(2), "It rained on page 3 of the diary.", "It rained on page 4 of the diary.",
        page.format(3),
    ])
    issue = p.parse(text, series="The Courier")
    assert [(d.line, d.reason) for d in issue.dropped] == [
        (1, "running header"), (10, "running header"), (16, "running header")]
    assert issue.number == 6
    body = issue.sections[0].stories[0].body
    assert "Step 1 of the plan" in body and "It rained on page 4 of the diary." in body


def test_layout_debris_is_dropped_as_conversion_junk():
    issue = p.parse(f"NEWS, ISSUE 2, 01/02/2020\n\n● ● ●\n\n{BODY}\n\n| | |\n|---|\n\n.....")
    assert [(d.text, d.reason) for d in issue.dropped][1:] == [
        ("● ● ●", "conversion junk"), ("| | |", "conversion junk"),
        ("|---|", "conversion junk"), (".....", "conversion junk")]
    assert issue.sections[0].stories[0].body == BODY


def test_markdown_contents_list_is_dropped_and_the_next_story_keeps_its_title():
    issue = p.parse(
        "## Club Letter\n\n### In this issue\n\n- Clinics open\n- [Roads](#roads)\n\n"
        f"### News\n\n#### KAZAKHSTAN: Clinics open\n\n{BODY}\n\n#### Roads\n\n{BODY}")
    assert _stories(issue) == [("News", "Clinics open", ["KZ"]), ("News", "Roads", [])]
    assert [(d.line, d.reason) for d in issue.dropped] == [
        (1, "masthead"), (3, "contents list"), (5, "contents list"), (6, "contents list")]


def test_image_alt_and_title_may_hold_escaped_brackets_and_quotes():
    text = (
        "# Digest\n\n## News\n\n### Boats\n\nA ferry runs.\n\n"
        '![On the \\"Swallow\\" deck \\[bow\\]](photos/a.jpg "The \\"ferry\\"")\n'
    )
    (story,) = p.parse(text, series="S", number=1).sections[0].stories
    assert [(i.src, i.alt, i.caption) for i in story.images] == [
        ("photos/a.jpg", 'On the "Swallow" deck [bow]', 'The "ferry"')
    ]
    assert "![" not in story.body


# --- run-in titles, capital sections over one blank line, the end of a country's part --

STORY_TEXT = "Thirty drivers at the station signed a pledge to report passengers in trouble."


def test_bold_titles_run_into_their_text_are_stories():
    issue = p.parse(
        "# Digest, 1 May 2025\n\n## Uzbekistan\n\n"
        f"**Drivers sign a pledge** — {STORY_TEXT}\n\n"
        f"**Leaflets printed**: {STORY_TEXT}\n"
    )
    (section,) = issue.sections
    assert [(s.title, s.countries) for s in section.stories] == [
        ("Drivers sign a pledge", ["UZ"]), ("Leaflets printed", ["UZ"])
    ]
    assert [s.body for s in section.stories] == [STORY_TEXT, STORY_TEXT]


def test_one_bold_lead_in_is_emphasis_not_a_title():
    issue = p.parse(f"# Digest, 1 May 2025\n\n## News\n\n**Good news** — {STORY_TEXT}\n")
    (story,) = issue.sections[0].stories
    assert story.body == f"**Good news** — {STORY_TEXT}"


def test_capital_lines_over_titles_are_sections_with_one_blank_line_everywhere():
    text = "\n\n".join([
        "VALLEY UPDATE", "Issue 7 | July 2025",
        "ON THE FARMS", "A day with the foreman", STORY_TEXT,
        "IN THE TOWNS", "Advice desk opens", STORY_TEXT, "Radio on safe travel", STORY_TEXT,
    ])
    issue = p.parse(text)
    assert [(s.title, [st.title for st in s.stories]) for s in issue.sections] == [
        ("On the Farms", ["A day with the foreman"]),
        ("In the Towns", ["Advice desk opens", "Radio on safe travel"]),
    ]


def test_a_heading_at_the_country_headings_level_ends_their_part():
    base = "# Digest, 1 May 2025\n\n{c}Uzbekistan\n\n### Drivers\n\n{t}\n\n{o}Network news\n\n{t}\n"
    same = p.parse(base.format(c="## ", o="## ", t=STORY_TEXT))
    assert [s.countries for sec in same.sections for s in sec.stories] == [["UZ"], []]
    # Stories a level above their "####" country stay that country's.
    deeper = p.parse(base.format(c="#### ", o="### ", t=STORY_TEXT))
    assert [s.countries for sec in deeper.sections for s in sec.stories] == [["UZ"], ["UZ"]]

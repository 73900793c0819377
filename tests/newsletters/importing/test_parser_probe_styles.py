"""Rules from the probe of archives the importer had not met (all text invented): a
banner's "Issue N, date" line, two columns side by side, tables of spaced cells, dated and
numbered entries, interview turns, country headings in words, quoted headlines, a
table's title and a letter's signature. Each on a string of a few lines."""

from newsletters.importing import parser as p
from newsletters.importing.parser.blocks import entry_starts, join_lines
from newsletters.importing.parser.classify import country_code
from newsletters.importing.parser.columns import split_columns
from newsletters.importing.parser.text import is_spaced_table


def _stories(issue):
    return [(s.title, st.title, st.countries, st.body) for s in issue.sections for st in s.stories]


def test_an_issue_line_under_the_banner_is_the_masthead_not_a_page_header():
    issue = p.parse("CASPIAN MONITOR\nIssue 6, 15 January 2024\n\nNews\nA shelter opened.\n")
    assert (issue.series, issue.number, str(issue.date)) == ("Caspian Monitor", 6, "2024-01-15")
    assert [d.reason for d in issue.dropped] == ["masthead", "masthead"]


def test_the_same_line_alone_at_the_top_is_still_a_running_header():
    issue = p.parse("Issue 4, 7 August 2020\n\nText of a story.\n", series="S")
    assert [d.reason for d in issue.dropped] == ["running header"]
    assert issue.number == 4


def test_two_columns_side_by_side_are_read_left_then_right():
    lines = [
        "Shelter doubles its capacity        Desks open at the border",
        "The shelter in Khujand moved        Two desks opened at the",
        "to a bigger building in May.        border posts in June.",
    ]
    nos = [1, 2, 3]
    warnings: list[str] = []
    out = split_columns(lines, nos, warnings)
    assert out == [
        "Shelter doubles its capacity", "", "The shelter in Khujand moved",
        "to a bigger building in May.", "",
        "Desks open at the border", "", "Two desks opened at the", "border posts in June.",
    ]
    assert nos == [1, 1, 2, 3, 3, 1, 1, 2, 3]
    assert "two columns side by side" in warnings[0]


def test_a_parse_of_two_columns_needs_review():
    text = "COURIER\nIssue 9 · November 2022\n\n" + "\n".join([
        "Shelter doubles its capacity        Desks open at the border",
        "The shelter in Khujand moved        Two desks opened at the",
        "to a bigger building in May.        border posts in June.",
    ]) + "\n"
    issue = p.parse(text)
    assert [st[1] for st in _stories(issue)] == [
        "Shelter doubles its capacity", "Desks open at the border",
    ]
    assert issue.confidence < p.CONFIDENCE_THRESHOLD


def test_a_figures_table_or_a_spaced_table_is_no_pair_of_columns():
    figures = ["Hotline calls            1,377", "Referrals                  118",
               "Trainings                   12"]
    table = ["Country        Q1 2023   Q2 2023", "Kazakhstan        112       140",
             "Kyrgyzstan         87        95"]
    for lines in (figures, table):
        warnings: list[str] = []
        assert split_columns(list(lines), [1, 2, 3], warnings) == lines
        assert warnings == []


def test_rows_of_spaced_cells_stay_rows_with_their_spaces():
    rows = ["Region      Q1   Q2", "North       112  140", "Total       199  235"]
    assert is_spaced_table(rows)
    assert join_lines(rows) == "\n".join(rows)
    assert not is_spaced_table(["Hotline calls   1,377", "Referrals   118"])  # two cells
    issue = p.parse("S\nIssue 1, 1 May 2024\n\nAnnex table\n\n" + "\n".join(rows) + "\n")
    assert _stories(issue)[0][1:] == ("Annex table", [], "\n".join(rows))
    assert issue.key_figures == []


def test_dated_entries_keep_their_lines():
    lines = ["12 March 2025 — Round table, Osh", "3 April 2025 — Training, Naryn"]
    assert join_lines(lines) == "\n".join(lines)
    assert join_lines(["The meeting is on", "12 March 2025 in Osh."]) == (
        "The meeting is on 12 March 2025 in Osh."
    )


def test_numbered_entries_under_a_heading_are_a_story_with_its_title():
    assert entry_starts(["Past issues", "No. 11 — March 2023: a", "No. 10 — May 2022: b"]) == {
        1, 2,
    }
    issue = p.parse(
        "S\nIssue 12 · June 2023\n\nA story\nIts text, a whole sentence of it.\n\n"
        "Past issues\nNo. 11 — March 2023: Farms\nNo. 10 — December 2022: Helpline\n"
    )
    assert [st[1] for st in _stories(issue)] == ["A story", "Past issues"]
    assert _stories(issue)[1][3] == "No. 11 — March 2023: Farms\nNo. 10 — December 2022: Helpline"
    assert (issue.number, str(issue.date)) == (12, "2023-06-01")


def test_interview_turns_keep_their_lines():
    turns = ["Aigerim: How did you find", "the job?", "Nurlan: A friend.", "Aigerim: And then?"]
    assert join_lines(turns) == (
        "Aigerim: How did you find the job?\nNurlan: A friend.\nAigerim: And then?"
    )
    qa = ["Q: Which route?", "A: Osh to Sary-Tash."]
    assert join_lines(qa) == "\n".join(qa)
    qa = ["Q. How many cross here?", "A. About two thousand."]
    assert join_lines(qa) == "\n".join(qa)
    # One label, or two that never take turns, is no interview: the paragraph joins.
    assert join_lines(["The office says", "Source: Kazinform"]) == (
        "The office says Source: Kazinform"
    )
    assert join_lines(["Tel.: 123", "E-mail: a@b.org"]) == "Tel.: 123 E-mail: a@b.org"


def test_country_headings_in_words_tag_their_stories():
    assert [country_code(h) for h in ("IN KAZAKHSTAN", "From Kyrgyzstan", "Tajikistan update",
                                      "News from Uzbekistan", "In brief", "From the director")] == [
        "KZ", "KG", "TJ", "UZ", None, None,
    ]
    issue = p.parse(
        "S\nNo. 31, 4 September 2024\n\nIN KAZAKHSTAN\n\nFarm visits\n"
        "Inspectors and our lawyers visited farms in August.\n\nTajikistan update\n\n"
        "Courses reach Kulob\nThe migration service ran its first course for young men.\n"
    )
    assert [(st[0], st[1], st[2]) for st in _stories(issue)] == [
        ("", "Farm visits", ["KZ"]), ("", "Courses reach Kulob", ["TJ"]),
    ]
    assert "Tajikistan update" not in _stories(issue)[1][3]


def test_text_under_a_country_heading_without_a_title_is_that_countrys_story():
    issue = p.parse(
        "S\nNo. 31, 4 September 2024\n\nKAZAKHSTAN\n\nFarm visits\n"
        "Inspectors and our lawyers visited farms in August.\n\nTAJIKISTAN\n\n"
        "The first course was held in Kulob.\n"
    )
    assert [(st[1], st[2], st[3]) for st in _stories(issue)] == [
        ("Farm visits", ["KZ"], "Inspectors and our lawyers visited farms in August."),
        ("", ["TJ"], "The first course was held in Kulob."),
    ]
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_a_headline_wholly_in_quotes_is_a_title():
    issue = p.parse(
        'S\nNo. 15, 10 June 2024\n\n"Nobody told me the job did not exist"\n\n'
        "Our outreach officer spoke with a man who came back to Talas last autumn after "
        "five months without pay.\n"
    )
    assert _stories(issue)[0][1] == '"Nobody told me the job did not exist"'


def test_a_pull_quote_ending_its_sentence_is_no_title():
    issue = p.parse(
        'S\nNo. 15, 10 June 2024\n\nA title\n\n"We will not give up."\n\n'
        "Our outreach officer spoke with a man who came back to Talas last autumn after "
        "five months without pay.\n"
    )
    assert [st[1] for st in _stories(issue)] == ["A title"]


def test_a_signature_under_a_sign_off_keeps_its_lines():
    issue = p.parse(
        "S\nIssue 3, March 2022\n\nLetter from the director\n\nDear friends,\n\n"
        "This year began with new partners and a shelter that stays open.\n\n"
        "With warm regards,\n\nJonathan Mbeki\nChief of Mission\n"
    )
    assert _stories(issue)[0][3].endswith("With warm regards,\n\nJonathan Mbeki\nChief of Mission")


def test_caption_lines_of_a_photo_essay_are_captions():
    issue = p.parse(
        "S\nIssue 5 · November 2023\n\nWinter on the pass\nThe team kept working through "
        "the first snow of the year.\n\nCaption: Drivers wait at the checkpoint.\n\n"
        "The team brought tea and leaflets to the queue.\n"
    )
    (story,) = [st for s in issue.sections for st in s.stories]
    assert [ph.caption for ph in story.photos] == ["Caption: Drivers wait at the checkpoint."]
    assert "Drivers" not in story.body


def test_a_table_of_several_figure_columns_under_in_numbers_stays_a_table():
    rows = ["Country        Returns   Referrals   Hotline calls",
            "Kazakhstan        112          14             530",
            "Tajikistan        111          16             618"]
    issue = p.parse(
        "S\nIssue 7, 15 April 2024\n\nThe quarter in brief\nOur partners helped 310 people "
        "return home safely in the first quarter of\nthe year, most of them from Russia.\n\n\n"
        "IN NUMBERS\n\n" + "\n".join(rows) + "\n"
    )
    assert [(st[0], st[1], st[3]) for st in _stories(issue)][1] == (
        "In Numbers", "", "\n".join(rows),
    )
    assert issue.key_figures == [] and issue.directory.hotlines == []


def test_a_letters_signed_line_is_no_section():
    issue = p.parse(
        "S\nIssue 4, June 2022\n\n\nFROM THE DIRECTOR\n\nDear colleagues,\n\n"
        "Spring brought the first returns of the season.\n\nJonathan Mbeki, Chief of Mission"
        "\n\n\nNEWS\n\nCouncils sign agreements\nThe councils of three districts agreed to "
        "hold a monthly meeting with\nfamilies of migrant workers.\n"
    )
    assert [s.title for s in issue.sections] == ["From the Director", "News"]
    assert _stories(issue)[0][3].endswith("season.\n\nJonathan Mbeki, Chief of Mission")


def test_justified_prose_with_two_spaces_between_words_is_no_table():
    # OCR of justified columns parts every word by two spaces: a paragraph, not a table
    # of one-word cells; its lines are joined and its spaces made single.
    prose = ["The  new  clinic  in  the  port  district  opened  on  Monday  with  two",
             "nurses  and  a  midwife.  It  will  see  seafarers  and  their  families."]
    assert not is_spaced_table(prose)
    issue = p.parse("HARBOUR HEALTH NEWS\nIssue 3, June 2022\n\nClinic  opens  in  the  port\n"
                    + "\n".join(prose) + "\n")
    assert _stories(issue)[0][1:] == ("Clinic opens in the port", [], (
        "The new clinic in the port district opened on Monday with two nurses and a "
        "midwife. It will see seafarers and their families."
    ))
    # A statistics table keeps its rows: one label cell in lower case at most.
    assert is_spaced_table(["Country        Q1 2023   Q2 2023",
                            "Kazakhstan        112       140",
                            "people assisted    87        95"])

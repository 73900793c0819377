"""Key figures, contact lines and footers of newsletter styles the importer missed
(brief "parser2"): bulleted key figures, a table of figures whose value column is headed
by its period, a one-line contact footer ("Contact: … | Hotline (Tajikistan): …"), a
Markdown "Useful contacts" list, and a disclaimer or e-mail footer at the end of an
issue. Every text is invented (example.org addresses, made-up numbers)."""

from pathlib import Path

import pytest

from newsletters.importing import parser as p
from newsletters.importing.parser.account import account_lines
from tests.fixtures.archive_styles.expected import EXPECTED

SERIES = "Pamir Crossings"
# A story first, so that what the test adds comes after ordinary story text.
HEAD = (
    "# Pamir Crossings — Issue 12 (October 2023)\n\n## From the field\n\n"
    "### New shelter opens in Khorog\n\n"
    "The shelter has twelve beds and a small kitchen. It is run by a local women's "
    "association with support from the programme.\n\n"
)
PLAIN_HEAD = (
    "PAMIR CROSSINGS, ISSUE 12, 01/10/2023\n\n\nFROM THE FIELD\n\n\n"
    "New shelter opens in Khorog\n\n"
    "The shelter has twelve beds and a small kitchen. It is run by a local women's "
    "association with support from the programme.\n\n"
)
SHELTER = "The shelter has twelve beds and a small kitchen."
DISCLAIMER = (
    "Disclaimer: The views expressed in this update are those of the authors and do not "
    "necessarily reflect the views of the donors."
)
UNSUBSCRIBE = (
    "*You receive this digest because you attended a network event. "
    "[Unsubscribe](https://example.org/unsub).*"
)


def _parse(text: str) -> p.ParsedIssue:
    return p.parse(text, series=SERIES)


def _bodies(issue: p.ParsedIssue) -> str:
    return "\n".join(st.body for s in issue.sections for st in s.stories)


def _titles(issue: p.ParsedIssue) -> list[str]:
    return [st.title for s in issue.sections for st in s.stories]


def _figures(issue: p.ParsedIssue) -> list[tuple]:
    return [(f.label, f.value, f.unit, f.note) for f in issue.key_figures]


def _hotlines(issue: p.ParsedIssue) -> list[tuple]:
    return [(h.country, h.number, h.note) for h in issue.directory.hotlines]


def _offices(issue: p.ParsedIssue) -> dict:
    return {o.country: o.emails for o in issue.directory.offices}


def _reasons(issue: p.ParsedIssue) -> dict[int, str]:
    return {d.line: d.reason for d in issue.dropped}


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def _nothing_lost(issue: p.ParsedIssue) -> None:
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED], issue.warnings


# ------------------------------------------------------------- 1. bulleted key figures

@pytest.mark.parametrize("bullet", ["•", "-", "*"])
@pytest.mark.parametrize("head", [HEAD + "## Key figures\n\n", PLAIN_HEAD + "KEY FIGURES\n\n"])
def test_bulleted_figure_lines_under_a_figures_heading_are_key_figures(head, bullet):
    text = (head + f"{bullet} 2,340 travellers informed at crossings\n"
            f"{bullet} 118 referrals to shelters\n{bullet} 36 officers trained\n")
    issue = _parse(text)
    assert _figures(issue) == [
        ("Travellers informed at crossings", 2340, "people", ""),
        ("Referrals to shelters", 118, "", ""),
        ("Officers trained", 36, "people", ""),
    ]
    assert "2,340" not in _bodies(issue) and "Key figures" not in _titles(issue)
    assert _titles(issue) == ["New shelter opens in Khorog"]
    reasons = _reasons(issue)
    for start in ("KEY FIGURES", "## Key figures", f"{bullet} 2,340", f"{bullet} 36"):
        if start in text:
            assert reasons[_line_of(text, start)] == "key figure"
    _nothing_lost(issue)


def test_a_bold_value_in_a_bulleted_figure_line():
    issue = _parse(
        HEAD + "## In numbers\n\n* **1,203** calls to hotlines\n* **87** people counselled\n"
    )
    assert _figures(issue) == [
        ("Calls to hotlines", 1203, "calls", ""), ("People counselled", 87, "people", ""),
    ]
    assert "1,203" not in _bodies(issue)
    _nothing_lost(issue)


def test_bullets_of_numbers_in_a_story_stay_story_text():
    """Without a figures heading a list is the story's: "3 buses from Osh" is a detail of
    the market day, not an indicator of the issue."""
    text = HEAD + "### Market day\n\nThe fair needed:\n\n- 3 buses from Osh\n- 12 tents\n"
    issue = _parse(text)
    assert issue.key_figures == []
    assert "- 3 buses from Osh\n- 12 tents" in _bodies(issue)


def test_a_list_under_a_figures_heading_that_is_not_all_figures_stays_text():
    text = (HEAD + "## Key figures\n\n- 36 officers trained\n"
            "- more to come in spring, when the road opens\n")
    issue = _parse(text)
    assert issue.key_figures == []
    assert "- 36 officers trained" in _bodies(issue)
    _nothing_lost(issue)


# ------------------------------------------- 2. a table of figures headed by its period

PERIOD_TABLE = (
    "| Indicator | March 2024 |\n|---|---|\n| Calls to hotlines | 1,203 |\n"
    "| People assisted | 87 |\n"
)


@pytest.mark.parametrize("heading", ["## Numbers of the month", "## The quarter in numbers",
                                     "## Figures for March", "## Key figures"])
def test_a_table_whose_value_column_is_a_period_gives_figures_with_that_note(heading):
    text = HEAD + heading + "\n\n" + PERIOD_TABLE
    issue = _parse(text)
    assert _figures(issue) == [
        ("Calls to hotlines", 1203, "", "March 2024"), ("People assisted", 87, "", "March 2024"),
    ]
    assert "|" not in _bodies(issue)
    assert _titles(issue) == ["New shelter opens in Khorog"]
    assert [d.reason for d in issue.dropped if d.line >= _line_of(text, heading)] == (
        ["key figure"] * 5
    )
    _nothing_lost(issue)


def test_a_value_column_headed_value_gives_no_note():
    text = (HEAD + "## Numbers of the month\n\n| Indicator | Value |\n|---|---|\n"
            "| Calls to hotlines | 1,203 |\n")
    assert _figures(_parse(text)) == [("Calls to hotlines", 1203, "", "")]


@pytest.mark.parametrize("table", [
    # Towns and volunteers under a story: the story's table, not the issue's indicators.
    "| Town | Volunteers |\n|---|---|\n| Osh | 12 |\n| Naryn | 7 |\n",
    # Dates are no figures.
    "| Town | March 2024 |\n|---|---|\n| Osh | 5 March |\n| Naryn | 12 March |\n",
    # Three columns.
    "| Indicator | March | April |\n|---|---|---|\n| Calls | 1,203 | 1,250 |\n",
])
def test_ordinary_tables_stay_story_text(table):
    issue = _parse(HEAD + "### Visits\n\nThe team visited:\n\n" + table)
    assert issue.key_figures == []
    assert table.split("\n")[2] in _bodies(issue)


def test_a_text_table_under_a_numbers_heading_stays_story_text():
    table = "| Indicator | March 2024 |\n|---|---|\n| Calls to hotlines | many more than before |\n"
    issue = _parse(HEAD + "## Numbers of the month\n\n" + table)
    assert issue.key_figures == []
    assert "| Calls to hotlines | many more than before |" in _bodies(issue)


# ------------------------------------------------------ 3. a one-line contact footer

FOOTER = "Contact: pamir-mobility@example.org | Hotline (Tajikistan): 8 800 100 2020 (free)"


@pytest.mark.parametrize("head", [HEAD, PLAIN_HEAD])
def test_a_one_line_contact_footer_gives_one_hotline_and_an_office(head):
    issue = _parse(head + FOOTER + "\n")
    assert _hotlines(issue) == [("TJ", "8 800 100 2020", "free")]
    assert issue.directory.hotlines[0].e164 == "+9928001002020"
    assert _offices(issue) == {"TJ": ["pamir-mobility@example.org"]}
    assert "pamir-mobility" not in _bodies(issue) and SHELTER in _bodies(issue)
    assert issue.warnings == []
    _nothing_lost(issue)


@pytest.mark.parametrize("label", ["Hotline in Tajikistan", "Tajikistan hotline",
                                   "Hotline (Tajikistan)", "Hotline, Tajikistan"])
def test_hotline_labels_that_name_their_country(label):
    issue = _parse(HEAD + f"Contact: pamir@example.org | {label}: 8 800 100 2020 (free)\n")
    assert _hotlines(issue) == [("TJ", "8 800 100 2020", "free")]
    assert _offices(issue) == {"TJ": ["pamir@example.org"]}


def test_a_hotline_sentence_keeps_a_number_in_groups_whole():
    line = "Call the national hotline in Tajikistan on 8 800 100 2020 (free)."
    issue = _parse(HEAD + line + "\n")
    assert _hotlines(issue) == [("TJ", "8 800 100 2020", "national hotline")]
    _nothing_lost(issue)


def test_a_russian_contact_footer():
    line = "Контакты: info@saferoad.example.kg | Горячая линия (Кыргызстан): 189 (бесплатно)"
    issue = _parse(HEAD + line + "\n")
    assert _hotlines(issue) == [("KG", "189", "бесплатно")]
    assert _offices(issue) == {"KG": ["info@saferoad.example.kg"]}
    _nothing_lost(issue)


def test_a_footer_naming_no_country_stays_visible_with_a_warning():
    line = "Contact: info@example.org | Hotline: 8 800 100 2020 (free)"
    issue = _parse(HEAD + line + "\n")
    assert issue.directory.hotlines == [] and issue.directory.offices == []
    assert line in _bodies(issue)
    assert any("info@example.org" in w and "add" in w for w in issue.warnings), issue.warnings
    _nothing_lost(issue)


def test_a_footer_naming_two_countries_files_the_hotlines_and_keeps_the_address_visible():
    line = ("Contact: info@example.org | Hotline (Kazakhstan): 1409 (free) | "
            "Hotline (Kyrgyzstan): 1899")
    issue = _parse(HEAD + line + "\n")
    assert _hotlines(issue) == [("KZ", "1409", "free"), ("KG", "1899", "")]
    assert issue.directory.offices == []
    assert "Contact: info@example.org" in _bodies(issue)
    assert "1409" not in _bodies(issue)
    assert any("info@example.org" in w for w in issue.warnings), issue.warnings
    _nothing_lost(issue)


def test_a_sentence_with_a_pipe_is_not_a_contact_footer():
    line = ("Call the hotline in Tajikistan on 1409 | it is free, and the operators speak "
            "Tajik and Russian.")
    issue = _parse(HEAD + "### Hotline\n\n" + line + "\n")
    assert issue.directory.offices == []
    _nothing_lost(issue)


def test_the_account_sees_an_address_a_directory_block_did_not_give():
    """A block the directory stage took counts as placed only as far as its addresses
    and phone numbers are in the result: its connecting words may go, they may not."""
    source = ["Write to help@example.org or call the Kazakhstan hotline 1409 (free)"]
    hotline = p.ParsedHotline("KZ", "1409", "free", None)
    issue = p.ParsedIssue(None, None, None, "", [], [], p.ParsedDirectory(hotlines=[hotline]), [])
    lost = account_lines(issue, source, directory_blocks=[[1]])
    assert [d.line for d in lost] == [1]
    issue.directory.offices = [p.ParsedOffice("KZ", ["help@example.org"])]
    assert account_lines(issue, source, directory_blocks=[[1]]) == []


def test_the_account_sees_a_number_a_directory_block_split():
    source = ["Hotline in Tajikistan: 8 800 100 2020"]
    split = [p.ParsedHotline("TJ", n, "", None) for n in ("800", "100", "2020")]
    issue = p.ParsedIssue(None, None, None, "", [], [], p.ParsedDirectory(hotlines=split), [])
    assert [d.line for d in account_lines(issue, source, directory_blocks=[[1]])] == [1]


def test_the_account_takes_a_phone_number_printed_in_other_groups():
    """The directory tidies "+ 99312 420817" into "+993 12 420817": the same number."""
    source = ["Ms. Aigul Testova", "Tel: + 99312 420817", "+ 918-85-34-34"]
    person = p.ParsedPerson("Ms. Aigul Testova", "", "TM", ["+993 12 420817"], None)
    hotline = p.ParsedHotline("TJ", "+992 918 85 34 34", "", None)
    issue = p.ParsedIssue(None, None, None, "", [], [],
                          p.ParsedDirectory(hotlines=[hotline], people=[person]), [])
    assert account_lines(issue, source, directory_blocks=[[1, 2, 3]]) == []


# ---------------------------------------------------- 4. a "Useful contacts" list

CONTACTS = (
    "## Useful contacts\n\n- Kazakhstan hotline: **1409** (free, 24/7)\n"
    "- Kyrgyzstan hotline: **1899**\n- Network secretariat: secretariat@example.org\n"
)


def test_useful_contacts_list_files_the_lines_of_a_known_country():
    text = HEAD + CONTACTS
    issue = _parse(text)
    assert _hotlines(issue) == [("KZ", "1409", "free, 24/7"), ("KG", "1899", "")]
    bodies = _bodies(issue)
    assert "1409" not in bodies and "1899" not in bodies
    assert "- Network secretariat: secretariat@example.org" in bodies
    assert issue.warnings == [
        "contact lines under 'Useful contacts' kept as story text: no known country for "
        "them, so the directory did not take them; add them by hand"
    ]
    _nothing_lost(issue)


def test_useful_contacts_of_known_countries_only_leave_no_story():
    text = HEAD + CONTACTS.replace("- Network secretariat:", "- Kazakhstan office:")
    issue = _parse(text)
    assert _offices(issue) == {"KZ": ["secretariat@example.org"]}
    assert _titles(issue) == ["New shelter opens in Khorog"]
    assert issue.warnings == []
    _nothing_lost(issue)


# -------------------------------------------------------------------- 5. footers

@pytest.mark.parametrize("head", [HEAD, PLAIN_HEAD])
def test_a_disclaimer_at_the_end_is_a_colophon(head):
    text = head + DISCLAIMER + "\n"
    issue = _parse(text)
    assert "Disclaimer" not in _bodies(issue) and SHELTER in _bodies(issue)
    assert _reasons(issue)[_line_of(text, "Disclaimer")] == "colophon"
    _nothing_lost(issue)


@pytest.mark.parametrize("head", [HEAD, PLAIN_HEAD])
def test_an_unsubscribe_line_at_the_end_is_an_e_mail_footer(head):
    text = head + UNSUBSCRIBE + "\n"
    issue = _parse(text)
    assert "Unsubscribe" not in _bodies(issue)
    assert _reasons(issue)[_line_of(text, "*You receive")] == "e-mail footer"
    _nothing_lost(issue)


def test_a_story_about_unsubscribing_stays():
    line = ("Many callers asked how to unsubscribe from the SMS alerts; the operator now "
            "explains it on the first call.")
    issue = _parse(HEAD + "### SMS alerts\n\n" + line + "\n")
    assert line in _bodies(issue)


# ------------------------------------------------ the corpus files in these styles

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles"


@pytest.mark.parametrize("name", ["alai_routes_qa.txt", "caspian_digest_contacts.md"])
def test_corpus_hotlines_and_figure_notes(name):
    issue = p.parse((CORPUS / name).read_text("utf-8"), filename=name)
    want = EXPECTED[name]
    assert _hotlines(issue) == want["hotlines"]
    notes = want.get("figure_notes", [""] * len(want["figures"]))
    assert [f.note for f in issue.key_figures] == notes
    # Nothing of the footers is left in a story.
    bodies = _bodies(issue)
    assert "Disclaimer" not in bodies and "Unsubscribe" not in bodies and "|" not in bodies

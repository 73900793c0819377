"""A part under a "Contacts", "Useful contacts" or "Directory" heading is directory, not
a story (parser/contacts.py): office addresses, hotline sentences, "Country: number"
lines and people go to the directory; lines that are no contact stay visible in a story
under the heading. The issues are invented (example.org addresses, made-up numbers)."""

import pytest

from newsletters.importing import parser as p

SERIES = "Harbour Town Bulletin"

MARKDOWN = """# Harbour Town Bulletin

## News

### The ferry timetable changes

From June the morning ferry leaves at seven, half an hour earlier than before, so that
workers reach the harbour in time for the early shift.

## Useful contacts

The national hotline in Kyrgyzstan is 1899.

### Kazakhstan

[help-kz@example.org](mailto:help-kz@example.org)

Hotline: 11616 (free from mobile phones)

Ms. Aliya Testova
Programme Assistant
Tel: +7 727 123 4567
atestova@example.org

Tajikistan: +992 900 800 800 (emergency cell number)
"""

PLAIN = """HARBOUR TOWN BULLETIN, ISSUE 4, 01/06/2022


NEWS


The ferry timetable changes

From June the morning ferry leaves at seven, half an hour earlier than before, so that
workers reach the harbour in time for the early shift.


USEFUL CONTACTS


The national hotline in Kyrgyzstan is 1899.

KAZAKHSTAN

help-kz@example.org
Hotline: 11616 (free from mobile phones)

Ms. Aliya Testova
Programme Assistant
Tel: +7 727 123 4567
atestova@example.org

Tajikistan: +992 900 800 800 (emergency cell number)
"""

FERRY = (
    "From June the morning ferry leaves at seven, half an hour earlier than before, so "
    "that workers reach the harbour in time for the early shift."
)
DIRECTORY = {
    "offices": [{"country": "KZ", "emails": ["help-kz@example.org"]}],
    "hotlines": [
        {"country": "KG", "number": "1899", "note": "national hotline"},
        {"country": "KZ", "number": "11616", "note": "hotline"},
        {"country": "TJ", "number": "+992 900 800 800", "note": "emergency cell number"},
    ],
    "people": [{
        "name": "Ms. Aliya Testova", "role": "Programme Assistant", "country": "KZ",
        "phones": ["+7 727 123 4567"], "email": "atestova@example.org",
    }],
}


HEADER = "HARBOUR TOWN BULLETIN, ISSUE 6, 01/08/2022"


def stories(parsed):
    return [(s.title, st.title, st.body) for s in parsed.sections for st in s.stories]


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        (MARKDOWN, [(10, "## Useful contacts"), (14, "### Kazakhstan")]),
        (PLAIN, [(13, "USEFUL CONTACTS"), (18, "KAZAKHSTAN")]),
    ],
    ids=["markdown", "plain"],
)
def test_contacts_part_goes_to_the_directory_and_makes_no_story(text, headings):
    parsed = p.parse(text, series=SERIES)
    assert parsed.to_dict()["directory"] == DIRECTORY
    # One story, the ferry's: nothing of the contacts part became a story or a section.
    assert stories(parsed) == [("News", "The ferry timetable changes", FERRY)]
    assert [(d.line, d.text) for d in parsed.dropped if d.reason == "directory heading"] == (
        headings
    )
    assert {d.reason for d in parsed.dropped} <= {"directory heading", "masthead",
                                                  "running header"}
    assert not parsed.warnings


def test_lines_that_are_no_contact_stay_in_a_story_under_the_heading():
    """An office phone of no country, an address of no country and opening hours are no
    directory entry: they stay visible, in a story titled by the heading."""
    text = """HARBOUR TOWN BULLETIN, ISSUE 5, 01/07/2022


NEWS


The ferry timetable changes

{FERRY}


Directory

Kyrgyzstan: 189 (free of charge)
Harbour office: +7 727 555 0101
info@example.org
Opening hours are Monday to Friday, nine to five.
"""
    parsed = p.parse(text.replace("{FERRY}", FERRY), series=SERIES)
    assert parsed.to_dict()["directory"] == {
        "offices": [],
        "hotlines": [{"country": "KG", "number": "189", "note": "free of charge"}],
        "people": [],
    }
    assert stories(parsed) == [
        ("News", "The ferry timetable changes", FERRY),
        ("News", "Directory",
         "Harbour office: +7 727 555 0101 info@example.org Opening hours are Monday to "
         "Friday, nine to five."),
    ]
    assert not [d for d in parsed.dropped if d.reason == "directory heading"]


def test_a_list_of_lines_is_not_read_as_one_hotline_sentence():
    """Each line of a list is read on its own: the office phone in the same block as a
    hotline line is not made a hotline of the country the block names."""
    text = f"""{HEADER}

Contacts

Kyrgyzstan: call 189 free of charge
Harbour office: +7 727 555 0101
"""
    parsed = p.parse(text, series=SERIES)
    assert parsed.to_dict()["directory"]["hotlines"] == [
        {"country": "KG", "number": "189", "note": ""}
    ]
    assert stories(parsed)[-1][1:] == ("Contacts", "Harbour office: +7 727 555 0101")


def test_a_title_that_only_starts_with_directory_stays_a_story():
    text = """# Harbour Town Bulletin

## News

### Directory of services opens in the harbour

The new directory of services lists forty clinics, schools and advice centres, and is
free at the library. Call 1899 in Kyrgyzstan for a printed copy.
"""
    parsed = p.parse(text, series=SERIES)
    (story,) = [st for s in parsed.sections for st in s.stories]
    assert story.title == "Directory of services opens in the harbour"
    assert story.body.startswith("The new directory of services lists forty clinics")


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Contacts", True), ("CONTACTS:", True), ("Useful contacts", True),
        ("Directory", True), ("Contact us", True), ("Key contacts", True),
        ("Helplines", True), ("Directory of services opens", False),
        ("Contacts between the two towns grew", False), ("Our team", False),
    ],
)
def test_directory_headings(heading, expected):
    (block,) = p.split_blocks([heading])
    assert p.contacts.is_directory_heading(block) is expected
    (md,) = p.split_blocks([f"## {heading}"])
    assert p.contacts.is_directory_heading(md) is expected

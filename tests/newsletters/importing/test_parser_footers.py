"""One-line contact footers that print a street and a web address beside the e-mail
address and phone (parser/footer.py, directory.contact_pieces): the e-mail address and
phone go to the directory under the country the line names, the street and web address
to ``dropped`` as "footer address"; never "not placed". Invented text only."""

from pathlib import Path

import pytest

from newsletters.importing import parser as p
from newsletters.importing.parser.blocks import Block
from newsletters.importing.parser.contacts import role_and_name
from newsletters.importing.parser.directory import contact_pieces
from newsletters.importing.parser.footer import (
    is_name_piece,
    is_street_address,
    is_web_piece,
    office_line,
    phone_piece,
)
from newsletters.importing.parser.listings import pipe_table_hotlines
from newsletters.importing.reader import decode
from tests.fixtures.archive_styles.expected import EXPECTED

MAST = "NORTHWIND BULLETIN\nIssue 3, May 2021\n\n"
STORY = (
    "Shelter opens in Osh\n\nThe shelter opened on Monday in the city centre and will host "
    "twenty women and children for up to three months.\n\n"
)
FOOTER = (
    "Northwind Migration Centre · 12 Abay Ave, Almaty · info@northwind.example.org · "
    "+7 727 255 0000 · www.northwind.example.org"
)


def _reasons(issue) -> dict[str, str]:
    return {d.text: d.reason for d in issue.dropped}


@pytest.mark.parametrize(
    "above",
    ["", "Contact us:\n", "Contacts\n\n", "CONTACT US\n\nKazakhstan: kz@northwind.example.org\n"],
)
def test_footer_with_street_and_web_address_files_email_and_phone(above):
    issue = p.parse(f"{MAST}{STORY}{above}{FOOTER}\n")
    d = issue.directory
    assert "info@northwind.example.org" in d.offices[0].emails
    assert d.offices[0].country == "KZ"
    assert [(h.country, h.number, h.note) for h in d.hotlines] == [
        ("KZ", "+7 727 255 0000", "office phone")
    ]
    assert _reasons(issue)[FOOTER] == "footer address"
    assert not any(x.reason == p.NOT_PLACED for x in issue.dropped)
    assert [s.title for s in issue.sections[0].stories] == ["Shelter opens in Osh"]
    assert "Abay" not in issue.sections[0].stories[0].body


def test_footer_country_from_the_phone_calling_code_when_no_place_is_named():
    line = "Alai Legal Aid · info@alai.example.org · Tel. +996 312 445 566"
    issue = p.parse(f"{MAST}{STORY}{line}\n")
    assert [(o.country, o.emails) for o in issue.directory.offices] == [
        ("KG", ["info@alai.example.org"])
    ]
    assert [h.number for h in issue.directory.hotlines] == ["+996 312 445 566"]


def test_footer_of_no_known_country_stays_visible_with_its_address():
    line = "info@harbour.example.org · 4 Quay Street, Port Ellis · www.harbour.example.org"
    issue = p.parse(f"{MAST}{STORY}{line}\n")
    assert issue.directory.offices == []
    body = issue.sections[0].stories[-1].body
    assert "info@harbour.example.org" in body and "4 Quay Street, Port Ellis" in body
    assert "www.harbour.example.org" in body
    assert any("info@harbour.example.org" in w and "add it by hand" in w for w in issue.warnings)
    assert not any(x.reason == p.NOT_PLACED for x in issue.dropped)


def test_pieces_of_a_footer():
    pieces = contact_pieces(FOOTER)
    assert [(x.kind, x.country) for x in pieces] == [
        ("address", None),
        ("address", "KZ"),
        ("", None),
        ("phone", None),
        ("address", None),
    ]
    assert pieces[2].emails == ["info@northwind.example.org"]
    assert pieces[3].number == "+7 727 255 0000"


@pytest.mark.parametrize(
    "line",
    [
        "Training in Osh · Shelter visits · Legal aid",  # no e-mail, no number
        "Northwind Migration Centre · www.northwind.example.org",  # nothing for the directory
        "We met in Osh · then wrote to info@northwind.example.org about it.",  # a sentence
        "12 Abay Ave, Almaty",  # one piece
    ],
)
def test_lines_that_are_no_footer(line):
    assert contact_pieces(line) is None


def test_footer_piece_tests():
    assert phone_piece("+7 727 255 0000") == "+7 727 255 0000"
    assert phone_piece("Тел.: +996 (312) 44-55-66") == "+996 (312) 44-55-66"
    assert phone_piece("12 Abay") is None and phone_piece("1409") is None
    assert is_web_piece("www.northwind.example.org")
    assert is_web_piece("https://northwind.example.org/kz") and is_web_piece("Web: alai.kg")
    assert not is_web_piece("northwind.example.org") and not is_web_piece("Saturday.")
    assert is_street_address("12 Abay Ave", names_place=False)
    assert is_street_address("ул. Токтогула 112", names_place=False)
    assert is_street_address("Абай даңғылы 12", names_place=False)
    assert is_street_address("Almaty", names_place=True)
    assert not is_street_address("Legal aid", names_place=False)
    assert not is_street_address("12 women came", names_place=False)
    assert is_name_piece("Northwind Migration Centre")
    assert not is_name_piece("call us today.") and not is_name_piece("Room 12")


# --- the corpus files with a directory: hotlines and people as written down first --------

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles"
DIRECTORY_FILES = [n for n in EXPECTED if "hotlines" in EXPECTED[n] or "people" in EXPECTED[n]]


@pytest.mark.parametrize("name", DIRECTORY_FILES)
def test_corpus_hotlines_and_people(name):
    raw = (CORPUS / name).read_bytes()
    text = decode(raw) if EXPECTED[name].get("encoding", "utf-8") != "utf-8" else raw.decode()
    issue = p.parse(text, filename=name)
    want = EXPECTED[name]
    if "hotlines" in want:
        got = [(h.country, h.number, h.note) for h in issue.directory.hotlines]
        assert got == want["hotlines"]
    if "people" in want:
        got = [(x.name, x.role, x.country, x.phones, x.email) for x in issue.directory.people]
        assert got == want["people"]


# --- an office's entry over several lines, a hotline table, job titles before names ----


def test_office_line():
    assert office_line("Tel.: +7 727 300 1122") == ("phone", "+7 727 300 1122")
    assert office_line("Тел.: +996 312 66 77 88") == ("phone", "+996 312 66 77 88")
    assert office_line("45 Dostyk Ave, 050010 Almaty") == ("address", "")
    assert office_line("Дарек: Токтогул көчөсү 112, Бишкек") == ("address", "")
    assert office_line("Web: www.silkroad.example.org/kz") == ("address", "")
    assert office_line("Сайт: www.koopsuz.example.kg") == ("address", "")
    assert office_line("Tel.: call us") is None
    assert office_line("E-mail: kz@silkroad.example.org") is None
    assert office_line("Twelve mahalla committees signed up.") is None
    assert office_line("Office hours: 9:00–18:00") is None
    assert office_line("Офис: пн–пт, 9:00–18:00") is None


def test_opening_hours_under_a_country_stay_in_the_text():
    issue = p.parse(f"{MAST}{STORY}Contacts\n\n{OFFICE}Office hours: 9:00–18:00\n")
    assert "Office hours: 9:00–18:00" in issue.sections[0].stories[-1].body
    assert issue.directory.offices[0].emails == ["kz@silk.example.org"]


OFFICE = "KAZAKHSTAN\n45 Dostyk Ave, Almaty\nTel.: +7 727 300 1122\nE-mail: kz@silk.example.org\n"


@pytest.mark.parametrize("heading", ["CONTACT OUR OFFICES\n\n", "Contacts\n\n"])
def test_office_entry_of_several_lines(heading):
    issue = p.parse(f"{MAST}{STORY}{heading}{OFFICE}Web: www.silk.example.org\n")
    d = issue.directory
    assert [(o.country, o.emails) for o in d.offices] == [("KZ", ["kz@silk.example.org"])]
    assert [(h.country, h.number, h.note) for h in d.hotlines] == [
        ("KZ", "+7 727 300 1122", "office phone")
    ]
    reasons = _reasons(issue)
    assert (
        reasons["45 Dostyk Ave, Almaty"]
        == reasons["Web: www.silk.example.org"]
        == ("footer address")
    )
    assert not any(x.reason == p.NOT_PLACED for x in issue.dropped)
    assert issue.confidence >= p.CONFIDENCE_THRESHOLD


def test_office_phone_of_no_known_country_stays_in_the_text():
    issue = p.parse(f"{MAST}{STORY}CONTACT US\n\nTel.: +44 20 7946 0000\n")
    assert issue.directory.hotlines == []
    assert "+44 20 7946 0000" in issue.sections[0].stories[-1].body


TABLE = "| Country | Hotline | When |\n|---|---|---|\n| Kazakhstan | 1409 | free, 24/7 |\n"


def test_hotline_table_under_a_hotline_heading():
    text = f"# Bright Steps\n\n**No. 4 — June 2023**\n\n## News\n\n### {STORY}## Hotlines\n\n"
    issue = p.parse(text + TABLE + "| Tajikistan | +992 900 800 800 | 24/7 |\n")
    assert [(h.country, h.number, h.note) for h in issue.directory.hotlines] == [
        ("KZ", "1409", "free, 24/7"),
        ("TJ", "+992 900 800 800", "24/7"),
    ]
    assert {r for t, r in _reasons(issue).items() if "|" in t} == {"directory heading"}
    assert [s.title for s in issue.sections] == ["News"]


def test_pipe_table_hotlines_needs_a_country_and_a_number_in_every_row():
    block = Block(TABLE.splitlines())
    assert [h.number for h in pipe_table_hotlines(block)] == ["1409"]
    assert pipe_table_hotlines(Block([*TABLE.splitlines(), "| Osh | 1899 | free |"])) is None
    assert pipe_table_hotlines(Block([*TABLE.splitlines(), "| Kyrgyzstan | soon | |"])) is None


@pytest.mark.parametrize(
    "line, want",
    [
        ("Head of Office: Ms Dilnoza Karimova", ("Head of Office", "Ms Dilnoza Karimova")),
        ("Project Officer – Mr Bekzod Yusupov", ("Project Officer", "Mr Bekzod Yusupov")),
        ("Юрист: г-жа Айгүл Осмонова", ("Юрист", "г-жа Айгүл Осмонова")),
        ("Tel: Ms Karimova", ("Tel", "Ms Karimova")),  # read so only where people are listed
        ("Note: the office is closed on Fridays", None),
        ("Room 12: Ms Dilnoza Karimova", None),
        ("in the office: Ms Karimova", None),
    ],
)
def test_role_and_name(line, want):
    assert role_and_name(line) == want


@pytest.mark.parametrize("heading", ["OUR TEAM\n\n\n", "Contacts\n\n"])
def test_staff_with_job_titles_before_names(heading):
    staff = (
        "Head of Office: Ms Dilnoza Karimova\nTel: +998 74 223 4455\n"
        "dilnoza.karimova@ferghana.example.org\n"
    )
    issue = p.parse(f"{MAST}{STORY}{heading}{staff}")
    assert [(x.name, x.role, x.country, x.phones, x.email) for x in issue.directory.people] == [
        (
            "Ms Dilnoza Karimova",
            "Head of Office",
            "UZ",
            ["+998 74 223 4455"],
            "dilnoza.karimova@ferghana.example.org",
        )
    ]
    assert not any(x.reason == p.NOT_PLACED for x in issue.dropped)

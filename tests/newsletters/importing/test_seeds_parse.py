"""Acceptance: the five real issues in ../shared/seeds parse as its README says."""

import os
import re
from pathlib import Path

import pytest

from newsletters.importing.parser import parse

# NL_SEEDS_DIR points at the seeds from a checkout that is not beside ../shared (a worktree).
SEEDS = Path(
    os.environ.get("NL_SEEDS_DIR")
    or Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"
)
RR = "IOM Central Asia Regional Response Report"


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found: seed acceptance tests need the shared folder "
                    "beside the repo")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def issues():
    return {p: parse(_seed(p), series=RR if p == "003" else None)
            for p in ("000", "001", "002", "003", "004")}


def _bodies(issue):
    return [st.body for s in issue.sections for st in s.stories]


def _figures(issue):
    return {f.label: f.value for f in issue.key_figures}


@pytest.mark.parametrize(
    "prefix, series, number, date, sections",
    [
        ("000", RR, 6, "2020-10-02", ["Direct Assistance", "Homecoming", "Partnership in Action",
                                      "Advocating for Human Rights of Migrants"]),
        ("001", RR, 1, "2021-02-01", ["Direct Assistance", "Partnership in Action"]),
        ("002", RR, 8, "2020-12-01", ["Direct Assistance", "Partnership in Action",
                                      "Orange the World!"]),
        ("003", RR, 4, "2020-08-07", ["The observance of the World Day Against Trafficking in "
                                      "Persons in Central Asia"]),
        ("004", "IOM Counter-Trafficking Programme in Central Asia", None, None, [""]),
    ],
)
def test_identity_and_sections(issues, prefix, series, number, date, sections):
    data = issues[prefix].to_dict()
    assert (data["series"], data["number"], data["date"]) == (series, number, date)
    assert [s["title"] for s in data["sections"]] == sections


def test_titles(issues):
    assert issues["000"].title == f"{RR} — Issue 6"
    # 004 prints no date; "November 2014" is in its stories, and story text never titles
    # or dates an issue (issue 10: a July issue was titled "May" that way).
    assert issues["004"].title == "IOM Counter-Trafficking Programme in Central Asia"


def test_003_without_series_argument_still_parses_by_number_and_date():
    issue = parse(_seed("003"))
    assert issue.series is None and issue.number == 4


def test_001_capital_headings_are_stories_of_their_sections(issues):
    direct, partnership = issues["001"].sections
    assert [st.title for st in direct.stories] == [
        "IOM Continues Providing Assistance to Vulnerable Migrants and Victims of Trafficking"
    ]
    titles = [st.title for st in partnership.stories]
    assert len(titles) == 3
    assert titles[0].startswith("COVID-19 Migration Challenges in Central Asia Discussed at")
    assert titles[1] == "Addressing Migrants' Healthcare Needs"
    assert titles[2].startswith("Technical Assistance for Establishment of Facilities")


def test_002_story_headings_inside_partnership(issues):
    partnership = issues["002"].sections[1]
    assert [st.title for st in partnership.stories] == [
        "",
        "Training Manual on Return Migration",
        "Research on Remittances in Central Asia and the Russian Federation",
    ]


def test_004_six_country_stories(issues):
    (section,) = issues["004"].sections
    assert [st.countries for st in section.stories] == [
        ["KZ"], ["KG"], ["TJ"], ["TM"], ["TM"], ["UZ"]
    ]
    assert section.stories[0].title.startswith("Seminar on VOT identification")
    assert section.stories[0].body.startswith("In November 2014")


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("000", {"COVID-19 registered cases": 253059, "COVID-19 deaths": 3682,
                 "Migrants and victims of trafficking assisted": 4017}),
        ("002", {"COVID-19 registered cases": 330528, "COVID-19 deaths": 4378,
                 "Migrants and victims of trafficking assisted": 7801}),
        ("003", {"COVID-19 registered cases": 171428, "COVID-19 recoveries": 117454,
                 "COVID-19 deaths": 2758, "Migrants and victims of trafficking assisted": 3200}),
        ("001", {}),
        ("004", {}),
    ],
)
def test_key_figures(issues, prefix, expected):
    assert _figures(issues[prefix]) == expected


def test_figure_blocks_stay_out_of_bodies(issues):
    for prefix in ("000", "002", "003"):
        text = " ".join(_bodies(issues[prefix]))
        assert "registered cases" not in text and "have assisted" not in text
        assert "171,428" not in text


MISSION_EMAILS = {
    "KZ": ["iomastana@iom.int", "iomalmaty@iom.int"], "KG": ["iomkyrgyzstan@iom.int"],
    "TJ": ["dushanbe@iom.int"], "TM": ["iomashgabat@iom.int"], "UZ": ["iomuz@iom.int"],
}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_2020_directory(issues, prefix):
    directory = issues[prefix].directory
    assert {o.country: o.emails for o in directory.offices} == MISSION_EMAILS
    if prefix != "003":  # 003 does not print the hotline sentence
        assert {(h.country, h.number, h.e164) for h in directory.hotlines} == {
            ("KZ", "11616", None), ("KG", "1899", None),
            ("TJ", "+992900800800", "+992900800800"),
        }


def test_004_hotline_table(issues):
    hotlines = {(h.country, h.number, h.note, h.e164) for h in issues["004"].directory.hotlines}
    assert hotlines == {
        ("KZ", "8 8000 8000 15", "landlines", "+78000800015"),
        ("KZ", "11616", "mobile phones", None),
        ("KG", "189", "Bishkek", None),
        ("KG", "0800 0000189", "regions", "+9968000000189"),
        ("KG", "+996 312 641364", "", "+996312641364"),
        ("TJ", "+992 918 85 34 34", "", "+992918853434"),
        ("TM", "+993 12 463514", "", "+99312463514"),
        ("TM", "+993 422 32229", "", "+99342232229"),
        ("UZ", "+998 71 276 94 44", "", "+998712769444"),
    }
    assert set(issues["004"].to_dict()["directory"]["hotlines"][0]) == {"country", "number", "note"}


def test_004_people(issues):
    people = [(p.name, p.country, p.phones, p.email) for p in issues["004"].directory.people]
    assert people == [
        ("Mr. Dejan Keserovic", "KZ", ["+7 7172 990521"], "dkeserovic@iom.int"),
        ("Ms. Bermet Moldobaeva", "KG", ["+996 312 612456"], "bmoldobaeva@iom.int"),
        ("Ms. Aliya Alikova", "KZ", ["+7 727 2913973"], "aalikova@iom.int"),
        ("Ms. Jyldyz Ahmetova", "KG", ["+996 312 612456"], "jahmetova@iom.int"),
        ("Ms. Janna Tashieva", "KG", ["+996 312 612456"], "jtashieva@iom.int"),
        ("Mr. Bahrom Rahmatjonov", "TJ", ["+992 37 221 03 02"], "brahmatjonov@iom.int"),
        ("Ms. Mahym Orazmuhamedova", "TM", ["+993 12 420817"], "morazmuhamedova@iom.int"),
    ]
    roles = [p.role for p in issues["004"].directory.people]
    assert roles[0] == ("Coordinator for Central Asia/Chief of Mission in Kazakhstan, "
                        "Kyrgyzstan, Turkmenistan and Uzbekistan")
    assert roles[1] == "CT Programme Officer for Central Asia"


FORBIDDEN = [
    re.compile(r"REGIONAL RESPONSE REPORT", re.I), re.compile(r"Issue №"),
    re.compile(r"Contact IOM missions", re.I), re.compile(r"continue\s+to receive calls"),
    re.compile(r"FOLLOW US", re.I), re.compile(r"iomastana@"), re.compile(r"\bCom- ?bating"),
    re.compile(r"Kyrgyz- ?stan"), re.compile(r"valu- ?able"), re.compile(r"[a-z]- [a-z]{2,}\b"),
    re.compile(r"In this edition", re.I), re.compile(r"click on the photo", re.I),
    re.compile(r"\\frac|<sup>|\]\(#\)"), re.compile(r"Dejan Keserovic|8 8000 8000 15"),
    re.compile(r"^Photos?\b", re.M),
]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_forbidden_text_in_bodies(issues, prefix):
    for body in _bodies(issues[prefix]):
        for pattern in FORBIDDEN:
            assert not pattern.search(body), (pattern.pattern, body[:200])


def test_running_header_split_sentences_are_joined(issues):
    text = "\n\n".join(_bodies(issues["001"]))
    assert "criminal prosecutions to combat human trafficking, it is more crucial" in text
    text = "\n\n".join(_bodies(issues["002"]))
    assert "to meet the 23 objectives of the GCM" in text
    assert "migrants back to Tajikistan by land" in text
    text = "\n\n".join(_bodies(issues["000"]))
    assert 'Uzbekistan "On combating trafficking in persons"' in text
    assert "It was very valuable for the working group" in "\n".join(_bodies(issues["004"]))


def test_real_hyphens_are_kept(issues):
    text = "\n\n".join(_bodies(issues["001"]) + _bodies(issues["002"]))
    for word in ("COVID-19", "Jalal-Abad", "1-2 hours"):
        assert word in text


def test_photo_captions(issues):
    captions = {p.caption for i in issues.values() for s in i.sections for st in s.stories
                for p in st.photos}
    assert {"Photo of a shoemaker in Kostanay", "Photo by IOM Kazakhstan.",
            "Photos: Campaign-marathon"} <= captions
    assert any(c.startswith("Photo 1-2. Representatives of MIA") for c in captions)
    assert "Photo above by IOM partners." in captions


def test_warnings(issues):
    assert any("\\frac{3120}{120}" in w for w in issues["002"].warnings)
    assert "dead link '[Click here](#)' in untitled story in section 'Homecoming'" in (
        issues["000"].warnings)
    assert any("<sup>" in w for w in issues["004"].warnings)
    homecoming = issues["000"].sections[1].stories[0].body
    assert homecoming.startswith("Click here to read the story of Elvira")


def test_line_endings_do_not_matter():
    text = _seed("001")
    lf = parse(text).to_dict()
    assert parse(text.replace("\n", "\r\n")).to_dict() == lf
    assert parse(text.replace("\n", "\r")).to_dict() == lf

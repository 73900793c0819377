"""The invented demo archive (sample_archive/) parses to what its author intended."""

from pathlib import Path

import pytest

from newsletters.importing.parser import parse
from newsletters.importing.reader import SourceText, iter_sources

ARCHIVE = Path(__file__).resolve().parents[3] / "sample_archive"
RMB = "Regional Migration Bulletin"


@pytest.fixture(scope="module")
def issues():
    parsed = {}
    for source in iter_sources([ARCHIVE]):
        assert isinstance(source, SourceText), source
        parsed[Path(source.path).name] = parse(source.text)
    return parsed


def test_archive_files_are_small_and_readable(issues):
    assert len(issues) == 4
    for path in ARCHIVE.iterdir():
        assert 2 * 1024 <= path.stat().st_size <= 6 * 1024, path.name


def test_bulletin_series_is_consecutive(issues):
    bulletins = [issues[f"regional-migration-bulletin-0{n}.{ext}"]
                 for n, ext in ((1, "md"), (2, "txt"), (3, "md"))]
    assert [(b.series, b.number, b.date.isoformat()) for b in bulletins] == [
        (RMB, 1, "2023-03-15"), (RMB, 2, "2023-04-15"), (RMB, 3, "2023-05-15"),
    ]
    assert [b.title for b in bulletins] == [f"{RMB} — Issue {n}" for n in (1, 2, 3)]
    trend = [{f.label: f.value for f in b.key_figures} for b in bulletins]
    assert trend == [
        {"Hotline calls received": 1204, "Returning migrants counselled": 386,
         "Migrants and victims of trafficking assisted": 512},
        {"Hotline calls received": 1377, "Returning migrants counselled": 431,
         "Migrants and victims of trafficking assisted": 604},
        {"Hotline calls received": 1512, "Returning migrants counselled": 468,
         "Migrants and victims of trafficking assisted": 655},
    ]


def test_bulletin_sections_and_stories(issues):
    structure = {
        name: [(s.title, [st.title for st in s.stories]) for s in issue.sections]
        for name, issue in issues.items()
    }
    assert structure["regional-migration-bulletin-01.md"] == [
        ("Safe Journeys", ["", "A new counselling corner in Zharkyn"]),
        ("Homecoming", [""]),
        ("Partnership in Action", ["Teachers learn to talk about safe migration",
                                   "A shared referral form for five countries"]),
    ]
    assert structure["regional-migration-bulletin-02.txt"] == [
        ("Safe Journeys", ["Spring Departures: What the Counsellors Heard in March"]),
        ("Homecoming", [""]),
        ("Partnership in Action", ["A Mobile Clinic for the Yashyl Oba Road",
                                   "Training for Border Officers in Obikhush"]),
    ]
    assert structure["regional-migration-bulletin-03.md"] == [
        ("Safe Journeys", ["Radio Kumtepa answers listeners' questions",
                           "Summer camps with a lesson on online job offers"]),
        ("Partnership in Action", ["First cases for the shared referral form",
                                   "A helpline menu in three languages"]),
    ]


def test_plain_issue_mends_page_break_and_hyphenation(issues):
    clinic = issues["regional-migration-bulletin-02.txt"].sections[2].stories[0]
    assert "how to recognise a false job offer" in clinic.body
    assert "combine the visits with the monthly vaccination days" in clinic.body
    assert "BULLETIN" not in clinic.body and clinic.countries == ["TM"]


def test_captions_warnings_and_directory(issues):
    first = issues["regional-migration-bulletin-01.md"]
    corner = first.sections[0].stories[1]
    assert [p.caption for p in corner.photos] == [
        "Photo of the counselling corner at Zharkyn bus station"
    ]
    assert "1,204" not in corner.body
    assert first.warnings == [
        "dead link '[Read the full interview](#)' in untitled story in section 'Homecoming'"
    ]
    assert first.sections[1].stories[0].body.startswith("Read the full interview with Nodira")
    for issue in (first, issues["regional-migration-bulletin-02.txt"]):
        assert {(h.country, h.number, h.e164) for h in issue.directory.hotlines} == {
            ("KZ", "1505", None), ("KG", "1515", None),
            ("TJ", "+992 555 101 010", "+992555101010"),
        }
        assert [o.country for o in issue.directory.offices] == ["KZ", "KG", "TJ", "TM", "UZ"]


def test_2014_style_update(issues):
    update = issues["steppe-roads-update-2016.md"]
    assert (update.series, update.number, update.date) == (
        "Steppe Roads Counter-Trafficking Update", None, None)
    # "November 2016" is only in its stories, and story text never titles an issue.
    assert update.title == "Steppe Roads Counter-Trafficking Update"
    (section,) = update.sections
    assert [(st.countries, st.title) for st in section.stories] == [
        (["KZ"], "Volunteers map safe shelters around Zharkyn"),
        (["KG"], "Village councils in Tash-Bulak adopt a referral plan"),
        (["TJ"], "Obikhush hosted a round table on labour recruitment"),
        (["UZ"], "A theatre play about false job offers tours Kumtepa district"),
    ]
    assert "In this edition" not in section.stories[0].body
    assert [(p.name, p.role, p.country, p.phones, p.email)
            for p in update.directory.people] == [
        ("Ms. Aigul Temirova", "Regional Coordinator for Central Asia", "KZ",
         ["+7 7172 555010"], "a.temirova@example.org"),
        ("Mr. Bakyt Osmonov", "", "KG", ["+996 312 555020"], "b.osmonov@example.org"),
        ("Ms. Zarina Nazarova", "", "TJ", ["+992 37 555 03 03"], "z.nazarova@example.org"),
    ]
    assert [(h.country, h.number, h.note) for h in update.directory.hotlines] == [
        ("KZ", "8 800 555 0110", "landlines"), ("KZ", "1505", "mobile phones"),
        ("KG", "1515", "Bishkek"), ("KG", "0800 555 1515", "regions"),
        ("TJ", "+992 555 10 10 10", ""), ("UZ", "+998 71 555 01 05", ""),
    ]


def test_to_dict_is_json_ready(issues):
    import json

    for issue in issues.values():
        data = json.loads(json.dumps(issue.to_dict()))
        assert set(data) == {"series", "number", "date", "title", "sections", "key_figures",
                             "directory", "warnings", "date_precision", "dropped",
                             "confidence", "confidence_reasons"}

"""Acceptance: the five real seed issues import as ../shared/seeds/README.md says.

The seeds live outside the repo; these tests skip with a reason when they are absent.
"""

import datetime

import pytest

from directory.models import Country, Hotline, OfficeEmail, Person
from newsletters.importing.loader import import_sources
from newsletters.models import Issue, Story

from .conftest import seed_files, table_counts

pytestmark = pytest.mark.django_db

RR = "IOM Central Asia Regional Response Report"
CT = "IOM Counter-Trafficking Programme in Central Asia"
GIVEN = "Invented Given Series"
EMAILS = {
    "iomastana@iom.int", "iomalmaty@iom.int", "iomkyrgyzstan@iom.int", "dushanbe@iom.int",
    "iomashgabat@iom.int", "iomuz@iom.int",
}  # fmt: skip
HOTLINES = {  # digits -> country, as the README lists them
    "11616": "KZ", "1899": "KG", "992900800800": "TJ", "88000800015": "KZ", "189": "KG",
    "08000000189": "KG", "996312641364": "KG", "992918853434": "TJ", "99312463514": "TM",
    "99342232229": "TM", "998712769444": "UZ",
}  # fmt: skip


@pytest.fixture
def imported():
    reports = list(import_sources(seed_files(), series=GIVEN))
    assert [r.status for r in reports] == ["ok"] * 5, [r.error for r in reports]
    return {r.path.rsplit("/", 1)[-1][:3]: r.result.issue for r in reports}


def sections(issue):
    return [s.title for s in issue.sections.order_by("position")]


def figures(issue):
    return sorted(issue.key_figures.values_list("value", flat=True))


def test_issues_as_the_readme_table_says(imported):
    i = imported
    assert (i["000"].series.title, i["000"].number, i["000"].publication_date) == (
        RR, 6, datetime.date(2020, 10, 2))  # fmt: skip
    assert (i["001"].series.title, i["001"].number, i["001"].publication_date) == (
        RR, 1, datetime.date(2021, 2, 1))  # fmt: skip
    assert (i["002"].series.title, i["002"].number, i["002"].publication_date) == (
        RR, 8, datetime.date(2020, 12, 1))  # fmt: skip
    assert (i["003"].series.title, i["003"].number, i["003"].publication_date) == (
        GIVEN, 4, datetime.date(2020, 8, 7))  # fmt: skip
    assert (i["004"].series.title, i["004"].number, i["004"].publication_date) == (CT, None, None)
    assert all(issue.status == Issue.Status.DRAFT for issue in i.values())

    assert [t.lower() for t in sections(i["000"])] == [
        "direct assistance", "homecoming", "partnership in action",
        "advocating for human rights of migrants",
    ]  # fmt: skip
    assert [t.lower() for t in sections(i["001"])] == ["direct assistance", "partnership in action"]
    assert [t.lower() for t in sections(i["002"])] == [
        "direct assistance", "partnership in action", "orange the world!",
    ]  # fmt: skip
    assert sections(i["003"])[-1].lower() == (
        "the observance of the world day against trafficking in persons in central asia"
    )


def test_004_has_six_country_tagged_stories(imported):
    stories = Story.objects.filter(issue=imported["004"]).prefetch_related("countries")
    tagged = [s for s in stories if s.countries.exists()]
    assert len(tagged) == 6
    codes = [[c.code for c in s.countries.all()] for s in tagged]
    assert all(len(c) == 1 for c in codes)
    assert {c[0] for c in codes} <= {"KZ", "KG", "TJ", "TM", "UZ"}


def test_key_figures_exact(imported):
    assert figures(imported["000"]) == sorted([253059, 3682, 4017])
    assert figures(imported["002"]) == sorted([330528, 4378, 7801])
    assert figures(imported["003"]) == sorted([171428, 117454, 2758, 3200])


def test_directory_after_all_five(imported):
    assert sorted(Country.objects.values_list("code", flat=True)) == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert set(OfficeEmail.objects.values_list("address", flat=True)) == EMAILS
    assert OfficeEmail.objects.count() == 6
    # Drafts only propose their entries: nothing is confirmed or public until published.
    assert not Hotline.objects.filter(last_seen_in__isnull=False).exists()
    assert Hotline.objects.public().count() == Person.objects.public().count() == 0
    for issue in imported.values():
        issue.refresh_from_db()
        issue.publish(reason="test: the seeds' import warnings are known")
    assert Hotline.objects.public().count() == len(HOTLINES)
    hotlines = {h.digits: h for h in Hotline.objects.select_related("country", "last_seen_in")}
    assert {d: h.country.code for d, h in hotlines.items()} == HOTLINES
    assert all(h.last_seen_in is not None for h in hotlines.values())
    # The hotlines the 2020-2021 issues repeat were last seen in the newest of them (001).
    for digits in ("11616", "1899", "992900800800"):
        assert hotlines[digits].last_seen_in == imported["001"]
        assert hotlines[digits].note
    assert hotlines["88000800015"].note == "landlines"
    assert hotlines["189"].note == "Bishkek"
    assert hotlines["08000000189"].note == "regions"
    assert hotlines["189"].last_seen_in == imported["004"]
    assert hotlines["992918853434"].number == "+992 918 85 34 34"
    people = list(Person.objects.select_related("country"))
    assert len(people) == 7
    assert all(p.email and p.phones and p.country for p in people)
    assert all(p.last_seen_in_id == imported["004"].pk for p in people)


def test_importing_all_five_twice_changes_nothing(imported):
    before = table_counts()
    reports = list(import_sources(seed_files(), series=GIVEN))
    assert [r.outcome for r in reports] == ["unchanged"] * 5
    assert table_counts() == before


def test_no_boilerplate_in_story_bodies(imported):
    bodies = " ".join(Story.objects.values_list("body", flat=True))
    for junk in ("REGIONAL RESPONSE REPORT, ISSUE", "Contact IOM missions", "FOLLOW US ON"):
        assert junk not in bodies

"""Issue numbers that start again with every volume ("Volume 4, Number 2"): the volume is
stored with the number, so issue 2 of volume 4 and issue 2 of volume 1 are two issues,
a new version of either replaces only it, and an export carries the volume back."""

import importlib

import pytest
import yaml
from django.apps import apps
from django.db import IntegrityError, transaction

from newsletters.exporting_zip import build_issue_zip
from newsletters.importing.loader import import_sources
from newsletters.models import Issue
from tests.factories import make_series

from ..export_helpers import empty_database, import_zip, read_zip, snapshot

pytestmark = pytest.mark.django_db

STORY = (
    "Twelve ferry crews learned how to spot passengers who travel against their will, and "
    "whom to call when they do. The course ran for two days at the river port in spring."
)
COURIER = """THE RIVERBANK COURIER
{volume}, Number 2 | March {year}


NEWS FROM THE RIVER


Ferry crews trained

{story}

Market stalls inform travellers

{story}
"""


@pytest.fixture
def courier(tmp_path):
    def write(name, volume, year, story=STORY):
        path = tmp_path / name
        path.write_text(COURIER.format(volume=volume, year=year, story=story), "utf-8")
        return path

    return write


def run(*paths, **options):
    return [(r.outcome, r.result.message if r.result else r.error)
            for r in import_sources(paths, **options)]


def stored():
    return sorted(Issue.objects.values_list("volume", "number", "title", "publication_date__year"))


def test_the_same_number_in_two_volumes_is_two_issues(courier):
    assert run(courier("v1.txt", "Volume 1", 2021))[0][0] == "created"
    ((outcome, message),) = run(courier("v4.txt", "Volume 4", 2024))
    assert outcome == "created"
    assert message == (
        "created: “The Riverbank Courier — Vol. 4, Issue 2” (The Riverbank Courier vol. 4 no. 2)"
    )
    assert stored() == [
        ("1", 2, "The Riverbank Courier — Vol. 1, Issue 2", 2021),
        ("4", 2, "The Riverbank Courier — Vol. 4, Issue 2", 2024),
    ]


def test_a_new_version_replaces_only_its_own_volumes_issue(courier):
    run(courier("v1.txt", "Volume 1", 2021), courier("v4.txt", "Volume 4", 2024))
    longer = STORY + " A second course is planned for the autumn."
    # Another file name: found by series, volume and number, not by its name.
    ((outcome, message),) = run(courier("v4-corrected.txt", "Volume 4", 2024, story=longer))
    assert (outcome, message) == (
        "updated", "updated: “The Riverbank Courier — Vol. 4, Issue 2” "
        "(The Riverbank Courier vol. 4 no. 2)",
    )
    bodies = {
        issue.volume: issue.sections.get().stories.first().body for issue in Issue.objects.all()
    }
    assert "planned for the autumn" in bodies["4"]
    assert "planned for the autumn" not in bodies["1"]


def test_roman_and_arabic_numerals_are_one_volume(courier):
    run(courier("v4.txt", "Volume 4", 2024))
    longer = STORY + " A second course is planned for the autumn."
    assert run(courier("v4-roman.txt", "Vol. IV", 2024, story=longer))[0][0] == "updated"
    assert [(v, n) for v, n, *_ in stored()] == [("4", 2)]


def test_an_issue_without_a_volume_is_not_taken_for_one_with_a_volume(courier, counts):
    series = make_series("The Riverbank Courier")
    Issue.objects.create(series=series, number=2, title="Issue 2, written in the admin")
    before = counts()
    assert run(courier("v4.txt", "Volume 4", 2024))[0][0] == "created"
    assert counts()["Issue"] == before["Issue"] + 1
    assert [(v, n) for v, n, *_ in stored()] == [("", 2), ("4", 2)]


def test_the_database_refuses_two_issues_of_one_number_in_one_volume():
    series = make_series("The Riverbank Courier")
    Issue.objects.create(series=series, volume="4", number=2, title="A")
    Issue.objects.create(series=series, volume="5", number=2, title="B")
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(series=series, volume="4", number=2, title="C")
    assert Issue.objects.count() == 2


def test_the_export_carries_the_volume_back(courier, tmp_path):
    run(courier("v4.txt", "Volume 4", 2024))
    issue = Issue.objects.get()
    before = snapshot(issue)
    data = build_issue_zip(issue)
    front = yaml.safe_load(read_zip(data)["issue.md"].decode().split("---\n")[1])
    assert (front["volume"], front["number"]) == ("4", 2)
    empty_database()
    output = import_zip(data, tmp_path, "exported.zip")
    assert "Issues created: 1" in output, output
    assert snapshot(Issue.objects.get()) == before


def test_issues_imported_before_the_volume_field_get_it_from_their_title():
    """The migration reads the volume back from the titles the importer gave."""
    migration = importlib.import_module("newsletters.migrations.0017_issue_volume")
    series = make_series("The Riverbank Courier")
    rows = [
        ("The Riverbank Courier — Vol. IV, Issue 2", 2),
        ("The Riverbank Courier — Vol. 1, Issue 3", 3),
        ("Речной вестник — Том 3, № 5", 5),
        ("The Riverbank Courier — Vol. 2, Issue 7", 8),  # the title says another number
        ("The Riverbank Courier — Issue 9", 9),
        ("A story about Vol. 5, Issue 6", 6),  # not the importer's title
    ]
    for title, number in rows:
        Issue.objects.create(series=series, number=number, title=title)
    migration.volumes_from_titles(apps, None)
    assert dict(Issue.objects.values_list("title", "volume")) == {
        rows[0][0]: "4", rows[1][0]: "1", rows[2][0]: "3", rows[3][0]: "", rows[4][0]: "",
        rows[5][0]: "",
    }


def test_the_next_issue_counts_on_within_its_volume():
    series = make_series("The Riverbank Courier")
    Issue.objects.create(series=series, volume="1", number=12, title="Vol. 1, Issue 12")
    second = Issue.objects.create(series=series, volume="2", number=3, title="Vol. 2, Issue 3")
    draft = second.start_next()
    assert (draft.volume, draft.number, draft.title) == (
        "2", 4, "The Riverbank Courier — Vol. 2, Issue 4"
    )


UNVOLUMED = """THE RIVERBANK COURIER
Number 2 | March {year}


NEWS FROM THE RIVER


Ferry crews trained

{story}
"""


def test_volume_on_the_command_line_and_in_a_metadata_sheet(tmp_path, capsys):
    """Files that print no volume: the user says which one each belongs to."""
    from django.core.management import call_command

    first, second = tmp_path / "2021-2.txt", tmp_path / "2024-2.txt"
    first.write_text(UNVOLUMED.format(year=2021, story=STORY), "utf-8")
    second.write_text(UNVOLUMED.format(year=2024, story=STORY + " Again."), "utf-8")
    call_command("import_newsletters", str(first), "--volume", "iv")
    sheet = tmp_path / "meta.csv"
    sheet.write_text("file,volume\n2024-2.txt,7\n", "utf-8")
    call_command("import_newsletters", str(second), "--metadata", str(sheet))
    assert stored() == [
        ("4", 2, "The Riverbank Courier — Vol. IV, Issue 2", 2021),
        ("7", 2, "The Riverbank Courier — Vol. 7, Issue 2", 2024),
    ]


def test_a_volume_that_is_no_number_is_refused_before_anything_is_read(tmp_path, counts):
    from django.core.management import CommandError, call_command

    path = tmp_path / "2021-2.txt"
    path.write_text(UNVOLUMED.format(year=2021, story=STORY), "utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"volume 'fourth' is not a number \(4\) or a roman"):
        call_command("import_newsletters", str(path), "--volume", "fourth")
    assert counts() == before

"""An issue export edited by a person and imported again (issue 11, item 7): what they
changed comes in, what they left alone comes back as it was, and nothing else moves."""

import datetime
from decimal import Decimal

import pytest

from directory.models import Country
from newsletters.exporting_zip import build_issue_zip
from newsletters.importing.loader import import_sources
from newsletters.models import Issue
from tests.newsletters.export_helpers import (
    empty_database,
    make_full_issue,
    read_zip,
    snapshot,
    write_zip,
)

pytestmark = pytest.mark.django_db


def edit_and_import(tmp_path, *edits: tuple[str, str]):
    """Export the full issue, apply (old, new) replacements to issue.md (each must
    match once), empty the database and import the zip. The report and the snapshot of
    the original issue."""
    empty_database()
    issue = make_full_issue()
    before = snapshot(issue)
    files = read_zip(build_issue_zip(issue))
    text = files["issue.md"].decode("utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    files["issue.md"] = text.encode("utf-8")
    path = tmp_path / "edited.zip"
    path.write_bytes(write_zip(files))
    empty_database()
    (report,) = import_sources([path])
    return report, before


def test_a_removed_figure_a_changed_country_and_retitled_story(tmp_path):
    report, before = edit_and_import(
        tmp_path,
        ("- label: Crossings\n  value: 52\n  note: estimate\n", ""),
        ("### A HELPLINE FOR FISHERMEN\n\n<!-- countries: KG -->",
         "### A HELPLINE FOR FISHERMEN\n\n<!-- countries: Tajikistan, UZ -->"),
        ("### Visitors\n", "### Visitors from the south\n"),
        ('"The ferry at dawn")', '"The ferry before dawn")'),
        ("  photos/01-01-1.jpg: Lake Office\n", "  photos/01-01-1.jpg: Lake Office (S. Ivanova)\n"),
    )
    assert report.outcome == "created", report.error
    issue = report.result.issue
    assert issue.import_warnings == []
    after = snapshot(issue)
    assert after["key_figures"] == [
        ("Patients seen", "1650", "people", ""),
        ("Share of women", "37.5", "%", ""),
        ("Boats repaired", None, "", ""),
    ]
    (aid_title, aid), (news_title, news) = after["sections"]
    assert news[0][2] == ["TJ", "UZ"]  # the changed countries, by name and by code
    assert news[1][:3] == ("Visitors from the south", before["sections"][1][1][1][1], [])
    ferry_photos = aid[0][3]
    assert ferry_photos[0][1:3] == ("The ferry before dawn", "Lake Office (S. Ivanova)")
    assert [p[1] for p in ferry_photos] == ["The ferry before dawn", "The waiting room", ""]
    # Everything not edited is as it was.
    assert aid == [
        (*before["sections"][0][1][0][:3], [
            (before_photo[0], after_photo[1], after_photo[2], before_photo[3])
            for before_photo, after_photo in zip(
                before["sections"][0][1][0][3], ferry_photos, strict=True)
        ]),
        before["sections"][0][1][1],
    ]  # fmt: skip
    for key in ("title", "number", "date", "precision", "summary"):
        assert after[key] == before[key], key
    assert set(Country.objects.values_list("code", flat=True)) == {"KG", "KZ", "TJ", "UZ"}


def test_a_story_added_without_a_countries_line_gets_the_countries_its_text_names(tmp_path):
    report, _ = edit_and_import(
        tmp_path,
        ("Call 1414.\n", "Call 1414.\n\n### Boats from Uzbekistan\n\n"
                         "Two boats came from Uzbekistan to help.\n"),
    )
    assert report.outcome == "created", report.error
    story = report.result.issue.stories.get(title="Boats from Uzbekistan")
    assert story.body == "Two boats came from Uzbekistan to help."
    assert list(story.countries.values_list("code", flat=True)) == ["UZ"]
    # The story the export tagged with no country keeps none, though its text names one.
    visitors = report.result.issue.stories.get(title="Visitors")
    assert not visitors.countries.exists()


def test_figure_values_typed_by_a_person_stay_exact(tmp_path):
    report, _ = edit_and_import(
        tmp_path,
        ("  value: 1650\n", "  value: 1,700\n"),  # text with a thousands separator
        ("  value: '37.5'\n", "  value: 12.5\n"),  # a YAML float: read as written, exactly
        ("- label: Boats repaired\n", "- label: Boats repaired\n  value: 0.0001\n"),
    )
    assert report.outcome == "created", report.error
    figures = list(report.result.issue.key_figures.order_by("position").values_list(
        "label", "value", "unit"))  # fmt: skip
    assert [(label, f"{value.normalize():f}", unit) for label, value, unit in figures] == [
        ("Patients seen", "1700", "people"),
        ("Crossings", "52", ""),
        ("Share of women", "12.5", "%"),
        ("Boats repaired", "0.0001", ""),
    ]
    assert report.result.issue.import_warnings == []


def test_a_period_written_as_text_and_a_date_that_is_not_the_first_day(tmp_path):
    report, _ = edit_and_import(
        tmp_path, ("date: 2023-04-01\ndate_precision: quarter\n",
                   "date: 2023-05-17\ndate_precision: quarter\n"),
    )
    issue = report.result.issue
    # A printed quarter may be any three months ("May–July"): only the day is set.
    assert (issue.publication_date, issue.date_precision) == (datetime.date(2023, 5, 1), "quarter")
    assert issue.period_label == "May–July 2023"
    assert issue.import_warnings == [
        "front matter date 2023-05-17 is not the first day of its quarter; read as 2023-05-01"
    ]
    report, _ = edit_and_import(
        tmp_path, ("date: 2023-04-01\ndate_precision: quarter\n",
                   "date: 2023-05-17\ndate_precision: year\n"),
    )
    issue = report.result.issue
    assert (issue.publication_date, issue.date_precision) == (datetime.date(2023, 1, 1), "year")
    report, _ = edit_and_import(
        tmp_path, ("date: 2023-04-01\ndate_precision: quarter\n", "date: April 2023\n")
    )
    issue = report.result.issue
    assert (issue.publication_date, issue.date_precision) == (datetime.date(2023, 4, 1), "month")


def test_an_edited_export_exported_again_reads_back_the_same(tmp_path):
    report, _ = edit_and_import(tmp_path, ("<!-- countries: KG -->", "<!-- countries: TJ -->"))
    once = build_issue_zip(report.result.issue)
    empty_database()
    path = tmp_path / "again.zip"
    path.write_bytes(once)
    (again,) = import_sources([path])
    assert build_issue_zip(again.result.issue) == once
    assert Issue.objects.count() == 1 and Decimal(
        again.result.issue.key_figures.get(label="Share of women").value) == Decimal("37.5")


def test_a_zip_in_the_first_export_format_still_imports(tmp_path):
    """Before format newsletter-issue/1, story countries were a front-matter map by story
    slug and the body was read as any Markdown file."""
    empty_database()
    text = (
        "---\nseries: Lakeside Dispatch\nnumber: 7\ntitle: Lakeside Dispatch no. 7\n"
        "date: 2023-04-01\ndate_precision: quarter\nsummary: Boats and clinics.\n"
        "key_figures:\n- label: Patients seen\n  value: 1650\n  unit: people\n"
        "countries:\n  a-ferry-clinic: [KG, KZ]\n  gone-story: [TJ]\n"
        "photo_credits:\n  photos/01-01-1.jpg: Lake Office\n---\n\n"
        "## Direct Assistance\n\n### A ferry clinic\n\n"
        "The clinic crosses the lake twice a week with two nurses on board.\n"
    )
    path = tmp_path / "old.zip"
    path.write_bytes(write_zip({"issue.md": text.encode("utf-8")}))
    (report,) = import_sources([path])
    assert report.outcome == "created", report.error
    issue = report.result.issue
    assert (issue.date_precision, issue.summary) == ("quarter", "Boats and clinics.")
    story = issue.stories.get()
    assert sorted(story.countries.values_list("code", flat=True)) == ["KG", "KZ"]
    assert [(f.label, f.value, f.unit) for f in issue.key_figures.all()] == [
        ("Patients seen", 1650, "people")
    ]
    assert issue.import_warnings == [
        "front matter photo credit for 'photos/01-01-1.jpg': no image 'photos/01-01-1.jpg' "
        "in the text; not imported",
        "front matter countries for story 'gone-story': no story of that title; not imported",
    ]

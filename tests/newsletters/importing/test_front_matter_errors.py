"""Bad front matter in an issue export (issue 11, item 7): each mistake is a warning that
names it, or an error for the whole file; nothing is written wrongly and nothing is
dropped unsaid."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from directory.models import Country
from newsletters.checks import prepublish_problems
from newsletters.exporting_zip import build_issue_zip
from newsletters.importing import parser as p
from newsletters.importing.loader import import_sources
from newsletters.models import Issue
from tests.newsletters.export_helpers import empty_database, make_full_issue, read_zip, write_zip

pytestmark = pytest.mark.django_db

D = datetime.date


def exported_text() -> str:
    empty_database()
    return read_zip(build_issue_zip(make_full_issue()))["issue.md"].decode("utf-8")


def import_text(tmp_path, text: str, **options):
    files = read_zip(build_issue_zip(Issue.objects.get()))
    files["issue.md"] = text.encode("utf-8")
    path = tmp_path / "edited.zip"
    path.write_bytes(write_zip(files))
    empty_database()
    (report,) = import_sources([path], **options)
    return report


def figures(issue) -> list[tuple]:
    return [
        (f.label, None if f.value is None else f"{f.value.normalize():f}", f.unit)
        for f in issue.key_figures.order_by("position")
    ]


def test_a_figure_value_that_is_not_a_number_is_imported_empty_with_a_warning(tmp_path):
    text = exported_text().replace("  value: 1650\n", "  value: about 1650\n")
    report = import_text(tmp_path, text)
    issue = report.result.issue
    assert issue.import_warnings == [
        "front matter key figure 'Patients seen': “about 1650” is not a number such as "
        "1,650, 12.5 or 37%. It was imported empty, to fill in"
    ]
    # Kept with its label and unit, empty: never a guessed number, and the pre-publish
    # check lists it until someone fills it in.
    assert figures(issue) == [
        ("Patients seen", None, "people"), ("Crossings", "52", ""),
        ("Share of women", "37.5", "%"), ("Boats repaired", None, ""),
    ]  # fmt: skip
    assert any("Patients seen" in problem.message for problem in prepublish_problems(issue))


@pytest.mark.parametrize(
    "old, new, warning",
    [
        ("<!-- countries: KG -->", "<!-- countries: KG, Narnia -->",
         "story 'A HELPLINE FOR FISHERMEN': country 'Narnia' is not known; left out"),
        ("<!-- countries: KG -->", "<!-- countries: KG, XX -->",
         "story 'A HELPLINE FOR FISHERMEN': country code XX is not known; left out"),
    ],
)
def test_an_unknown_country_is_left_out_with_a_warning(tmp_path, old, new, warning):
    report = import_text(tmp_path, exported_text().replace(old, new))
    issue = report.result.issue
    assert issue.import_warnings == [warning]
    story = issue.stories.get(title="A HELPLINE FOR FISHERMEN")
    assert list(story.countries.values_list("code", flat=True)) == ["KG"]
    assert not Country.objects.filter(code="XX").exists()  # never created


def test_an_unknown_precision_keeps_the_date_as_written_with_a_warning(tmp_path):
    text = exported_text().replace("date_precision: quarter", "date_precision: fortnight")
    issue = import_text(tmp_path, text).result.issue
    assert (issue.publication_date, issue.date_precision) == (D(2023, 4, 1), "day")
    assert issue.import_warnings == [
        "front matter date_precision 'fortnight' is not one of day, month, quarter, year; "
        "the date is read as a day"
    ]


@pytest.mark.parametrize(
    "old, new, warning",
    [
        ("  value: '37.5'\n  unit: '%'\n", "  value: 37.5%\n  unit: people\n",
         "front matter key figure 'Share of women': the value ends with % but the unit is "
         "'people'; the unit 'people' was kept"),
        ("- label: Boats repaired\n", "- label: Patients seen\n",
         "front matter key figure 'Patients seen' is given twice; the second was not imported"),
        ("- label: Boats repaired\n", "- labl: Boats repaired\n",
         "front matter key figure 4 has no label; not imported"),
        ("  note: estimate\n", "  note: estimate\n  source: survey\n",
         "front matter key figure 'Crossings': source not read; ignored"),
        ("  photos/01-01-1.jpg: Lake Office\n", "  photos/01-01-9.jpg: Lake Office\n",
         "front matter photo credit for 'photos/01-01-9.jpg': no image 'photos/01-01-9.jpg' "
         "in the text; not imported"),
        ("summary: |-\n", "author: Ann\nsummary: |-\n",
         "front matter 'author': not read by the importer; ignored"),
        ("key_figures:\n", "key_figures: 3\nold_figures:\n",
         "front matter 'old_figures': not read by the importer; ignored"),
    ],
)
def test_front_matter_mistakes_are_named(tmp_path, old, new, warning):
    text = exported_text()
    assert text.count(old) == 1, old
    report = import_text(tmp_path, text.replace(old, new))
    assert report.outcome == "created", report.error
    assert warning in report.result.issue.import_warnings, report.result.issue.import_warnings


def test_invalid_yaml_in_an_export_is_an_error_and_nothing_is_written(tmp_path):
    text = exported_text().replace("title: Lakeside Dispatch no. 7", "title: [unclosed")
    report = import_text(tmp_path, text)
    assert report.status == "error"
    # Line 5 holds "[unclosed"; YAML notices it at the next key, on line 6.
    assert report.error == (
        "the front matter of this issue export is not valid YAML (line 6); "
        "nothing of the file was imported"
    )
    assert not Issue.objects.exists()


def test_dry_run_json_shows_exact_figures_and_the_warnings(tmp_path):
    text = exported_text().replace("  value: 52\n", "  value: lots\n")
    files = read_zip(build_issue_zip(Issue.objects.get()))
    files["issue.md"] = text.encode("utf-8")
    path = tmp_path / "edited.zip"
    path.write_bytes(write_zip(files))
    empty_database()
    out = io.StringIO()
    call_command("import_newsletters", str(path), "--dry-run", "--json", stdout=out)
    (entry,) = json.loads(out.getvalue())["files"]
    assert entry["outcome"] == "create" and entry["confidence"] == 1.0
    assert [(f["label"], f["value"], f["unit"]) for f in entry["issue"]["key_figures"]] == [
        ("Patients seen", 1650, "people"), ("Crossings", None, ""),
        ("Share of women", "37.5", "%"), ("Boats repaired", None, ""),
    ]  # fmt: skip
    assert entry["issue"]["summary"] == "Boats, clinics and a new helpline.\n\nSecond paragraph."
    assert any("'Crossings'" in w for w in entry["warnings"])
    assert not Issue.objects.exists()


# --- the parser alone ----------------------------------------------------------------


def parse_front(front: str, body: str = "## News\n\n### A story\n\nText.\n"):
    return p.parse(f"---\nformat: newsletter-issue/1\nseries: Letter\n{front}---\n\n{body}")


def test_values_as_printed_are_exact():
    issue = parse_front(
        "key_figures:\n- {label: A, value: '1,650'}\n- {label: B, value: 12.5}\n"
        "- {label: C, value: 37%}\n- {label: D, value: 0.1}\n- {label: E}\n"
        "- {label: F, value: 1.23456}\n- {label: G, value: true}\n"
    )
    assert [(f.label, f.value, f.unit) for f in issue.key_figures] == [
        ("A", 1650, ""), ("B", Decimal("12.5"), ""), ("C", 37, "%"),
        ("D", Decimal("0.1"), ""), ("E", None, ""), ("F", None, ""), ("G", None, ""),
    ]  # fmt: skip
    assert issue.warnings == [
        "front matter key figure 'F': “1.23456” has more than 4 decimal places. "
        "It was imported empty, to fill in",
        "front matter key figure 'G': “True” is not a number. It was imported empty, to fill in",
    ]


def test_an_export_takes_its_figures_from_the_front_matter_only():
    issue = parse_front("key_figures: []\n", "## News\n\n### A story\n\n52 crossings\n")
    assert issue.key_figures == []
    assert issue.sections[0].stories[0].body == "52 crossings"
    assert issue.confidence == 1.0


def test_a_front_matter_that_is_not_an_export_still_gives_summary_and_figures():
    text = ("---\nseries: Letter\nnumber: 2\nsummary: A calm month.\nkey_figures:\n"
            "- {label: Calls, value: 40}\n---\n\n## News\n\n### A story\n\nText of the story.\n")
    issue = p.parse(text)
    assert issue.summary == "A calm month."
    assert [(f.label, f.value) for f in issue.key_figures] == [("Calls", 40)]
    assert issue.warnings == []


def test_an_unknown_format_is_read_as_markdown_with_a_warning():
    issue = p.parse("---\nformat: newsletter-issue/9\nseries: Letter\n---\n\nText.\n")
    assert issue.warnings[0] == (
        "front matter format 'newsletter-issue/9' is not 'newsletter-issue/1'; the text is "
        "read as any Markdown file"
    )


def test_a_long_front_matter_stays_bounded():
    many = "".join(f"- {{label: F{n}, value: {n}}}\n" for n in range(1500))
    issue = parse_front(f"key_figures:\n{many}")
    assert len(issue.key_figures) == 1000
    assert "front matter 'key_figures' has more than 1000; the rest were ignored" in issue.warnings


def test_an_export_without_its_format_line_says_why_its_countries_did_not_count():
    text = ("---\nseries: Letter\nnumber: 2\n---\n\n## News\n\n### A story\n\n"
            "<!-- countries: KG -->\n\nText of the story, long enough to be one.\n")
    issue = p.parse(text)
    assert issue.warnings == [
        "'<!-- countries: -->' on line 10: read only in an issue export (front matter "
        "'format: newsletter-issue/1'); left in the story's text"
    ]


def test_a_layout_choice_does_not_apply_to_an_export_and_says_so():
    issue = p.parse(
        "---\nformat: newsletter-issue/1\nseries: Letter\n---\n\n## A\n\n### B\n\nText.\n"
        "\n### C\n\nMore.\n", layout="one-story",
    )  # fmt: skip
    assert [s.title for s in issue.sections[0].stories] == ["B", "C"]
    assert issue.warnings == [
        "layout 'one-story' not used: an issue export states its sections and stories"
    ]

"""Issue export: Markdown the archive parser reads back into the same structure, and JSON."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from newsletters.exporting import issue_to_parsed, to_markdown
from newsletters.importing.loader import load_issue, source_hash
from newsletters.importing.parser import parse
from newsletters.models import Issue, KeyFigure, Photo
from tests.factories import make_issue, make_story

SAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("sample_archive").glob("*.*"))


def structure(parsed, sort_countries=False) -> dict:
    """Everything but the warnings, dropped lines and confidence, which describe the
    original file's conversion (its running headers, junk), not the issue."""
    data = parsed.to_dict()
    for key in ("warnings", "dropped", "confidence", "confidence_reasons"):
        data.pop(key)
    if sort_countries:
        for section in data["sections"]:
            for story in section["stories"]:
                story["countries"].sort()
    return data


def test_there_are_samples_to_round_trip():
    assert len(SAMPLES) >= 4


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_markdown_of_a_parsed_sample_parses_back_the_same(path):
    original = parse(path.read_text(encoding="utf-8"))
    again = parse(to_markdown(original))
    assert structure(again) == structure(original)


@pytest.mark.django_db
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_imported_sample_exports_to_markdown_that_imports_the_same(path):
    raw = path.read_bytes()
    original = parse(raw.decode("utf-8"))
    issue = load_issue(original, source_name=path.name, source_hash=source_hash(raw)).issue
    exported = issue_to_parsed(issue)
    again = parse(to_markdown(exported))
    # The loader stores a section the file leaves untitled as "Stories".
    for section in original.sections:
        section.title = section.title or "Stories"
    assert structure(again) == structure(original)
    # And the stored issue, exported, has every section, story, caption and figure (its
    # story countries come back in the database's order, so they are compared as sets).
    assert structure(exported, sort_countries=True) == structure(original, sort_countries=True)


@pytest.mark.django_db
def test_admin_downloads_markdown_and_json(staff_client):
    issue = make_issue(number=4, title="Regional Test Bulletin — Issue 4")
    story = make_story(issue, section_title="Direct Assistance", title="A counselling corner")
    Photo.objects.create(story=story, caption="Photo of the corner")
    KeyFigure.objects.create(issue=issue, label="Hotline calls received", value=1377, unit="calls")
    md = staff_client.get(reverse("admin:newsletters_issue_export_md", args=[issue.pk]))
    assert md.status_code == 200
    assert md["Content-Type"].startswith("text/markdown")
    assert f'filename="{issue.slug}.md"' in md["Content-Disposition"]
    parsed = parse(md.content.decode())
    assert (parsed.series, parsed.number) == ("Regional Test Bulletin", 4)
    assert [s.title for s in parsed.sections] == ["Direct Assistance"]
    assert parsed.sections[0].stories[0].title == "A counselling corner"
    assert parsed.sections[0].stories[0].photos[0].caption == "Photo of the corner"
    assert [(f.label, f.value) for f in parsed.key_figures] == [("Hotline calls received", 1377)]
    data = staff_client.get(reverse("admin:newsletters_issue_export_json", args=[issue.pk]))
    assert data["Content-Type"].startswith("application/json")
    body = json.loads(data.content)
    assert set(body) == {
        "series", "number", "date", "title", "sections", "key_figures", "directory", "warnings",
        "date_precision", "dropped", "confidence", "confidence_reasons",
    }  # fmt: skip
    assert body["sections"][0]["stories"][0]["photos"] == [{"caption": "Photo of the corner"}]


@pytest.mark.django_db
def test_change_page_has_export_buttons_and_changelist_action_zips(staff_client):
    one, two = make_issue(number=1), make_issue(number=2)
    page = staff_client.get(reverse("admin:newsletters_issue_change", args=[one.pk]))
    html = page.content.decode()
    assert "Export as Markdown" in html and "Export as JSON" in html
    response = staff_client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "export_markdown", "_selected_action": [one.pk, two.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{one.slug}.md", f"{two.slug}.md"])


@pytest.mark.django_db
def test_export_needs_staff(client):
    issue = make_issue(status=Issue.Status.DRAFT)
    response = client.get(reverse("admin:newsletters_issue_export_md", args=[issue.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]

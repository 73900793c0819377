"""Revisions: every save keeps one with who and when; history, compare and restore."""

from pathlib import Path

import pytest
from django.urls import reverse

from directory.models import Hotline
from newsletters.models import Issue, Section, Story
from tests.factories import make_country, make_issue, make_story

pytestmark = pytest.mark.django_db


def test_saves_through_the_admin_record_who_and_when(staff_client, staff_user):
    story = make_story(make_issue(), title="First title", body="First body.")
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    data = {
        "section": story.section_id, "title": "Second title", "slug": story.slug,
        "body": "Second body.", "position": "0",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    assert staff_client.post(url, data).status_code == 302
    latest = story.history.latest()
    assert latest.history_user == staff_user
    assert latest.history_date is not None
    assert latest.title == "Second title"
    assert story.history.count() == 2


def test_issue_section_story_and_directory_entries_keep_revisions():
    issue = make_issue()
    story = make_story(issue)
    hotline = Hotline.objects.create(country=make_country(), number="1505")
    for obj in (issue, story.section, story, hotline):
        assert obj.history.count() == 1, type(obj)
    issue.title = "Renamed"
    issue.save()
    assert issue.history.count() == 2


def test_history_page_lists_revisions_with_compare_choices(staff_client):
    issue = make_issue(title="Version one")
    issue.title = "Version two"
    issue.save()
    html = staff_client.get(
        reverse("admin:newsletters_issue_history", args=[issue.pk])
    ).content.decode()
    assert "Version one" in html and "Version two" in html
    assert 'name="old"' in html and 'name="new"' in html
    assert reverse("admin:newsletters_issue_history_compare", args=[issue.pk]) in html


def test_compare_lists_only_the_changed_fields(staff_client):
    story = make_story(make_issue(), title="Old title", body="Same body.")
    old = story.history.latest()
    story.title = "New title"
    story.save()
    new = story.history.latest()
    url = reverse("admin:newsletters_story_history_compare", args=[story.pk])
    response = staff_client.get(url, {"old": old.history_id, "new": new.history_id})
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [
        ("title", "Old title", "New title")
    ]
    # Chosen the other way round, the older one still comes first.
    swapped = staff_client.get(url, {"old": new.history_id, "new": old.history_id})
    assert swapped.context["changes"][0]["old"] == "Old title"


def test_compare_refuses_revisions_of_another_object(staff_client):
    one = make_story(make_issue(), title="One")
    other = make_story(make_issue(), title="Other")
    url = reverse("admin:newsletters_story_history_compare", args=[one.pk])
    response = staff_client.get(
        url, {"old": one.history.latest().history_id, "new": other.history.latest().history_id}
    )
    assert response.status_code == 404


def test_restore_an_earlier_revision_of_a_story(staff_client):
    story = make_story(make_issue(), title="Good title", body="Good body.")
    good = story.history.latest()
    story.title, story.body = "Broken title", "Broken body."
    story.save()
    url = reverse("admin:newsletters_story_simple_history", args=[story.pk, good.history_id])
    page = staff_client.get(url)
    assert page.status_code == 200 and "Good body." in page.content.decode()
    data = {
        "section": story.section_id, "title": "Good title", "slug": story.slug,
        "body": "Good body.", "position": "0",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    assert staff_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.title, story.body) == ("Good title", "Good body.")
    assert story.history.count() == 3  # the restore is a revision too


def test_restore_a_deleted_section_is_possible_from_its_history():
    issue = make_issue()
    section = Section.objects.create(issue=issue, title="Homecoming", position=2)
    pk = section.pk
    section.delete()
    record = Section.history.filter(id=pk, history_type="-").get()
    record.prev_record.instance.save()
    assert Section.objects.get(pk=pk).title == "Homecoming"


def test_bulk_import_writes_no_revisions_and_breaks_nothing():
    """The archive loader uses bulk_create: no revisions for its rows, by design."""
    from newsletters.importing.loader import load_issue, source_hash
    from newsletters.importing.parser import parse

    text = Path("sample_archive/regional-migration-bulletin-01.md").read_text(encoding="utf-8")
    result = load_issue(parse(text), source_name="01.md", source_hash=source_hash(text.encode()))
    issue = result.issue
    assert issue.history.count() == 1  # the issue row itself is saved normally
    assert Story.objects.filter(issue=issue).exists()
    assert Story.history.filter(issue_id=issue.pk).count() == 0
    imported = Hotline.objects.filter(listed_in=issue)  # proposed by the draft
    assert imported.exists() and not Hotline.history.filter(id__in=imported).exists()
    hotline = imported.first()
    hotline.note = "edited by hand"
    hotline.save()  # an ordinary save records a revision again
    assert hotline.history.count() == 1


def test_editor_history_user_is_recorded_for_dismissed_warnings(staff_client, staff_user):
    issue = make_issue(status=Issue.Status.DRAFT, import_warnings=["dead link '[x](#)'"])
    staff_client.post(reverse("admin:newsletters_issue_dismiss_warnings", args=[issue.pk]))
    assert issue.history.latest().history_user == staff_user

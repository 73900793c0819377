"""An issue's history as one timeline; a deleted story restored with its countries and
photos; changed words marked in a comparison; restores recorded as restores."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from core.history import word_diff
from newsletters.models import KeyFigure, Photo, Section, Story
from tests.factories import make_country, make_issue

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (90, 90, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def issue():
    issue = make_issue(title="Riverside Letter 3")
    section = Section.objects.create(issue=issue, title="Direct Assistance")
    story = Story.objects.create(section=section, title="Boats for the clinic", body="Two boats.")
    story.countries.add(make_country("KZ", "Kazakhstan"), make_country("TJ", "Tajikistan"))
    Photo.objects.create(
        story=story, image=SimpleUploadedFile("boat.png", _png(), "image/png"),
        caption="The new boat", alt_text="A white boat", credit="River Office",
    )  # fmt: skip
    Photo.objects.create(story=story, caption="The old boat")
    KeyFigure.objects.create(issue=issue, label="Patients", value=10)
    return issue


def _history(client, issue):
    return client.get(reverse("admin:newsletters_issue_history", args=[issue.pk]))


def _rows(html: str) -> list[str]:
    table = html.split('class="issue-timeline"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in table.split("<tr")[2:]]  # fmt: skip


def test_timeline_lists_changes_to_everything_in_the_issue(staff_client, issue):
    story = issue.stories.get()
    story.body = "Three boats."
    story.save()
    figure = issue.key_figures.get()
    figure.value = 12
    figure.save()
    section = issue.sections.get()
    section.title = "Direct Help"
    section.save()
    photo = story.photos.get(caption="The new boat")
    photo.alt_text = "A white boat on the river"
    photo.save()
    rows = _rows(_history(staff_client, issue).content.decode())
    # Newest first; edits name the fields they changed.
    assert "Photo: The new boat Changed alt_text Compare" in rows[0]
    assert "Section: Direct Help Changed title" in rows[1]
    assert "Key figure: Patients Changed value" in rows[2]
    assert "Story: Boats for the clinic Changed body" in rows[3]
    created = [r for r in rows if " Created" in r]
    assert len(created) == 6  # issue, section, story, two photos, key figure
    assert len(rows) == 10


def test_timeline_queries_do_not_grow_with_revisions(staff_client, issue):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _history(staff_client, issue).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    story = issue.stories.get()
    for n in range(10):
        story.body = f"Edit {n}"
        story.save()
        Photo.objects.create(story=story, caption=f"Photo {n}")
    assert count() == before


def test_deleted_story_is_listed_and_restores_with_countries_and_photos(
    staff_client, staff_user, issue
):
    story = issue.stories.get()
    story_id, photo_ids = story.pk, sorted(story.photos.values_list("pk", flat=True))
    story.delete()
    assert not Photo.objects.filter(pk__in=photo_ids).exists()
    html = _history(staff_client, issue).content.decode()
    assert "Story: Boats for the clinic Deleted" in " ".join(_rows(html))
    record = Story.history.get(id=story_id, history_type="-")
    url = reverse("admin:newsletters_issue_restore_story", args=[issue.pk, record.history_id])
    assert url in html
    assert staff_client.get(url).status_code == 405

    response = staff_client.post(url)
    assert response.status_code == 302
    restored = Story.objects.get(pk=story_id)
    assert restored.body == "Two boats." and restored.section.title == "Direct Assistance"
    assert sorted(c.code for c in restored.countries.all()) == ["KZ", "TJ"]
    photos = {p.pk: p for p in restored.photos.all()}
    assert sorted(photos) == photo_ids
    new_boat = next(p for p in photos.values() if p.caption == "The new boat")
    assert new_boat.credit == "River Office" and new_boat.image and new_boat.renditions
    latest = restored.history.latest()
    assert latest.history_change_reason.startswith("Restored")
    assert latest.history_user == staff_user
    # Listed as a restore, and no longer offered for restoring.
    html = _history(staff_client, issue).content.decode()
    assert "Story: Boats for the clinic Restored" in " ".join(_rows(html))
    assert url not in html
    again = staff_client.post(url, follow=True).content.decode()
    assert "This story exists" in again
    assert Story.objects.filter(pk=story_id).count() == 1


def test_restore_needs_login_and_a_deletion_of_this_issue(staff_client, issue):
    other = make_issue(title="Another letter")
    story = issue.stories.get()
    story_id = story.pk
    story.delete()
    record = Story.history.get(id=story_id, history_type="-")
    wrong = reverse("admin:newsletters_issue_restore_story", args=[other.pk, record.history_id])
    assert staff_client.post(wrong).status_code == 404
    url = reverse("admin:newsletters_issue_restore_story", args=[issue.pk, record.history_id])
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert not Story.objects.filter(pk=story_id).exists()


def test_compare_marks_changed_words_escaped(staff_client, issue):
    story = issue.stories.get()
    old = story.history.latest()
    story.body = "Two <b>new</b> boats."
    story.save()
    new = story.history.latest()
    url = reverse("admin:newsletters_story_history_compare", args=[story.pk])
    html = staff_client.get(url, {"old": old.history_id, "new": new.history_id}).content.decode()
    assert "Two <ins>&lt;b&gt;new&lt;/b&gt; </ins>boats." in html
    assert "<b>new</b>" not in html


def test_word_diff_marks_replacements_and_escapes():
    assert word_diff("the cold river", "the warm river") == (
        "the <del>cold</del><ins>warm</ins> river"
    )
    assert word_diff("a <i>", "a & b") == "a <del>&lt;i&gt;</del><ins>&amp; b</ins>"
    assert word_diff(None, "new") == "<ins>new</ins>"


def test_restoring_a_revision_is_recorded_as_a_restore(staff_client, issue):
    story = issue.stories.get()
    good = story.history.latest()
    story.body = "Vandalised."
    story.save()
    url = reverse("admin:newsletters_story_simple_history", args=[story.pk, good.history_id])
    data = {
        "section": story.section_id, "title": story.title, "slug": story.slug,
        "body": "Two boats.", "countries": [c.pk for c in story.countries.all()],
        "position": "0", "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    assert staff_client.post(url, data).status_code == 302
    latest = story.history.latest()
    assert latest.body == "Two boats."
    assert latest.history_change_reason == f"Restored revision {good.history_id}"
    html = _history(staff_client, issue).content.decode()
    assert "Story: Boats for the clinic Restored" in " ".join(_rows(html))

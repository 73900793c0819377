"""Editors cannot change what is live (issue 11, item 2), and stale saves are refused.

An Editor's edit of a published issue's story, photo, section or key figure - on its
page, as an inline, by deleting, by moving a story in, or by a spreadsheet - is kept as
a pending change; the public sees the published version until a Publisher publishes it.
"""

from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from newsletters.models import Issue, KeyFigure, Photo, Section, Story
from newsletters.pending import PendingChange
from newsletters.resources import KeyFigureResource
from newsletters.roles import EDITOR
from tests.factories import fill_issue, make_country, make_issue
from tests.newsletters.test_roles import _change_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    issue = fill_issue(make_issue(title="Live bulletin"), sections=1, figures=1)
    assert issue.is_live
    return issue


def story_data(story, **overrides):
    data = {
        "section": story.section_id, "title": story.title, "slug": story.slug,
        "body": story.body,
        "countries": [c.pk for c in story.countries.all()] if story.pk else [],
        "position": story.position, "seen_version": story.version,
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(overrides)
    return data


def publish_pending(client, issue):
    return client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "publish_pending", "_selected_action": [issue.pk]},
        follow=True,
    )


def test_an_editors_edit_of_a_published_story_is_not_public_until_a_publisher_publishes(
    editor, publisher, client, live
):
    story = live.stories.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    response = editor.post(url, story_data(story, body="Rewritten by the editor, pendingqq."))
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).body == story.body  # the live row is untouched
    assert "pendingqq" not in client.get(story.get_absolute_url()).content.decode()
    assert "pendingqq" not in client.get(live.get_absolute_url()).content.decode()
    change = PendingChange.objects.get()
    assert (change.issue_id, change.action, change.created_by.username) == (
        live.pk, "change", "eddie")  # fmt: skip
    # The editor sees the pending text when opening the story again; saving replaces it.
    page = editor.get(url, follow=True).content.decode()
    assert "Rewritten by the editor, pendingqq." in page and "not public yet" in page
    editor.post(url, story_data(story, body="Rewritten twice, pendingqq."))
    assert PendingChange.objects.count() == 1
    issue_page = publisher.get(reverse("admin:newsletters_issue_change", args=[live.pk]))
    assert f'<a href="{url}">Change: story: Story 1.1</a> (body) — eddie' in (
        issue_page.content.decode()
    )

    html = publish_pending(publisher, live).content.decode()
    assert "1 pending change(s) published." in html
    assert Story.objects.get(pk=story.pk).body == "Rewritten twice, pendingqq."
    assert "Rewritten twice, pendingqq." in client.get(story.get_absolute_url()).content.decode()
    assert PendingChange.objects.count() == 0


def test_an_editor_cannot_publish_pending_changes(editor, live):
    story = live.stories.get()
    editor.post(
        reverse("admin:newsletters_story_change", args=[story.pk]), story_data(story, title="X")
    )
    response = publish_pending(editor, live)
    assert response.status_code == 200
    assert Story.objects.get(pk=story.pk).title == "Story 1.1"
    assert PendingChange.objects.count() == 1


def test_a_publishers_edit_and_an_editors_edit_of_a_draft_are_saved_at_once(
    editor, publisher, live
):
    story = live.stories.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    assert publisher.post(url, story_data(story, title="Fixed typo")).status_code == 302
    assert Story.objects.get(pk=story.pk).title == "Fixed typo"
    draft_story = fill_issue(make_issue(status=Issue.Status.DRAFT), sections=1).stories.get()
    url = reverse("admin:newsletters_story_change", args=[draft_story.pk])
    assert editor.post(url, story_data(draft_story, title="Draft title")).status_code == 302
    assert Story.objects.get(pk=draft_story.pk).title == "Draft title"
    assert PendingChange.objects.count() == 0


def test_inline_photo_and_key_figure_edits_wait(editor, publisher, client, live):
    story = live.stories.get()
    photo = story.photos.get()
    data = story_data(story, **{
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "1", "photos-0-id": photo.pk,
        "photos-0-story": story.pk, "photos-0-caption": "Caption pendingqq",
        "photos-0-alt_text": "", "photos-0-credit": "", "photos-0-position": "0",
    })  # fmt: skip
    editor.post(reverse("admin:newsletters_story_change", args=[story.pk]), data)
    assert Photo.objects.get(pk=photo.pk).caption == photo.caption

    figure = live.key_figures.get()
    issue_data = _change_data(
        live, status="published", publication_date=live.publication_date.isoformat(),
        seen_version=live.version,
        **{"key_figures-TOTAL_FORMS": "1", "key_figures-INITIAL_FORMS": "1",
           "key_figures-0-id": figure.pk, "key_figures-0-issue": live.pk,
           "key_figures-0-label": figure.label, "key_figures-0-value": "1,650",
           "key_figures-0-unit": "", "key_figures-0-note": "", "key_figures-0-position": 0},
    )  # fmt: skip
    response = editor.post(reverse("admin:newsletters_issue_change", args=[live.pk]), issue_data)
    assert response.status_code == 302
    assert KeyFigure.objects.get(pk=figure.pk).value == figure.value
    html = client.get(live.get_absolute_url()).content.decode()
    assert "pendingqq" not in html and "1,650" not in html
    assert sorted(PendingChange.objects.values_list("action", "summary")) == [
        ("change", f"key figure: {figure.label}: 1,650"),
        ("change", "photo: Caption pendingqq"),
    ]
    publish_pending(publisher, live)
    assert KeyFigure.objects.get(pk=figure.pk).value == Decimal("1650")
    assert Photo.objects.get(pk=photo.pk).caption == "Caption pendingqq"


def test_adding_deleting_and_moving_into_a_published_issue_wait(editor, publisher, client, live):
    section = live.sections.get()
    kz = make_country("KZ", "Kazakhstan")
    response = editor.post(
        reverse("admin:newsletters_story_add"),
        story_data(Story(section=section, title="New pendingqq", slug="", body="Fresh text.",
                         position=5), countries=[kz.pk], seen_version=""),
    )  # fmt: skip
    assert response.status_code == 302
    assert not Story.objects.filter(title="New pendingqq").exists()

    figure = live.key_figures.get()
    editor.post(reverse("admin:newsletters_keyfigure_delete", args=[figure.pk]), {"post": "yes"})
    assert KeyFigure.objects.filter(pk=figure.pk).exists()

    draft_story = fill_issue(make_issue(status=Issue.Status.DRAFT), sections=1).stories.get()
    moved = story_data(draft_story, section=section.pk, title="Moved pendingqq", slug="moved")
    editor.post(reverse("admin:newsletters_story_change", args=[draft_story.pk]), moved)
    assert Story.objects.get(pk=draft_story.pk).section_id != section.pk
    assert "pendingqq" not in client.get(live.get_absolute_url()).content.decode()
    assert live.key_figures.get().label in client.get(live.get_absolute_url()).content.decode()

    publish_pending(publisher, live)
    new = Story.objects.get(title="New pendingqq")
    assert new.issue_id == live.pk and list(new.countries.all()) == [kz]
    assert not KeyFigure.objects.filter(pk=figure.pk).exists()
    assert Story.objects.get(pk=draft_story.pk).issue_id == live.pk
    html = client.get(live.get_absolute_url()).content.decode()
    assert "New pendingqq" in html and "Moved pendingqq" in html


def test_an_editors_spreadsheet_cannot_change_a_published_issue(live, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ed2", "ed2@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    figure = live.key_figures.get()
    dataset = tablib.Dataset(headers=["issue", "label", "value", "unit", "note", "position"])
    dataset.append([live.slug, figure.label, "999", "", "", 0])
    result = KeyFigureResource().import_data(dataset, dry_run=False, user=user)
    assert result.has_errors() or result.has_validation_errors()
    assert KeyFigure.objects.get(pk=figure.pk).value == figure.value


def test_a_stale_story_save_is_refused_with_who_and_a_compare_link(editor, publisher, live):
    story = live.stories.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    opened_at = story.version
    assert publisher.post(url, story_data(story, body="Polly's words.")).status_code == 302
    response = publisher.post(url, story_data(story, body="Overwrite?", seen_version=opened_at))
    assert response.status_code == 200
    html = response.content.decode()
    assert "was changed by polly at" in html and "since you opened it" in html
    assert f"/admin/newsletters/story/{story.pk}/history/compare/?old=" in html
    assert Story.objects.get(pk=story.pk).body == "Polly's words."


def test_a_stale_issue_save_is_refused(publisher, live):
    url = reverse("admin:newsletters_issue_change", args=[live.pk])
    data = _change_data(live, status="published", seen_version=live.version,
                        publication_date=live.publication_date.isoformat())  # fmt: skip
    assert publisher.post(url, {**data, "title": "First"}).status_code == 302
    response = publisher.post(url, {**data, "title": "Second"})
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert Issue.objects.get(pk=live.pk).title == "First"


def test_a_pending_change_on_an_outdated_version_is_not_applied(editor, publisher, live):
    story = live.stories.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    editor.post(url, story_data(story, body="Editor's text."))
    publisher.post(url, story_data(story, body="Publisher's text."))
    html = publish_pending(publisher, live).content.decode()
    assert "was changed by someone else in the meantime" in html
    assert Story.objects.get(pk=story.pk).body == "Publisher's text."
    assert PendingChange.objects.count() == 0


def test_sections_edited_by_an_editor_wait(editor, publisher, live):
    section = live.sections.get()
    story = section.stories.get()
    data = {
        "issue": live.pk, "title": "Renamed pendingqq", "position": 0,
        "stories-TOTAL_FORMS": "1", "stories-INITIAL_FORMS": "1",
        "stories-MIN_NUM_FORMS": "0", "stories-MAX_NUM_FORMS": "1000",
        "stories-0-id": story.pk, "stories-0-section": section.pk, "stories-0-title": "Inline",
        "stories-0-slug": story.slug, "stories-0-body": story.body, "stories-0-position": 0,
        "stories-0-seen_version": story.version,
    }  # fmt: skip
    response = editor.post(reverse("admin:newsletters_section_change", args=[section.pk]), data)
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).title == section.title
    assert Story.objects.get(pk=story.pk).title == story.title
    assert PendingChange.objects.count() == 2
    publish_pending(publisher, live)
    assert Section.objects.get(pk=section.pk).title == "Renamed pendingqq"
    assert Story.objects.get(pk=story.pk).title == "Inline"


def test_an_editors_change_to_the_published_issue_itself_waits(editor, publisher, client, live):
    url = reverse("admin:newsletters_issue_change", args=[live.pk])
    data = _change_data(
        live, status="published", publication_date=live.publication_date.isoformat(),
        seen_version=live.version, summary="Summary pendingqq",
    )  # fmt: skip
    assert editor.post(url, data).status_code == 302
    assert Issue.objects.get(pk=live.pk).summary == ""
    assert "pendingqq" not in client.get(live.get_absolute_url()).content.decode()
    publish_pending(publisher, live)
    assert Issue.objects.get(pk=live.pk).summary == "Summary pendingqq"
    assert Issue.objects.get(pk=live.pk).is_live


def test_moving_a_story_out_of_a_published_issue_waits_and_can_be_discarded(
    editor, publisher, client, live
):
    story = live.stories.get()
    draft_section = fill_issue(make_issue(status=Issue.Status.DRAFT), sections=1).sections.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    editor.post(url, story_data(story, section=draft_section.pk, slug="away"))
    assert Story.objects.get(pk=story.pk).issue_id == live.pk
    assert story.title in client.get(live.get_absolute_url()).content.decode()
    response = publisher.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "discard_pending", "_selected_action": [live.pk]},
        follow=True,
    )
    assert "1 pending change(s) discarded." in response.content.decode()
    assert PendingChange.objects.count() == 0
    assert Story.objects.get(pk=story.pk).issue_id == live.pk


def test_restoring_a_revision_waits_for_an_editor_and_is_not_stale_for_a_publisher(
    editor, publisher, client, live
):
    story = live.stories.get()
    kz = story.countries.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    publisher.post(url, story_data(story, body="Second wording.", countries=[]))
    old = story.history.order_by("history_date").first()
    restore = reverse("admin:newsletters_story_simple_history", args=[story.pk, old.history_id])
    form = editor.get(restore).content.decode()
    current = Story.objects.get(pk=story.pk).version
    assert f'name="seen_version" value="{current}"' in form
    data = story_data(Story.objects.get(pk=story.pk), body=old.body, countries=[kz.pk])
    assert editor.post(restore, data).status_code == 302
    live_story = Story.objects.get(pk=story.pk)
    assert live_story.body == "Second wording." and not live_story.countries.exists()
    assert PendingChange.objects.count() == 1
    response = publisher.post(restore, data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Story.objects.get(pk=story.pk).body == old.body


def test_an_editors_edit_in_the_section_list_waits(editor, live):
    section = live.sections.get()
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000", "form-0-id": section.pk, "form-0-position": "7",
        "_save": "Save",
    }  # fmt: skip
    response = editor.post(reverse("admin:newsletters_section_changelist"), data, follow=True)
    assert "Saved as a pending change of the published issue" in response.content.decode()
    assert Section.objects.get(pk=section.pk).position == section.position
    assert PendingChange.objects.get().data == {"position": 7}


def new_section_data(issue, index: int, section: str, story: str, caption: str) -> dict:
    """The editor's rows for a new section at ``index`` holding a new story and, in it, a
    photo without a file yet (what an Editor adds to a live issue in one save)."""
    sp = f"sections-{index}"
    tp = f"{sp}-stories-0"
    return {
        "sections-TOTAL_FORMS": str(index + 1),
        f"{sp}-id": "", f"{sp}-issue": issue.pk, f"{sp}-title": section,
        f"{sp}-position": str(index),
        f"{sp}-stories-TOTAL_FORMS": "1", f"{sp}-stories-INITIAL_FORMS": "0",
        f"{sp}-stories-MIN_NUM_FORMS": "0", f"{sp}-stories-MAX_NUM_FORMS": "1000",
        f"{tp}-id": "", f"{tp}-section": "", f"{tp}-title": story,
        f"{tp}-body": "Its text.", f"{tp}-position": "0",
        f"{tp}-photos-TOTAL_FORMS": "1", f"{tp}-photos-INITIAL_FORMS": "0",
        f"{tp}-photos-MIN_NUM_FORMS": "0", f"{tp}-photos-MAX_NUM_FORMS": "1000",
        f"{tp}-photos-0-id": "", f"{tp}-photos-0-story": "", f"{tp}-photos-0-caption": caption,
        f"{tp}-photos-0-alt_text": "", f"{tp}-photos-0-credit": "",
        f"{tp}-photos-0-position": "0",
    }  # fmt: skip


def _editor_page_data(issue, **overrides):
    """The one-page editor's form as posted: every section with its stories and photos
    (nested-admin prefixes: sections-0-stories-0-photos-0-...)."""
    data = _change_data(
        issue, status=issue.status, publication_date=issue.publication_date.isoformat(),
        date_precision=issue.date_precision, seen_version=issue.version,
    )  # fmt: skip
    sections = list(issue.sections.order_by("position", "pk"))
    data.update({"sections-TOTAL_FORMS": str(len(sections)),
                 "sections-INITIAL_FORMS": str(len(sections))})  # fmt: skip
    for s, section in enumerate(sections):
        sp = f"sections-{s}"
        stories = list(section.stories.order_by("position", "pk"))
        data.update({
            f"{sp}-id": section.pk, f"{sp}-issue": issue.pk, f"{sp}-title": section.title,
            f"{sp}-position": section.position,
            f"{sp}-stories-TOTAL_FORMS": str(len(stories)),
            f"{sp}-stories-INITIAL_FORMS": str(len(stories)),
            f"{sp}-stories-MIN_NUM_FORMS": "0", f"{sp}-stories-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
        for t, story in enumerate(stories):
            tp = f"{sp}-stories-{t}"
            photos = list(story.photos.order_by("position", "pk"))
            data.update({
                f"{tp}-id": story.pk, f"{tp}-section": section.pk, f"{tp}-title": story.title,
                f"{tp}-body": story.body, f"{tp}-position": story.position,
                f"{tp}-countries": [c.pk for c in story.countries.all()],
                f"{tp}-photos-TOTAL_FORMS": str(len(photos)),
                f"{tp}-photos-INITIAL_FORMS": str(len(photos)),
                f"{tp}-photos-MIN_NUM_FORMS": "0", f"{tp}-photos-MAX_NUM_FORMS": "1000",
            })  # fmt: skip
            for p, photo in enumerate(photos):
                pp = f"{tp}-photos-{p}"
                data.update({
                    f"{pp}-id": photo.pk, f"{pp}-story": story.pk, f"{pp}-caption": photo.caption,
                    f"{pp}-alt_text": photo.alt_text, f"{pp}-credit": photo.credit,
                    f"{pp}-position": photo.position,
                })  # fmt: skip
    data.update(overrides)
    return data


def test_an_editors_edits_in_the_one_page_editor_wait(editor, publisher, client, live):
    """Stories and photos nested in sections (django-nested-admin) wait like any inline:
    an edited story and photo, a deleted story, and a new section holding a new story
    with a photo caption; nothing is public before a Publisher publishes, nothing lost."""
    other = Section.objects.create(issue=live, title="Second section", position=1)
    doomed = Story.objects.create(section=other, title="Doomed", body="Old text.", position=0)
    story = Story.objects.get(section__issue=live, section__position=0)
    photo = story.photos.get()
    data = _editor_page_data(live)
    data.update({
        "sections-0-stories-0-body": "Rewritten in the editor, pendingqq.",
        "sections-0-stories-0-photos-0-caption": "Caption in the editor, pendingqq",
        "sections-1-stories-0-DELETE": "on",
        # A new section with a new story and, in it, a photo without a file yet.
        **new_section_data(live, 2, "New section pendingqq", "New story pendingqq",
                           "New photo caption pendingqq"),
    })  # fmt: skip
    url = reverse("admin:newsletters_issue_change", args=[live.pk])
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    # Nothing of it is live.
    assert Story.objects.get(pk=story.pk).body == story.body
    assert Photo.objects.get(pk=photo.pk).caption == photo.caption
    assert Story.objects.filter(pk=doomed.pk).exists()
    assert not Section.objects.filter(title__contains="pendingqq").exists()
    assert not Story.objects.filter(title__contains="pendingqq").exists()
    assert "pendingqq" not in client.get(live.get_absolute_url()).content.decode()
    assert sorted(PendingChange.objects.values_list("action", "summary")) == [
        ("change", "photo: Caption in the editor, pendingqq"),
        ("change", f"story: {story}"),
        ("create", "photo: New photo caption pendingqq"),
        ("create", "section: New section pendingqq"),
        ("create", "story: New story pendingqq"),
        ("delete", "story: Doomed"),
    ]

    page = publish_pending(publisher, live).content.decode()
    assert "6 pending change(s) published" in page, page
    assert Story.objects.get(pk=story.pk).body == "Rewritten in the editor, pendingqq."
    assert Photo.objects.get(pk=photo.pk).caption == "Caption in the editor, pendingqq"
    assert not Story.objects.filter(pk=doomed.pk).exists()
    new_story = Story.objects.get(title="New story pendingqq")
    assert (new_story.section.title, new_story.section.issue_id, new_story.issue_id) == (
        "New section pendingqq", live.pk, live.pk)  # fmt: skip
    assert new_story.photos.get().caption == "New photo caption pendingqq"

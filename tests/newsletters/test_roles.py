"""Editor and Publisher roles: what each may do in the admin, and what the server refuses."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from newsletters.models import Issue
from newsletters.roles import EDITOR, PUBLISHER
from tests.factories import fill_issue, make_issue, make_series

pytestmark = pytest.mark.django_db


def _change_data(issue, **overrides):
    data = {
        "series": issue.series_id, "number": issue.number, "title": issue.title,
        "slug": issue.slug, "publication_date": "2024-03-01", "summary": "",
        "status": issue.status, "go_live_at_0": "", "go_live_at_1": "",
        "sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000",
        "key_figures-TOTAL_FORMS": "0", "key_figures-INITIAL_FORMS": "0",
        "key_figures-MIN_NUM_FORMS": "0", "key_figures-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_migration_creates_both_groups_with_their_permissions():
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    publisher = set(
        Group.objects.get(name=PUBLISHER).permissions.values_list("codename", flat=True)
    )
    assert {"add_issue", "change_issue", "change_story", "add_photo", "change_hotline"} <= editor
    assert "publish_issue" not in editor and "delete_issue" not in editor
    # Subscribers (migration subscribers/0001): publishers also send and delete subscribers.
    assert editor | {"publish_issue", "delete_issue", "send_campaign", "delete_subscriber"} == (
        publisher
    )


def test_editor_sees_no_publish_actions_and_read_only_status(editor):
    issue = make_issue(status=Issue.Status.DRAFT)
    changelist = editor.get(reverse("admin:newsletters_issue_changelist")).content.decode()
    assert 'value="publish"' not in changelist and 'value="unpublish"' not in changelist
    assert 'value="start_next_issue"' in changelist
    page = editor.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).content.decode()
    assert 'name="status"' not in page and 'name="go_live_at_0"' not in page
    assert 'name="title"' in page


def test_publisher_sees_publish_actions_and_editable_status(publisher):
    issue = make_issue(status=Issue.Status.DRAFT)
    changelist = publisher.get(reverse("admin:newsletters_issue_changelist")).content.decode()
    assert 'value="publish"' in changelist and 'value="unpublish"' in changelist
    page = publisher.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert 'name="status"' in page.content.decode()


def test_crafted_publish_action_post_by_editor_is_refused(editor):
    issue = make_issue(status=Issue.Status.DRAFT)
    response = editor.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "publish", "_selected_action": [issue.pk], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert issue.first_published_at is None


def test_crafted_change_form_post_by_editor_cannot_publish_or_schedule(editor):
    issue = make_issue(status=Issue.Status.DRAFT, title="Draft one")
    response = editor.post(
        reverse("admin:newsletters_issue_change", args=[issue.pk]),
        _change_data(
            issue,
            title="Draft one, edited",
            status="published",
            go_live_at_0="2030-01-01",
            go_live_at_1="10:00:00",
        ),  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue.refresh_from_db()
    assert issue.title == "Draft one, edited"  # the edit itself went through
    assert issue.status == Issue.Status.DRAFT
    assert issue.go_live_at is None


def test_editor_cannot_unpublish_a_published_issue_by_form_either(editor):
    issue = make_issue(status=Issue.Status.PUBLISHED)
    editor.post(
        reverse("admin:newsletters_issue_change", args=[issue.pk]),
        _change_data(issue, status="draft"),
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED


def test_issue_added_by_editor_is_a_draft_whatever_is_posted(editor):
    series = make_series()
    response = editor.post(
        reverse("admin:newsletters_issue_add"),
        {
            **_change_data(make_issue(series=series, number=1), status="published"),
            "number": "2",
            "title": "New one",
            "slug": "new-one",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Issue.objects.get(slug="new-one").status == Issue.Status.DRAFT


def test_editor_cannot_publish_by_restoring_a_published_revision(editor):
    issue = make_issue(status=Issue.Status.PUBLISHED, title="Was live")
    published = issue.history.latest()
    issue.unpublish()
    url = reverse("admin:newsletters_issue_simple_history", args=[issue.pk, published.pk])
    response = editor.post(url, _change_data(issue, status="published"))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_publisher_publishes_and_unpublishes_with_actions(publisher):
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT))
    url = reverse("admin:newsletters_issue_changelist")
    publisher.post(url, {"action": "publish", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED and issue.first_published_at is not None
    publisher.post(url, {"action": "unpublish", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_publisher_schedules_through_the_form(publisher):
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT))
    response = publisher.post(
        reverse("admin:newsletters_issue_change", args=[issue.pk]),
        _change_data(issue, status="published", go_live_at_0="2030-01-01", go_live_at_1="10:00:00"),
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.is_scheduled and not issue.is_live


def test_editor_may_edit_the_directory_but_not_delete_issues(editor):
    issue = make_issue(status=Issue.Status.DRAFT)
    assert editor.get(reverse("admin:directory_hotline_add")).status_code == 200
    assert editor.get(reverse("admin:newsletters_story_add")).status_code == 200
    delete_url = reverse("admin:newsletters_issue_delete", args=[issue.pk])
    response = editor.post(delete_url, {"post": "yes"})
    assert response.status_code == 403
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_editor_import_makes_drafts_even_with_a_crafted_publish_field(editor, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from newsletters.admin_import import SESSION_KEY
    from tests.newsletters.importing.conftest import issue_text

    settings.MEDIA_ROOT = tmp_path / "media"
    page = editor.get(reverse("admin:newsletters_issue_import")).content.decode()
    assert 'name="publish"' not in page
    upload = SimpleUploadedFile("digest-8.md", issue_text(8).encode(), content_type="text/plain")
    response = editor.post(
        reverse("admin:newsletters_issue_import"), {"files": [upload], "publish": "on"}
    )
    assert response.status_code == 200
    editor.post(
        reverse("admin:newsletters_issue_import_confirm"),
        {"token": editor.session[SESSION_KEY]["token"]},
    )
    issue = Issue.objects.get(number=8)
    assert issue.status == Issue.Status.DRAFT
    assert not Issue.objects.published().exists()


def test_publisher_import_may_publish(publisher, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from newsletters.admin_import import SESSION_KEY
    from tests.newsletters.importing.conftest import issue_text

    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("digest-9.md", issue_text(9).encode(), content_type="text/plain")
    publisher.post(reverse("admin:newsletters_issue_import"), {"files": [upload], "publish": "on"})
    publisher.post(
        reverse("admin:newsletters_issue_import_confirm"),
        {"token": publisher.session[SESSION_KEY]["token"]},
    )
    assert Issue.objects.get(number=9).status == Issue.Status.PUBLISHED

"""The pre-publish check (issue 11, item 3): what it lists, where staff see it, and that
it blocks publishing and scheduling on every path unless a Publisher gives a reason."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from newsletters.checks import prepublish_problems
from newsletters.models import Issue, KeyFigure, Photo, Section, Story
from newsletters.publishing import PublishBlocked
from tests.factories import fill_issue, make_issue, make_series
from tests.newsletters.test_roles import _change_data

pytestmark = pytest.mark.django_db


def unfinished_issue() -> Issue:
    """A draft with one of each problem the check knows."""
    other_draft = make_issue(status=Issue.Status.DRAFT, slug="other-draft")
    issue = make_issue(
        status=Issue.Status.DRAFT, publication_date=None, slug="spring",
        import_warnings=["Line 12: unreadable table", "Line 40: page header"],
        summary="See [the index](/issues/) and [a lost page](/issues/no-such-issue/).",
    )  # fmt: skip
    Section.objects.create(issue=issue, title="Partnership in Action", position=1)
    section = Section.objects.create(issue=issue, title="Direct Assistance", position=0)
    Story.objects.create(
        section=section, title="", position=0,
        body=f"Read [the draft]({other_draft.get_absolute_url()}), "
        "[our own page](/issues/spring/), <https://example.org/x> and [nowhere](/nowhere/).",
    )  # fmt: skip
    empty = Story.objects.create(section=section, title="Awaiting text", body="  ", position=1)
    Photo.objects.create(story=empty, caption="Training in Osh")  # no image: no alt needed
    photo = Photo.objects.create(story=empty, caption="x", alt_text="")
    Photo.objects.filter(pk=photo.pk).update(image="photos/2024/03/a.jpg")
    KeyFigure.objects.create(issue=issue, label="Hotline calls", value=None, unit="calls")
    KeyFigure.objects.create(issue=issue, label="People assisted", value=120)
    return issue


def test_check_lists_every_kind_of_problem_once():
    problems = prepublish_problems(unfinished_issue())
    assert [(p.code, p.message) for p in problems] == [
        ("no-date", "The issue has no date."),
        ("empty-section", "Section “Partnership in Action” has no stories."),
        ("untitled-story", "A story in “Direct Assistance” has no title."),
        ("empty-story", "Story “Awaiting text” has no text."),
        ("empty-figure", "Key figure “Hotline calls” is not filled in."),
        ("photo-alt", "A photo of “Awaiting text” has no alt text."),
        ("import-warnings", "2 import warnings not yet dismissed."),
        ("broken-link", "A link goes to /issues/no-such-issue/, which does not exist."),
        ("broken-link", "A link goes to /issues/other-draft/, which does not exist."),
        ("broken-link", "A link goes to /nowhere/, which does not exist."),
    ]


def test_a_complete_issue_has_no_problems_and_links_to_public_pages_pass():
    target = fill_issue(make_issue())
    story = target.stories.first()
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT))
    Story.objects.filter(issue=issue).update(
        body=f"See [it]({story.get_absolute_url()}) and [the hotlines](/directory/)."
    )
    assert prepublish_problems(issue) == []
    # Tags written as text (the page shows them as text) are not links to /script or /p.
    Story.objects.filter(issue=issue).update(
        body="Shown as text: <script>alert(1)</script> and <p>x</p>, not </issues/>."
    )
    assert prepublish_problems(issue) == []
    empty = prepublish_problems(make_issue(status=Issue.Status.DRAFT))
    assert [p.message for p in empty] == ["The issue has no sections."]


def test_check_queries_do_not_grow_with_the_issue(django_assert_max_num_queries):
    small = fill_issue(make_issue(status=Issue.Status.DRAFT), sections=1, figures=1)
    big = fill_issue(make_issue(status=Issue.Status.DRAFT), sections=6, stories_per_section=5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        prepublish_problems(Issue.objects.get(pk=small.pk))
    with django_assert_max_num_queries(len(first.captured_queries)):
        prepublish_problems(Issue.objects.get(pk=big.pk))


def test_an_issue_with_an_empty_figure_cannot_be_published_without_a_reason():
    last = fill_issue(make_issue(series=make_series("Digest"), number=1))
    draft = last.start_next()
    fill_issue(draft, figures=0)  # sections and stories done; the copied figures are empty
    Section.objects.filter(issue=draft, stories__isnull=True).delete()
    problems = prepublish_problems(draft)
    assert {p.code for p in problems} == {"empty-figure", "no-date"}
    with pytest.raises(PublishBlocked) as blocked:
        draft.publish()
    assert "Key figure “Figure 1” is not filled in." in blocked.value.message
    assert Issue.objects.get(pk=draft.pk).status == Issue.Status.DRAFT
    # Scheduling is publishing too.
    fresh = Issue.objects.get(pk=draft.pk)
    with pytest.raises(PublishBlocked):
        fresh.publish(at=timezone.now() + datetime.timedelta(days=1))
    assert Issue.objects.get(pk=draft.pk).status == Issue.Status.DRAFT
    # A plain save of the status is the same path.
    fresh = Issue.objects.get(pk=draft.pk)
    fresh.status = Issue.Status.PUBLISHED
    with pytest.raises(PublishBlocked):
        fresh.save()
    assert not Issue.objects.published().filter(pk=draft.pk).exists()

    fresh = Issue.objects.get(pk=draft.pk)
    fresh.publish(reason="The hotline figure comes next week; the rest cannot wait.")
    assert Issue.objects.get(pk=draft.pk).is_live
    reason = draft.history.latest().history_change_reason
    assert reason.startswith("Published despite the pre-publish check: The hotline figure")
    assert "Key figure “Figure 1” is not filled in." in reason


def test_admin_shows_the_check_on_the_issue_page_and_in_the_preview(staff_client, client):
    issue = unfinished_issue()
    page = staff_client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    html = page.content.decode()
    assert '<ul class="prepublish-problems" aria-label="Pre-publish check">' in html
    assert html.count("<li>A link goes to") == 3
    assert "Key figure “Hotline calls” is not filled in." in html
    preview = staff_client.get(issue.get_absolute_url()).content.decode()
    assert '<h2 id="prepublish-heading">Before publishing</h2>' in preview
    assert "2 import warnings not yet dismissed." in preview
    assert client.get(issue.get_absolute_url()).status_code == 404
    done = fill_issue(make_issue(status=Issue.Status.DRAFT))
    page = staff_client.get(reverse("admin:newsletters_issue_change", args=[done.pk]))
    assert '<p class="prepublish-ok">Nothing to fix.</p>' in page.content.decode()


def test_publish_action_refuses_an_unfinished_issue_and_publishes_the_rest(publisher):
    bad, good = unfinished_issue(), fill_issue(make_issue(status=Issue.Status.DRAFT))
    response = publisher.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "publish", "_selected_action": [bad.pk, good.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 issue published." in html
    assert f"“{bad.title}” was not published: The issue has no date." in html
    assert set(Issue.objects.published()) == {good}


def test_form_refuses_without_a_reason_and_keeps_the_other_changes(publisher):
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT))
    KeyFigure.objects.filter(issue=issue, label="Figure 1").update(value=None)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    response = publisher.post(url, _change_data(issue, status="published", title="Renamed"))
    assert response.status_code == 302 and response["Location"] == url
    issue.refresh_from_db()
    assert (issue.status, issue.title) == (Issue.Status.DRAFT, "Renamed")
    page = publisher.get(url).content.decode()
    assert "Not published: the pre-publish check lists 1 problem" in page
    assert "Reason to publish anyway" in page

    reason = "Figure 1 is published separately by the ministry."
    response = publisher.post(
        url, _change_data(issue, status="published", title="Renamed", publish_reason=reason)
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.is_live
    assert reason in issue.history.latest().history_change_reason
    history = publisher.get(reverse("admin:newsletters_issue_history", args=[issue.pk]))
    assert f'<span class="change-reason">Published despite the pre-publish check: {reason}' in (
        history.content.decode()
    )


def test_form_publishes_when_the_same_form_fixes_the_problem(publisher):
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT), figures=1)
    figure = KeyFigure.objects.get(issue=issue)
    KeyFigure.objects.filter(pk=figure.pk).update(value=None)
    data = _change_data(
        issue, status="published",
        **{"key_figures-TOTAL_FORMS": "1", "key_figures-INITIAL_FORMS": "1",
           "key_figures-0-id": figure.pk, "key_figures-0-issue": issue.pk,
           "key_figures-0-label": figure.label, "key_figures-0-value": "1,650",
           "key_figures-0-unit": "", "key_figures-0-note": "", "key_figures-0-position": 0},
    )  # fmt: skip
    response = publisher.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.is_live and issue.key_figures.get().value == 1650


def test_an_editor_cannot_override_the_check(editor):
    issue = unfinished_issue()
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    assert "Reason to publish anyway" not in editor.get(url).content.decode()
    editor.post(url, _change_data(issue, status="published", publish_reason="because"))
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT


def test_importer_publish_option_records_its_reason(tmp_path):
    from newsletters.importing.loader import import_sources
    from tests.newsletters.importing.conftest import issue_text

    path = tmp_path / "1.md"
    path.write_text(issue_text(1), "utf-8")
    (report,) = import_sources([path], publish=True)
    issue = Issue.objects.get(pk=report.result.issue.pk)
    assert issue.is_live
    assert "Published on import" in issue.history.latest().history_change_reason


def test_a_photo_upload_without_alt_text_is_listed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT), photos_per_story=0)
    story = issue.stories.first()
    from tests.newsletters.test_images import image_bytes

    Photo.objects.create(
        story=story, image=SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"), caption="A"
    )
    assert [p.code for p in prepublish_problems(issue)] == ["photo-alt"]

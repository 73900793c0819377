"""Gaps of an Editor's pending changes to a live issue: no loss, no surprise.

1. A pending move of a story to another section survives saving the editor page again.
2. Rows an Editor added as pending changes show on the one-page editor, and saving again
   neither loses nor duplicates them.
3. "Preview" leaves the public page cache and its version alone.
4. Story links inside the preview lead to previews of those stories, pending changes
   applied.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.caching import BUMPED_AT_KEY, VERSION_KEY
from newsletters.models import Story
from tests.factories import fill_issue, make_issue
from tests.newsletters.test_pending import _editor_page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    issue = fill_issue(make_issue(title="Live bulletin"), sections=2, figures=1)
    assert issue.is_live
    return issue


def _editor_url(issue):
    return reverse("admin:newsletters_issue_change", args=[issue.pk])


def _preview_url(issue):
    return reverse("admin:newsletters_issue_preview", args=[issue.pk])


def _pending_body(editor, issue, body, story_index=0, section_index=0):
    data = _editor_page_data(issue)
    data[f"sections-{section_index}-stories-{story_index}-body"] = body
    response = editor.post(_editor_url(issue), data)
    assert response.status_code == 302


# --- 3. The preview leaves the public cache alone ------------------------------------------


def test_opening_the_preview_keeps_the_public_cache_version_and_its_stored_pages(
    editor, client, live, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _pending_body(editor, live, "Pending words zqzq.")
    url = live.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and b"zqzq" not in first.content
    version, bumped_at = cache.get(VERSION_KEY), cache.get(BUMPED_AT_KEY)
    assert version is not None
    stored = [key for key in cache._cache if "public-page:" in key]
    assert len(stored) == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        preview = editor.get(_preview_url(live))
    assert preview.status_code == 200 and b"Pending words zqzq." in preview.content
    assert callbacks == []  # no bump (nor anything else) waits for a commit

    assert (cache.get(VERSION_KEY), cache.get(BUMPED_AT_KEY)) == (version, bumped_at)
    assert [key for key in cache._cache if "public-page:" in key] == stored
    # The stored page is still the one served: answered from the cache, no query at all.
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    assert again.content == first.content and b"zqzq" not in again.content


def test_the_public_page_never_shows_pending_content_around_a_preview(editor, client, live):
    _pending_body(editor, live, "Pending words zqzq.")
    editor.get(_preview_url(live))  # before the public page is cached
    assert b"zqzq" not in client.get(live.get_absolute_url()).content
    story = Story.objects.filter(section__issue=live).first()
    assert b"zqzq" not in client.get(story.get_absolute_url()).content
    editor.get(_preview_url(live))  # after
    assert b"zqzq" not in client.get(live.get_absolute_url()).content
    assert b"zqzq" not in client.get(story.get_absolute_url()).content

"""Gaps of an Editor's pending changes to a live issue: no loss, no surprise.

1. A pending move of a story to another section survives saving the editor page again.
2. Rows an Editor added as pending changes show on the one-page editor, and saving again
   neither loses nor duplicates them.
3. "Preview" leaves the public page cache and its version alone.
4. Story links inside the preview lead to previews of those stories, pending changes
   applied.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.caching import BUMPED_AT_KEY, VERSION_KEY
from newsletters.models import Photo, Section, Story
from newsletters.pending import PendingChange
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


# --- 4. Story links inside the preview -----------------------------------------------------


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_story_links_in_the_preview_lead_to_previews_of_the_stories(editor, client, live):
    story = Story.objects.get(section__issue=live, section__position=0)
    _pending_body(editor, live, "Pending words zqzq.")
    page = editor.get(_preview_url(live)).content.decode()
    public_story_urls = [s.get_absolute_url() for s in Story.objects.filter(section__issue=live)]
    for url in public_story_urls:
        assert url not in _hrefs(page), url
    story_preview = reverse("admin:newsletters_issue_preview_story", args=[live.pk, story.slug])
    assert story_preview in _hrefs(page)

    response = editor.get(story_preview)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pending words zqzq." in html
    assert "Preview with 1 pending change applied" in html
    assert "private" in response["Cache-Control"]
    # Its links back to the issue go to the issue's preview, not the public page.
    assert live.get_absolute_url() not in _hrefs(html)
    assert any(href.startswith(_preview_url(live)) for href in _hrefs(html))
    # The public story page keeps the published text; visitors get no preview.
    assert "zqzq" not in client.get(story.get_absolute_url()).content.decode()
    assert client.get(story_preview).status_code == 302
    assert Story.objects.get(pk=story.pk).body == "Paragraph about **story 1.1**."


def test_a_story_added_as_pending_has_a_preview_page_too(editor, live):
    data = _editor_page_data(live)
    data.update({
        "sections-0-stories-TOTAL_FORMS": "2",
        "sections-0-stories-1-id": "", "sections-0-stories-1-section": "",
        "sections-0-stories-1-title": "Brand new zqzq", "sections-0-stories-1-body": "New.",
        "sections-0-stories-1-position": "1",
        "sections-0-stories-1-photos-TOTAL_FORMS": "0",
        "sections-0-stories-1-photos-INITIAL_FORMS": "0",
        "sections-0-stories-1-photos-MIN_NUM_FORMS": "0",
        "sections-0-stories-1-photos-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    assert editor.post(_editor_url(live), data).status_code == 302
    page = editor.get(_preview_url(live)).content.decode()
    url = reverse("admin:newsletters_issue_preview_story", args=[live.pk, "brand-new-zqzq"])
    assert url in _hrefs(page)
    assert "Brand new zqzq" in editor.get(url).content.decode()
    # An unknown story: 404, nothing kept.
    missing = reverse("admin:newsletters_issue_preview_story", args=[live.pk, "nope"])
    assert editor.get(missing).status_code == 404
    assert not Story.objects.filter(title__contains="zqzq").exists()
    assert PendingChange.objects.count() == 1
    assert Section.objects.filter(issue=live).count() == 2
    assert Photo.objects.filter(story__section__issue=live).count() == 2

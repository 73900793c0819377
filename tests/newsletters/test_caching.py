"""ETag/Last-Modified, 304s, the anonymous page cache, its invalidation and staff bypass."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.caching import (
    PAGE_PREFIX,
    STATE_KEY,
    VERSION_KEY,
    bump_content_version,
    public_state,
)
from directory.models import Hotline
from newsletters.models import Issue, KeyFigure
from tests.factories import make_country, make_directory, make_issue, make_story

pytestmark = pytest.mark.django_db

PAGES = ["/", "/issues/", "/figures/", "/search/?q=word", "/directory/", "/feed/",
         "/api/issues/", "/api/directory/", "/sitemap.xml"]  # fmt: skip


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_send_validators_and_answer_304(client, url):
    make_story(make_issue(title="Word issue"), title="Word story", body="word")
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "max-age=0" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_second_anonymous_request_is_served_from_cache(client):
    issue = make_story(make_issue(), title="Cached").issue
    _, cold = queries(client, issue.get_absolute_url())
    response, warm = queries(client, issue.get_absolute_url())
    assert response.status_code == 200 and b"Cached" in response.content
    assert warm == 0 < cold  # no validity query either: the state is in the cache


@pytest.mark.parametrize(
    "change",
    ["issue", "story", "figure", "hotline", "delete_story", "story_countries"],
)
def test_changes_invalidate_cached_pages(client, change):
    issue = make_issue(title="Before")
    story = make_story(issue, title="Story before")
    kz = make_country("KZ", "Kazakhstan")
    make_directory(kz, issue=issue)
    url = "/directory/" if change == "hotline" else issue.get_absolute_url()
    first = client.get(url)
    if change == "issue":
        issue.title = "After"
        issue.save()
        expected = "After"
    elif change == "story":
        story.title = "Story after"
        story.save()
        expected = "Story after"
    elif change == "figure":
        KeyFigure.objects.create(issue=issue, label="Fresh figure", value=1)
        expected = "Fresh figure"
    elif change == "hotline":
        Hotline.objects.create(country=kz, number="1599", note="new line")
        expected = "1599"
    elif change == "delete_story":
        story.delete()
        expected = None
    else:
        story.countries.add(make_country("TJ", "Tajikistan"))
        expected = "Tajikistan"
    second = client.get(url, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    html = second.content.decode()
    if expected:
        assert expected in html
    else:
        assert "Story before" not in html


def test_staff_never_get_or_fill_the_public_cache(client, staff_client):
    issue = make_issue(title="Public title")
    make_issue(title="Draft only staff see", status=Issue.Status.DRAFT)
    public = client.get("/")  # cached for visitors now
    staff = staff_client.get("/")
    assert "ETag" not in staff and "private" in staff["Cache-Control"]
    assert staff.status_code == 200
    staff_preview = staff_client.get(issue.get_absolute_url())
    assert "ETag" not in staff_preview
    # A staff request with a visitor's validator still gets the full page.
    assert staff_client.get("/", headers={"if-none-match": public["ETag"]}).status_code == 200
    draft = Issue.objects.get(title="Draft only staff see")
    assert staff_client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_scheduled_issue_state_is_stored_and_stale_at_go_live():
    make_issue(number=1, title="Live issue")
    soon = timezone.now() + datetime.timedelta(seconds=30)
    make_issue(number=2, title="Scheduled issue", go_live_at=soon)
    state = public_state()
    assert state.next_go_live == soon and state.timeout() <= 31
    # Time passes without any save (no signal): the validators and cache key change anyway.
    later = public_state(now=soon + datetime.timedelta(seconds=1))
    assert later.etag() != state.etag() and later.next_go_live is None
    assert later.last_modified >= soon


def test_error_pages_are_not_cached(client):
    make_issue()
    _, cold = queries(client, "/issues/nope/")
    response, again = queries(client, "/issues/nope/")
    assert response.status_code == 404
    # Rendered again (the view's look-up runs), not served from the cache; the first
    # request also computed the cached state, the second did not need to.
    assert again == cold - 1 >= 1


# --- A cached page answers without the database (issue 6, cached pages within 2x of a
# static file), yet every change and every go-live still shows at once.


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() under the test's control; move it with clock.now = ..."""

    class Clock:
        now = timezone.now()

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@pytest.mark.parametrize("url", ["/", "/issues/", "/directory/", "/feed/", "/api/issues/"])
def test_cached_hit_runs_no_query(client, django_assert_num_queries, url):
    issue = make_story(make_issue(title="Zero"), title="Zero story").issue
    make_directory(make_country("KZ", "Kazakhstan"), issue=issue)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
        revalidated = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert revalidated.status_code == 304


def test_scheduled_issue_appears_at_go_live_with_page_cached_before(
    client, clock, django_assert_num_queries
):
    make_issue(number=1, title="Live issue")
    go_live = clock.now + datetime.timedelta(seconds=30)
    make_issue(number=2, title="Scheduled issue", go_live_at=go_live)
    first = client.get("/issues/")
    assert "Scheduled issue" not in first.content.decode()

    clock.now = go_live - datetime.timedelta(seconds=1)
    with django_assert_num_queries(0):  # still before: served from the cache, no query
        before = client.get("/issues/")
    assert before.content == first.content

    clock.now = go_live  # no save, no signal: only the clock moved
    after = client.get("/issues/", headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200
    assert "Scheduled issue" in after.content.decode()
    assert after["ETag"] != first["ETag"]
    with django_assert_num_queries(0):  # and the new page is cached in turn
        assert client.get("/issues/").content == after.content


def test_a_save_in_another_process_invalidates(client):
    issue = make_issue(title="Old title")
    first = client.get(issue.get_absolute_url())
    # Another process saved: the data changed and it bumped the shared version. Here the
    # write sends no signal, so only the bump in the cache can make the page change.
    Issue.objects.filter(pk=issue.pk).update(title="New title")
    assert "Old title" in client.get(issue.get_absolute_url()).content.decode()  # cached
    cache.incr(VERSION_KEY)
    second = client.get(issue.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200 and "New title" in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_state_from_before_a_bump_is_not_trusted(client):
    issue = make_issue(title="Old title")
    client.get(issue.get_absolute_url())
    stale = cache.get(STATE_KEY)
    Issue.objects.filter(pk=issue.pk).update(title="New title")
    bump_content_version()
    # A slower process, which read the data before the bump, stores its state last.
    cache.set(STATE_KEY, stale)
    assert "New title" in client.get(issue.get_absolute_url()).content.decode()


def test_lost_version_starts_a_new_one(client):
    issue = make_issue(title="Old title")
    first = client.get(issue.get_absolute_url())
    Issue.objects.filter(pk=issue.pk).update(title="New title")
    cache.delete(VERSION_KEY)  # evicted, or flushed without the pages
    second = client.get(issue.get_absolute_url())
    assert "New title" in second.content.decode() and second["ETag"] != first["ETag"]


def test_last_modified_follows_changes_to_any_model(client, clock):
    make_issue()
    kz = make_country("KZ", "Kazakhstan")
    first = client.get("/directory/")
    clock.now += datetime.timedelta(minutes=5)
    Hotline.objects.create(country=kz, number="1599", note="new line")
    second = client.get("/directory/", headers={"if-modified-since": first["Last-Modified"]})
    assert second.status_code == 200 and "1599" in second.content.decode()
    assert second["Last-Modified"] != first["Last-Modified"]


def test_staff_requests_do_not_fill_the_cache(client, staff_client):
    issue = make_issue(title="Public title")
    staff_client.get(issue.get_absolute_url())
    assert not any(k for k in cache._cache if PAGE_PREFIX in k)
    _, cold = queries(client, issue.get_absolute_url())
    assert cold > 1  # the state and the page: the page was rendered


def test_saving_works_while_the_cache_cannot_bump(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", down)
    issue = make_issue(title="Saved anyway")
    issue.title = "Saved again"
    issue.save()
    assert Issue.objects.get(pk=issue.pk).title == "Saved again"

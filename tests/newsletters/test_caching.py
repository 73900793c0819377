"""ETag/Last-Modified, 304s, the anonymous page cache, its invalidation and staff bypass."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Hotline
from newsletters.caching import public_state
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
    assert warm == 1 < cold  # only the validity query


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


def test_scheduled_issue_appears_at_go_live_even_when_cached(client):
    make_issue(number=1, title="Live issue")
    soon = timezone.now() + datetime.timedelta(seconds=30)
    make_issue(number=2, title="Scheduled issue", go_live_at=soon)
    first = client.get("/issues/")
    assert "Scheduled issue" not in first.content.decode()
    state = public_state()
    assert state.next_go_live == soon and state.timeout() <= 31
    # Time passes without any save (no signal): the validators and cache key change anyway.
    later = public_state(now=soon + datetime.timedelta(seconds=1))
    assert later.etag() != state.etag() and later.next_go_live is None
    Issue.objects.filter(title="Scheduled issue").update(go_live_at=timezone.now())
    second = client.get("/issues/", headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert "Scheduled issue" in second.content.decode()


def test_error_pages_are_not_cached(client):
    make_issue()
    _, cold = queries(client, "/issues/nope/")
    response, again = queries(client, "/issues/nope/")
    assert response.status_code == 404
    assert again == cold > 1  # rendered again, not served from the cache

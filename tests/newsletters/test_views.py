"""Public pages: content, visibility rules and query counts."""

import datetime
import re

import pytest
from django.utils import timezone

from newsletters.models import Issue
from tests.factories import (
    fill_issue,
    make_country,
    make_directory,
    make_issue,
    make_series,
    make_story,
)
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_home_shows_latest_published_issue_figures_and_hotlines(client):
    series = make_series()
    make_issue(series=series, number=1, title="Older issue")
    latest = fill_issue(make_issue(series=series, number=2, title="Latest issue"))
    make_issue(series=series, number=3, title="Draft issue", status=Issue.Status.DRAFT)
    make_directory(make_country("TJ", "Tajikistan"), hotlines=1)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Latest issue" in html
    assert "Draft issue" not in html and "Older issue" not in html
    assert "Figure 2" in html and "2,000" in html
    assert 'href="tel:+7700000' in html
    assert latest.get_absolute_url() in html
    assert h1_count(html) == 1


def test_home_without_issues(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No issue has been published yet." in response.content.decode()


def test_archive_newest_first_and_paginated(client, settings):
    series = make_series()
    for n in range(1, 16):
        make_issue(series=series, number=n, title=f"Issue number {n}")
    make_issue(series=series, number=99, title="Hidden draft", status=Issue.Status.DRAFT)
    first = client.get("/issues/")
    html = first.content.decode()
    assert first.status_code == 200
    titles = re.findall(r"Issue number (\d+)</a>", html)
    assert titles == [str(n) for n in range(15, 3, -1)]
    assert "Hidden draft" not in html
    second = client.get("/issues/?page=2")
    assert re.findall(r"Issue number (\d+)</a>", second.content.decode()) == ["3", "2", "1"]
    assert client.get("/issues/?page=3").status_code == 404
    assert client.get("/issues/?page=abc").status_code == 404


def test_issue_page_shows_contents(client):
    series = make_series()
    older = make_issue(series=series, number=1, title="First")
    issue = fill_issue(make_issue(series=series, number=2, title="Second"), sections=2)
    newer = make_issue(series=series, number=3, title="Third")
    response = client.get(issue.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(html) == 1
    assert 'href="#section-section-1"' in html and 'id="section-section-1"' in html
    assert "<strong>story 2.1</strong>" in html
    assert "<figcaption>Photo 1 of story Story 1.1" in html
    assert "Kazakhstan" in html
    assert older.get_absolute_url() in html and newer.get_absolute_url() in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Preview:" not in html


def test_story_permalink(client):
    issue = make_issue()
    story = make_story(issue, title="Shoemakers of Kostanay", body="A *new* trade.")
    response = client.get(f"/issues/{issue.slug}/{story.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Shoemakers of Kostanay</h1>" in html
    assert "<em>new</em>" in html
    assert client.get(f"/issues/{issue.slug}/no-such-story/").status_code == 404
    other = make_issue()
    assert client.get(f"/issues/{other.slug}/{story.slug}/").status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Issue.Status.DRAFT},
        {"go_live_at": "future"},
    ],
    ids=["draft", "scheduled"],
)
def test_hidden_issue_is_404_for_visitors_and_previewable_by_staff(client, staff_client, fields):
    if fields.get("go_live_at") == "future":
        fields = {"go_live_at": timezone.now() + datetime.timedelta(hours=1)}
    issue = make_issue(title="Not yet", **fields)
    story = make_story(issue, title="Secret story")
    for url in (issue.get_absolute_url(), f"/issues/{issue.slug}/{story.slug}/"):
        assert client.get(url).status_code == 404
        preview = staff_client.get(url)
        assert preview.status_code == 200
        assert "Preview:" in preview.content.decode()
    assert "Not yet" not in client.get("/").content.decode()
    assert "Not yet" not in client.get("/issues/").content.decode()


def test_non_staff_user_cannot_preview(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(user)
    issue = make_issue(status=Issue.Status.DRAFT)
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_issue_becomes_visible_at_go_live_time(client):
    issue = make_issue(go_live_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get(issue.get_absolute_url()).status_code == 404
    Issue.objects.filter(pk=issue.pk).update(go_live_at=timezone.now())
    assert client.get(issue.get_absolute_url()).status_code == 200


def test_markdown_in_story_is_sanitised_on_the_page(client):
    issue = make_issue()
    make_story(
        issue,
        title="<script>alert(1)</script>",
        body="<script>alert(2)</script> [x](javascript:alert(3))",
    )
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html



def test_issue_page_query_count_does_not_grow_with_stories(client):
    small = fill_issue(make_issue(number=1), sections=1, stories_per_section=3)
    large = fill_issue(make_issue(number=2), sections=6, stories_per_section=10, photos_per_story=2)
    assert large.stories.count() == 60
    # The first view renders and stores the contents (newsletters/contents.py).
    small_queries = count_queries(client, small.get_absolute_url())
    large_queries = count_queries(client, large.get_absolute_url())
    assert small_queries == large_queries == 11
    # Later views: the state, the issue with its stored contents, its two neighbours.
    assert count_queries(client, small.get_absolute_url()) == 3
    assert count_queries(client, large.get_absolute_url()) == 3


def test_home_and_archive_query_counts_are_constant(client):
    series = make_series()
    fill_issue(make_issue(series=series, number=1))
    home_small = count_queries(client, "/")
    archive_small = count_queries(client, "/issues/")
    for n in range(2, 30):
        fill_issue(make_issue(series=series, number=n), sections=2, stories_per_section=3)
    assert count_queries(client, "/") == home_small
    assert count_queries(client, "/issues/") == archive_small

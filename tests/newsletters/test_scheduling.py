"""Scheduling: a published issue with a go-live time appears everywhere at that second,
with no cron job, because every public query filters on it (Issue.objects.published)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Issue
from tests.factories import fill_issue, make_issue

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.datetime(2030, 6, 1, 9, 0, 0, tzinfo=datetime.UTC)
ONE_SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def scheduled():
    issue = make_issue(
        title="Scheduled bulletin", status=Issue.Status.PUBLISHED, go_live_at=GO_LIVE
    )
    return fill_issue(issue, sections=1)


@pytest.fixture
def clock(monkeypatch):
    """Sets what timezone.now() returns, for the views and querysets alike."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def _public_urls(issue):
    story = issue.stories.first()
    return {
        "issue page": reverse("newsletters:issue", kwargs={"slug": issue.slug}),
        "story page": story.get_absolute_url(),
        "archive": reverse("newsletters:issue_list"),
        "RSS feed": reverse("newsletters:feed_rss"),
        "API list": reverse("newsletters:api_issue_list"),
        "API detail": reverse("newsletters:api_issue", kwargs={"slug": issue.slug}),
        "sitemap": "/sitemap.xml",
        "search": reverse("newsletters:search") + "?q=Scheduled",
    }


def _visible(client, url, issue) -> bool:
    response = client.get(url)
    if response.status_code == 404:
        return False
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    return issue.title in body or issue.slug in body


def test_queryset_boundary(scheduled, clock):
    assert not Issue.objects.published(now=GO_LIVE - ONE_SECOND).filter(pk=scheduled.pk).exists()
    assert Issue.objects.published(now=GO_LIVE).filter(pk=scheduled.pk).exists()
    clock(GO_LIVE - ONE_SECOND)
    assert scheduled.is_scheduled and not scheduled.is_live
    clock(GO_LIVE + ONE_SECOND)
    assert scheduled.is_live and not scheduled.is_scheduled


def test_hidden_everywhere_one_second_before(client, scheduled, clock):
    clock(GO_LIVE - ONE_SECOND)
    for name, url in _public_urls(scheduled).items():
        assert not _visible(client, url, scheduled), f"{name} shows the issue too early"


def test_visible_everywhere_one_second_after_without_any_job(client, scheduled, clock):
    clock(GO_LIVE - ONE_SECOND)
    urls = _public_urls(scheduled)
    for url in urls.values():
        client.get(url)  # whatever a cache keeps from before must not hide the issue later
    clock(GO_LIVE + ONE_SECOND)
    for name, url in urls.items():
        assert _visible(client, url, scheduled), f"{name} does not show the issue on time"


def test_staff_preview_a_scheduled_issue_before_it_goes_live(staff_user, scheduled, clock):
    clock(GO_LIVE - ONE_SECOND)
    staff_client = Client()
    staff_client.force_login(staff_user)  # after the clock moved, or the session has expired
    response = staff_client.get(reverse("newsletters:issue", kwargs={"slug": scheduled.slug}))
    assert response.status_code == 200


def test_admin_list_says_scheduled(staff_user, scheduled, clock):
    clock(GO_LIVE - ONE_SECOND)
    staff_client = Client()
    staff_client.force_login(staff_user)
    html = staff_client.get(reverse("admin:newsletters_issue_changelist")).content.decode()
    assert "Scheduled for 2030-06-01 09:00" in html

"""Model rules: constraints, slugs and what counts as published."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsletters.models import Issue, KeyFigure, Photo, Section, Story
from tests.factories import fill_issue, make_issue, make_series, make_story

pytestmark = pytest.mark.django_db


def test_issue_number_unique_within_series():
    series = make_series()
    make_issue(series=series, number=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_issue(series=series, number=5, title="Another", slug="another")
    # Another series may reuse the number, and unnumbered issues may repeat.
    make_issue(series=make_series("Other"), number=5, title="Other 5")
    Issue.objects.create(series=series, title="Special A")
    Issue.objects.create(series=series, title="Special B")
    assert Issue.objects.filter(number__isnull=True).count() == 2


def test_issue_slug_generated_and_unique():
    a = make_issue(title="Spring news", number=1)
    b = make_issue(title="Spring news", number=2)
    assert a.slug == "spring-news"
    assert b.slug == "spring-news-2"
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=b.pk).update(slug="spring-news")


def test_issue_status_check_constraint():
    issue = make_issue()
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(status="deleted")


def test_story_takes_issue_from_section_and_slug_unique_in_issue():
    issue = make_issue()
    first = make_story(issue, title="Return home")
    second = make_story(issue, section_title="Homecoming", title="Return home")
    assert first.issue_id == issue.pk == second.issue_id
    assert (first.slug, second.slug) == ("return-home", "return-home-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=second.pk).update(slug="return-home")
    # The same slug is fine in another issue.
    assert make_story(make_issue(), title="Return home").slug == "return-home"


def test_untitled_story_gets_slug_from_section():
    story = make_story(make_issue(), section_title="Partnership in Action", title="")
    assert story.slug == "partnership-in-action-story"
    assert str(story) == "Untitled story in Partnership in Action"


def test_section_slug_unique_per_issue():
    issue = make_issue()
    a = Section.objects.create(issue=issue, title="News")
    b = Section.objects.create(issue=issue, title="News")
    assert (a.anchor, b.anchor) == ("section-news", "section-news-2")


def test_photo_needs_image_or_caption():
    story = make_story(make_issue())
    with pytest.raises(IntegrityError), transaction.atomic():
        Photo.objects.create(story=story)
    assert str(Photo.objects.create(story=story, caption="A market in Osh")) == "A market in Osh"


def test_key_figure_label_unique_per_issue_and_str():
    issue = make_issue()
    figure = KeyFigure.objects.create(
        issue=issue, label="Migrants assisted", value=7801, unit="people"
    )
    assert str(figure) == "Migrants assisted: 7,801 people"
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(issue=issue, label="Migrants assisted", value=1)


def test_published_queryset_respects_status_and_go_live_time():
    now = timezone.now()
    live = make_issue(title="Live")
    make_issue(title="Draft", status=Issue.Status.DRAFT)
    make_issue(title="Scheduled", go_live_at=now + datetime.timedelta(minutes=1))
    due = make_issue(title="Due", go_live_at=now - datetime.timedelta(seconds=1))
    assert set(Issue.objects.published(now=now)) == {live, due}
    # At the go-live instant itself the issue is live.
    exact = make_issue(title="Exact", go_live_at=now)
    assert exact in Issue.objects.published(now=now)


def test_publish_records_first_publication_once():
    issue = fill_issue(make_issue(status=Issue.Status.DRAFT))  # complete: passes the check
    assert issue.first_published_at is None
    issue.publish()
    first = issue.first_published_at
    assert first is not None and issue.is_live
    issue.unpublish()
    issue.publish()
    assert issue.first_published_at == first


def test_neighbours_in_date_order():
    series = make_series()
    old = make_issue(series=series, number=1, publication_date=datetime.date(2020, 1, 1))
    mid = make_issue(series=series, number=2, publication_date=datetime.date(2020, 6, 1))
    new = make_issue(series=series, number=3, publication_date=datetime.date(2021, 1, 1))
    undated = Issue.objects.create(series=series, title="Undated", status="published")
    qs = Issue.objects.published()
    assert qs.older_than(mid).first() == old
    assert qs.newer_than(mid).first() == new
    assert qs.older_than(old).first() == undated
    assert qs.newer_than(new).first() is None
    assert list(qs.newest_first()) == [new, mid, old, undated]

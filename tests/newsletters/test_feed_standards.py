"""Feeds as a feed reader sees them (feedparser): RFC 4287 author and links, dates from
publication and never import time, summary and contents, per-series feeds."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from newsletters.models import DatePrecision, Issue
from tests.factories import fill_issue, make_issue, make_series, make_story
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def archive():
    west, east = make_series("West Bulletin"), make_series("East Bulletin")
    dated = fill_issue(
        make_issue(series=west, number=5, title="West 5", summary="Floods & <b>roads</b>",
                   publication_date=datetime.date(2015, 3, 10)),
        sections=2,
    )  # fmt: skip
    # A 2014 issue that prints only its year, imported (created) just now.
    yearly = make_issue(series=west, number=2, title="West 2",
                        publication_date=datetime.date(2014, 1, 1),
                        date_precision=DatePrecision.YEAR)  # fmt: skip
    # No printed date at all: it went live on the site at a known time.
    went_live = datetime.datetime(2016, 6, 1, 9, 0, tzinfo=UTC)
    undated = make_issue(series=east, number=1, title="East 1", publication_date=None,
                         go_live_at=went_live)  # fmt: skip
    make_issue(series=west, number=9, title="West draft", status=Issue.Status.DRAFT)
    return dated, yearly, undated


def test_atom_has_author_alternate_and_self_links(client, archive):
    feed = read(client, "/feed/atom/")
    assert feed.version == "atom10"
    assert feed.feed.author == "Newsletter archive"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {
        "alternate": "http://testserver/issues/",
        "self": "http://testserver/feed/atom/",
    }
    assert [e.title for e in feed.entries] == ["East 1", "West 5", "West 2"]
    for entry in feed.entries:
        assert entry.author in {"West Bulletin", "East Bulletin"}
        assert entry.link.startswith("http://testserver/issues/")
        assert entry.id == entry.link


def test_dates_come_from_publication_or_go_live_never_import_time(client, archive):
    dated, yearly, undated = archive
    now_year = timezone.now().year
    for url in ("/feed/", "/feed/atom/"):
        entries = {e.title: e for e in read(client, url).entries}
        assert entries["West 5"].published_parsed[:3] == (2015, 3, 10)
        assert entries["West 2"].published_parsed[:3] == (2014, 1, 1)
        assert entries["East 1"].published_parsed[:4] == (2016, 6, 1, 9)
        assert all(e.published_parsed.tm_year != now_year for e in entries.values())
        # Newest first, by the dates the entries carry.
        dates = [e.published_parsed for e in read(client, url).entries]
        assert dates == sorted(dates, reverse=True)


def test_description_has_summary_and_contents_escaped(client, archive):
    make_story(archive[0], section_title="Section 1", title="<img src=x onerror=alert(1)>")
    for url in ("/feed/", "/feed/atom/"):
        response = client.get(url)
        entry = next(e for e in feedparser.parse(response.content).entries if e.title == "West 5")
        html = entry.summary
        assert "<p>Floods &amp; &lt;b&gt;roads&lt;/b&gt;</p>" in html
        assert "<p>West Bulletin · 10 March 2015</p>" in html
        assert "<h3>Contents</h3>" in html
        assert "<li>Section 1<ul><li>Story 1.1</li>" in html and "<li>Story 2.1</li>" in html
        # The story title stays text: never markup in the reader.
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert b"<img" not in response.content


def test_per_series_feeds(client, archive):
    for url in ("/feed/series/west-bulletin/", "/feed/series/west-bulletin/atom/"):
        feed = read(client, url)
        assert [e.title for e in feed.entries] == ["West 5", "West 2"]
        assert feed.feed.title == "West Bulletin: latest issues"
        assert feed.feed.link == "http://testserver/issues/?series=west-bulletin"
    atom = read(client, "/feed/series/west-bulletin/atom/")
    assert {link.rel: link.href for link in atom.feed.links}["self"] == (
        "http://testserver/feed/series/west-bulletin/atom/"
    )
    assert client.get("/feed/series/nope/").status_code == 404


def test_series_pages_announce_their_feed(client, archive):
    feed_link = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    archive_page = client.get("/issues/", {"series": "west-bulletin"}).content.decode()
    assert feed_link.format("This series (Atom)", "/feed/series/west-bulletin/atom/") in (
        archive_page
    )
    assert "/feed/series/" not in client.get("/issues/").content.decode()
    assert "/feed/series/" not in client.get("/issues/", {"series": "nope"}).content.decode()
    issue_page = client.get(archive[0].get_absolute_url()).content.decode()
    assert feed_link.format("West Bulletin (Atom)", "/feed/series/west-bulletin/atom/") in (
        issue_page
    )


def test_rss_is_rss_2_with_channel_link_to_the_archive(client, archive):
    feed = read(client, "/feed/")
    assert feed.version == "rss20"
    assert feed.feed.link == "http://testserver/issues/"
    assert all(e.summary for e in feed.entries)


def test_feed_query_count_is_constant(client):
    series = make_series()
    fill_issue(make_issue(series=series, number=1))
    small = count_queries(client, "/feed/atom/")
    for n in range(2, 12):
        fill_issue(make_issue(series=series, number=n), sections=3, stories_per_section=2)
    assert count_queries(client, "/feed/atom/") == small

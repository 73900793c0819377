"""RSS, Atom, sitemap and robots.txt: published issues only, well-formed XML."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405

import pytest
from django.utils import timezone

from newsletters.models import Issue
from tests.factories import make_country, make_issue, make_series, make_story

pytestmark = pytest.mark.django_db


def parse(content):
    # Our own responses, not untrusted input: the stdlib parser is fine here.
    return ET.fromstring(content)  # noqa: S314


@pytest.fixture
def issues():
    series = make_series("Regional Bulletin")
    old = make_issue(series=series, number=1, title="Old <b>issue</b>", summary="Summary & more")
    new = make_issue(series=series, number=2, title="New issue")
    make_issue(series=series, number=3, title="Draft issue", status=Issue.Status.DRAFT)
    make_issue(series=series, number=4, title="Scheduled issue",
               go_live_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip
    return old, new


def test_rss(client, issues):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response.content)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["New issue", "Old <b>issue</b>"]
    # HTML inside the XML: readers decode the description as HTML.
    assert items[1].findtext("description").startswith("<p>Summary &amp; more</p>")
    assert items[0].findtext("link") == f"http://testserver{issues[1].get_absolute_url()}"
    assert items[0].findtext("category") == "Regional Bulletin"


def test_atom(client, issues):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = parse(response.content).findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [
        "New issue", "Old <b>issue</b>"
    ]  # fmt: skip
    assert all(e.findtext("a:updated", namespaces=ns) for e in entries)


def test_sitemap_lists_public_pages_only(client, issues):
    story = make_story(issues[1], title="A story")
    make_story(Issue.objects.get(title="Draft issue"), title="Hidden story")
    make_country("KZ", "Kazakhstan")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.text for u in parse(response.content).findall("s:url/s:loc", ns)}
    base = "http://testserver"
    assert {
        f"{base}/", f"{base}/issues/", f"{base}/figures/", f"{base}/directory/",
        f"{base}{issues[0].get_absolute_url()}", f"{base}{issues[1].get_absolute_url()}",
        f"{base}{story.get_absolute_url()}", f"{base}/directory/kazakhstan/",
    } == urls  # fmt: skip


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body

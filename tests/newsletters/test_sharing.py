"""Shared links and structured data as consumers read them (extruct): Open Graph, Twitter
cards, canonical links, JSON-LD PublicationIssue / NewsArticle / Organization."""

import datetime
import io
import re
from html import unescape

import extruct
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory.models import Hotline
from newsletters.models import DatePrecision, Photo
from tests.factories import fill_issue, make_country, make_directory, make_issue, make_story
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def png(size=(2000, 1000)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = extruct.extract(html, base_url=BASE + url, syntaxes=["json-ld", "opengraph"],
                           uniform=True)  # fmt: skip
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html))
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    return html, data, meta, canonical


@pytest.fixture
def issue():
    issue = make_issue(title="Summer bulletin", number=7, summary="Shelters & <b>hotlines</b>.",
                       publication_date=datetime.date(2014, 4, 1),
                       date_precision=DatePrecision.QUARTER)  # fmt: skip
    body = "A **new** shelter opened in the spring for returning families."
    story = make_story(issue, section_title="Assistance", title="Shelter opens", body=body)
    Photo.objects.create(story=story, image=SimpleUploadedFile("s.png", png(), "image/png"),
                         caption="The shelter", alt_text="A low white building")  # fmt: skip
    make_story(issue, section_title="Assistance", title="", body="Untitled text here.")
    return issue


def test_issue_page_open_graph_twitter_and_publication_issue(client, issue):
    html, data, meta, canonical = read(client, issue.get_absolute_url())
    url = BASE + issue.get_absolute_url()
    assert canonical == [url]
    assert meta["og:title"] == "Summer bulletin"
    # The summary, not the title again, HTML-escaped once in the attribute.
    assert meta["og:description"] == "Shelters &amp; &lt;b&gt;hotlines&lt;/b&gt;."
    assert meta["og:url"] == url and meta["og:type"] == "article"
    # The largest rendition (1600 px), not the 2000 px original.
    assert meta["og:image"].startswith(BASE + "/media/") and "s.png" not in meta["og:image"]
    assert meta["og:image:width"] == "1600" and meta["og:image:height"] == "800"
    assert meta["og:image:alt"] == "A low white building"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["article:published_time"] == "2014-04"
    (og,) = data["opengraph"]
    assert og["og:title"] == "Summer bulletin" and og["og:image"] == meta["og:image"]

    (ld,) = data["json-ld"]
    assert ld["@type"] == "PublicationIssue"
    assert ld["name"] == "Summer bulletin" and ld["issueNumber"] == "7"
    assert ld["datePublished"] == "2014-04" and ld["url"] == url
    assert ld["description"] == "Shelters & <b>hotlines</b>."
    assert ld["isPartOf"] == {"@type": "Periodical", "name": issue.series.title}
    assert ld["publisher"]["@type"] == "Organization"
    assert [p["headline"] for p in ld["hasPart"]] == ["Shelter opens", "Assistance"]
    assert ld["image"] == meta["og:image"]


def test_story_page_news_article_with_its_photo(client, issue):
    story = issue.stories.get(title="Shelter opens")
    html, data, meta, canonical = read(client, story.get_absolute_url())
    url = BASE + story.get_absolute_url()
    assert canonical == [url]
    assert meta["og:title"] == "Shelter opens"
    assert meta["og:description"] == (
        "A new shelter opened in the spring for returning families."
    )
    assert meta["og:image"].startswith(BASE + "/media/")
    (ld,) = data["json-ld"]
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Shelter opens" and ld["url"] == url
    assert ld["mainEntityOfPage"] == url
    assert ld["image"] == [meta["og:image"]]
    assert ld["isPartOf"]["@type"] == "PublicationIssue"
    assert ld["isPartOf"]["url"] == BASE + issue.get_absolute_url()
    assert ld["datePublished"] == "2014-04"
    assert ld["author"]["name"] == "Newsletter archive"


def test_an_issue_of_a_volume_is_part_of_the_volume_part_of_the_periodical(client):
    issue = make_issue(number=2, volume="4", title="The Courier — Vol. 4, Issue 2")
    make_story(issue, title="Ferry crews trained", body="Twelve crews learned the signs.")
    _html, data, _meta, _canonical = read(client, issue.get_absolute_url())
    (ld,) = data["json-ld"]
    assert ld["issueNumber"] == "2"
    assert ld["isPartOf"] == {
        "@type": "PublicationVolume",
        "volumeNumber": "4",
        "isPartOf": {"@type": "Periodical", "name": issue.series.title},
    }


def test_story_without_photo_is_a_summary_card(client):
    issue = make_issue(title="Plain")
    story = make_story(issue, title="Words only", body="Just words, " * 60)
    _, data, meta, _ = read(client, story.get_absolute_url())
    assert meta["twitter:card"] == "summary" and "og:image" not in meta
    # Cut on a word boundary.
    assert meta["og:description"].endswith("words,…")
    assert len(meta["og:description"].split()) == 40
    assert "image" not in data["json-ld"][0]


def test_directory_organisation_with_hotlines_as_contact_points(client):
    kz = make_country("KZ", "Kazakhstan")
    make_directory(kz, hotlines=0, issue=make_issue())
    Hotline.objects.create(country=kz, number="8 800 080 1111", note="free, 24 hours")
    Hotline.objects.create(country=make_country("KG", "Kyrgyzstan"), number="1899")
    _, data, _, canonical = read(client, "/directory/")
    assert canonical == [BASE + "/directory/"]
    (ld,) = data["json-ld"]
    assert ld["@type"] == "Organization" and ld["name"] == "Newsletter archive"
    points = {p["telephone"]: p for p in ld["contactPoint"]}
    assert set(points) == {"+78000801111", "1899"}
    assert points["+78000801111"]["contactType"] == "hotline for victims of trafficking"
    assert points["+78000801111"]["areaServed"] == {"@type": "Country", "name": "Kazakhstan"}
    assert points["+78000801111"]["description"] == "free, 24 hours"


def test_json_ld_cannot_be_closed_by_text(client):
    hostile = '</script><script>alert(1)</script> & "quotes"'
    issue = make_issue(title=hostile, summary=hostile)
    story = make_story(issue, title=hostile, body=hostile)
    for url in (issue.get_absolute_url(), story.get_absolute_url()):
        html, data, meta, _ = read(client, url)
        assert "<script>alert(1)" not in html
        assert html.count("</script>") == 1  # the JSON-LD block's own end
        (ld,) = data["json-ld"]
        assert hostile in (ld.get("name"), ld.get("headline"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "/"),
        ("/issues/", "/issues/"),
        ("/issues/?page=1&utm_source=x", "/issues/"),
        ("/issues/?year=2021&series=&page=2", "/issues/?year=2021&page=2"),
        ("/search/?q=shelter&ref=mail", "/search/?q=shelter"),
        ("/figures/", "/figures/"),
        ("/directory/kazakhstan/", "/directory/kazakhstan/"),
    ],
)
def test_canonical_link_on_every_page(client, url, expected):
    fill_issue(make_issue(publication_date=datetime.date(2021, 3, 1)), sections=1)
    response = client.get(url)
    found = re.findall(r'<link rel="canonical" href="([^"]+)">', response.content.decode())
    assert [unescape(u) for u in found] == [BASE + expected]


def test_issue_page_query_count_does_not_grow_with_sharing(client):
    small = fill_issue(make_issue(number=1), sections=1)
    big = fill_issue(make_issue(number=2), sections=4, stories_per_section=3, photos_per_story=2)
    assert count_queries(client, big.get_absolute_url()) == count_queries(
        client, small.get_absolute_url()
    )

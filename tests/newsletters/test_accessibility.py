"""Every public page, parsed: landmarks, skip link, one h1, no skipped heading levels,
alt text on every image, labelled form fields and SVG charts with a title."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.models import Person
from newsletters.models import KeyFigure, Photo
from tests.factories import (
    PNG,
    fill_issue,
    make_country,
    make_directory,
    make_issue,
    make_series,
)

pytestmark = pytest.mark.django_db



class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.images_without_alt = 0
        self.ids: dict[str, int] = {}
        self.labels_for: set[str] = set()
        self.fields: list[str] = []
        self.skip_link = False
        self.svg_roles: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "img" and attrs.get("alt") is None:
            self.images_without_alt += 1
        if "id" in attrs:
            self.ids[attrs["id"]] = self.ids.get(attrs["id"], 0) + 1
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.fields.append(attrs.get("id") or "")
        if tag == "a" and attrs.get("href") == "#main":
            self.skip_link = "skip-link" in (attrs.get("class") or "")
        if tag == "svg":
            self.svg_roles.append(attrs.get("role"))


@pytest.fixture
def site(settings):
    series = make_series()
    issues = []
    for n in (1, 2):
        issue = fill_issue(make_issue(series=series, number=n, title=f"Issue {n}",
                                      publication_date=datetime.date(2021, n, 1)))  # fmt: skip
        issues.append(issue)
    KeyFigure.objects.create(issue=issues[0], label="Cases", value=5)
    KeyFigure.objects.create(issue=issues[1], label="Cases", value=9)
    story = issues[1].stories.first()
    Photo.objects.create(
        story=story, image=SimpleUploadedFile("dot.png", PNG, "image/png"), caption="A dot"
    )
    issues[1].directory_snapshot = {"hotlines": [{"country": "KZ", "number": "1899"}]}
    issues[1].save()
    make_directory(make_country("KZ", "Kazakhstan"), issue=issues[1])
    return issues[1], story


def public_urls(issue, story):
    return [
        "/", "/issues/", "/issues/?year=2021", "/issues/?year=abc", issue.get_absolute_url(),
        f"/issues/{issue.slug}/{story.slug}/", "/search/", "/search/?q=story",
        "/search/?q=nothingfound", "/figures/", "/directory/", "/directory/kazakhstan/",
    ]  # fmt: skip


def audit(client, url) -> PageAudit:
    response = client.get(url)
    assert response.status_code == 200, url
    page = PageAudit()
    page.feed(response.content.decode())
    return page


def test_every_public_page_is_structurally_accessible(client, site):
    issue, story = site
    for url in public_urls(issue, story):
        page = audit(client, url)
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in page.tags, (url, landmark)
        assert page.skip_link, url
        assert page.headings.count(1) == 1, (url, page.headings)
        assert page.headings[0] == 1, (url, page.headings)
        for previous, current in zip(page.headings, page.headings[1:], strict=False):
            assert current <= previous + 1, (url, page.headings)
        assert page.images_without_alt == 0, url
        duplicates = [i for i, n in page.ids.items() if n > 1]
        assert not duplicates, (url, duplicates)
        unlabelled = [f for f in page.fields if f not in page.labels_for]
        assert not unlabelled, (url, unlabelled)
        assert all(role == "img" for role in page.svg_roles), url


def test_the_image_is_really_there_with_alt_text(client, site):
    issue, _ = site
    html = client.get(issue.get_absolute_url()).content.decode()
    assert '<img src="/media/photos/' in html and 'alt="A dot"' in html


def test_pages_have_no_inline_scripts_or_styles(client, site):
    issue, story = site
    for url in public_urls(issue, story):
        html = client.get(url).content.decode()
        # The only script elements are structured data, which never runs.
        assert html.count("<script") == html.count('<script type="application/ld+json">'), url
        assert " style=" not in html, url


def test_focus_is_visible_and_colours_meet_aa():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    assert ":focus-visible { outline: 3px solid" in css

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a, b):
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    pairs = [("#1b1f24", "#ffffff"), ("#4a5260", "#ffffff"), ("#4a5260", "#f3f6f9"),
             ("#0b4f8a", "#ffffff"), ("#ffffff", "#0b4f8a"), ("#8a3b00", "#fff4e5"),
             ("#1b1f24", "#fff0a8")]  # fmt: skip
    for ink, paper in pairs:
        assert contrast(ink, paper) >= 4.5, (ink, paper)


def test_person_entries_offer_a_vcard_with_accessible_name(client, site):
    html = client.get("/directory/").content.decode()
    person = Person.objects.first()
    assert f'Save contact (vCard)<span class="visually-hidden"> for {person.name}</span>' in html

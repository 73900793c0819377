"""No draft, scheduled issue or story of one reaches the public, by any URL.

Three issues carry unique marker words in every field: one published, one draft, one
scheduled for next week. An anonymous crawler starts at `/`, follows every same-site
link, reads the feeds, the sitemap, robots.txt and the JSON API (following its urls),
searches for each marker, and also tries every route of config.urls with the hidden
issues' slugs. The hidden markers must never appear and the hidden URLs must be 404.
The published marker must appear, so the crawl is known to reach content.
"""

import datetime
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from directory.models import Hotline, Person
from newsletters.models import Issue, KeyFigure, Photo, Section, Story
from tests.factories import make_country, make_issue, make_series

MAX_PAGES = 400
SKIP_PREFIXES = ("/admin", "/static/", "/media/")


def build(marker: str, **issue_fields) -> Issue:
    issue = make_issue(
        series=make_series(f"Series {marker}"),
        title=f"Issue {marker}",
        slug=f"issue-{marker}",
        summary=f"Summary {marker}",
        directory_snapshot={
            "hotlines": [{"country": "KZ", "number": "+7 700 555 0101", "note": f"{marker} line"}],
            "people": [{"country": "KZ", "name": f"Person {marker}", "role": marker}],
        },
        **issue_fields,
    )
    section = Section.objects.create(issue=issue, title=f"Section {marker}")
    story = Story.objects.create(
        section=section, title=f"Story {marker}", slug=f"story-{marker}",
        body=f"Body of {marker} about migration and assistance.",
    )  # fmt: skip
    Photo.objects.create(story=story, caption=f"Caption {marker}")
    KeyFigure.objects.create(issue=issue, label=f"Figure {marker}", value=42)
    country = make_country("KZ", "Kazakhstan")
    story.countries.add(country)
    # The directory is current data, shown whichever issue printed it; only the link to
    # that issue (which names it) must stay hidden, so the entries carry no marker.
    number = sum(map(ord, marker))
    Hotline.objects.create(country=country, number=f"+7 700 000 {number}",
                           note=f"hotline {number}", last_seen_in=issue)  # fmt: skip
    Person.objects.create(name=f"Contact {number}", country=country, last_seen_in=issue)
    return issue


@pytest.fixture
def issues(db):
    published = build("pubmarkerqq", publication_date=datetime.date(2022, 3, 1))
    draft = build(
        "draftmarkerqq", status=Issue.Status.DRAFT, publication_date=datetime.date(2022, 4, 1)
    )
    scheduled = build(
        "schedmarkerqq",
        go_live_at=timezone.now() + datetime.timedelta(days=7),
        publication_date=datetime.date(2022, 5, 1),
    )
    assert scheduled.is_scheduled and not draft.is_live and published.is_live
    return published, draft, scheduled


HIDDEN = ("draftmarkerqq", "schedmarkerqq")


def leaked(url: str, body: str) -> list[str]:
    """Hidden markers in a response. A search echoes its query, so for a URL that asks for a
    marker only the marker in its content phrases ("Story <marker>"...) counts."""
    found = []
    for marker in HIDDEN:
        if marker in url:
            phrases = [f"{p} {marker}" for p in ("Issue", "Summary", "Section", "Story",
                                                   "Body of", "Caption", "Figure")]  # fmt: skip
            found += [phrase for phrase in phrases if phrase in body]
        elif marker in body:
            found.append(marker)
    return found


def route_templates(resolver=None, prefix=""):
    """Every public route of config.urls as (template, converter names), e.g. 'issues/<slug>/'."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from route_templates(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def fill_route(route: str, slug: str, story_slug: str) -> str | None:
    """The route with the hidden issue's slugs put in; None for routes that take other ids."""
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (admin internals, static) are not public pages
    names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    values = {}
    for _converter, name in names:
        if name in {"slug", "issue_slug"}:
            values[name] = slug if name == "issue_slug" or "issue_slug" not in route else story_slug
        else:
            return None
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def response_text(response) -> str:
    """The body as text; a PDF edition as the text of its pages, so it is checked too."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "") == "application/pdf" and data:
        import io

        import pypdf

        return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", errors="replace")


def links_in(url: str, text: str, response) -> list[str]:
    kind = response.get("Content-Type", "")
    found = []
    if "html" in kind:
        found += re.findall(r'(?:href|src|action)="([^"#]+)', text)
    elif "xml" in kind:
        found += re.findall(r"<loc>([^<]+)</loc>", text)
        found += re.findall(r'<link[^>]*href="([^"]+)"', text)
        found += re.findall(r"<link>([^<]+)</link>", text)
    elif "json" in kind:

        def walk(value):
            if isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, str) and (value.startswith("/") or "://" in value):
                found.append(value)

        walk(json.loads(text))
    elif "text/plain" in kind:
        found += re.findall(r"(?:Sitemap|Allow):\s*(\S+)", text)
    paths = []
    for link in found:
        parts = urlsplit(urljoin(url, link.replace("&amp;", "&")))
        if parts.scheme in {"http", "https", ""} and parts.netloc in {"", "testserver"}:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith(SKIP_PREFIXES):
                paths.append(path)
    return paths


def crawl(client, seeds) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = response_text(response)
        seen[url] = (response.status_code, body)
        if response.status_code == 200:
            queue.extend(link for link in links_in(url, body, response) if link not in seen)
    return seen


def test_no_hidden_issue_reaches_the_public(client, staff_client, issues):
    published, draft, scheduled = issues
    # Staff preview first: a preview must not be cached where a visitor would get it.
    for hidden in (draft, scheduled):
        response = staff_client.get(hidden.get_absolute_url())
        assert response.status_code == 200
        assert hidden.title in response.content.decode()

    seeds = ["/", "/robots.txt", "/sitemap.xml", "/feed/", "/feed/atom/", "/api/issues/",
             "/api/directory/", "/directory/", "/figures/", "/issues/"]  # fmt: skip
    for word in ("pubmarkerqq", *HIDDEN, "migration", "assistance", "Kazakhstan"):
        seeds += [f"/search/?q={word}", f"/api/issues/?q={word}", f"/issues/?q={word}"]
    for route in route_templates():
        if "<" not in route and not route.startswith(("admin", "^")):
            seeds.append("/" + route)

    pages = crawl(client, seeds)
    ok_pages = [url for url, (status, _) in pages.items() if status == 200]
    assert len(ok_pages) >= 8, ok_pages
    assert any("pubmarkerqq" in body for _, body in pages.values()), "crawl reached no content"
    leaks = {url: leaked(url, body) for url, (_, body) in pages.items() if leaked(url, body)}
    assert leaks == {}

    # Every route that takes a slug, given the hidden issues' slugs: 404 (never 403).
    tried = []
    for hidden in (draft, scheduled):
        story = hidden.stories.get()
        direct = [hidden.get_absolute_url(), story.get_absolute_url()]
        filled = [fill_route(r, hidden.slug, story.slug) for r in route_templates()]
        for url in dict.fromkeys(direct + [u for u in filled if u]):
            if url.startswith(SKIP_PREFIXES):
                continue
            response = client.get(url)
            tried.append(url)
            body = response.content.decode("utf-8", errors="replace")
            assert leaked(url, body) == [], url
            if hidden.slug in url:
                assert response.status_code == 404, (url, response.status_code)
    assert any("/issues/issue-draftmarkerqq/story-" in u for u in tried)


def test_hidden_issue_stays_hidden_after_the_cache_is_warm(issues):
    published, draft, scheduled = issues
    visitor = Client()
    for _ in range(2):  # the second round is served from whatever cache the first filled
        for url in ("/", "/issues/", "/feed/", "/sitemap.xml", "/api/issues/"):
            body = visitor.get(url).content.decode()
            assert leaked(url, body) == [], url
        assert visitor.get(draft.get_absolute_url()).status_code == 404
        assert visitor.get(scheduled.get_absolute_url()).status_code == 404


def test_imported_draft_directory_reaches_no_public_url_until_published(client, tmp_path, db):
    """An imported draft proposes its directory: nothing of it on any public URL (pages,
    API, CSV, vCards) until it is published; unpublished again, it is withdrawn."""
    from newsletters.importing.loader import import_sources
    from tests.newsletters.importing.conftest import issue_text

    build("pubmarkerqq", publication_date=datetime.date(2022, 3, 1))
    text = (
        issue_text(7, staff=True, emails=(("KAZAKHSTAN", "impdraftqq-kz@example.org"),))
        .replace("Aigerim Testova", "Aigerim Impdraftqq")
        .replace("atestova@example.org", "impdraftqq-person@example.org")
    )
    (tmp_path / "draft.md").write_text(text, "utf-8")
    (report,) = import_sources([tmp_path / "draft.md"])
    draft = report.result.issue
    assert draft.status == Issue.Status.DRAFT
    person = Person.objects.get(name__contains="Impdraftqq")
    vcard = f"/directory/people/{person.pk}/vcard/"
    # The numbers only this draft prints: its sentence's and its table's hotlines.
    printed = ("impdraftqq", "11616", "1899", "8 8000 1111 22", "333444")

    def public_leaks():
        seeds = ["/", "/directory/", "/directory/directory.csv", "/api/directory/",
                 "/api/issues/", "/sitemap.xml", "/feed/", "/issues/", vcard]  # fmt: skip
        pages = crawl(client, seeds)
        assert sum(status == 200 for status, _ in pages.values()) >= 8
        return {
            url: [p for p in printed if p in body.lower()]
            for url, (_, body) in pages.items()
            if any(p in body.lower() for p in printed)
        }

    assert public_leaks() == {}
    assert client.get(vcard).status_code == 404

    draft.refresh_from_db()
    draft.publish(reason="test: its import warnings are known")
    for url in ("/directory/", "/api/directory/", "/directory/directory.csv"):
        body = client.get(url).content.decode()
        assert "impdraftqq-kz@example.org" in body and "Aigerim Impdraftqq" in body, url
    assert 'href="tel:11616"' in client.get("/").content.decode()
    assert client.get(vcard).status_code == 200

    draft.refresh_from_db()
    draft.unpublish()
    assert public_leaks() == {}
    assert client.get(vcard).status_code == 404


def test_pending_changes_to_a_live_issue_reach_no_public_url_until_published(
    client, issues, django_user_model
):
    """An Editor's pending edits of a published issue (its summary, a story's title and
    body, a key figure) appear on no public URL, cached or not, until a Publisher
    publishes them; then the same crawl finds them, so it is known to look."""
    from django.urls import reverse

    from newsletters.pending import PendingChange
    from newsletters.roles import EDITOR, PUBLISHER
    from tests.factories import role_client
    from tests.newsletters.test_pending import publish_pending, story_data
    from tests.newsletters.test_roles import _change_data

    published, _draft, _scheduled = issues
    editor = role_client(django_user_model, "eddie", EDITOR)
    publisher = role_client(django_user_model, "polly", PUBLISHER)
    marker = "pendmarkerqq"
    story = published.stories.get()
    figure = published.key_figures.get()
    seeds = ["/", "/robots.txt", "/sitemap.xml", "/feed/", "/feed/atom/", "/api/issues/",
             "/figures/", "/issues/", published.get_absolute_url(), story.get_absolute_url(),
             f"/search/?q={marker}", f"/api/issues/?q={marker}",
             "/search/?q=pubmarkerqq"]  # fmt: skip

    def found_marker() -> list[str]:
        pages = crawl(Client(), seeds)
        assert any("pubmarkerqq" in body for _, body in pages.values()), "crawl reached no content"
        return sorted(
            url for url, (_, body) in pages.items()
            # A search echoes its query: only the edited phrases count there.
            if (f"Story {marker}" in body or f"Summary {marker}" in body
                or f"{marker} body" in body or f"Figure {marker}" in body)
        )  # fmt: skip

    found_marker()  # warm every cache with the published version first
    story_url = reverse("admin:newsletters_story_change", args=[story.pk])
    edited = story_data(story, title=f"Story {marker}", body=f"The {marker} body, rewritten.")
    assert editor.post(story_url, edited).status_code == 302
    issue_url = reverse("admin:newsletters_issue_change", args=[published.pk])
    issue_data = _change_data(
        published, status="published", publication_date=published.publication_date.isoformat(),
        seen_version=published.version, summary=f"Summary {marker}",
    )  # fmt: skip
    assert editor.post(issue_url, issue_data).status_code == 302
    figure_url = reverse("admin:newsletters_keyfigure_change", args=[figure.pk])
    figure_data = {"issue": published.pk, "label": f"Figure {marker}", "value": "7",
                   "unit": "", "note": "", "position": figure.position}  # fmt: skip
    editor.post(figure_url, figure_data)
    kinds = set(PendingChange.objects.values_list("content_type__model", flat=True))
    assert kinds == {"story", "issue", "keyfigure"}, kinds

    assert found_marker() == []

    publish_pending(publisher, published)
    assert PendingChange.objects.count() == 0
    after = found_marker()
    assert published.get_absolute_url() in after and story.get_absolute_url() in after

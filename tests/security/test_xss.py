"""XSS corpus through authoring and the importer: nothing that runs survives.

Every payload of xss_payloads.txt goes into every authored text field (issue, section,
story, photo, key figure, directory, the issue's directory snapshot), through the ORM,
through the admin's own form and through `import_newsletters`. Then every public page
that shows them (home, archive, issue, story, search, figures, feeds, JSON API,
directory, sitemap) and the staff's admin pages are parsed and checked by htmlcheck.
Search and archive filters also get each payload as a query parameter (reflection).
"""

import importlib.util
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from newsletters.models import Issue, KeyFigure, Photo, Section, Story
from tests.factories import make_issue, make_series

from .htmlcheck import feed_problems, html_problems, json_problems

HERE = Path(__file__).resolve().parent
CANARY = "zqxcanary"


def load_payloads() -> list[str]:
    lines = (HERE / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    return [
        line.replace("\\n", "\n") for line in lines if line.strip() and not line.startswith("# ")
    ]


PAYLOADS = load_payloads()


def url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def check_response(response) -> list[str]:
    """Problems in one response, by its content type."""
    kind = response.get("Content-Type", "")
    text = response.content.decode("utf-8", errors="replace")
    if "json" in kind:
        return json_problems(text)
    if "xml" in kind and "<rss" in text[:500] or "<feed" in text[:500]:
        return feed_problems(text)
    if "xml" in kind:
        return []  # the sitemap: URLs only, checked by the crawler test
    if "html" in kind:
        return html_problems(text)
    return []


def check_urls(client, urls) -> dict[str, list[str]]:
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 404}, (url, response.status_code)
        if response.status_code == 200:
            found = check_response(response)
            if found:
                problems[url] = found[:5]
    return problems


def test_corpus_is_large_and_the_checker_catches_it():
    assert len(PAYLOADS) >= 50
    # The checker is not vacuous: the raw HTML payloads, unescaped, are caught.
    raw_html = [p for p in PAYLOADS if p.lstrip().startswith("<") and "<!--" not in p]
    caught = [p for p in raw_html if html_problems(p)]
    missed = set(raw_html) - set(caught)
    # Unclosed or nested fragments a parser reads as text are the only ones allowed through.
    assert len(caught) >= 40, missed
    for known_bad in ['<img src=x onerror=alert(1)>', '<a href="java&#x09;script:x">a</a>',
                      "<svg onload=alert(1)>", "<math><mi>x</mi></math>",
                      '<a href="&#106;avascript:alert(1)">x</a>', "<style>x</style>"]:  # fmt: skip
        assert html_problems(known_bad), known_bad


def populate(payloads):
    """One issue whose every text field carries a payload, plus a directory of them."""
    series = make_series(f"Series {payloads[0][:60]}")
    issue = make_issue(
        series=series,
        title=payloads[0][:300],
        summary="\n".join(payloads),
        directory_snapshot={
            "hotlines": [{"country": "KZ", "number": p[:40], "note": p} for p in payloads[:20]],
            "offices": [{"country": "KZ", "emails": [p[:80] for p in payloads[:20]]}],
            "people": [
                {"country": "KG", "name": p, "role": p, "phones": [p[:40]], "email": p[:80]}
                for p in payloads[:20]
            ],
        },
    )
    sections = [
        Section.objects.create(issue=issue, title=payloads[i][:300], position=i) for i in range(5)
    ]
    for i, payload in enumerate(payloads):
        story = Story.objects.create(
            section=sections[i % 5],
            title=payload[:300],
            body=f"{CANARY} story {i}.\n\n{payload}\n\nAfter: {payload}",
            position=i,
        )
        Photo.objects.create(
            story=story, caption=payload[:500], credit=payload[:200], alt_text=payload[:300]
        )
    for i, payload in enumerate(payloads[:15]):
        KeyFigure.objects.create(
            issue=issue, label=f"{i} {payload}"[:200], value=i + 1, unit=payload[:50],
            note=payload[:300],
        )  # fmt: skip
    for i, payload in enumerate(payloads[:10]):
        country = Country.objects.create(
            name=f"Land{i} {payload}"[:100], code=f"X{chr(65 + i)}", slug=f"land-{i}"
        )
        office = Office.objects.create(
            country=country, name=payload[:200], website="javascript:alert(1)", last_seen_in=issue
        )
        OfficeEmail.objects.create(office=office, address=f"desk{i}@example.org")
        Hotline.objects.create(country=country, number=f"1{i:02d}5 {payload}"[:40], note=payload,
                               last_seen_in=issue)  # fmt: skip
        Person.objects.create(
            name=payload[:200], role=payload[:300], country=country, phones=payload,
            email=f"p{i}@example.org", last_seen_in=issue,
        )  # fmt: skip
    return issue


def public_urls(issue) -> list[str]:
    urls = ["/", "/issues/", issue.get_absolute_url(), "/issues/?page=2"]
    urls += [story.get_absolute_url() for story in issue.stories.all()]
    for name in ["newsletters:figures", "newsletters:feed_rss", "newsletters:feed_atom",
                 "newsletters:api_issue_list", "directory:index", "directory:api",
                 "api_directory", "newsletters:api_directory"]:  # fmt: skip
        url = url_or_none(name)
        if url:
            urls.append(url)
    for path in ["/api/directory/", "/sitemap.xml", "/feed/", "/feed/atom/"]:
        urls.append(path)
    if url_or_none("newsletters:api_issue", issue.slug):
        urls.append(reverse("newsletters:api_issue", args=[issue.slug]))
    urls += [c.get_absolute_url() for c in Country.objects.all()]
    search = url_or_none("newsletters:search")
    if search:
        urls += [f"{search}?q={CANARY}", f"{search}?q={CANARY}&page=2", f"{search}?q=alert"]
    return list(dict.fromkeys(urls))


@pytest.mark.django_db
def test_authored_payloads_never_survive_on_public_pages(client):
    issue = populate(PAYLOADS)
    assert check_urls(client, public_urls(issue)) == {}


@pytest.mark.django_db
def test_authored_payloads_never_survive_in_the_admin(staff_client):
    issue = populate(PAYLOADS)
    story = issue.stories.first()
    urls = [
        "/admin/newsletters/issue/",
        f"/admin/newsletters/issue/{issue.pk}/change/",
        "/admin/newsletters/story/",
        f"/admin/newsletters/story/{story.pk}/change/",
        "/admin/directory/person/",
        "/admin/directory/hotline/",
        "/admin/directory/office/",
    ]
    problems = {}
    for url in urls:
        response = staff_client.get(url)
        if response.status_code != 200:
            continue  # a model the admin does not register on its own
        # The admin's JSON data blocks are never executed; json_script escapes them.
        html = re.sub(
            r'<script[^>]*type="application/json"[^>]*>.*?</script>', "", response.content.decode(),
            flags=re.S,
        )  # fmt: skip
        # django-nested-admin's own add/remove links carry a javascript: href that its
        # click handlers never follow (they preventDefault); no authored text is in them.
        html = re.sub(
            r'<a (?:class="[^"]*djn-(?:add|remove)-handler[^"]*" href="javascript:[^"]*"'
            r'|href="javascript:[^"]*" class="[^"]*djn-(?:add|remove)-handler[^"]*")>',
            "<a>", html,
        )  # fmt: skip
        # The admin's own scripts come from its URLs (jsi18n) and it draws theme icons.
        found = html_problems(
            html, script_prefixes=("/static/", "/admin/jsi18n/"),
            svg_classes=("base-svgs", "theme-icon-when-auto", "theme-icon-when-dark",
                         "theme-icon-when-light"),
        )  # fmt: skip
        if found:
            problems[url] = found[:5]
    assert problems == {}


@pytest.mark.django_db
def test_payloads_saved_through_the_admin_form_are_rendered_safely(client, staff_user):
    """The admin's own Issue form accepts the text as it is; the pages still render it safely."""
    request = RequestFactory().get("/admin/newsletters/issue/add/")
    request.user = staff_user
    model_admin = admin.site._registry[Issue]
    form_class = model_admin.get_form(request)
    series = make_series("Admin form series")
    saved = []
    for i, payload in enumerate(PAYLOADS[:20]):
        data = {
            "series": series.pk, "number": 900 + i, "title": payload[:300],
            "summary": "\n".join(PAYLOADS), "status": Issue.Status.PUBLISHED,
            "publication_date": "2022-01-01", "slug": f"admin-form-{i}",
        }  # fmt: skip
        form = form_class(data={k: v for k, v in data.items() if k in form_class.base_fields})
        assert form.is_valid(), form.errors
        issue = form.save()
        if not issue.is_live:
            issue.publish()
        saved.append(issue)
    urls = ["/", "/issues/", "/issues/?page=2", "/feed/", "/feed/atom/", "/api/issues/"]
    urls += [issue.get_absolute_url() for issue in saved]
    assert check_urls(client, urls) == {}


@pytest.mark.django_db
def test_payloads_in_query_parameters_are_not_reflected(client):
    populate(PAYLOADS[:5])
    search = url_or_none("newsletters:search")
    filter_names = set(re.findall(r'<(?:input|select)[^>]*name="([\w-]+)"',
                                  client.get("/issues/").content.decode()))  # fmt: skip
    problems = {}
    for payload in PAYLOADS:
        urls = [f"{search}?q={payload}"] if search else []
        urls += [f"/issues/?{name}={payload}" for name in sorted(filter_names)]
        for url in urls:
            response = client.get("/issues/" if not url else url.split("?")[0], _query(url))
            if response.status_code == 200:
                found = check_response(response)
                if found:
                    problems[url] = found[:3]
    assert problems == {}


def _query(url: str) -> dict:
    # Passed as a dict so the test client encodes the payload exactly once.
    name, _, value = url.partition("?")[2].partition("=")
    return {name: value}


IMPORTER = importlib.util.find_spec("newsletters.importing.loader") is not None


@pytest.mark.django_db
@pytest.mark.skipif(not IMPORTER, reason="newsletters.importing.loader not importable yet")
def test_imported_payloads_never_survive(client, tmp_path, settings):
    """Payloads written into an archive file as story text, headings and photo captions."""
    repo = HERE.parent.parent
    template = (repo / "sample_archive" / "regional-migration-bulletin-02.txt").read_text()
    lines = []
    for i, payload in enumerate(PAYLOADS):
        flat = payload.replace("\n", " ")
        lines += [
            f"{CANARY} paragraph {i}: {flat} and the story goes on as stories do.",
            "",
            f"Photo of {flat}",
            "",
        ]
    marker = "Partner organisations in Central Asia"
    assert marker in template
    archive = template.replace(marker, "\n".join(lines) + "\n" + marker, 1)
    path = tmp_path / "regional-migration-bulletin-02.txt"
    path.write_text(archive, encoding="utf-8")
    call_command("import_newsletters", str(path), "--publish", "--series", "X")

    issue = Issue.objects.published().get()
    bodies = " ".join(Story.objects.filter(issue=issue).values_list("body", flat=True))
    captions = " ".join(Photo.objects.filter(story__issue=issue).values_list("caption", flat=True))
    # The payloads really went in: most of them are stored as text somewhere.
    stored = [p for p in PAYLOADS if p.replace("\n", " ")[:30] in bodies + captions]
    assert len(stored) >= len(PAYLOADS) * 0.8
    assert check_urls(client, public_urls(issue)) == {}

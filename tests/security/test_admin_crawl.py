"""Hostile ids and parameters on every admin URL: 404 or a form error, never a 500
(issue 15, item 7).

The reported cases get their own tests; the crawler then takes every admin route from
the URL resolver, puts hostile values where the ids go and hostile parameters on every
change list, and asks as a superuser. Its cost is about one request per route and
value (some 600 requests).
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directory.models import Hotline, Person
from newsletters.models import Issue, KeyFigure, Photo
from tests.factories import make_country, make_issue, make_story

pytestmark = pytest.mark.django_db

HOSTILE_IDS = ["abc", "²", "1%00", "99999999999999999999", "-1", "1'", "%C2%B2"]
HOSTILE_PARAMS = [
    "year=²", "label=%00", "q=%00", "o=abc", "p=abc", "p=²", "publication_date__year=²",
    "publication_date__month=²", "status__exact=%00", "series__id__exact=abc",
    "country__id__exact=²", "issue__series__id__exact=%00", "_to_field=x", "e=%00",
]  # fmt: skip


@pytest.fixture
def admin_client():
    user = User.objects.create_superuser("root", "root@example.org", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def content():
    issue = make_issue(title="Crawled bulletin")
    story = make_story(issue, title="Crawled story")
    Photo.objects.create(story=story, caption="Crawled photo")
    KeyFigure.objects.create(issue=issue, label="Crawled figure", value=3)
    country = make_country("KG", "Kyrgyzstan")
    Hotline.objects.create(country=country, number="+996 555 000 111")
    Person.objects.create(name="Crawled person", country=country)
    issue.title = "Crawled bulletin, revised"
    issue.save()
    return issue


# --- the reported cases ---------------------------------------------------------------


@pytest.mark.parametrize("tail", ["export.md", "export.json", "history/", "history/compare/"])
def test_non_numeric_issue_ids_are_404(admin_client, content, tail):
    for bad in ("abc", "²"):
        response = admin_client.get(f"/admin/newsletters/issue/{bad}/{tail}")
        assert response.status_code == 404, (bad, tail)


def test_dismiss_warnings_with_a_non_numeric_id_is_404(admin_client, content):
    response = admin_client.post("/admin/newsletters/issue/abc/dismiss-warnings/")
    assert response.status_code == 404


def test_simple_history_revision_with_bad_ids_is_404(admin_client, content):
    revision = content.history.first().history_id
    paths = (f"{content.pk}/history/abc/", f"abc/history/{revision}/", f"{content.pk}/history/²/")
    for path in paths:
        assert admin_client.get(f"/admin/newsletters/issue/{path}").status_code == 404, path
    good = admin_client.get(f"/admin/newsletters/issue/{content.pk}/history/{revision}/")
    assert good.status_code == 200


def test_compare_with_superscript_revision_is_a_form_error(admin_client, content):
    url = reverse("admin:newsletters_issue_history_compare", args=[content.pk])
    ids = list(content.history.values_list("history_id", flat=True))
    response = admin_client.get(f"{url}?old=²&new={ids[0]}", follow=True)
    assert response.status_code == 200
    assert "Choose two revisions to compare." in response.content.decode()
    assert admin_client.get(f"{url}?old={ids[1]}&new={ids[0]}").status_code == 200


def test_year_filter_with_superscript_lists_all_issues(admin_client, content):
    response = admin_client.get("/admin/newsletters/issue/?year=²")
    assert response.status_code == 200
    assert "Crawled bulletin, revised" in response.content.decode()


def test_nul_in_an_admin_parameter_is_refused_before_the_database(admin_client, content):
    # PostgreSQL refuses NUL in a string ("A string literal cannot contain NUL"): a 500
    # there. Refused for every database so SQLite shows the same behaviour.
    for query in ("label=%00", "q=a%00b", "%00=1"):
        response = admin_client.get(f"/admin/newsletters/keyfigure/?{query}")
        assert response.status_code == 404, query
    assert admin_client.get("/admin/newsletters/keyfigure/?label=ok").status_code == 200


# --- the crawler ----------------------------------------------------------------------


def admin_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from admin_routes(pattern, text)
        elif isinstance(pattern, URLPattern) and text.startswith("admin/"):
            yield text


def fill(route: str, first: str, second: str) -> str:
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "newsletters", path)
    path = path.replace("(?P<url>.*)", "no-such-page/")
    path = path.replace("([^/]+)", first, 1).replace("([^/]+)", second, 1)
    values = iter([first, second])
    return "/" + re.sub(r"<(?:\w+:)?\w+>", lambda m: next(values, second), path)


def test_every_admin_url_with_hostile_ids_and_parameters_gives_no_500(admin_client, content):
    revision = str(content.history.first().history_id)
    urls = set()
    for route in admin_routes():
        if "<" not in route and "(" not in route:
            urls.add("/" + route)
            if route.endswith("/"):
                urls.update(f"/{route}?{query}" for query in HOSTILE_PARAMS)
            continue
        for bad in HOSTILE_IDS:
            urls.add(fill(route, bad, bad))
            urls.add(fill(route, str(content.pk), bad))  # a real object, a bad revision
            urls.add(fill(route, bad, revision))
        if "compare" in route:
            for query in ("old=²&new=1", "old=abc", "new=%00", f"old={revision}&new=9" * 3):
                urls.add(f"{fill(route, str(content.pk), revision)}?{query}")
    assert len(urls) > 500
    failures = []
    for url in sorted(urls):
        response = admin_client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    for url in sorted(u for u in urls if "dismiss-warnings" in u):
        if admin_client.post(url).status_code >= 500:
            failures.append((f"POST {url}", 500))
    assert failures == [], "\n".join(f"{code} {url}" for url, code in failures)
    assert Issue.objects.get(pk=content.pk).title == "Crawled bulletin, revised"

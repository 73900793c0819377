"""The API's contract: schema, docs, one error shape, read-only methods, filters,
pagination, ETag/304, CORS for GET, throttling, and schemathesis against the schema."""

import datetime
import json

import pytest
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from directory.models import Hotline
from newsletters.models import Issue
from tests.factories import fill_issue, make_country, make_directory, make_issue, make_series

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/issues/", "/api/issues/{slug}/", "/api/directory/"]


@pytest.fixture
def issue():
    return fill_issue(make_issue(title="Spring bulletin"), sections=1)


def urls(issue):
    return [u.format(slug=issue.slug) for u in ENDPOINTS]


def assert_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status and body["code"] == code and body["detail"]
    return body


def test_schema_is_openapi_3_with_every_endpoint(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == sorted(e.replace("{slug}", "{slug}") for e in ENDPOINTS)
    issues = schema["paths"]["/api/issues/"]["get"]
    assert {p["name"] for p in issues["parameters"]} == {"page", "series", "year", "country"}
    assert set(issues["responses"]) == {"200", "400", "404", "405", "429"}
    directory = schema["paths"]["/api/directory/"]["get"]
    assert {p["name"] for p in directory["parameters"]} == {"page", "country"}
    # Read-only: no path accepts anything but GET.
    assert {m for path in schema["paths"].values() for m in path} == {"get"}


def test_docs_page_loads_nothing_from_another_host_and_has_no_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert "<style>" not in html and "<script>" not in html
    # Its icons are data: images, allowed on this page only.
    assert "data:" in response["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    assert "data:" not in client.get("/issues/")["Content-Security-Policy"]
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"] == "application/javascript"
    assert "/api/schema/" in script.content.decode()
    # The files are the project's own static files (collectstatic, whitenoise).
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}")


@pytest.mark.parametrize(
    "url", ["/api/issues/nope/", "/api/issues/?page=9", "/api/issues/?page=x", "/api/nothing/",
            "/api/directory/?page=2", "/api/issues/a%0Ab/", "/api/%C3%A9/"],
)  # fmt: skip
def test_not_found_is_json_in_the_one_shape(client, url):
    body = assert_error(client.get(url), 404, "not_found")
    assert body["errors"] == {}


def test_endpoint_without_trailing_slash_redirects(client):
    response = client.get("/api/issues?year=2021")
    assert response.status_code == 301 and response["Location"] == "/api/issues/?year=2021"
    assert_error(client.get("/api/unknown"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("year=twenty", {"year": ["Enter a whole number."]}),
        ("year=99999", {"year": ["Ensure this value is less than or equal to 2999."]}),
        ("country=K%00",
         {"country": ["Give a two-letter ISO 3166 code: KZ.", "Null characters are not allowed."]}),
        ("country=KAZ", {"country": ["Give a two-letter ISO 3166 code: KZ."]}),
        ("series=%3Cscript%3E", {"series": ["Give a slug."]}),
    ],
)
def test_bad_filter_is_400_naming_the_parameter(client, issue, query, errors):
    body = assert_error(client.get(f"/api/issues/?{query}"), 400, "invalid")
    assert body["errors"] == errors
    assert b"<script>" not in client.get(f"/api/issues/?{query}").content


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_with_allow_not_a_csrf_page(method, issue, staff_user):
    # A signed-in browser with CSRF checks on, as the bug report saw it.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_user)
    before = Issue.objects.count(), Hotline.objects.count()
    for url in urls(issue):
        for client in (Client(), browser):
            response = getattr(client, method)(
                url, data={"title": "Hacked"}, content_type="application/json"
            )
            body = assert_error(response, 405, "method_not_allowed")
            assert response["Allow"] == "GET, HEAD, OPTIONS"
            assert method.upper() in body["detail"]
            assert b"CSRF" not in response.content
    assert (Issue.objects.count(), Hotline.objects.count()) == before
    assert Issue.objects.get(pk=issue.pk).title == "Spring bulletin"


def test_too_many_requests_is_429_with_retry_after(client, settings, issue):
    settings.API_THROTTLE_RATE = "3/minute"
    # Different URLs: a repeated one would be answered from the page cache.
    for n in range(3):
        assert client.get(f"/api/issues/?series=x{n}").status_code == 200
    response = client.get("/api/issues/?series=x4")
    body = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert "throttled" in body["detail"].lower()


def test_issue_filters_series_year_country_and_never_drafts(client):
    west, east = make_series("West Bulletin"), make_series("East Bulletin")
    a = fill_issue(make_issue(series=west, publication_date=datetime.date(2014, 4, 1),
                              date_precision="quarter"), sections=1)  # fmt: skip
    make_issue(series=west, publication_date=datetime.date(2015, 3, 2))
    make_issue(series=east, publication_date=datetime.date(2014, 6, 9))
    fill_issue(make_issue(series=west, status=Issue.Status.DRAFT,
                          publication_date=datetime.date(2014, 5, 1)), sections=1)  # fmt: skip
    make_issue(series=west, publication_date=datetime.date(2014, 5, 2),
               go_live_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip

    def slugs(query):
        return [r["slug"] for r in client.get(f"/api/issues/?{query}").json()["results"]]

    assert len(slugs("series=west-bulletin")) == 2
    assert len(slugs("year=2014")) == 2
    assert slugs("series=west-bulletin&year=2014&country=kz") == [a.slug]
    assert slugs("country=KZ") == [a.slug]
    assert slugs("country=TJ") == [] and slugs("series=none") == []
    first = client.get(f"/api/issues/{a.slug}/").json()
    assert first["period"] == "April–June 2014" and first["date_precision"] == "quarter"


def test_directory_is_paginated_and_filtered_by_country(client):
    for code, name in [("KZ", "Kazakhstan"), ("KG", "Kyrgyzstan"), ("TJ", "Tajikistan")]:
        make_directory(make_country(code, name), issue=make_issue())
    data = client.get("/api/directory/").json()
    assert (data["count"], data["page"], data["pages"]) == (3, 1, 1)
    assert [c["code"] for c in data["countries"]] == ["KZ", "KG", "TJ"]
    assert data["next"] is None and data["previous"] is None
    only = client.get("/api/directory/?country=kg").json()
    assert only["count"] == 1 and only["countries"][0]["name"] == "Kyrgyzstan"
    assert client.get("/api/directory/?country=ZZ").json()["countries"] == []


def test_directory_pages_of_twenty(client):
    from directory.models import Country, Office

    Country.objects.bulk_create(
        [Country(code=f"A{chr(65 + i)}", name=f"Land {i:02d}", slug=f"land-{i}") for i in range(25)]
    )
    # The directory lists a country only with a public entry (safe publishing): one
    # staff-entered office each.
    Office.objects.bulk_create([Office(country=c, name="Office") for c in Country.objects.all()])
    data = client.get("/api/directory/").json()
    assert (data["count"], data["pages"], len(data["countries"])) == (25, 2, 20)
    assert data["next"] == "http://testserver/api/directory/?page=2"
    second = client.get(data["next"]).json()
    assert len(second["countries"]) == 5
    assert second["previous"] == "http://testserver/api/directory/?page=1"


def test_etag_and_304(client, issue):
    for url in urls(issue):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""


def test_cors_allows_reading_only(client, issue):
    response = client.get("/api/issues/", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/issues/", HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE",
    )  # fmt: skip
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    # The HTML pages are not opened to other origins.
    page = client.get("/issues/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in page


# --- schemathesis: generated requests against the schema, on the WSGI app in-process ---
# (Its pytest plugin does not run under pytest 9 yet, so each operation's strategy is
# driven by hypothesis here.)


def test_api_conforms_to_its_schema(settings):
    from config.wsgi import application

    # Generated queries must meet the documented errors, never the rate limit.
    settings.API_THROTTLE_RATE = ""
    issue = fill_issue(make_issue(title="Schema bulletin"), sections=2)
    make_directory(make_country("KG", "Kyrgyzstan"), issue=issue)
    # As Django's test client does: the WSGI app must not close the test's connection at
    # the end of each request (on PostgreSQL that ends the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        calls, tested = _run_schemathesis(application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert sorted(tested) == [
        "GET /api/directory/", "GET /api/issues/", "GET /api/issues/{slug}/"
    ]  # fmt: skip
    assert len(calls) >= 30 and set(calls) <= {200, 304, 400, 404}


def _run_schemathesis(application):
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    tested, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=30, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def check(case):
            # The WSGI transport hands the body over undecoded, and stored API pages are
            # served brotli- or gzip-compressed to clients that accept it: ask for identity.
            response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
            calls.append(response.status_code)

        check()
        tested.append(operation.label)
    return calls, tested

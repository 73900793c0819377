"""Hostile or silly input on every public parameter: a normal page or 404, never a 500,
never reflected unescaped."""

import pytest

from tests.factories import fill_issue, make_country, make_directory, make_issue, make_story

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1; DROP TABLE newsletters_issue; --",
    "%' UNION SELECT password FROM auth_user --",
    "a" * 10_000,
    "\x00\x01 ünïcödé 🙂",
    "&amp; & < >",
    "story:* & !( | <-> ",
]
PAGES = ["-1", "0", "abc", "99999999", "1.5", "<script>x</script>", "9" * 400]


@pytest.fixture(autouse=True)
def content():
    issue = fill_issue(make_issue(title="Issue story"))
    make_story(issue, title="Story about alerts", body="alert one")
    make_directory(make_country("KZ", "Kazakhstan"), issue=issue)


def assert_not_reflected(response, payload):
    body = response.content.decode()
    if any(c in payload for c in "<>\"'"):
        assert payload not in body
    assert "<script>alert(1)" not in body and "onerror=alert(1)>" not in body


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_search_query(client, payload):
    response = client.get("/search/", {"q": payload})
    assert response.status_code == 200
    assert_not_reflected(response, payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("name", ["series", "year", "country", "section"])
def test_archive_filters(client, name, payload):
    response = client.get("/issues/", {name: payload})
    assert response.status_code == 200
    assert_not_reflected(response, payload)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "url", ["/issues/", "/search/?q=story", "/api/issues/", "/api/directory/"]
)
def test_page_numbers(client, url, page):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}page={page}")
    assert response.status_code in (200, 404)
    assert_not_reflected(response, page)


@pytest.mark.parametrize("payload", PAYLOADS[:4], ids=range(4))
def test_unexpected_parameters_on_other_pages(client, payload):
    for url in ("/", "/figures/", "/directory/", "/feed/", "/feed/atom/", "/sitemap.xml",
                "/api/directory/", "/directory/directory.csv", "/robots.txt"):  # fmt: skip
        params = {"q": payload, "page": payload, "x": payload}
        if url.startswith("/api/"):
            # The API's directory is paginated: a bad page is its JSON 404 (test_page_numbers).
            del params["page"]
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert_not_reflected(response, payload)


@pytest.mark.parametrize(
    "url",
    ["/issues/%3Cscript%3E/", "/issues/x/%3Cscript%3E/", "/directory/%3Cscript%3E/",
     "/api/issues/%3Cscript%3E/", "/directory/people/abc/vcard/",
     "/directory/people/99999999999999999999/vcard/", "/issues/" + "a" * 3000 + "/"],
)  # fmt: skip
def test_bad_slugs_and_ids_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()

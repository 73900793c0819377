"""Issue page additions: the directory as the issue printed it, social tags, print CSS."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import fill_issue, make_country, make_issue
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

SNAPSHOT = {
    "offices": [{"country": "TJ", "emails": ["mission.tj@example.org"]}],
    "hotlines": [
        {"country": "TJ", "number": "+992 900 800 800", "note": "free of charge"},
        {"country": "KG", "number": "1899", "note": "<b>national</b>"},
    ],
    "people": [
        {"name": "Aziz Rahimov", "role": "Officer", "country": "TJ",
         "phones": ["+992 44 600 11 22"], "email": "a.rahimov@example.org"},
        "not a dict",
    ],
}  # fmt: skip


def test_directory_snapshot_on_the_issue_page(client):
    make_country("TJ", "Tajikistan")
    issue = make_issue(directory_snapshot=SNAPSHOT)
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "Directory in this issue" in html
    assert "<h3>Tajikistan</h3>" in html and "<h3>KG</h3>" in html
    assert '<a class="tel" href="tel:+992900800800">+992 900 800 800</a>' in html
    assert '<a class="tel" href="tel:1899">1899</a>' in html
    assert "&lt;b&gt;national&lt;/b&gt;" in html
    assert 'href="mailto:mission.tj@example.org"' in html
    assert 'href="tel:+992446001122"' in html and 'href="mailto:a.rahimov@example.org"' in html


def test_no_snapshot_section_without_data(client):
    html = client.get(make_issue(directory_snapshot={}).get_absolute_url()).content.decode()
    assert "Directory in this issue" not in html


def test_social_tags_and_canonical(client):
    issue = make_issue(title='Spring "edition"', summary="All about spring.")
    html = client.get(issue.get_absolute_url()).content.decode()
    url = f"http://testserver{issue.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Spring &quot;edition&quot;">' in html
    assert '<meta property="og:description" content="All about spring.">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_issue_page_query_count_with_snapshot_is_constant(client):
    small = fill_issue(make_issue(number=1, directory_snapshot=SNAPSHOT), sections=1)
    big_snapshot = {**SNAPSHOT, "hotlines": SNAPSHOT["hotlines"] * 30}
    big = fill_issue(make_issue(number=2, directory_snapshot=big_snapshot), sections=5)

    small_queries = count_queries(client, small.get_absolute_url())
    assert count_queries(client, big.get_absolute_url()) == small_queries


def test_print_stylesheet_hides_navigation_and_writes_out_urls():
    css = (Path(settings.BASE_DIR) / "static/css/print.css").read_text()
    assert ".site-header" in css and "nav[aria-label=\"Main\"]" in css and ".site-search" in css
    assert 'content: " (" attr(href) ")"' in css
    assert 'main a[href^="/"]::after' in css

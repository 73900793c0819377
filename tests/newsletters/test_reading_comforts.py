"""Reading comforts and landmarks: the directory pointer in search, snippets on word
boundaries, labelled search landmarks, no redundant roles, headings for untitled
stories, short issue labels in the figures tables."""

import datetime
import re

import pytest
from django.db import connection

from newsletters.models import KeyFigure
from tests.factories import make_country, make_issue, make_series, make_story
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    make_country("KZ", "Kazakhstan")
    make_country("KG", "Kyrgyzstan")
    issue = make_issue(title="Bulletin")
    body = ("Opening words of the story. " * 20) + "The shelter welcomed families. " + (
        "Closing sentences keep going. " * 20
    )
    make_story(issue, title="Shelter", body=body)
    return issue


def hint(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    found = re.search(r'<p class="directory-hint">(.*?)</p>', html)
    return html, found.group(1) if found else None


@pytest.mark.parametrize("q", ["hotline", "Hotline numbers", "contact", "e-mail the mission"])
def test_contact_queries_point_to_the_directory(client, stories, q):
    html, text = hint(client, q)
    assert text and '<a href="/directory/">The directory</a>' in text


def test_country_queries_point_to_the_country(client, stories):
    _, text = hint(client, "shelter Kazakhstan")
    assert '<a href="/directory/kazakhstan/">Kazakhstan in the directory</a>' in text
    html, text = hint(client, "kyrgyzstan hotline")
    assert "/directory/kyrgyzstan/" in text
    assert "No published story matches" in html


def test_other_queries_have_no_pointer(client, stories):
    assert hint(client, "shelter")[1] is None
    assert hint(client, "<script>hotline")[1] is not None
    assert "<script>hotline" not in hint(client, "<script>hotline")[0]


def test_pointer_costs_one_query(client, stories):
    plain = count_queries(client, "/search/", {"q": "shelter"})
    assert count_queries(client, "/search/", {"q": "shelter families"}) == plain


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's ts_headline cuts")
def test_snippets_start_and_end_on_word_boundaries(client, stories):
    html = client.get("/search/", {"q": "shelter welcomed"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html).group(1)
    text = re.sub(r"</?mark>", "", snippet)
    assert text.startswith("… ") and text.endswith(" …")
    inner = text.removeprefix("… ").removesuffix(" …")
    words = set(stories.stories.get().body.split())
    first, last = inner.split()[0], inner.split()[-1]
    assert first in words and last in words  # whole words, not pieces
    assert "<mark>shelter</mark>" in snippet


def test_search_landmarks_are_labelled_and_roles_not_redundant(client, stories):
    html = client.get("/search/", {"q": "shelter"}).content.decode()
    searches = re.findall(r'<form [^>]*role="search"[^>]*>', html)
    labels = [re.search(r'aria-label="([^"]+)"', f).group(1) for f in searches]
    assert labels == ["Site search", "Search the archive"]
    assert 'role="banner"' not in html and 'role="contentinfo"' not in html
    assert "<header" in html and "<footer" in html


def test_untitled_stories_get_a_heading(client):
    issue = make_issue(title="Untitled inside")
    make_story(issue, section_title="Notes", title="", body="**Partners** met in spring to plan "
               "the next training for border officers.")  # fmt: skip
    html = client.get(issue.get_absolute_url()).content.decode()
    article = re.search(r'<article class="story"[^>]*>\s*(<h3[^>]*>[^<]*</h3>)', html)
    assert article.group(1) == (
        '<h3 class="visually-hidden">Partners met in spring to plan the next…</h3>'
    )


def test_figures_tables_have_short_issue_labels(client):
    series = make_series("Long Series Name That Wraps")
    for n, day in ((1, datetime.date(2021, 3, 1)), (2, datetime.date(2021, 6, 1))):
        issue = make_issue(series=series, number=n, publication_date=day,
                           title=f"Long Series Name That Wraps, issue number {n}")  # fmt: skip
        KeyFigure.objects.create(issue=issue, label="Cases", value=10 * n)
    html = client.get("/figures/").content.decode()
    assert '<span class="label-short">No. 2 · Jun 2021</span>' in html
    assert '<span class="label-full">Long Series Name That Wraps, issue number 2</span>' in html

"""JSON API: list, detail, visibility and constant query counts."""

import datetime

import pytest
from django.utils import timezone

from newsletters.models import Issue
from tests.factories import fill_issue, make_issue, make_series, make_story
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db



def test_issue_list_is_paginated_and_public_only(client):
    series = make_series("Regional Bulletin")
    for n in range(1, 23):
        make_issue(series=series, number=n, title=f"Issue {n}",
                   publication_date=datetime.date(2021, 1, n))  # fmt: skip
    make_issue(series=series, number=90, title="Draft", status=Issue.Status.DRAFT)
    make_issue(series=series, number=91, title="Later",
               go_live_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip
    data = client.get("/api/issues/").json()
    assert data["count"] == 22 and data["pages"] == 2
    assert len(data["results"]) == 20
    first = data["results"][0]
    assert first == {
        "slug": "issue-22",
        "title": "Issue 22",
        "series": "Regional Bulletin",
        "volume": "",
        "number": 22,
        "date": "2021-01-22",
        "date_precision": "day",
        "period": "22 January 2021",
        "url": "http://testserver/issues/issue-22/",
        "api_url": "http://testserver/api/issues/issue-22/",
        "pdf_url": "http://testserver/issues/issue-22.pdf",
    }
    assert data["next"] == "http://testserver/api/issues/?page=2"
    second = client.get("/api/issues/?page=2").json()
    assert [r["title"] for r in second["results"]] == ["Issue 2", "Issue 1"]
    assert second["previous"] == "http://testserver/api/issues/?page=1"
    for page in ("3", "0", "-1", "abc", "99999999"):
        assert client.get(f"/api/issues/?page={page}").status_code == 404


def test_issue_detail_has_sections_stories_photos_and_figures(client):
    issue = fill_issue(make_issue(title="Full issue"), sections=2, figures=2)
    make_story(issue, section_title="Section 1", title="Danger", body="<script>x</script> *ok*")
    data = client.get(f"/api/issues/{issue.slug}/").json()
    assert data["title"] == "Full issue"
    assert [s["title"] for s in data["sections"]] == ["Section 1", "Section 2"]
    first = data["sections"][0]["stories"][0]
    assert first["title"] == "Story 1.1"
    assert first["markdown"] == "Paragraph about **story 1.1**."
    assert first["html"] == "<p>Paragraph about <strong>story 1.1</strong>.</p>\n"
    assert first["countries"] == ["KZ"]
    assert first["photos"] == [
        {"url": None, "caption": "Photo 1 of story Story 1.1", "credit": "",
         "alt_text": "Photo 1 of story Story 1.1"}
    ]  # fmt: skip
    assert first["url"] == f"http://testserver/issues/{issue.slug}/story-11/"
    danger = data["sections"][0]["stories"][-1]
    assert "<script>" not in danger["html"] and "<em>ok</em>" in danger["html"]
    assert [f["label"] for f in data["key_figures"]] == ["Figure 1", "Figure 2"]
    assert data["key_figures"][1]["value"] == "2000"  # exact, as a string


def test_hidden_issues_are_404_even_for_staff(client, staff_client):
    draft = make_issue(status=Issue.Status.DRAFT)
    later = make_issue(go_live_at=timezone.now() + datetime.timedelta(hours=2))
    for issue in (draft, later):
        assert client.get(f"/api/issues/{issue.slug}/").status_code == 404
        assert staff_client.get(f"/api/issues/{issue.slug}/").status_code == 404
    assert client.get("/api/issues/").json()["count"] == 0
    assert client.get("/api/issues/nope/").status_code == 404


def test_api_query_counts_are_constant(client):
    series = make_series()
    small_issue = fill_issue(make_issue(series=series, number=1), sections=1)
    list_small = count_queries(client, "/api/issues/")
    detail_small = count_queries(client, f"/api/issues/{small_issue.slug}/")
    for n in range(2, 25):
        make_issue(series=series, number=n)
    big = fill_issue(make_issue(series=series, number=40), sections=5, stories_per_section=6)
    assert count_queries(client, "/api/issues/") == list_small
    assert count_queries(client, f"/api/issues/{big.slug}/") == detail_small

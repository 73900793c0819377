"""Directory JSON: countries with offices, hotlines and people; no draft titles."""

import pytest

from directory.models import Hotline
from newsletters.models import Issue
from tests.factories import make_country, make_directory, make_issue
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def test_directory_json(client):
    issue = make_issue(title="Bulletin 9")
    kg = make_country("KG", "Kyrgyzstan")
    make_directory(kg, issue=issue)
    Hotline.objects.create(country=kg, number="1899", note="free", last_seen_in=issue)
    data = client.get("/api/directory/").json()
    (country,) = data["countries"]
    assert country["code"] == "KG" and country["url"] == "http://testserver/directory/kyrgyzstan/"
    numbers = {h["number"]: h for h in country["hotlines"]}
    assert numbers["1899"]["tel"] == "tel:1899" and numbers["1899"]["e164"] is None
    assert numbers["1899"]["last_confirmed_in"] == {
        "title": "Bulletin 9", "url": f"http://testserver{issue.get_absolute_url()}"
    }  # fmt: skip
    assert country["offices"][0]["emails"] == ["mission0-kg@example.org"]
    person = country["people"][0]
    assert person["name"] == "Person 0 KG" and person["phones"] == ["+7 700 111 2233"]


def test_draft_issue_is_not_named(client):
    draft = make_issue(title="Secret draft", status=Issue.Status.DRAFT)
    make_directory(make_country("TJ", "Tajikistan"), issue=draft)
    body = client.get("/api/directory/").content.decode()
    assert "Secret draft" not in body
    assert client.get("/directory/").content.decode().count("Secret draft") == 0


def test_directory_json_query_count_constant(client):
    make_directory(make_country("KZ", "Kazakhstan"), issue=make_issue())

    before = count_queries(client, "/api/directory/")
    for code, name in [("KG", "Kyrgyzstan"), ("TJ", "Tajikistan")]:
        make_directory(make_country(code, name), hotlines=4, people=5, emails=3, issue=make_issue())
    assert count_queries(client, "/api/directory/") == before

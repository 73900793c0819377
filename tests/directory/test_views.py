"""Public directory pages: tappable numbers, mail links, constant query counts."""

import pytest

from directory.models import Hotline
from tests.factories import make_country, make_directory, make_issue
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def test_directory_lists_hotlines_emails_and_people(client):
    issue = make_issue(title="Bulletin 7")
    kg = make_country("KG", "Kyrgyzstan")
    make_directory(kg, issue=issue)
    Hotline.objects.create(country=kg, number="1899", note="national hotline", last_seen_in=issue)
    response = client.get("/directory/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="tel big" href="tel:1899">1899</a>' in html
    assert 'href="mailto:mission0-kg@example.org"' in html
    assert "Person 0 KG</strong>, Programme officer" in html
    assert 'href="tel:+77001112233"' in html
    assert f'Last confirmed in <a href="{issue.get_absolute_url()}">Bulletin 7</a>' in html
    # Hotlines come before the staff of the country.
    assert html.index("tel:1899") < html.index("Person 0 KG")


def test_country_page_and_unknown_country(client):
    make_directory(make_country("UZ", "Uzbekistan"))
    response = client.get("/directory/uzbekistan/")
    assert response.status_code == 200
    assert "Uzbekistan: hotlines and contacts" in response.content.decode()
    assert client.get("/directory/atlantis/").status_code == 404


def test_directory_query_count_constant(client):
    make_directory(make_country("KZ", "Kazakhstan"), issue=make_issue())

    before = count_queries(client, "/directory/")
    issue = make_issue()
    for code, name in [("KG", "Kyrgyzstan"), ("TJ", "Tajikistan"), ("TM", "Turkmenistan")]:
        make_directory(make_country(code, name), hotlines=3, people=4, emails=2, issue=issue)
    assert count_queries(client, "/directory/") == before

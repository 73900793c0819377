"""Archive filters: each filter, combinations, counts, state in links, invalid values."""

import datetime
import re

import pytest

from newsletters.models import Issue
from tests.factories import make_country, make_issue, make_series, make_story
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def titles(client, **params):
    response = client.get("/issues/", params)
    assert response.status_code == 200
    return re.findall(r'<h2><a href="/issues/[^"]+/">([^<]+)</a></h2>', response.content.decode())


@pytest.fixture
def archive():
    bulletin, update = make_series("Regional Bulletin"), make_series("Country Update")
    kz, tj = make_country("KZ", "Kazakhstan"), make_country("TJ", "Tajikistan")
    a = make_issue(series=bulletin, number=1, title="Bulletin 2020",
                   publication_date=datetime.date(2020, 5, 1))  # fmt: skip
    b = make_issue(series=bulletin, number=2, title="Bulletin 2021",
                   publication_date=datetime.date(2021, 5, 1))  # fmt: skip
    c = make_issue(series=update, number=1, title="Update 2021",
                   publication_date=datetime.date(2021, 9, 1))  # fmt: skip
    make_issue(series=update, number=2, title="Draft 2021", status=Issue.Status.DRAFT,
               publication_date=datetime.date(2021, 10, 1))  # fmt: skip
    make_story(a, section_title="Direct Assistance", title="A1").countries.add(kz)
    make_story(b, section_title="Direct Assistance", title="B1").countries.add(tj)
    make_story(b, section_title="Partnership in Action", title="B2").countries.add(kz)
    make_story(c, section_title="Partnership in Action", title="C1").countries.add(tj)
    return a, b, c


def test_each_filter(client, archive):
    assert titles(client) == ["Update 2021", "Bulletin 2021", "Bulletin 2020"]
    assert titles(client, series="regional-bulletin") == ["Bulletin 2021", "Bulletin 2020"]
    assert titles(client, year="2021") == ["Update 2021", "Bulletin 2021"]
    assert titles(client, country="kazakhstan") == ["Bulletin 2021", "Bulletin 2020"]
    assert titles(client, section="Partnership in Action") == ["Update 2021", "Bulletin 2021"]


def test_filters_combine(client, archive):
    assert titles(client, year="2021", country="tajikistan") == ["Update 2021", "Bulletin 2021"]
    assert titles(client, year="2021", country="kazakhstan") == ["Bulletin 2021"]
    assert titles(client, series="country-update", section="Direct Assistance") == []


def test_counts_on_choices_and_results(client, archive):
    html = client.get("/issues/", {"year": "2021"}).content.decode()
    assert "2 issues match these filters." in html
    # Choices count published issues only (the 2021 draft is not counted).
    assert '<option value="2021" selected>2021 (2)</option>' in html
    assert '<option value="kazakhstan">Kazakhstan (2)</option>' in html
    assert '<option value="Direct Assistance">Direct Assistance (2)</option>' in html
    assert "Draft 2021" not in html


def test_pagination_keeps_filters(client, settings):
    series = make_series()
    for n in range(1, 15):
        make_issue(series=series, number=n, publication_date=datetime.date(2019, 1, n))
    make_issue(series=series, number=30, publication_date=datetime.date(2018, 1, 1))
    html = client.get("/issues/", {"year": "2019"}).content.decode()
    assert "14 issues match these filters." in html
    assert 'href="?year=2019&amp;page=2"' in html
    assert len(titles(client, year="2019", page="2")) == 2


@pytest.mark.parametrize(
    "params",
    [{"series": "no-such-series"}, {"year": "1066"}, {"year": "abc"},
     {"country": "atlantis"}, {"section": "<script>alert(1)</script>"}],
)  # fmt: skip
def test_unknown_values_give_a_normal_page_with_an_error(client, archive, params):
    response = client.get("/issues/", params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "These filters are not valid: no issues shown." in html
    assert "Select a valid choice." in html
    assert titles(client, **params) == []
    assert "<script>alert(1)" not in html


def test_archive_query_count_is_constant_with_filters(client, archive):
    small = count_queries(client, "/issues/", {"year": "2021", "country": "tajikistan"})
    series, tj = make_series("Regional Bulletin"), make_country("TJ", "Tajikistan")
    for n in range(3, 30):
        issue = make_issue(series=series, number=n, publication_date=datetime.date(2021, 1, 1))
        make_story(issue, section_title=f"Section {n}").countries.add(tj)
    assert count_queries(client, "/issues/", {"year": "2021", "country": "tajikistan"}) == small

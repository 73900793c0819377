"""Issues dated by a period: shown as printed, in the year filter, flagged when undated."""

import datetime
import re

import pytest

from newsletters.models import DatePrecision
from tests.factories import make_issue, make_series, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    series = make_series("Period Bulletin")
    quarter = make_issue(series=series, number=1, title="Spring 2014",
                         publication_date=datetime.date(2014, 4, 1),
                         date_precision=DatePrecision.QUARTER)  # fmt: skip
    month = make_issue(series=series, number=2, title="March 2015",
                       publication_date=datetime.date(2015, 3, 1),
                       date_precision=DatePrecision.MONTH)  # fmt: skip
    year = make_issue(series=series, number=3, title="Annual 2016",
                      publication_date=datetime.date(2016, 1, 1),
                      date_precision=DatePrecision.YEAR)  # fmt: skip
    day = make_issue(series=series, number=4, title="Day issue",
                     publication_date=datetime.date(2017, 5, 9))  # fmt: skip
    undated = make_issue(series=series, number=5, title="No date", publication_date=None)
    return quarter, month, year, day, undated


def meta(client, url):
    html = client.get(url).content.decode()
    return re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)


def test_period_shown_as_printed_with_machine_readable_time(client, archive):
    quarter, month, year, day, undated = archive
    assert meta(client, quarter.get_absolute_url()) == [("2014-04", "April–June 2014")]
    assert meta(client, month.get_absolute_url()) == [("2015-03", "March 2015")]
    assert meta(client, year.get_absolute_url()) == [("2016", "2016")]
    assert meta(client, day.get_absolute_url()) == [("2017-05-09", "9 May 2017")]
    assert meta(client, undated.get_absolute_url()) == []
    story = make_story(quarter, title="Found story", body="shelter word")
    assert ("2014-04", "April–June 2014") in meta(client, "/search/?q=shelter")
    assert story


def test_year_filter_has_periods_and_undated(client, archive):
    html = client.get("/issues/").content.decode()
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', html)
    years = [o for o in options if o[0].isdigit() or o[0] == "undated"]
    assert years == [("2017", "2017 (1)"), ("2016", "2016 (1)"), ("2015", "2015 (1)"),
                     ("2014", "2014 (1)"), ("undated", "Undated (1)")]  # fmt: skip

    def titles(**params):
        body = client.get("/issues/", params).content.decode()
        return re.findall(r'<h2><a href="/issues/[^"]+/">([^<]+)</a></h2>', body)

    assert titles(year="2014") == ["Spring 2014"]
    assert titles(year="2016") == ["Annual 2016"]
    assert titles(year="undated") == ["No date"]
    # The archive sorts by period, undated last.
    assert titles() == ["Day issue", "Annual 2016", "March 2015", "Spring 2014", "No date"]


def test_admin_list_flags_undated_and_shows_periods(staff_client, archive):
    url = "/admin/newsletters/issue/"
    html = staff_client.get(url).content.decode()
    assert '<strong class="undated">Undated</strong>' in html
    assert "April–June 2014 (quarter)" in html and "March 2015 (month)" in html
    assert "2016 (year)" in html and "9 May 2017" in html
    undated = staff_client.get(url, {"year": "undated"}).content.decode()
    assert "No date" in undated and "Spring 2014" not in undated
    by_year = staff_client.get(url, {"year": "2014"}).content.decode()
    assert "Spring 2014" in by_year and "No date" not in by_year
    # Sorted by the date column: the period's first day.
    ordered = staff_client.get(url, {"o": "4"}).content.decode()
    positions = [ordered.index(t) for t in ("Spring 2014", "March 2015", "Annual 2016")]
    assert positions == sorted(positions)
    change = staff_client.get(f"/admin/newsletters/issue/{archive[0].pk}/change/")
    assert 'name="date_precision"' in change.content.decode()

"""Key-figure trends: which labels get a chart, the SVG geometry, the page and queries."""

import datetime
import re

import pytest

from newsletters.charts import figure_trends, nice_ceiling
from newsletters.models import Issue, KeyFigure
from tests.factories import make_issue, make_series
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def add_figures(issue, **values):
    for label, value in values.items():
        KeyFigure.objects.create(issue=issue, label=label.replace("_", " "), value=value)


@pytest.fixture
def three_issues():
    series = make_series()
    issues = [
        make_issue(
            series=series, number=n, title=f"Issue {n}", publication_date=datetime.date(2021, n, 1)
        )  # fmt: skip
        for n in (1, 2, 3)
    ]
    add_figures(issues[0], Migrants_assisted=100, Only_once=5)
    add_figures(issues[1], Migrants_assisted=250)
    add_figures(issues[2], Migrants_assisted=400)
    add_figures(make_issue(series=series, number=4, status=Issue.Status.DRAFT),
                Migrants_assisted=999_999, Only_once=7)  # fmt: skip
    return issues


def test_only_labels_in_several_published_issues_get_a_chart(three_issues):
    (chart,) = figure_trends()
    assert chart.label == "Migrants assisted"
    assert [p.value for p in chart.points] == [100, 250, 400]  # the draft's value is left out
    assert [p.issue_title for p in chart.points] == ["Issue 1", "Issue 2", "Issue 3"]


def test_geometry_scales_into_the_plot_area(three_issues):
    (chart,) = figure_trends()
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs[0] == chart.left and xs[-1] == chart.right
    assert ys == sorted(ys, reverse=True)  # larger values higher up
    assert ys[-1] == pytest.approx(chart.bottom - (chart.bottom - chart.top) * 400 / 500)
    assert [t.label for t in chart.y_ticks] == ["0", "250", "500"]
    assert [t.label for t in chart.x_ticks] == ["Jan 2021", "Feb 2021", "Mar 2021"]
    assert chart.description.startswith(
        "Migrants assisted in 3 issues: 100 in Issue 1, rose to 400"
    )


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 7, 400, 7801, 330_528)] == [1, 10, 500, 10000, 500000]


def test_figures_page_draws_accessible_svg_with_a_table(client, three_issues):
    html = client.get("/figures/").content.decode()
    assert '<svg class="trend-chart" viewBox="0 0 640 260" role="img"' in html
    title = '<title id="trend-migrants-assisted-title">Migrants assisted across issues</title>'
    assert title in html
    assert '<desc id="trend-migrants-assisted-desc">' in html
    assert re.search(r'<polyline class="line" points="96\.0,[\d.]+ 332\.0,[\d.]+ 568\.0,', html)
    row = '<th scope="row"><a href="/issues/issue-2/"><span class="label-full">Issue 2</span>'
    assert row in html
    assert "<td>250</td>" in html
    assert "<script" not in html
    assert "Only once" not in html


def test_home_shows_the_trends(client, three_issues):
    html = client.get("/").content.decode()
    assert "Key figures over time" in html and 'role="img"' in html


def test_figures_page_without_trends(client):
    html = client.get("/figures/").content.decode()
    assert "No key figure has been reported in more than one published issue yet." in html


def test_figures_query_count_is_constant(client, three_issues):
    small = count_queries(client, "/figures/"), count_queries(client, "/")
    series = make_series()
    for n in range(10, 30):
        add_figures(make_issue(series=series, number=n), Migrants_assisted=n, Deaths=n, Cases=n)
    assert (count_queries(client, "/figures/"), count_queries(client, "/")) == small


def test_home_page_charts_only_the_latest_issues_and_figures_page_all(client):
    from newsletters.views import HOME_TREND_ISSUES

    series = make_series()
    total = HOME_TREND_ISSUES + 5
    for n in range(1, total + 1):
        issue = make_issue(
            series=series,
            number=n,
            publication_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * n),
        )
        add_figures(issue, Migrants_assisted=n * 10)
    (home_chart,) = figure_trends(last=HOME_TREND_ISSUES)
    assert [p.value for p in home_chart.points] == [n * 10 for n in range(6, total + 1)]
    (full_chart,) = figure_trends()
    assert len(full_chart.points) == total
    home = client.get("/").content.decode()
    figures = client.get("/figures/").content.decode()
    assert home.count("<circle") == HOME_TREND_ISSUES
    assert figures.count("<circle") == total

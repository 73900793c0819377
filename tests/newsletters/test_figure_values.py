"""Key-figure values as printed (issue 11, item 6): "1,650", "12.5", "37%" are entered as
such, kept exact, shown without trailing zeros; an empty figure is never a 0."""

from decimal import Decimal

import pytest
import tablib

from newsletters.charts import figure_trends
from newsletters.figures import exact_figure, format_figure, parse_figure
from newsletters.models import KeyFigure
from newsletters.resources import KeyFigureResource
from tests.factories import make_issue, make_series


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("1,650", Decimal("1650"), ""),
        ("12.5", Decimal("12.5"), ""),
        ("37%", Decimal("37"), "%"),
        (" 37 % ", Decimal("37"), "%"),
        ("330,528", Decimal("330528"), ""),
        ("1 650", Decimal("1650"), ""),
        ("-3.25", Decimal("-3.25"), ""),
        ("0.0001", Decimal("0.0001"), ""),
        ("", None, ""),
        (None, None, ""),
        (12.5, Decimal("12.5"), ""),  # an XLSX cell
        (7801, Decimal("7801"), ""),
    ],
)
def test_parse_figure_reads_values_as_printed(text, value, unit):
    assert parse_figure(text) == (value, unit)


@pytest.mark.parametrize(
    "text", ["about 300", "1,65", "12.5.1", "1e6", "NaN", "Infinity", "12.34567", "%", "1" * 17,
             "1,,650", "9" * 5000]  # fmt: skip
)
def test_parse_figure_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_figure(text)


def test_format_figure_shows_no_trailing_zeros():
    assert format_figure(Decimal("1650.0000")) == "1,650"
    assert format_figure(Decimal("12.5000")) == "12.5"
    assert format_figure(Decimal("0.2500")) == "0.25"
    assert format_figure(Decimal("1234567.1000")) == "1,234,567.1"
    assert format_figure(None) == ""
    assert exact_figure(Decimal("1000000.0000")) == "1000000"
    assert exact_figure(Decimal("12.5000")) == "12.5"


@pytest.mark.django_db
def test_admin_accepts_printed_values_and_the_public_sees_them_as_entered(staff_client, client):
    issue = make_issue(title="Spring digest")
    for position, (label, typed, unit) in enumerate(
        [("Hotline calls", "1,650", "calls"), ("Average stay", "12.5", "days"),
         ("Women among them", "37%", "")]  # fmt: skip
    ):
        response = staff_client.post(
            "/admin/newsletters/keyfigure/add/",
            {"issue": issue.pk, "label": label, "value": typed, "unit": unit, "note": "",
             "position": position},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
    stored = list(KeyFigure.objects.order_by("position").values_list("value", "unit"))
    assert stored == [(Decimal("1650"), "calls"), (Decimal("12.5"), "days"), (Decimal("37"), "%")]

    html = client.get(issue.get_absolute_url()).content.decode()
    assert '<span class="value">1,650</span> <span class="unit">calls</span>' in html
    assert '<span class="value">12.5</span> <span class="unit">days</span>' in html
    assert '<span class="value">37</span><span class="unit">%</span>' in html
    assert ".0000" not in html
    api = client.get(f"/api/issues/{issue.slug}/").json()["key_figures"]
    assert [(f["value"], f["unit"]) for f in api] == [("1650", "calls"), ("12.5", "days"),
                                                      ("37", "%")]  # fmt: skip
    # The change form shows the value as printed, not as the column stores it.
    figure = KeyFigure.objects.get(label="Average stay")
    form = staff_client.get(f"/admin/newsletters/keyfigure/{figure.pk}/change/").content.decode()
    assert 'value="12.5"' in form and "12.5000" not in form


@pytest.mark.django_db
def test_admin_refuses_a_value_that_is_no_number(staff_client):
    issue = make_issue()
    response = staff_client.post(
        "/admin/newsletters/keyfigure/add/",
        {"issue": issue.pk, "label": "Calls", "value": "about 300", "unit": "", "note": "",
         "position": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert "is not a number such as 1,650, 12.5 or 37%" in response.content.decode()
    assert KeyFigure.objects.count() == 0


@pytest.mark.django_db
def test_spreadsheet_takes_printed_values_and_percent_goes_to_the_unit():
    issue = make_issue()
    dataset = tablib.Dataset(headers=["issue", "label", "value", "unit", "note", "position"])
    dataset.append([issue.slug, "Calls", "1,650", "calls", "", 0])
    dataset.append([issue.slug, "Share", "37%", "", "", 1])
    dataset.append([issue.slug, "Stay", "12.5", "days", "", 2])
    dataset.append([issue.slug, "To come", "", "", "", 3])
    result = KeyFigureResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(KeyFigure.objects.order_by("position").values_list("value", "unit")) == [
        (Decimal("1650"), "calls"), (Decimal("37"), "%"), (Decimal("12.5"), "days"), (None, ""),
    ]  # fmt: skip
    exported = KeyFigureResource().export()
    assert [row[2] for row in exported] == ["1650", "37", "12.5", ""]


@pytest.mark.django_db
def test_trends_keep_decimals_exact_and_leave_empty_figures_out(client):
    series = make_series()
    values = [Decimal("12.5"), Decimal("13.25"), None]
    for n, value in enumerate(values, start=1):
        issue = make_issue(series=series, number=n)
        KeyFigure.objects.create(issue=issue, label="Average stay", value=value, unit="days")
    (chart,) = figure_trends()
    assert [p.value for p in chart.points] == [Decimal("12.5"), Decimal("13.25")]
    assert "12.5 days" in chart.description and "13.25 days" in chart.description
    page = client.get("/figures/").content.decode()
    assert "<td>13.25</td>" in page and "<td>0</td>" not in page
    newest = client.get(issue.get_absolute_url()).content.decode()
    assert "Average stay" not in newest  # the empty figure is no row of the table


@pytest.mark.django_db
def test_next_issue_copies_figures_empty_and_they_stay_out_of_charts(client):
    series = make_series()
    first = make_issue(series=series, number=1)
    second = make_issue(series=series, number=2)
    for issue, value in ((first, 100), (second, 140)):
        KeyFigure.objects.create(issue=issue, label="Hotline calls", value=value, unit="calls")
    draft = second.start_next()
    figure = draft.key_figures.get()
    assert (figure.value, figure.unit, figure.note) == (None, "calls", "")
    draft.publish(reason="test: empty figure on purpose")
    (chart,) = figure_trends()
    assert [p.value for p in chart.points] == [100, 140]
    home = client.get("/").content.decode()
    assert "Hotline calls" in home  # the trend is still drawn from the filled figures
    assert '<span class="value">0</span>' not in home

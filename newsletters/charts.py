"""Key-figure trends across issues, as SVG geometry the template draws.

`figure_trends()` reads every key figure of the published issues in one query and keeps
the labels that appear in at least two issues. `TrendChart` holds plain numbers and
strings (points, ticks, labels) so the template only writes them into <svg> elements,
with a <title>, a <desc> and a text table beside the chart for people and machines
that do not see it.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.text import slugify

from .figures import figure_with_unit, format_figure
from .models import Issue, KeyFigure

WIDTH, HEIGHT = 640, 260
# Room on the right for the last x label, which is centred on the last point.
# LEFT fits a y label such as "10,000" in the larger type phones get (static/css/site.css:
# 24 units, which is at least 12 px on a 360 px screen).
LEFT, RIGHT, TOP, BOTTOM = 96, 72, 16, 64


@dataclass
class Point:
    x: float
    y: float
    value: Decimal  # exact, as stored; only the geometry uses floats

    @property
    def display_value(self) -> str:
        return format_figure(self.value)
    issue_title: str
    issue_url: str
    date_label: str
    short_label: str = ""  # "No. 3 · May 2023": the figures table on a phone


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class TrendChart:
    label: str
    unit: str
    slug: str
    points: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def description(self) -> str:
        first, last = self.points[0], self.points[-1]
        change = "held"
        if last.value != first.value:
            change = "rose" if last.value > first.value else "fell"
        return (
            f"{self.label} in {len(self.points)} issues: "
            f"{figure_with_unit(first.value, self.unit)} in {first.issue_title}, {change} to "
            f"{figure_with_unit(last.value, self.unit)} in {last.issue_title}."
        )


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value`."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(math.ceil(step * magnitude))
    return int(10 * magnitude)


def build_chart(label: str, unit: str, figures: list[KeyFigure]) -> TrendChart:
    """A chart of `figures` (one per issue, oldest first), evenly spaced by issue."""
    chart = TrendChart(label=label, unit=unit, slug=slugify(label) or "figure")
    values = [float(f.value) for f in figures]
    top_value = nice_ceiling(max(values))
    floor_value = min(0, min(values))
    span = (top_value - floor_value) or 1
    plot_w, plot_h = chart.right - chart.left, chart.bottom - chart.top
    n = len(figures)
    for i, figure in enumerate(figures):
        issue = figure.issue
        x = chart.left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = chart.bottom - plot_h * (values[i] - floor_value) / span
        date = issue.publication_date.strftime("%b %Y") if issue.publication_date else ""
        short = " · ".join(
            part for part in (f"No. {issue.number}" if issue.number else "", date) if part
        ) or issue.title
        chart.points.append(
            Point(x, y, figure.value, issue.title, issue.get_absolute_url(), date, short)
        )
    for fraction in (0, 0.5, 1):
        value = floor_value + span * fraction
        chart.y_ticks.append(Tick(chart.bottom - plot_h * fraction, intcomma(round(value))))
    # Label the first and last issues, and the middle one when there is room.
    shown = sorted({0, n - 1, (n - 1) // 2} if n > 2 else set(range(n)))
    for i in shown:
        point = chart.points[i]
        chart.x_ticks.append(Tick(point.x, point.date_label or f"#{i + 1}"))
    return chart


def figure_trends(min_issues: int = 2, last: int | None = None) -> list[TrendChart]:
    """Charts for every label found in at least `min_issues` published issues (one query).

    With `last`, only the latest `last` issues are drawn: the home page stays light on a
    phone however long the archive grows, and /figures/ shows the whole history.
    """
    issues = Issue.objects.published()
    if last is not None:
        issues = issues.newest_first().values("pk")[:last]
    figures = (
        # A figure still to be filled in is no point of a trend (never a 0).
        KeyFigure.objects.filter(issue__in=issues, value__isnull=False)
        .select_related("issue")
        .only(
            "label",
            "value",
            "unit",
            "issue__title",
            "issue__slug",
            "issue__publication_date",
            "issue__number",
        )
        .order_by("issue__publication_date", "issue__number", "issue__pk")
    )
    by_label: dict[str, list[KeyFigure]] = {}
    for figure in figures:
        by_label.setdefault(figure.label.strip().casefold(), []).append(figure)
    charts = []
    for group in by_label.values():
        if len({f.issue_id for f in group}) >= min_issues:
            charts.append(build_chart(group[-1].label, group[-1].unit, group))
    charts.sort(key=lambda c: c.label.casefold())
    seen: set[str] = set()
    for chart in charts:  # element ids must stay unique on the page
        while chart.slug in seen:
            chart.slug += "-2"
        seen.add(chart.slug)
    return charts

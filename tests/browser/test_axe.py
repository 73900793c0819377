"""axe-core (axe-playwright-python) in a real browser: no accessibility violation on the
public pages, on a desktop and on a 360 px phone."""

import datetime

import pytest

from directory.models import Hotline
from newsletters.models import DatePrecision, KeyFigure
from tests.factories import fill_issue, make_country, make_directory, make_issue, make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages():
    series = make_series("Axe Bulletin")
    kz = make_country("KZ", "Kazakhstan")
    older = fill_issue(make_issue(series=series, number=1, title="Axe 1",
                                  publication_date=datetime.date(2014, 4, 1),
                                  date_precision=DatePrecision.QUARTER))  # fmt: skip
    issue = fill_issue(make_issue(series=series, number=2, title="Axe 2", summary="Summary.",
                                  publication_date=datetime.date(2015, 5, 1)),
                       sections=2, stories_per_section=2)  # fmt: skip
    for n, target in enumerate((older, issue)):
        KeyFigure.objects.create(issue=target, label="Cases assisted", value=100 + 50 * n)
    make_directory(kz, hotlines=1, people=2, issue=issue)
    Hotline.objects.create(country=kz, number="8 800 555 0101", note="free")
    story = issue.stories.first()
    return [
        "/", "/issues/", issue.get_absolute_url(), story.get_absolute_url(),
        "/search/?q=story", "/search/?q=hotline", "/figures/", "/directory/",
        "/directory/kazakhstan/",
    ]  # fmt: skip


@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violations(live_server, browser, pages, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for url in pages:
            page.goto(live_server.url + url)
            results = axe.run(page)
            if results.violations_count:
                found[url] = results.generate_report()
        # The check is real: a page with an unlabelled image fails it.
        page.set_content('<!doctype html><html lang="en"><title>x</title><img src="x.png">')
        assert axe.run(page).violations_count >= 1
    finally:
        context.close()
    assert found == {}, "\n".join(f"{url}:\n{report}" for url, report in found.items())


def test_chart_labels_and_figure_tables_read_well_on_a_phone(live_server, browser, pages):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/figures/")
        # The size a reader sees: the font size in the SVG's units times its scale.
        sizes = page.eval_on_selector_all(
            ".trend-chart .tick",
            "els => els.map(e => e.getScreenCTM().a * parseFloat(getComputedStyle(e).fontSize))",
        )
        assert sizes and min(sizes) >= 12, sizes
        # No label runs outside its chart.
        overflow = page.eval_on_selector_all(
            ".trend-chart .tick",
            """els => els.filter(e => {
                const box = e.getBoundingClientRect();
                const svg = e.ownerSVGElement.getBoundingClientRect();
                return box.left < svg.left - 1 || box.right > svg.right + 1;
            }).map(e => e.textContent)""",
        )
        assert overflow == []
        # The table names issues briefly: "No. 2 · May 2015", on one line.
        shown = page.eval_on_selector_all(
            ".trend-table th a", "els => els.map(e => [e.innerText, e.getClientRects().length])"
        )
        assert shown and all(text.startswith("No. ") for text, _ in shown), shown
        assert all(lines == 1 for _, lines in shown), shown
    finally:
        context.close()

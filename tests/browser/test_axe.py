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

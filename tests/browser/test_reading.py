"""A reader's paths through the site in a real browser: home → issue → contents,
search → story, and the directory on a 360 px phone."""

import datetime

import pytest

from directory.models import Hotline
from newsletters.models import KeyFigure, Photo
from tests.factories import make_country, make_directory, make_issue, make_series, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = " ".join(["Migrants who returned home found work in workshops and farms."] * 25)


@pytest.fixture
def site():
    series = make_series("Regional Migration Bulletin")
    kz, tj = make_country("KZ", "Kazakhstan"), make_country("TJ", "Tajikistan")
    older = make_issue(series=series, number=1, title="Bulletin no. 1",
                       publication_date=datetime.date(2021, 3, 1))  # fmt: skip
    issue = make_issue(
        series=series, number=2, title="Bulletin no. 2: spring",
        publication_date=datetime.date(2021, 6, 1),
        summary="Return migration, new hotlines and the shoemakers of Kostanay.",
        directory_snapshot={"hotlines": [{"country": "TJ", "number": "+992 900 800 800",
                                          "note": "free"}]},
    )  # fmt: skip
    for n, label in enumerate(["Migrants assisted", "COVID-19 cases"]):
        KeyFigure.objects.create(issue=older, label=label, value=4200 + 1000 * n, position=n)
        KeyFigure.objects.create(issue=issue, label=label, value=7801 + 1000 * n, position=n)
    sections = ["Direct Assistance", "Partnership in Action", "Capacity Building", "Outreach"]
    for section in sections:
        for i in range(2):
            make_story(issue, section_title=section, title=f"{section} story {i + 1}", body=LONG)
    story = make_story(
        issue, section_title="Outreach", title="Shoemakers of Kostanay",
        body="Twelve returnees opened a **cobbler** workshop.\n\n" + LONG,
    )  # fmt: skip
    story.countries.add(kz)
    Photo.objects.create(story=story, caption="The cobbler workshop in Kostanay")
    make_directory(tj, hotlines=1, people=2, emails=1, issue=issue)
    Hotline.objects.create(country=tj, number="1599", note="trafficking hotline, free")
    make_directory(kz, hotlines=2, people=3, emails=2, issue=issue)
    return issue, story


def test_home_to_issue_and_table_of_contents(live_server, browser, site, screenshots_dir):
    issue, _ = site
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == issue.title
    page.get_by_role("link", name="Read the issue").click()
    page.wait_for_url(f"**{issue.get_absolute_url()}")
    assert page.locator("h1").inner_text() == issue.title
    page.screenshot(path=str(screenshots_dir / "issue-desktop.png"), full_page=False)

    page.locator("nav.toc").get_by_role("link", name="Outreach", exact=True).click()
    page.wait_for_function("window.location.hash === '#section-outreach'")
    target = page.locator("#section-outreach")
    assert target.is_visible()
    box = target.bounding_box()
    # Scrolled into the viewport (its top may sit half a pixel above it: subpixel layout).
    assert box is not None and -1 <= box["y"] < 900
    page.close()


def test_search_for_a_word_and_reach_the_story(live_server, browser, site):
    issue, story = site
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search the archive").fill("cobbler")
    page.get_by_role("searchbox", name="Search the archive").press("Enter")
    page.wait_for_url("**/search/?q=cobbler")
    assert "1 story found" in page.locator(".result-count").inner_text()
    assert page.locator(".snippet mark").first.inner_text().lower().startswith("cobbler")
    page.get_by_role("link", name="Shoemakers of Kostanay").click()
    page.wait_for_url(f"**/issues/{issue.slug}/{story.slug}/")
    assert page.locator("h1").inner_text() == "Shoemakers of Kostanay"
    page.close()


def test_directory_on_a_phone(live_server, browser, site, screenshots_dir):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=1, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    page.goto(live_server.url + "/directory/")
    hotline = page.locator('a.tel.big[href="tel:1599"]')
    assert hotline.is_visible()
    box = hotline.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.locator('a[href^="tel:+"]').count() >= 3
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
        .slice(0, 8)""")
    assert scroll_width <= 360, (scroll_width, wide)
    page.screenshot(path=str(screenshots_dir / "directory-phone.png"), full_page=False)
    for url in ("/", "/issues/", "/search/?q=workshop", "/figures/"):
        page.goto(live_server.url + url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, (url, width)
    context.close()

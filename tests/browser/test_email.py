"""The issue e-mail as Chromium renders it at 600 px (desktop clients) and 360 px (a
phone): nothing wider than the window, the stories readable; screenshots for the README."""

import pytest

from newsletters.models import KeyFigure
from subscribers.emails import render_issue
from tests.factories import make_country, make_directory, make_issue, make_series, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def rendered():
    issue = make_issue(
        series=make_series("Caspian Partners Letter"),
        number=12,
        title="Caspian Partners Letter, issue 12",
        summary="A shelter opens, forty border officers trained, and the spring figures.",
    )
    make_story(
        issue, section_title="Direct Assistance", title="A new shelter opens in Tarvin",
        body="The shelter in **Tarvin** opened its doors this month with twelve beds, a "
        "legal desk and a psychologist on call.\n\nSecond paragraph.",
    )  # fmt: skip
    make_story(
        issue, section_title="Partnership in Action", title="Forty border officers trained",
        body="A three-day course on identifying victims of trafficking ran at the northern "
        "crossing, with officers from both sides of the border.",
    )  # fmt: skip
    for n, (label, value) in enumerate([("People assisted", 7801), ("Hotline calls", 1215)]):
        KeyFigure.objects.create(issue=issue, label=label, value=value, unit="", position=n)
    make_directory(make_country("KZ", "Kazakhstan"), hotlines=1, people=0, emails=0)
    html, _ = render_issue(issue).for_recipient("https://example.org/p/", "https://example.org/u/")
    return html


@pytest.mark.parametrize("width", [600, 360])
def test_email_fits_the_window(browser, rendered, screenshots_dir, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.set_content(rendered)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    container = page.locator("table.container").bounding_box()
    assert container["width"] == pytest.approx(min(600, width), abs=1)
    assert page.get_by_text("A new shelter opens in Tarvin").is_visible()
    # The preheader is for the inbox list, not for the reader of the open mail.
    assert not page.locator(".preheader").is_visible()
    page.screenshot(path=str(screenshots_dir / f"email-{width}.png"), full_page=True)
    page.close()

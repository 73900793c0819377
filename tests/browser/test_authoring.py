"""The authoring path in a real browser: one page for a whole issue (two sections, three
stories, a photo), reorder by dragging, preview the Markdown, publish as a Publisher and
read the public page; an Editor gets as far as saving and cannot publish."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from PIL import Image

from newsletters.models import Issue
from newsletters.roles import EDITOR, PUBLISHER, ensure_roles
from tests.factories import make_country, make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # noqa: S105


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "ferry.jpg"
    Image.new("RGB", (900, 600), (30, 110, 160)).save(path, "JPEG")
    return path


def _user(django_user_model, name, group):
    # Transactional tests flush the tables, the migration-made groups included.
    ensure_roles(apps)
    user = django_user_model.objects.create_user(
        name, f"{name}@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def _login(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def _no_overflow(page) -> list[str]:
    """Elements wider than the viewport (the page must not scroll sideways), and form
    fields cut off by their box (present but not shown whole)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const wide = document.scrollingElement.scrollWidth <= width ? [] :
          [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 8);
        const clipped = [...document.querySelectorAll(
            '#content-main input:not([type=hidden]), #content-main textarea, #content-main select')]
          .filter(e => e.offsetParent !== null
                       && !e.closest('.empty-form, [id*="__prefix__"], .collapsed'))
          .filter(e => {
            const r = e.getBoundingClientRect();
            const c = e.closest('fieldset, .module, #content-main').getBoundingClientRect();
            return r.width < 8 || r.right > c.right + 1 || r.left < c.left - 1; })
          .map(e => e.name).slice(0, 8);
        return wide.concat(clipped);
    }""")


def _add_story(page, section_index, story_index, title, body):
    section = page.locator(f"#sections-{section_index}")
    section.get_by_text("Add another Story").click()
    prefix = f"sections-{section_index}-stories-{story_index}"
    page.fill(f"#id_{prefix}-title", title)
    page.fill(f"#id_{prefix}-body", body)
    return prefix


def _write_issue(page, base, shots, photo_file, *, title, who):
    page.goto(base + "/admin/newsletters/issue/add/")
    page.select_option("#id_series", label="Lakeside Dispatch")
    page.fill("#id_number", "12" if who == "publisher" else "13")
    page.fill("#id_title", title)
    page.fill("#id_publication_date", "2024-05-01")
    page.fill("#id_summary", "Clinics on the water and a new helpline.")
    for n, name in enumerate(["Direct Assistance", "Partnership in Action"]):
        page.locator("#sections-group").get_by_text("Add another Section").last.click()
        page.fill(f"#id_sections-{n}-title", name)
    _add_story(page, 0, 0, "A ferry clinic", "The clinic crosses the lake **twice** a week.")
    first = _add_story(page, 0, 1, "Nurses on board", "Two nurses and a midwife.")
    _add_story(page, 1, 0, "A helpline for fishermen", "Call 1414, day and night.")
    page.locator(f"#{first}").get_by_text("Add another Photo").click()
    page.set_input_files(f"#id_{first}-photos-0-image", str(photo_file))
    page.fill(f"#id_{first}-photos-0-caption", "The ferry at dawn")
    page.fill(f"#id_{first}-photos-0-alt_text", "A white ferry on a grey lake")
    page.locator(f"#{first} input[name$='-countries']").first.check()
    page.screenshot(path=str(shots / f"authoring-{who}-1-one-page.png"), full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/admin/newsletters/issue/\d+/change/$"))
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]
    return Issue.objects.get(title=title)


def _drag_above(page, source, target):
    """Drag `source`'s handle above `target` with the mouse, as a person would."""
    # Both on screen: the target at the top of the window, the source below it.
    page.locator(target).evaluate("el => el.scrollIntoView({block: 'start'})")
    handle = page.locator(f"{source} > h3.djn-drag-handler")
    box, goal = handle.bounding_box(), page.locator(target).bounding_box()
    x, y = box["x"] + 40, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    # jQuery UI's sortable starts after a few pixels and follows each move.
    page.mouse.move(x, y - 10, steps=5)
    page.mouse.move(x, goal["y"] - 10, steps=20)
    page.wait_for_timeout(200)
    page.mouse.up()


def test_publisher_writes_reorders_previews_and_publishes(
    live_server, browser, django_user_model, photo_file, screenshots_dir
):
    make_series("Lakeside Dispatch")
    make_country("KZ", "Kazakhstan")
    _user(django_user_model, "polly", PUBLISHER)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = live_server.url
    _login(page, base, "polly")
    issue = _write_issue(
        page, base, screenshots_dir, photo_file, title="Lakeside Dispatch 12", who="publisher"
    )
    stories = list(issue.stories.order_by("section__position", "position"))
    assert [s.title for s in stories] == [
        "A ferry clinic", "Nurses on board", "A helpline for fishermen",
    ]  # fmt: skip
    nurses = issue.stories.get(title="Nurses on board")
    assert nurses.photos.get().renditions and [c.code for c in nurses.countries.all()] == ["KZ"]
    assert _no_overflow(page) == []

    # Reorder: "Nurses on board" above "A ferry clinic", then save.
    _drag_above(page, "#sections-0-stories-1", "#sections-0-stories-0")
    page.wait_for_timeout(300)
    order = page.eval_on_selector_all(
        "#sections-0 .djn-item[id^='sections-0-stories-']:not([id*='empty'])"
        " input[name$='-title'][name^='sections-0-stories']",
        "els => els.filter(e => !/photos|__prefix__/.test(e.name)).map(e => e.value)",
    )
    assert order[:2] == ["Nurses on board", "A ferry clinic"], order

    # The Markdown preview comes from the server's sanitiser.
    story_body = page.locator("textarea[name$='-body']").filter(has_text="twice").first
    field = story_body.locator("xpath=ancestor::div[contains(@class,'md-field')]")
    story_body.fill("The clinic crosses the lake **twice** a week. <script>alert(1)</script>")
    field.get_by_role("button", name="Preview").click()
    preview = field.locator(".md-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "twice"
    assert "<script>alert(1)</script>" in preview.inner_text()  # shown as text
    assert field.locator(".md-word-count").inner_text() == "9 words"
    page.screenshot(path=str(screenshots_dir / "authoring-publisher-2-reordered.png"))

    # The pre-publish check on the page has nothing to list: no reason is needed.
    assert page.locator(".prepublish-ok").inner_text() == "Nothing to fix."
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/change/$"))
    assert page.locator(".messagelist .error").all_inner_texts() == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    assert [s.title for s in issue.stories.order_by("section__position", "position")] == [
        "Nurses on board", "A ferry clinic", "A helpline for fishermen",
    ]  # fmt: skip
    page.screenshot(path=str(screenshots_dir / "authoring-publisher-3-published.png"))

    # The tablet width: nothing wider than the page.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.reload()
    page.screenshot(path=str(screenshots_dir / "authoring-tablet.png"), full_page=True)
    overflowing = _no_overflow(page)
    assert overflowing == [], overflowing

    reader = browser.new_page(viewport={"width": 1280, "height": 900})
    reader.goto(base + issue.get_absolute_url())
    assert reader.locator("h1").inner_text() == "Lakeside Dispatch 12"
    headings = reader.locator("article h2, article h3").all_inner_texts()
    titles = [h for h in headings if h in {"Nurses on board", "A ferry clinic"}]
    assert titles == ["Nurses on board", "A ferry clinic"]
    assert reader.locator("img[alt='A white ferry on a grey lake']").count() == 1
    reader.screenshot(path=str(screenshots_dir / "authoring-public-issue.png"))
    reader.close()
    page.close()


def test_editor_saves_but_cannot_publish(
    live_server, browser, django_user_model, photo_file, screenshots_dir
):
    make_series("Lakeside Dispatch")
    make_country("KZ", "Kazakhstan")
    _user(django_user_model, "eddie", EDITOR)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = live_server.url
    _login(page, base, "eddie")
    issue = _write_issue(
        page, base, screenshots_dir, photo_file, title="Lakeside Dispatch 13", who="editor"
    )
    assert issue.status == Issue.Status.DRAFT and issue.stories.count() == 3
    # No status to choose: the publishing fields are read-only for an Editor.
    assert page.locator("#id_status").count() == 0
    assert "Draft" in page.locator(".field-status").inner_text()
    page.screenshot(path=str(screenshots_dir / "authoring-editor-stops.png"))
    anonymous = browser.new_page()
    response = anonymous.goto(base + issue.get_absolute_url())
    assert response.status == 404
    anonymous.close()
    page.close()

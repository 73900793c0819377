"""Gaps of an Editor's pending changes to a live issue: no loss, no surprise.

1. A pending move of a story to another section survives saving the editor page again.
2. Rows an Editor added as pending changes show on the one-page editor, and saving again
   neither loses nor duplicates them.
3. "Preview" leaves the public page cache and its version alone.
4. Story links inside the preview lead to previews of those stories, pending changes
   applied.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.caching import BUMPED_AT_KEY, VERSION_KEY
from newsletters.models import Photo, Section, Story
from newsletters.pending import PendingChange
from tests.factories import fill_issue, make_issue
from tests.newsletters.test_pending import _editor_page_data, new_section_data, publish_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    issue = fill_issue(make_issue(title="Live bulletin"), sections=2, figures=1)
    assert issue.is_live
    return issue


def _editor_url(issue):
    return reverse("admin:newsletters_issue_change", args=[issue.pk])


def _preview_url(issue):
    return reverse("admin:newsletters_issue_preview", args=[issue.pk])


def _pending_body(editor, issue, body, story_index=0, section_index=0):
    data = _editor_page_data(issue)
    data[f"sections-{section_index}-stories-{story_index}-body"] = body
    response = editor.post(_editor_url(issue), data)
    assert response.status_code == 302


# --- 3. The preview leaves the public cache alone ------------------------------------------


def test_opening_the_preview_keeps_the_public_cache_version_and_its_stored_pages(
    editor, client, live, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _pending_body(editor, live, "Pending words zqzq.")
    url = live.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and b"zqzq" not in first.content
    version, bumped_at = cache.get(VERSION_KEY), cache.get(BUMPED_AT_KEY)
    assert version is not None
    stored = [key for key in cache._cache if "public-page:" in key]
    assert len(stored) == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        preview = editor.get(_preview_url(live))
    assert preview.status_code == 200 and b"Pending words zqzq." in preview.content
    assert callbacks == []  # no bump (nor anything else) waits for a commit

    assert (cache.get(VERSION_KEY), cache.get(BUMPED_AT_KEY)) == (version, bumped_at)
    assert [key for key in cache._cache if "public-page:" in key] == stored
    # The stored page is still the one served: answered from the cache, no query at all.
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    assert again.content == first.content and b"zqzq" not in again.content


def test_the_public_page_never_shows_pending_content_around_a_preview(editor, client, live):
    _pending_body(editor, live, "Pending words zqzq.")
    editor.get(_preview_url(live))  # before the public page is cached
    assert b"zqzq" not in client.get(live.get_absolute_url()).content
    story = Story.objects.filter(section__issue=live).first()
    assert b"zqzq" not in client.get(story.get_absolute_url()).content
    editor.get(_preview_url(live))  # after
    assert b"zqzq" not in client.get(live.get_absolute_url()).content
    assert b"zqzq" not in client.get(story.get_absolute_url()).content


# --- 4. Story links inside the preview -----------------------------------------------------


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_story_links_in_the_preview_lead_to_previews_of_the_stories(editor, client, live):
    story = Story.objects.get(section__issue=live, section__position=0)
    _pending_body(editor, live, "Pending words zqzq.")
    page = editor.get(_preview_url(live)).content.decode()
    public_story_urls = [s.get_absolute_url() for s in Story.objects.filter(section__issue=live)]
    for url in public_story_urls:
        assert url not in _hrefs(page), url
    story_preview = reverse("admin:newsletters_issue_preview_story", args=[live.pk, story.slug])
    assert story_preview in _hrefs(page)

    response = editor.get(story_preview)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pending words zqzq." in html
    assert "Preview with 1 pending change applied" in html
    assert "private" in response["Cache-Control"]
    # Its links back to the issue go to the issue's preview, not the public page.
    assert live.get_absolute_url() not in _hrefs(html)
    assert any(href.startswith(_preview_url(live)) for href in _hrefs(html))
    # The public story page keeps the published text; visitors get no preview.
    assert "zqzq" not in client.get(story.get_absolute_url()).content.decode()
    assert client.get(story_preview).status_code == 302
    assert Story.objects.get(pk=story.pk).body == "Paragraph about **story 1.1**."


def test_a_story_added_as_pending_has_a_preview_page_too(editor, live):
    data = _editor_page_data(live)
    data.update({
        "sections-0-stories-TOTAL_FORMS": "2",
        "sections-0-stories-1-id": "", "sections-0-stories-1-section": "",
        "sections-0-stories-1-title": "Brand new zqzq", "sections-0-stories-1-body": "New.",
        "sections-0-stories-1-position": "1",
        "sections-0-stories-1-photos-TOTAL_FORMS": "0",
        "sections-0-stories-1-photos-INITIAL_FORMS": "0",
        "sections-0-stories-1-photos-MIN_NUM_FORMS": "0",
        "sections-0-stories-1-photos-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    assert editor.post(_editor_url(live), data).status_code == 302
    page = editor.get(_preview_url(live)).content.decode()
    url = reverse("admin:newsletters_issue_preview_story", args=[live.pk, "brand-new-zqzq"])
    assert url in _hrefs(page)
    assert "Brand new zqzq" in editor.get(url).content.decode()
    # An unknown story: 404, nothing kept.
    missing = reverse("admin:newsletters_issue_preview_story", args=[live.pk, "nope"])
    assert editor.get(missing).status_code == 404
    assert not Story.objects.filter(title__contains="zqzq").exists()
    assert PendingChange.objects.count() == 1
    assert Section.objects.filter(issue=live).count() == 2
    assert Photo.objects.filter(story__section__issue=live).count() == 2


# --- the editor page as a browser would post it ---------------------------------------------


class _FormReader(HTMLParser):
    """The fields of the change form (`<form id="issue_form">`) as a browser posts them:
    inputs (checked boxes only), textareas and selected options; no buttons, no files."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self.inside, self._textarea, self._select = {}, False, None, None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "issue_form"
        if tag == "option" and self.inside and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        if not self.inside or "name" not in attrs:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "file", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], []
        elif tag == "select":
            self._select = attrs["name"]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select":
            self._select = None


def _as_shown(client, issue) -> dict:
    """The editor page of `issue` as `client` sees it, posted back as it is."""
    page = client.get(_editor_url(issue)).content.decode()
    reader = _FormReader()
    reader.feed(page)
    return {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}


def _save_as_shown(client, issue, **edits):
    data = {**_as_shown(client, issue), "_save": "Save", **edits}
    response = client.post(_editor_url(issue), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    return response


def _prefix_of(data: dict, model_prefix: str, pk) -> str:
    """The form prefix (sections-1-stories-0) the posted `data` gives the row `pk`."""
    found = [key[: -len("-id")] for key, value in data.items()
             if key.endswith("-id") and str(value) == str(pk)
             and re.fullmatch(model_prefix, key[: -len("-id")])]  # fmt: skip
    assert len(found) == 1, found
    return found[0]


STORY = r"sections-\d+-stories-\d+"


def _move_first_story(issue, to_section: int) -> dict:
    """The editor form with the first section's first story dragged into another section,
    first there (nested-admin renames its fields and moves its management counts)."""
    data = _editor_page_data(issue)
    sections = list(issue.sections.order_by("position", "pk"))
    src, dst = "sections-0-stories", f"sections-{to_section}-stories"
    moved = {key[len(src) + 3 :]: value for key, value in data.items()
             if key.startswith(f"{src}-0-")}  # fmt: skip
    for key in [k for k in data if k.startswith(f"{src}-")]:
        del data[key]
    data.update({f"{src}-TOTAL_FORMS": "0", f"{src}-INITIAL_FORMS": "0",
                 f"{src}-MIN_NUM_FORMS": "0", f"{src}-MAX_NUM_FORMS": "1000"})  # fmt: skip
    count = int(data[f"{dst}-TOTAL_FORMS"])
    for i in reversed(range(count)):  # the rows there move down one place
        for key in [k for k in data if k.startswith(f"{dst}-{i}-")]:
            data[f"{dst}-{i + 1}-" + key[len(f"{dst}-{i}-") :]] = data.pop(key)
        data[f"{dst}-{i + 1}-position"] = str(i + 1)
    data.update({f"{dst}-0-{name}": value for name, value in moved.items()})
    data[f"{dst}-0-section"] = sections[to_section].pk
    data[f"{dst}-0-position"] = "0"
    data[f"{dst}-TOTAL_FORMS"] = data[f"{dst}-INITIAL_FORMS"] = str(count + 1)
    return data


# --- 1. A pending move survives saving the page again --------------------------------------


def test_a_pending_move_shows_the_story_in_its_pending_section_and_a_resave_keeps_it(
    editor, publisher, client, live
):
    first, second = live.sections.order_by("position")
    story = first.stories.get()
    assert story.position == 0  # moved to the top of the other section: position unchanged
    response = editor.post(_editor_url(live), _move_first_story(live, to_section=1))
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).section_id == first.pk  # not live yet
    change = PendingChange.objects.get(object_id=story.pk, content_type__model="story")
    assert change.data["section_id"] == second.pk

    # The editor shows it in its pending section, once, marked.
    shown = _as_shown(editor, live)
    prefix = _prefix_of(shown, STORY, story.pk)
    assert prefix.startswith("sections-1-stories-"), prefix
    assert shown[f"{prefix}-section"] == str(second.pk)
    assert shown["sections-0-stories-TOTAL_FORMS"] == "0"
    page = editor.get(_editor_url(live)).content.decode()
    assert "moved here from “Section 1”" in page

    # Saved again for another edit: the move stays.
    _save_as_shown(editor, live, **{"sections-0-title": "Renamed later"})
    change = PendingChange.objects.get(object_id=story.pk, content_type__model="story")
    assert change.data["section_id"] == second.pk
    # Public: still in its first section, which still has its published title.
    html = client.get(live.get_absolute_url()).content.decode()
    assert html.index('id="story-story-11"') < html.index('id="section-section-2"')
    assert "Renamed later" not in html
    assert Story.objects.get(pk=story.pk).section_id == first.pk

    publish_pending(publisher, live)
    assert Story.objects.get(pk=story.pk).section_id == second.pk
    assert Section.objects.get(pk=first.pk).title == "Renamed later"
    assert list(second.stories.order_by("position").values_list("pk", flat=True))[0] == story.pk


def test_a_story_moved_back_to_its_live_section_is_no_longer_moving(editor, live):
    first, second = live.sections.order_by("position")
    story = first.stories.get()
    editor.post(_editor_url(live), _move_first_story(live, to_section=1))
    shown = _as_shown(editor, live)
    # Dragged back: its form posted under the first section again.
    prefix = _prefix_of(shown, STORY, story.pk)
    back = {key.replace(prefix, "sections-0-stories-0", 1): value
            for key, value in shown.items() if key.startswith(prefix + "-")}  # fmt: skip
    data = {k: v for k, v in shown.items() if not k.startswith(prefix + "-")}
    data.update(back)
    data["sections-0-stories-0-section"] = first.pk
    data["sections-0-stories-TOTAL_FORMS"] = data["sections-0-stories-INITIAL_FORMS"] = "1"
    assert prefix == "sections-1-stories-0"
    for key in [k for k in data if k.startswith("sections-1-stories-1-")]:
        data["sections-1-stories-0-" + key[len("sections-1-stories-1-") :]] = data.pop(key)
    data["sections-1-stories-TOTAL_FORMS"] = data["sections-1-stories-INITIAL_FORMS"] = "1"
    assert editor.post(_editor_url(live), data).status_code == 302
    change = PendingChange.objects.filter(object_id=story.pk, content_type__model="story").last()
    assert change is None or change.data.get("section_id") == first.pk
    assert _prefix_of(_as_shown(editor, live), STORY, story.pk).startswith("sections-0-")


def test_a_pending_move_out_of_the_issue_survives_a_resave_of_the_editor_page(
    editor, publisher, live
):
    from tests.newsletters.test_pending import story_data

    story = live.sections.order_by("position").first().stories.get()
    draft = fill_issue(make_issue(status="draft", title="Draft"), sections=1, figures=0)
    elsewhere = draft.sections.get()
    url = reverse("admin:newsletters_story_change", args=[story.pk])
    editor.post(url, story_data(story, section=elsewhere.pk, slug="away"))
    assert PendingChange.objects.get().data["section_id"] == elsewhere.pk

    # The other issue's section is not on this page: the story shows where it is now,
    # its note says where it is going, and saving the page (its body edited) keeps that.
    page = editor.get(_editor_url(live)).content.decode()
    assert "moving to “Section 1” of “Draft”" in page
    shown = _as_shown(editor, live)
    prefix = _prefix_of(shown, STORY, story.pk)
    _save_as_shown(editor, live, **{f"{prefix}-body": "Edited on the way out."})
    change = PendingChange.objects.get()
    assert (change.data["section_id"], change.data["body"]) == (
        elsewhere.pk, "Edited on the way out.")  # fmt: skip
    assert change.data["slug"] == "away"  # set on the story's page, not on the editor
    publish_pending(publisher, live)
    moved = Story.objects.get(pk=story.pk)
    assert (moved.section_id, moved.body) == (elsewhere.pk, "Edited on the way out.")


def test_a_photo_dragged_into_another_story_shows_there_and_a_resave_keeps_it(
    editor, publisher, live
):
    (first, second) = Story.objects.filter(section__issue=live).order_by("section__position")
    photo = first.photos.get()
    data = _editor_page_data(live)
    src, dst = "sections-0-stories-0-photos", "sections-1-stories-0-photos"
    for name in ("id", "caption", "alt_text", "credit"):
        data[f"{dst}-1-{name}"] = data.pop(f"{src}-0-{name}")
    data.pop(f"{src}-0-story"), data.pop(f"{src}-0-position")
    data.update({f"{dst}-1-story": second.pk, f"{dst}-1-position": "1",
                 f"{src}-TOTAL_FORMS": "0", f"{src}-INITIAL_FORMS": "0",
                 f"{dst}-TOTAL_FORMS": "2", f"{dst}-INITIAL_FORMS": "2"})  # fmt: skip
    assert editor.post(_editor_url(live), data).status_code == 302
    assert PendingChange.objects.get(object_id=photo.pk).data["story_id"] == second.pk

    shown = _as_shown(editor, live)
    prefix = _prefix_of(shown, r"sections-\d+-stories-\d+-photos-\d+", photo.pk)
    assert prefix.startswith(dst), prefix
    _save_as_shown(editor, live, **{"sections-1-title": "Renamed later"})
    assert PendingChange.objects.get(object_id=photo.pk).data["story_id"] == second.pk
    publish_pending(publisher, live)
    assert Photo.objects.get(pk=photo.pk).story_id == second.pk


def test_a_section_moving_to_another_issue_is_kept_by_a_resave_of_the_editor(
    editor, publisher, live
):
    section = live.sections.order_by("position").first()
    story = section.stories.get()
    draft = make_issue(status="draft", title="Draft")
    data = {
        "issue": draft.pk, "title": section.title, "position": 0,
        "stories-TOTAL_FORMS": "1", "stories-INITIAL_FORMS": "1",
        "stories-MIN_NUM_FORMS": "0", "stories-MAX_NUM_FORMS": "1000",
        "stories-0-id": story.pk, "stories-0-section": section.pk,
        "stories-0-title": story.title, "stories-0-slug": story.slug,
        "stories-0-body": story.body, "stories-0-position": 0,
        "stories-0-seen_version": story.version,
    }  # fmt: skip
    url = reverse("admin:newsletters_section_change", args=[section.pk])
    assert editor.post(url, data).status_code == 302
    assert PendingChange.objects.get(content_type__model="section").data["issue_id"] == draft.pk

    page = editor.get(_editor_url(live)).content.decode()
    assert "moving to “Draft”" in page
    _save_as_shown(editor, live, **{"sections-0-title": "Renamed on its way"})
    change = PendingChange.objects.get(content_type__model="section")
    assert (change.data["issue_id"], change.data["title"]) == (draft.pk, "Renamed on its way")


# --- 2. Rows added as pending show on the editor -------------------------------------------


def _add_rows(editor, issue):
    """The Editor adds, in one save: a story to the first section, a photo to the second
    section's story, and a new section holding a new story with a photo."""
    data = _editor_page_data(issue)
    empty = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0",
             "MAX_NUM_FORMS": "1000"}  # fmt: skip
    data.update({
        "sections-0-stories-TOTAL_FORMS": "2",
        "sections-0-stories-1-id": "", "sections-0-stories-1-section": "",
        "sections-0-stories-1-title": "Added story zqzq",
        "sections-0-stories-1-body": "Added *text*.", "sections-0-stories-1-position": "1",
        **{f"sections-0-stories-1-photos-{k}": v for k, v in empty.items()},
        "sections-1-stories-0-photos-TOTAL_FORMS": "2",
        "sections-1-stories-0-photos-1-id": "", "sections-1-stories-0-photos-1-story": "",
        "sections-1-stories-0-photos-1-caption": "Added photo zqzq",
        "sections-1-stories-0-photos-1-alt_text": "", "sections-1-stories-0-photos-1-credit": "",
        "sections-1-stories-0-photos-1-position": "1",
        **new_section_data(issue, 2, "Added section zqzq", "Nested story zqzq",
                           "Nested photo zqzq"),
    })  # fmt: skip
    assert editor.post(_editor_url(issue), data).status_code == 302
    assert PendingChange.objects.filter(action="create").count() == 5


ADDED = '<div class="pending-added"'


def test_rows_added_as_pending_show_on_the_editor_in_their_place_marked(
    editor, publisher, live
):
    _add_rows(editor, live)
    for client in (editor, publisher):
        page = client.get(_editor_url(live)).content.decode()
        assert page.count(ADDED) == 5
        assert page.count("Pending, added by eddie") == 5
        assert "This issue has 5 pending changes" in page
        # Each in its place: the story in the first section's stories, the photo in the
        # second section's story's photos, the section (its story and photo in it) among
        # the sections, after the live ones.
        stories_0 = page[page.index('id="sections-0-stories-group"'):
                         page.index('id="sections-1"')]  # fmt: skip
        assert "Added story zqzq" in stories_0 and "Added *text*." in stories_0
        photos = page[page.index('id="sections-1-stories-0-photos-group"'):
                      page.index('id="sections-empty"')]  # fmt: skip
        assert "Added photo zqzq" in photos and "Added photo zqzq" not in stories_0
        section = page.index("<b>Section:</b>&nbsp;Added section zqzq")
        assert page.index('id="sections-empty"') < section < page.index('id="key_figures-group"')
        end = page.index("<!-- pending-added -->", page.index("Nested photo", section))
        block = page[section:end]
        assert block.index("Nested story zqzq") < block.index("Nested photo zqzq")
        assert "Added story zqzq" not in block
        # Read-only: the additions bring no field into the form.
        for block in re.findall(rf'{ADDED}.*?</div><!-- pending-added -->', page, re.S):
            assert "<input" not in block and "<textarea" not in block


def test_saving_the_editor_again_keeps_exactly_one_of_each_pending_addition(
    editor, publisher, client, live
):
    _add_rows(editor, live)
    before = sorted(PendingChange.objects.values_list("action", "summary"))
    _save_as_shown(editor, live, **{"sections-0-title": "Renamed later"})
    _save_as_shown(editor, live)
    after = sorted(PendingChange.objects.filter(action="create").values_list("action", "summary"))
    assert after == [c for c in before if c[0] == "create"]
    assert "zqzq" not in client.get(live.get_absolute_url()).content.decode()

    publish_pending(publisher, live)
    for title in ("Added story zqzq", "Nested story zqzq"):
        assert Story.objects.filter(title=title, issue=live).count() == 1
    assert Section.objects.filter(title="Added section zqzq", issue=live).count() == 1
    for caption in ("Added photo zqzq", "Nested photo zqzq"):
        assert Photo.objects.filter(caption=caption).count() == 1
    assert Section.objects.get(issue=live, position=0).title == "Renamed later"
    nested = Story.objects.get(title="Nested story zqzq")
    assert nested.section.title == "Added section zqzq"
    assert nested.photos.get().caption == "Nested photo zqzq"

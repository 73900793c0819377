"""Pending changes on the one-page editor (issue 11, items 2 and 4): an Editor's new photo
file for a published issue waits for a Publisher and is never public before; "Preview"
shows the issue with its pending changes while the public page keeps the published
one; the editor's rows show an Editor their pending edits, so saving again keeps them."""

import io
import re
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from newsletters.models import IssueContents, Photo, Section, Story
from newsletters.pending import PendingChange
from tests.factories import fill_issue, make_country, make_issue
from tests.newsletters.test_pending import _editor_page_data, publish_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    issue = fill_issue(make_issue(title="Live bulletin"), sections=1, figures=1)
    assert issue.is_live
    return issue


def _png(width=600, height=400, color=(200, 60, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return SimpleUploadedFile("harbour.png", out.getvalue(), "image/png")


def _upload(client, issue, photo_field_values):
    """The editor page posted with the first story's first photo changed."""
    data = _editor_page_data(issue)
    prefix = "sections-0-stories-0-photos-0"
    data.update({f"{prefix}-{name}": value for name, value in photo_field_values.items()})
    return client.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)


def _get(client, url) -> tuple[int, bytes]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def _preview_url(issue):
    return reverse("admin:newsletters_issue_preview", args=[issue.pk])


def test_an_editors_new_photo_file_is_pending_and_staff_only_until_published(
    editor, publisher, client, live, django_capture_on_commit_callbacks
):
    photo = Photo.objects.get(story__section__issue=live)
    assert not photo.image  # an archive photo: a caption only
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(editor, live, {"image": _png(), "alt_text": "The harbour at dawn"})
    assert response.status_code == 302

    # The live row has no file; the pending change names the stored, re-encoded file.
    assert not Photo.objects.get(pk=photo.pk).image
    change = PendingChange.objects.get()
    name = change.data["image"]
    renditions = [f["name"] for f in change.data["renditions"]["files"]]
    assert name.startswith("photos/") and name.endswith(".png") and "harbour" not in name
    assert len(renditions) == 1 and renditions[0].endswith("-480w.webp")  # 600 px wide
    assert change.data["alt_text"] == "The harbour at dawn"
    assert default_storage.exists(name) and default_storage.exists(renditions[0])
    # Saved again without a file (the live photo has none): the pending file stays.
    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor, live, {"caption": "At dawn", "alt_text": "The harbour at dawn"})
    assert PendingChange.objects.get().data["image"] == name
    assert PendingChange.objects.get().data["caption"] == "At dawn"
    assert default_storage.exists(name) and default_storage.exists(renditions[0])

    # Public: the page is unchanged and neither file is served.
    public_page = client.get(live.get_absolute_url()).content.decode()
    assert name not in public_page and renditions[0] not in public_page
    for path in (name, renditions[0]):
        assert _get(client, default_storage.url(path))[0] == 404
    # Staff see both (the editor's thumbnail, the preview), never cached by others.
    status, body = _get(editor, default_storage.url(name))
    assert status == 200 and body.startswith(b"\x89PNG")
    assert _get(editor, default_storage.url(renditions[0]))[0] == 200
    preview = editor.get(_preview_url(live))
    assert preview.status_code == 200
    assert default_storage.url(renditions[0]) in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    page = editor.get(reverse("admin:newsletters_issue_change", args=[live.pk])).content.decode()
    assert f'class="photo-thumb" src="{default_storage.url(renditions[0])}"' in page

    # Published: the photo owns the file, the public sees it.
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(publisher, live)
    assert Photo.objects.get(pk=photo.pk).image.name == name
    assert default_storage.exists(name) and default_storage.exists(renditions[0])
    assert _get(client, default_storage.url(name))[0] == 200
    assert _get(client, default_storage.url(renditions[0]))[0] == 200
    public_page = client.get(live.get_absolute_url()).content.decode()
    assert default_storage.url(renditions[0]) in public_page


def test_a_photo_added_with_a_file_on_its_own_page_waits_too(
    editor, publisher, client, live, django_capture_on_commit_callbacks
):
    story = Story.objects.get(section__issue=live)
    data = {"story": story.pk, "image": _png(), "caption": "Boats", "alt_text": "Boats",
            "credit": "", "position": 3}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("admin:newsletters_photo_add"), data)
    assert response.status_code == 302
    assert story.photos.count() == 1  # the fixture's photo only
    change = PendingChange.objects.get()
    assert (change.action, change.data["caption"]) == ("create", "Boats")
    name = change.data["image"]
    assert _get(client, default_storage.url(name))[0] == 404
    assert _get(editor, default_storage.url(name))[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(publisher, live)
    assert story.photos.get(caption="Boats").image.name == name
    assert _get(client, default_storage.url(name))[0] == 200


def test_a_replaced_or_discarded_pending_file_is_deleted_and_the_live_one_kept(
    editor, publisher, live, django_capture_on_commit_callbacks
):
    photo = Photo.objects.get(story__section__issue=live)
    photo.image, photo.alt_text = _png(color=(1, 2, 3)), "The live photo"
    photo.save()
    live_name = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor, live, {"image": _png(color=(9, 9, 9)), "alt_text": "First try"})
    first = PendingChange.objects.get().data["image"]
    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor, live, {"image": _png(color=(7, 7, 7)), "alt_text": "Second try"})
    second = PendingChange.objects.get().data["image"]
    assert first != second and not default_storage.exists(first)
    assert default_storage.exists(second)
    # Saved again without a new file: the pending file stays the change's.
    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor, live, {"caption": "A new caption", "alt_text": "Second try"})
    assert PendingChange.objects.get().data["image"] == second
    assert default_storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        publisher.post(
            reverse("admin:newsletters_issue_changelist"),
            {"action": "discard_pending", "_selected_action": [live.pk]},
        )
    assert PendingChange.objects.count() == 0
    assert not default_storage.exists(second)
    assert Photo.objects.get(pk=photo.pk).image.name == live_name
    assert default_storage.exists(live_name)


def test_preview_shows_the_pending_changes_and_the_public_page_the_published_version(
    editor, publisher, client, live
):
    story = Story.objects.get(section__issue=live)
    data = _editor_page_data(live)
    data.update({
        "sections-0-stories-0-body": "Pending paragraph zqzq.",
        "sections-0-title": "Pending section title zqzq",
    })  # fmt: skip
    editor.post(reverse("admin:newsletters_issue_change", args=[live.pk]), data)
    assert PendingChange.objects.count() == 2
    live_body = story.body

    preview = editor.get(_preview_url(live)).content.decode()
    assert "Pending paragraph zqzq." in preview and "Pending section title zqzq" in preview
    assert "Preview with 2 pending changes applied" in preview
    # Nothing of the preview is kept: live rows, pending changes, stored page contents.
    assert Story.objects.get(pk=story.pk).body == live_body
    assert PendingChange.objects.count() == 2
    assert not IssueContents.objects.filter(html__contains="zqzq").exists()
    # The public page, for visitors and for staff, is the published version.
    for someone in (client, editor, publisher):
        page = someone.get(live.get_absolute_url()).content.decode()
        assert "zqzq" not in page and "Paragraph about" in page
    # The issue page's "Preview" leads to it; visitors are sent to log in.
    page = editor.get(reverse("admin:newsletters_issue_change", args=[live.pk])).content.decode()
    assert f'<a href="{_preview_url(live)}" class="viewsitelink"' in page
    response = client.get(_preview_url(live))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    publish_pending(publisher, live)
    assert "Pending paragraph zqzq." in client.get(live.get_absolute_url()).content.decode()
    page = editor.get(reverse("admin:newsletters_issue_change", args=[live.pk])).content.decode()
    assert f'<a href="{live.get_absolute_url()}" class="viewsitelink"' in page


def _field(page: str, name: str) -> str:
    """The value the page's form shows for the input or textarea `name`."""
    textarea = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    if textarea:
        return unescape(textarea.group(1))
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def test_the_editor_rows_show_an_editor_their_pending_edits_and_saving_keeps_them(
    editor, publisher, live
):
    url = reverse("admin:newsletters_issue_change", args=[live.pk])
    story = Story.objects.get(section__issue=live)
    tj = make_country("TJ", "Tajikistan")
    data = _editor_page_data(live)
    data.update({
        "sections-0-stories-0-body": "My pending text & more.",
        "sections-0-stories-0-countries": [tj.pk],
        "sections-0-stories-0-photos-0-caption": "My pending caption",
    })  # fmt: skip
    editor.post(url, data)
    assert PendingChange.objects.count() == 2

    page = editor.get(url).content.decode()
    story_prefix, photo_prefix = "sections-0-stories-0", "sections-0-stories-0-photos-0"
    assert _field(page, f"{story_prefix}-body") == "My pending text & more."
    assert _field(page, f"{photo_prefix}-caption") == "My pending caption"
    assert re.search(rf'name="{story_prefix}-countries" value="{tj.pk}"[^>]*checked', page)
    assert not re.search(rf'name="{story_prefix}-countries" value="\d+"[^>]*checked[^>]*>\s*'
                         r"Kazakhstan", page)  # fmt: skip
    assert page.count('<span class="pending-note">Pending change (eddie') == 2
    assert "This issue has 2 pending changes" in page

    # Saved again as shown, with one more edit: the pending edits stay, nothing reverts.
    again = _editor_page_data(live)
    again.update({
        f"{story_prefix}-body": _field(page, f"{story_prefix}-body"),
        f"{story_prefix}-countries": [tj.pk],
        f"{photo_prefix}-caption": _field(page, f"{photo_prefix}-caption"),
        "sections-0-title": "A section title edited later",
    })  # fmt: skip
    assert editor.post(url, again).status_code == 302
    changes = {c.content_type.model: c.data for c in PendingChange.objects.all()}
    assert set(changes) == {"story", "photo", "section"}
    assert changes["story"]["body"] == "My pending text & more."
    assert changes["story"]["countries"] == [tj.pk]
    assert changes["photo"]["caption"] == "My pending caption"
    assert Story.objects.get(pk=story.pk).body == story.body  # still not live

    # A Publisher's page has the published text, the rows marked.
    page = publisher.get(url).content.decode()
    assert _field(page, f"{story_prefix}-body") == story.body
    assert page.count("not shown here: the form has the published text") == 3
    publish_pending(publisher, live)
    assert Story.objects.get(pk=story.pk).body == "My pending text & more."
    assert list(Story.objects.get(pk=story.pk).countries.all()) == [tj]
    assert Section.objects.get(issue=live).title == "A section title edited later"


def test_the_editor_page_of_a_live_issue_with_pending_changes_keeps_its_query_count(
    editor,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issue = fill_issue(make_issue(title="Three stories"), sections=3, figures=2)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    counts = []
    for edited in (1, 3):
        data = _editor_page_data(issue)
        for s in range(edited):  # story bodies, countries and photo captions
            data[f"sections-{s}-stories-0-body"] = f"Pending {s}."
            data[f"sections-{s}-stories-0-countries"] = []
            data[f"sections-{s}-stories-0-photos-0-caption"] = f"Pending caption {s}"
        editor.post(url, data)
        assert PendingChange.objects.count() == 2 * edited
        editor.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = editor.get(url).content.decode()
        assert page.count('<span class="pending-note">') == 2 * edited
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


def test_an_anonymous_client_gets_no_preview():
    issue = fill_issue(make_issue(), sections=1)
    assert Client().get(_preview_url(issue)).status_code == 302

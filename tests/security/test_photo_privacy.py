"""Photo privacy (issue 15, items 1 and 2): what a visitor can download of a photo.

The attacks: download a story photo's original, a rendition or an issue cover and read
its EXIF (GPS position, Artist); guess the URL of a draft's photo from its file name;
fetch a draft's images by URL; fetch a photo after it was deleted or replaced. Every
check reads the bytes actually served at the URL, as a visitor would.
"""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from newsletters.models import Issue, Photo
from tests.factories import make_issue, make_story
from tests.security.images import SECRETS, assert_no_metadata, camera_jpeg, srgb_profile

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^(photos|covers)/[0-9a-f]{32}\.(jpg|png|webp)$")


def served(client, url: str):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def media_url(name: str) -> str:
    return default_storage.url(name)


def upload_photo(staff_client, story, data: bytes, name="IMG_2041 Bishkek shelter.jpg"):
    post = {
        "section": story.section_id, "title": story.title, "slug": story.slug,
        "body": story.body, "position": "0",
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
        "photos-0-image": SimpleUploadedFile(name, data), "photos-0-caption": "At the shelter",
        "photos-0-alt_text": "Two counsellors at a desk", "photos-0-credit": "",
        "photos-0-position": "0",
    }  # fmt: skip
    response = staff_client.post(reverse("admin:newsletters_story_change", args=[story.pk]), post)
    assert response.status_code == 302
    return Photo.objects.get(story=story)


@pytest.fixture
def story():
    return make_story(make_issue(title="Spring bulletin"), title="A shelter opens")


def test_served_original_rendition_and_cover_carry_no_metadata(client, staff_client, story):
    photo = upload_photo(staff_client, story, camera_jpeg((1200, 800)))
    issue = story.issue
    issue.cover_image = SimpleUploadedFile("cover.jpg", camera_jpeg((900, 600)))
    issue.save()

    response, original = served(client, photo.image.url)
    assert response.status_code == 200
    image = assert_no_metadata(original)
    assert image.format == "JPEG"
    assert image.size == (800, 1200)  # orientation 6 applied: upright, no tag needed
    assert image.info.get("icc_profile") == srgb_profile()  # colours kept
    assert [f["width"] for f in photo.renditions["files"]] == [480]
    for item in photo.renditions["files"]:
        response, rendition = served(client, media_url(item["name"]))
        assert response.status_code == 200
        assert assert_no_metadata(rendition).size == (480, 720)
    response, cover = served(client, issue.cover_image.url)
    assert response.status_code == 200
    assert assert_no_metadata(cover).size == (600, 900)


def test_stored_names_are_random_not_the_uploaders(staff_client, story):
    photo = upload_photo(staff_client, story, camera_jpeg())
    assert RANDOM_NAME.match(photo.image.name), photo.image.name
    assert "IMG" not in photo.image.name and "Bishkek" not in photo.image.name
    assert all("photos/" + photo.image.name[7:39] in f["name"] for f in photo.renditions["files"])


def test_api_and_pages_point_only_to_clean_files(client, staff_client, story):
    # A small photo has no rendition: the page and the API then use the original.
    small = upload_photo(staff_client, story, camera_jpeg((400, 300)))
    assert small.renditions["files"] == []
    detail = client.get(reverse("newsletters:api_issue", args=[story.issue.slug])).json()
    urls = [p["url"] for s in detail["sections"] for st in s["stories"] for p in st["photos"]]
    html = client.get(story.get_absolute_url()).content.decode()
    urls += re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert len(urls) == 2
    for url in urls:
        response, body = served(client, url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        assert_no_metadata(body)


@pytest.mark.parametrize("scheduled", [False, True], ids=["draft", "scheduled"])
def test_draft_images_are_served_to_staff_only(client, staff_client, scheduled):
    hidden = (
        {"status": Issue.Status.PUBLISHED, "go_live_at": timezone.now() + timedelta(days=7)}
        if scheduled
        else {"status": Issue.Status.DRAFT}
    )
    # Titled: the pre-publish check refuses to publish an untitled story.
    story = make_story(make_issue(title="Hidden bulletin", **hidden), title="A shelter opens")
    photo = upload_photo(staff_client, story, camera_jpeg())
    story.issue.cover_image = SimpleUploadedFile("cover.png", camera_jpeg((700, 500)))
    story.issue.save()
    urls = [photo.image.url, story.issue.cover_image.url]
    urls += [media_url(f["name"]) for f in photo.renditions["files"]]
    assert len(urls) == 3
    for url in urls:
        assert client.get(url).status_code == 404, url
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store"
    story.issue.publish()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, no-cache"  # revalidated: see below
        since = {"if-modified-since": response["Last-Modified"]}
        assert client.get(url, headers=since).status_code == 304
    story.issue.unpublish()
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_deleted_photo_answers_404_and_its_files_are_gone(
    client, staff_client, story, django_capture_on_commit_callbacks
):
    photo = upload_photo(staff_client, story, camera_jpeg())
    names = [photo.image.name, *(f["name"] for f in photo.renditions["files"])]
    assert all(client.get(media_url(n)).status_code == 200 for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:newsletters_photo_delete", args=[photo.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Photo.objects.exists()
    for name in names:
        assert not default_storage.exists(name), name
        assert client.get(media_url(name)).status_code == 404, name


def test_replaced_photo_and_cover_answer_404_and_their_files_are_gone(
    client, staff_client, story, django_capture_on_commit_callbacks
):
    photo = upload_photo(staff_client, story, camera_jpeg())
    issue = story.issue
    issue.cover_image = SimpleUploadedFile("cover.jpg", camera_jpeg((500, 400)))
    issue.save()
    old = [photo.image.name, issue.cover_image.name]
    old += [f["name"] for f in photo.renditions["files"]]
    with django_capture_on_commit_callbacks(execute=True):
        photo = Photo.objects.get(pk=photo.pk)
        photo.image = SimpleUploadedFile("second.jpg", camera_jpeg((1000, 700)))
        photo.save()
        issue = Issue.objects.get(pk=issue.pk)
        issue.cover_image = SimpleUploadedFile("second.jpg", camera_jpeg((500, 400)))
        issue.save()
    for name in old:
        assert not default_storage.exists(name), name
        assert client.get(media_url(name)).status_code == 404, name
    assert client.get(photo.image.url).status_code == 200
    assert client.get(issue.cover_image.url).status_code == 200


def test_rolled_back_replacement_keeps_the_files(staff_client, story):
    from django.db import transaction

    photo = upload_photo(staff_client, story, camera_jpeg())
    name = photo.image.name
    with transaction.atomic():
        photo = Photo.objects.get(pk=photo.pk)
        photo.image = SimpleUploadedFile("second.jpg", camera_jpeg())
        photo.save()
        transaction.set_rollback(True)
    assert Photo.objects.get(pk=photo.pk).image.name == name
    assert default_storage.exists(name)


def test_files_no_row_owns_are_not_served(client, story):
    # A stray file (a rendition left over, a guessed old-style name) is not public.
    for name in ("photos/2024/05/market.jpg", "renditions/photos/abc-480w.webp", "covers/x.jpg"):
        stored = default_storage.save(name, io.BytesIO(camera_jpeg((40, 40))))
        assert client.get(media_url(stored)).status_code == 404, stored


# --- the data migration --------------------------------------------------------------


def test_migration_strips_photos_and_covers_already_stored(
    client, story, capsys, django_capture_on_commit_callbacks
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("newsletters.migrations.0011_hardening")
    # As stored before: the camera file as uploaded, under its guessable name.
    old_photo = default_storage.save("photos/2024/05/IMG_2041.jpg", io.BytesIO(camera_jpeg()))
    old_cover = default_storage.save("covers/2024/cover.jpg", io.BytesIO(camera_jpeg((600, 400))))
    eps = io.BytesIO()
    Image.new("RGB", (20, 20)).save(eps, "EPS")
    old_eps = default_storage.save("covers/2024/flyer.eps", io.BytesIO(eps.getvalue()))
    photo = Photo.objects.create(story=story, caption="At the shelter")
    Photo.objects.filter(pk=photo.pk).update(image=old_photo)
    Issue.objects.filter(pk=story.issue_id).update(cover_image=old_cover)
    other = make_issue(title="Flyer issue")
    Issue.objects.filter(pk=other.pk).update(cover_image=old_eps)

    with django_capture_on_commit_callbacks(execute=True):
        migration.strip_stored_images(apps, None)

    photo.refresh_from_db()
    issue = Issue.objects.get(pk=story.issue_id)
    assert RANDOM_NAME.match(photo.image.name) and RANDOM_NAME.match(issue.cover_image.name)
    for name in (photo.image.name, issue.cover_image.name):
        response, body = served(client, media_url(name))
        assert response.status_code == 200
        assert_no_metadata(body)
    assert [f["width"] for f in photo.renditions["files"]] == [480]
    assert Issue.objects.get(pk=other.pk).cover_image.name == ""  # PostScript: removed
    assert "flyer.eps" in capsys.readouterr().out
    for name in (old_photo, old_cover, old_eps):
        assert not default_storage.exists(name), name
    assert not any(s in json.dumps(photo.renditions).encode() for s in SECRETS)


def test_restoring_a_revision_whose_image_was_deleted_keeps_the_current_image(
    client, staff_client, story, django_capture_on_commit_callbacks
):
    photo = upload_photo(staff_client, story, camera_jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        photo = Photo.objects.get(pk=photo.pk)
        photo.image = SimpleUploadedFile("second.jpg", camera_jpeg((1000, 700)))
        photo.caption = "Second caption"
        photo.save()
    current = photo.image.name
    first = photo.history.order_by("history_date").first()
    assert first.image != current and not default_storage.exists(first.image)
    with django_capture_on_commit_callbacks(execute=True):
        first.instance.save()  # what the admin's "Revert" does
    photo.refresh_from_db()
    assert photo.caption == "At the shelter"  # the text is restored
    assert photo.image.name == current  # the image stays the one that exists
    assert default_storage.exists(current)
    assert client.get(photo.image.url).status_code == 200

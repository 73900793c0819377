"""Photo uploads: every validation rule with real image bytes made here with Pillow,
renditions made once and never enlarged, and srcset on the public pages."""

import io
import struct
import time
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from newsletters.models import Photo
from tests.factories import make_issue, make_story

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(1200, 800), color=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def bomb_png(width=30_000, height=30_000) -> bytes:
    """A valid PNG header claiming 900 megapixels, with (almost) no pixel data: opening
    it reads the header only, decoding it would need gigabytes."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")
    )  # fmt: skip


@pytest.fixture
def story():
    return make_story(make_issue(), title="A story with a photo")


def _inline_post(staff_client, story, upload, alt_text="Counsellors at the bus station"):
    data = {
        "section": story.section_id, "title": story.title, "slug": story.slug,
        "body": story.body, "position": "0",
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
        "photos-0-image": upload, "photos-0-caption": "Photo of the counselling corner",
        "photos-0-alt_text": alt_text, "photos-0-credit": "", "photos-0-position": "0",
    }  # fmt: skip
    return staff_client.post(reverse("admin:newsletters_story_change", args=[story.pk]), data)


def _files_under(folder):
    found = []

    def walk(path):
        if not default_storage.exists(path):
            return
        dirs, files = default_storage.listdir(path)
        found.extend(f"{path}/{f}" for f in files)
        for d in dirs:
            walk(f"{path}/{d}")

    walk(folder)
    return found


def _assert_refused(response, story, message_part, before_files):
    assert response.status_code == 200, "the form should be shown again with an error"
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][0].formset.errors)
    assert message_part in errors, errors
    assert not Photo.objects.filter(story=story).exists()
    assert _files_under("photos") + _files_under("renditions") == before_files


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_valid_upload_is_kept_with_renditions(staff_client, story, fmt, ext):
    upload = SimpleUploadedFile(f"corner.{ext}", image_bytes(fmt, (2000, 1000)))
    response = _inline_post(staff_client, story, upload)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = Photo.objects.get(story=story)
    assert default_storage.exists(photo.image.name)  # the original is kept
    assert [f["width"] for f in photo.renditions["files"]] == [480, 960, 1600]
    for item in photo.renditions["files"]:
        assert item["name"].startswith("renditions/")
        with default_storage.open(item["name"]) as fh, Image.open(fh) as img:
            assert img.format == "WEBP"
            assert img.size == (item["width"], item["width"] // 2)


def test_gif_is_refused_by_content(staff_client, story):
    before = _files_under("photos") + _files_under("renditions")
    upload = SimpleUploadedFile("looks-like.jpg", image_bytes("GIF"))
    response = _inline_post(staff_client, story, upload)
    _assert_refused(response, story, "upload a JPEG, PNG or WebP", before)


def test_text_file_renamed_jpg_is_refused(staff_client, story):
    before = _files_under("photos") + _files_under("renditions")
    upload = SimpleUploadedFile("holiday.jpg", b"This is not a photo at all, only text.\n" * 10)
    response = _inline_post(staff_client, story, upload)
    _assert_refused(response, story, "not an image", before)


def test_truncated_jpeg_is_refused(staff_client, story):
    before = _files_under("photos") + _files_under("renditions")
    data = image_bytes("JPEG", (1200, 800))
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2])
    response = _inline_post(staff_client, story, upload)
    _assert_refused(response, story, "damaged or incomplete", before)


def test_oversized_file_is_refused(staff_client, story, settings):
    settings.PHOTO_MAX_BYTES = 2_000
    before = _files_under("photos") + _files_under("renditions")
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", (300, 300)) + b"\0" * 3000)
    response = _inline_post(staff_client, story, upload)
    _assert_refused(response, story, "may be at most 2.0\xa0KB", before)


def test_too_many_pixels_is_refused(staff_client, story, settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    before = _files_under("photos") + _files_under("renditions")
    upload = SimpleUploadedFile("wide.png", image_bytes("PNG", (1500, 1000)))
    response = _inline_post(staff_client, story, upload)
    _assert_refused(response, story, "at most 1.0 megapixels", before)


def test_decompression_bomb_is_refused_without_decoding(staff_client, story):
    before = _files_under("photos") + _files_under("renditions")
    data = bomb_png()
    assert len(data) < 200  # 900 megapixels claimed by a tiny file
    started = time.perf_counter()
    response = _inline_post(staff_client, story, SimpleUploadedFile("bomb.png", data))
    assert time.perf_counter() - started < 5
    _assert_refused(response, story, "too many pixels", before)


def test_alt_text_required_with_an_image(staff_client, story):
    before = _files_under("photos") + _files_under("renditions")
    upload = SimpleUploadedFile("corner.jpg", image_bytes())
    response = _inline_post(staff_client, story, upload, alt_text="  ")
    _assert_refused(response, story, "alt text is required", before)


def test_caption_only_photo_needs_no_alt_text(story):
    photo = Photo(story=story, caption="Photo by the education office.")
    photo.full_clean()
    photo.save()
    assert photo.renditions == {}


def test_small_original_is_never_enlarged(story):
    photo = Photo(story=story, alt_text="A small picture", caption="Photo: small")
    photo.image.save("small.png", io.BytesIO(image_bytes("PNG", (700, 400))), save=False)
    photo.save()
    assert [f["width"] for f in photo.renditions["files"]] == [480]


def test_renditions_are_made_once_and_replaced_with_the_image(
    story, django_capture_on_commit_callbacks
):
    photo = Photo(story=story, alt_text="Counsellors", caption="Photo: corner")
    photo.image.save("first.jpg", io.BytesIO(image_bytes(size=(1000, 500))), save=False)
    photo.save()
    first = [f["name"] for f in photo.renditions["files"]]
    photo.caption = "Photo: corner, edited"
    photo.save()
    assert [f["name"] for f in photo.renditions["files"]] == first  # not made again
    old_original = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        photo.image.save("second.jpg", io.BytesIO(image_bytes(size=(1000, 500))), save=False)
        photo.save()
        assert default_storage.exists(old_original)  # kept until the transaction commits
    assert [f["name"] for f in photo.renditions["files"]] != first
    assert not any(default_storage.exists(name) for name in first)  # old ones removed
    assert not default_storage.exists(old_original)


def test_rendition_time_for_a_camera_sized_jpeg(story, capsys):
    data = image_bytes("JPEG", (4000, 3000))
    photo = Photo(story=story, alt_text="A large photo", caption="Photo: large")
    photo.image.save("camera.jpg", io.BytesIO(data), save=False)
    started = time.perf_counter()
    photo.save()
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nrenditions of a 4000x3000 JPEG: {elapsed:.2f}s")
    assert [f["width"] for f in photo.renditions["files"]] == [480, 960, 1600]
    assert elapsed < 10


def test_public_pages_serve_srcset(client, story):
    photo = Photo(story=story, alt_text="Two counsellors at a desk", caption="Photo: corner")
    photo.image.save("corner.jpg", io.BytesIO(image_bytes(size=(2000, 1000))), save=False)
    photo.save()
    issue = story.issue
    for url in (issue.get_absolute_url(), story.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'srcset="' in html and "480w" in html and "1600w" in html, url
        assert 'sizes="' in html
        assert 'alt="Two counsellors at a desk"' in html

"""Uploads, across the features: type checks by content, size ceilings, archive paths.

The detailed cases live with each feature (tests/newsletters/test_images.py, the
importer's reader tests); these are the security guarantees in one place.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from newsletters.images import validate_photo
from newsletters.importing.reader import SourceError, SourceText, iter_sources


def png_bytes(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.gif", b"GIF89a" + b"\x00" * 64),
    ],
)
def test_photo_type_is_checked_by_content_not_name(name, content):
    with pytest.raises(ValidationError):
        validate_photo(SimpleUploadedFile(name, content, content_type="image/jpeg"))


def test_photo_size_limit(settings):
    data = png_bytes()
    settings.PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(ValidationError):
        validate_photo(SimpleUploadedFile("ok.png", data, content_type="image/png"))
    settings.PHOTO_MAX_BYTES = len(data)
    validate_photo(SimpleUploadedFile("ok.png", data, content_type="image/png"))


def test_archive_entries_outside_the_archive_are_refused(tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ["../up.md", "..\\windows.md", "/abs.md", "C:/drive.md", "a/../../b.md"]:
            zf.writestr(name, "x")
        zf.writestr("fine.md", "fine")
    results = list(iter_sources([archive]))
    assert [r.text for r in results if isinstance(r, SourceText)] == ["fine"]
    assert len([r for r in results if isinstance(r, SourceError)]) == 5
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["upload.zip"]


@pytest.mark.django_db
def test_request_over_the_ceiling_is_refused_with_413(settings):
    settings.MAX_REQUEST_BYTES = 10_000
    client = Client()  # its middleware is built now, with the lowered ceiling
    upload = SimpleUploadedFile("big.zip", b"x" * 20_000, content_type="application/zip")
    response = client.post("/admin/login/", {"archive": upload})
    assert response.status_code == 413
    assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 200


# --- Issue 15, item 3: every image field, stored and served by its verified format ------


def _issue_admin_form(staff_user, issue, upload):
    from django.contrib import admin
    from django.test import RequestFactory

    from newsletters.models import Issue

    request = RequestFactory().get("/")
    request.user = staff_user
    form_class = admin.site._registry[Issue].get_form(request, issue)
    data = {
        "series": issue.series_id, "number": issue.number, "title": issue.title,
        "slug": issue.slug, "publication_date": issue.publication_date, "summary": "",
        "status": issue.status, "date_precision": issue.date_precision,
    }  # fmt: skip
    return form_class(data, {"cover_image": upload}, instance=issue)


def _stored_media():
    from pathlib import Path

    from django.conf import settings

    return sorted(
        str(p.relative_to(settings.MEDIA_ROOT))
        for folder in ("covers", "photos", "renditions")
        for p in (Path(settings.MEDIA_ROOT) / folder).rglob("*")
        if p.is_file()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, fmt, message",
    [
        ("flyer.eps", "EPS", "This is a EPS image"),
        ("animation.gif", "GIF", "This is a GIF image"),
        ("scan.tiff", "TIFF", "This is a TIFF image"),
        ("scan.jpg", "TIFF", "This is a TIFF image"),
    ],
)
def test_cover_gets_the_photo_rules(staff_user, name, fmt, message):
    from tests.factories import make_issue

    issue = make_issue()
    before = _stored_media()
    form = _issue_admin_form(staff_user, issue, SimpleUploadedFile(name, png_to(fmt)))
    assert not form.is_valid()
    assert message in " ".join(form.errors["cover_image"])
    issue.refresh_from_db()
    assert issue.cover_image.name == ""
    assert _stored_media() == before


@pytest.mark.django_db
def test_cover_gets_the_size_and_pixel_limits(staff_user, settings):
    from tests.factories import make_issue

    issue = make_issue()
    before = _stored_media()
    settings.PHOTO_MAX_PIXELS = 1000
    form = _issue_admin_form(staff_user, issue, SimpleUploadedFile("c.png", png_bytes((64, 64))))
    assert "at most 0.0 megapixels" in " ".join(form.errors["cover_image"])
    settings.PHOTO_MAX_PIXELS, settings.PHOTO_MAX_BYTES = 40_000_000, 100
    form = _issue_admin_form(staff_user, issue, SimpleUploadedFile("c.png", png_bytes((64, 64))))
    assert "may be at most 100" in " ".join(form.errors["cover_image"])
    assert _stored_media() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report.pdf", "print.ps", "icon.xbm", "photo.JPEG"])
def test_a_jpeg_named_otherwise_is_stored_and_served_as_jpeg(client, staff_user, name):
    from tests.factories import make_issue
    from tests.security.images import camera_jpeg

    issue = make_issue()
    form = _issue_admin_form(staff_user, issue, SimpleUploadedFile(name, camera_jpeg((80, 60))))
    assert form.is_valid(), form.errors
    issue = form.save()
    assert issue.cover_image.name.endswith(".jpg")
    response = client.get(issue.cover_image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


@pytest.mark.django_db
def test_mpo_camera_jpeg_is_accepted_as_jpeg(client, staff_user):
    from newsletters.models import Photo
    from tests.factories import make_issue, make_story
    from tests.security.images import assert_no_metadata, camera_jpeg

    data = camera_jpeg((640, 480), fmt="MPO")
    assert Image.open(io.BytesIO(data)).format == "MPO"
    validate_photo(SimpleUploadedFile("DSC0001.JPG", data))
    issue = make_issue()
    form = _issue_admin_form(staff_user, issue, SimpleUploadedFile("DSC0001.JPG", data))
    assert form.is_valid(), form.errors
    cover = form.save().cover_image
    photo = Photo.objects.create(
        story=make_story(issue), alt_text="A stereo photo",
        image=SimpleUploadedFile("DSC0002.JPG", data),
    )  # fmt: skip
    for url in (cover.url, photo.image.url):
        response = client.get(url)
        assert response["Content-Type"] == "image/jpeg"
        image = assert_no_metadata(b"".join(response.streaming_content))
        assert (image.format, getattr(image, "n_frames", 1)) == ("JPEG", 1)


def png_to(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(buffer, fmt)
    return buffer.getvalue()

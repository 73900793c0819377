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

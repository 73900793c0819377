"""A photo that holds nothing but pixels and a colour profile is stored as uploaded;
anything else in the file (EXIF, comments, a thumbnail, another frame or scan, bytes
after the end) still means re-encoding (newsletters/images.py, issue 11 item 7: the
photos of an issue export come back byte for byte)."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from newsletters.images import _plain_jpeg, clean_image
from tests.newsletters.export_helpers import noisy_image


def stored(data: bytes, name: str = "x.jpg") -> bytes:
    content, _ = clean_image(ContentFile(data, name=name))
    return content.read()


def encoded(kind: str, mode: str = "RGB", **options) -> bytes:
    image = Image.open(io.BytesIO(noisy_image("PNG", 3))).convert(mode)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def with_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = "Photographer's name"  # Artist
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0)}  # GPS
    return exif


@pytest.mark.parametrize("kind, name", [("JPEG", "x.jpg"), ("WEBP", "x.webp")])
def test_a_plain_file_is_kept_byte_for_byte(kind, name):
    data = encoded(kind, quality=85)
    assert stored(data, name) == data
    with_profile = encoded(kind, quality=85, icc_profile=b"\0" * 128)
    assert stored(with_profile, name) == with_profile


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: encoded("JPEG", exif=with_exif()), "x.jpg"),
        (lambda: encoded("JPEG", comment=b"taken at the shelter"), "x.jpg"),
        (lambda: encoded("JPEG", progressive=True), "x.jpg"),
        (lambda: encoded("JPEG", "CMYK"), "x.jpg"),
        (lambda: encoded("JPEG") + b"hidden", "x.jpg"),
        (lambda: encoded("JPEG") + encoded("JPEG"), "x.jpg"),
        (lambda: encoded("WEBP", exif=with_exif()), "x.webp"),
        (lambda: encoded("WEBP", xmp=b"<x:xmpmeta/>"), "x.webp"),
    ],
    ids=["exif", "comment", "progressive", "cmyk", "trailing bytes", "two frames",
         "webp exif", "webp xmp"],
)
def test_anything_else_is_re_encoded_without_it(make, name):
    data = make()
    out = stored(data, name)
    assert out != data
    for secret in (b"Photographer", b"shelter", b"hidden", b"xmpmeta", b"Exif"):
        assert secret not in out
    assert Image.open(io.BytesIO(out)).size == Image.open(io.BytesIO(data)).size


def test_a_jfif_thumbnail_is_not_plain():
    data = bytearray(encoded("JPEG"))
    assert _plain_jpeg(bytes(data))
    # JFIF header: APP0 at byte 2, "JFIF\0", version, units, densities, then the
    # thumbnail's width and height (bytes 18 and 19).
    assert data[6:11] == b"JFIF\0"
    data[18:20] = b"\x01\x01"
    assert not _plain_jpeg(bytes(data))

"""Image bytes for the upload and privacy tests, made here with Pillow: a camera JPEG
carrying everything that must never be published (GPS position, Artist, XMP, a comment)
plus what must be kept (the ICC profile) and applied (the EXIF orientation)."""

import io
from functools import cache

from PIL import Image, ImageCms

SECRETS = (b"Artist Secret Name", b"xmp secret place", b"comment secret note")
GPS_IFD = 0x8825
ARTIST = 0x013B
ORIENTATION = 0x0112


@cache  # one profile: a new one carries a new creation time
def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_jpeg(size=(1200, 800), fmt="JPEG") -> bytes:
    """A JPEG (or MPO) as a phone writes it, rotated by EXIF orientation 6 (90° clockwise)."""
    exif = Image.Exif()
    exif[ARTIST] = SECRETS[0].decode()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (42.0, 52.0, 10.0), 3: "E", 4: (74.0, 35.0, 0.0)}
    image = Image.new("RGB", size, (200, 80, 40))
    buffer = io.BytesIO()
    extra = {"save_all": True, "append_images": [image]} if fmt == "MPO" else {}
    image.save(
        buffer, fmt, exif=exif, icc_profile=srgb_profile(),
        xmp=b"<x:xmpmeta>" + SECRETS[1] + b"</x:xmpmeta>", comment=SECRETS[2], **extra,
    )  # fmt: skip
    return buffer.getvalue()


def image_bytes(fmt="PNG", size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> Image.Image:
    """The served bytes hold no EXIF block, GPS, Artist, XMP or comment; returns the image."""
    for secret in SECRETS:
        assert secret not in data
    assert b"Exif\x00\x00" not in data
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert len(exif) == 0, dict(exif)
    assert not exif.get_ifd(GPS_IFD)
    assert ARTIST not in exif
    assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(image.info)
    return image

"""Image uploads: validation with Pillow, metadata stripping, and the renditions.

Validation goes by content, never by the file name: the bytes must open as JPEG, PNG or
WebP. The pixel count is read from the header (`Image.open` does not decode) and checked
before anything is decoded, so a small file that would inflate to gigabytes (a
decompression bomb) is refused without ever being expanded. Only then is the image
decoded once to catch truncated or corrupt files.

Every stored image (a story's photo, an issue's cover) is then re-encoded by
`CleanImageField` before it reaches storage: the pixels and the ICC colour profile are
kept, the EXIF orientation is applied, and everything else (EXIF with GPS and Artist,
XMP, IPTC, comments) is dropped, because people in these stories can be put in danger
by a photo's location. It is stored under a random name with the extension of the
format it was verified to be, never the uploader's name or extension. A JPEG or WebP that
holds nothing but its pixels and an ICC profile (what this re-encoding writes, e.g. a
photo of an issue export imported again) is kept byte for byte: re-encoding it again
would only lose quality, and change the bytes of an export that should round-trip.

Renditions are made once per original, on save (see Photo.save), and stored with
Django's storage API under `renditions/`, so object storage can replace the disk.
"""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Cameras write MPO (a JPEG followed by more JPEG frames): its first frame is a JPEG.
FORMAT_ALIASES = {"MPO": "JPEG"}
# The stored extension of each verified format, and the type media is served with.
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
JPEG_QUALITY = 90
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_DIR = "renditions"
RENDITION_FORMAT = "WEBP"
RENDITION_QUALITY = 80


def _rewind(file) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def validate_photo(file) -> None:
    """Raise ValidationError unless `file` is a JPEG, PNG or WebP within the size limits.

    An image already in storage (a FieldFile that was saved before) is not read again.
    """
    if file is None or not file:
        return
    if getattr(file, "_committed", False):
        return
    _check_upload(file)


def _check_upload(file) -> None:
    size = getattr(file, "size", None)
    limit = settings.PHOTO_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(size)}; photos may be at most {filesizeformat(limit)}.",
            code="too_large",
        )
    _rewind(file)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; ours is checked below, so a warning is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = FORMAT_ALIASES.get(image.format, image.format)
                width, height = image.size
                if kind not in ALLOWED_FORMATS:
                    raise ValidationError(
                        f"This is a {kind or 'unknown'} image; upload a JPEG, PNG or WebP file.",
                        code="format",
                    )
                _check_pixels(width, height)
                image.load()  # decodes: truncated and corrupt files fail here
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            "This image has far too many pixels to be processed safely.", code="too_many_pixels"
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            "This file is not an image. Upload a JPEG, PNG or WebP photo.", code="not_image"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "This image is damaged or incomplete and cannot be read. Export it again and "
            "re-upload it.",
            code="corrupt",
        ) from exc
    finally:
        _rewind(file)


def _check_pixels(width: int, height: int) -> None:
    limit = settings.PHOTO_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            f"This image is {width}×{height} pixels ({width * height / 1e6:.1f} megapixels); "
            f"photos may have at most {limit / 1e6:.1f} megapixels.",
            code="too_many_pixels",
        )


def _prepare(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB") if image.mode != "RGB" else image


def _pixels_only(image: Image.Image, kind: str) -> tuple[Image.Image, bytes | None]:
    """The upright pixels in a mode `kind` can store, and the ICC profile worth keeping."""
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if image.mode == "CMYK":
        # Converted without colour management, a CMYK profile would now be wrong.
        icc = None
    if kind == "JPEG":
        image = image.convert("L" if image.mode in ("1", "L") else "RGB")
    elif image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
        transparent = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    # A fresh image: Pillow writes some of `info` (a JPEG comment) back when saving.
    clean = image.copy()
    clean.info = {}
    return clean, icc


def clean_image(file) -> tuple[ContentFile, str]:
    """Re-encode a validated upload with its pixels and ICC profile only.

    Returns the new bytes and the extension of the verified format (".jpg", ".png",
    ".webp"). Raises ValidationError like `validate_photo` for anything else.
    """
    _check_upload(file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(file) as original:
            kind = FORMAT_ALIASES.get(original.format, original.format)
            plain = original.format == kind and original.mode in PLAIN_MODES.get(kind, ())
            image, icc = _pixels_only(original, kind)
    _rewind(file)
    if plain:
        data = file.read()
        _rewind(file)
        if PLAIN_CHECKS[kind](data):
            return ContentFile(data), EXTENSIONS[kind]
    options = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        options.update(quality=JPEG_QUALITY)
    elif kind == "WEBP":
        options.update(quality=JPEG_QUALITY, method=4)
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return ContentFile(buffer.getvalue()), EXTENSIONS[kind]


def _plain_jpeg(data: bytes) -> bool:
    """A baseline JPEG of a JFIF header without thumbnail, an optional ICC profile,
    tables, one frame and one scan, and nothing after its end: no EXIF, XMP, IPTC,
    comment, extra frame or trailing bytes. Walks the segment headers, then looks at each
    0xFF byte of the scan (linear in the size)."""
    if data[:2] != b"\xff\xd8":
        return False
    i, end = 2, len(data)
    while i + 4 <= end:
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        length = int.from_bytes(data[i + 2:i + 4], "big")
        segment = data[i + 4:i + 2 + length]
        if length < 2 or len(segment) != length - 2:
            return False
        if marker == 0xDA:  # the scan runs to the end of the file
            scan = data[i + 2 + length:]
            if not scan.endswith(b"\xff\xd9"):
                return False
            scan = scan[:-2]
            k = scan.find(b"\xff")
            while k != -1:
                following = scan[k + 1:k + 2]
                if following != b"\x00" and not b"\xd0" <= following <= b"\xd7":
                    return False  # a marker inside the scan: another scan, or trailing data
                k = scan.find(b"\xff", k + 2)
            return True
        if marker == 0xE0:  # JFIF without a thumbnail
            ok = segment[:5] == b"JFIF\x00" and len(segment) == 14 and segment[12:14] == b"\0\0"
        elif marker == 0xE2:
            ok = segment.startswith(b"ICC_PROFILE\x00")
        else:  # tables, baseline or extended frame, restart interval
            ok = marker in (0xDB, 0xC4, 0xC0, 0xC1, 0xDD)
        if not ok:
            return False
        i += 2 + length
    return False


def _plain_webp(data: bytes) -> bool:
    """A still WebP of image data, alpha and ICC profile chunks only (no EXIF, XMP or
    animation), and nothing after its RIFF container."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        return False
    i = 12
    while i < len(data):
        if i + 8 > len(data):
            return False
        chunk, length = data[i:i + 4], int.from_bytes(data[i + 4:i + 8], "little")
        if chunk not in (b"VP8 ", b"VP8L", b"VP8X", b"ICCP", b"ALPH"):
            return False
        if chunk == b"VP8X" and (length < 1 or data[i + 8] & 0x0E):  # EXIF, XMP, animation
            return False
        i += 8 + length + (length & 1)
    return i == len(data)


# Formats whose re-encoding is lossy, and the modes a file is kept in as it is. (PNG is
# re-encoded to the same bytes anyway.)
PLAIN_MODES = {"JPEG": ("RGB", "L"), "WEBP": ("RGB", "RGBA")}
PLAIN_CHECKS = {"JPEG": _plain_jpeg, "WEBP": _plain_webp}


@deconstructible
class UnguessableName:
    """upload_to: `<folder>/<random hex><extension>`; nothing of the uploader's name is kept,
    so a URL cannot be guessed from a file name or an upload date."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, UnguessableName) and other.folder == self.folder


class PhotoFormField(forms.ImageField):
    """Our checks (format, bytes, pixels) run before Django's own image check, so a bomb
    or a GIF gets a message saying what is wrong rather than a generic one."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        if data not in self.empty_values:
            validate_photo(data)
        return super().to_python(data)


class CleanImageFieldFile(ImageFieldFile):
    """Every way a file reaches storage goes through `save`: re-encode it first."""

    def save(self, name, content, save=True):
        content, extension = clean_image(content)
        super().save(f"image{extension}", content, save)


class CleanImageField(models.ImageField):
    """An ImageField whose every new file is validated, stripped of its metadata
    (`clean_image`) and named by `UnguessableName` before it is stored, however it was
    assigned: an admin form, the importer, a script."""

    attr_class = CleanImageFieldFile

    def __init__(self, *args, folder: str = "", **kwargs):
        if folder:
            kwargs["upload_to"] = UnguessableName(folder)
        kwargs.setdefault("validators", [validate_photo])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("validators") == [validate_photo]:
            del kwargs["validators"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})


def make_renditions(fieldfile) -> dict:
    """Write the renditions of a stored image; return what Photo.renditions records.

    Only widths smaller than the original are made: an image is never enlarged.
    """
    storage = fieldfile.storage
    stem = PurePath(fieldfile.name).stem
    folder = PurePath(fieldfile.name).parent.as_posix()
    with storage.open(fieldfile.name, "rb") as fh, Image.open(fh) as original:
        _check_pixels(*original.size)
        widths = [w for w in RENDITION_WIDTHS if w < original.width]
        if widths and original.format == "JPEG":
            # Let libjpeg decode at a reduced scale: much faster for big camera photos.
            target = max(widths)
            original.draft("RGB", (target, round(target * original.height / original.width)))
        image = _prepare(original)
        files = []
        # Largest first, each from the previous: cheaper than resizing the original thrice.
        source = image
        for width in sorted(widths, reverse=True):
            height = max(1, round(source.height * width / source.width))
            source = source.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            source.save(buffer, RENDITION_FORMAT, quality=RENDITION_QUALITY, method=4)
            name = storage.save(
                f"{RENDITION_DIR}/{folder}/{stem}-{width}w.webp", ContentFile(buffer.getvalue())
            )
            files.append({"width": width, "height": height, "name": name})
    files.sort(key=lambda f: f["width"])
    return {"source": fieldfile.name, "files": files}


def rendition_names(renditions: dict) -> list[str]:
    names = [item.get("name", "") for item in (renditions or {}).get("files", [])]
    return [name for name in names if name.startswith(f"{RENDITION_DIR}/")]


def delete_after_commit(storage, names) -> None:
    """Remove files from storage once the transaction that stopped using them commits.

    Not before: a rolled-back delete or replacement must still find its files. Not
    never: a deleted or replaced photo's old URL must stop answering.
    """
    names = [name for name in names if name]
    if not names:
        return

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)

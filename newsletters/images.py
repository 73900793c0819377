"""Photo uploads: validation with Pillow, and the resized renditions served with srcset.

Validation goes by content, never by the file name: the bytes must open as JPEG, PNG or
WebP. The pixel count is read from the header (`Image.open` does not decode) and checked
before anything is decoded, so a small file that would inflate to gigabytes (a
decompression bomb) is refused without ever being expanded. Only then is the image
decoded once to catch truncated or corrupt files.

Renditions are made once per original, on save (see Photo.save), and stored with
Django's storage API under `renditions/`, so object storage can replace the disk.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
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
                kind = image.format
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


def delete_renditions(renditions: dict, storage) -> None:
    for item in (renditions or {}).get("files", []):
        name = item.get("name", "")
        if name.startswith(f"{RENDITION_DIR}/"):
            storage.delete(name)

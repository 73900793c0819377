"""Markdown images found in the upload become Photos of their story (issue 10, item 4).

The bytes go through the same validation as a photo uploaded in the admin
(``images.validate_photo``: JPEG, PNG or WebP by content, bytes and pixel limits). An
image that is missing, outside the upload or refused is a warning naming it, and the
story is imported without it.

Files are written inside the file's transaction (Photo.save makes the renditions from
the stored original), and Django has no hook for a rollback: ``save_photos`` records
the name of each original it stores, and the loader calls ``delete_files`` with them
when the transaction rolls back, so a failed or refused import leaves no file in MEDIA.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from newsletters.images import RENDITION_DIR, RENDITION_WIDTHS, rendition_names, validate_photo
from newsletters.models import Photo

from .assets import AssetError

if TYPE_CHECKING:
    from .parser import ParsedImage, ParsedIssue

logger = logging.getLogger(__name__)

NO_FINDER = "is not in the upload (only a folder or a zip can hold it)"


@dataclass
class FoundImage:
    """An image of the upload, checked and ready to be saved as a Photo of its story."""

    section: int
    story: int
    image: ParsedImage
    name: str
    data: bytes


def collect_images(parsed: ParsedIssue, assets) -> list[FoundImage]:
    """Read and validate every image the parsed stories refer to. Each one missing or
    refused adds a warning naming it to ``parsed.warnings``."""
    found: list[FoundImage] = []
    cap = settings.PHOTO_MAX_BYTES
    for s, section in enumerate(parsed.sections):
        for t, story in enumerate(section.stories):
            for image in story.images:
                label = f"Image '{image.src}'"
                try:
                    if assets is None:
                        raise AssetError(NO_FINDER)
                    name, data = assets.read(image.src, cap)
                    if len(data) > cap:
                        raise AssetError("is over the photo limit")
                    validate_photo(ContentFile(data, name=name))
                except AssetError as exc:
                    parsed.warnings.append(f"{label} {exc}; the story is imported without it.")
                    continue
                except ValidationError as exc:
                    reason = " ".join(exc.messages)
                    parsed.warnings.append(f"{label} was not imported: {reason}")
                    continue
                found.append(FoundImage(s, t, image, name, data))
    return found


def save_photos(
    stories: dict[tuple[int, int], object],
    images: list[FoundImage],
    written: list[str] | None = None,
) -> None:
    """Save the checked images as Photos of their stories (one save each: Photo.save makes
    the renditions). ``stories`` maps (section index, story index) to the saved Story.
    The name of each stored original is appended to ``written`` as soon as it is in
    storage, so a failure half-way through still leaves the list complete."""
    positions: dict[tuple[int, int], int] = {}
    for found in images:
        key = (found.section, found.story)
        story = stories[key]
        positions[key] = positions.get(key, story.photos.count())
        photo = Photo(
            story=story,
            alt_text=found.image.alt[: Photo._meta.get_field("alt_text").max_length],
            caption=found.image.caption[: Photo._meta.get_field("caption").max_length],
            credit=found.image.credit[: Photo._meta.get_field("credit").max_length],
            # An issue export gives each photo's place among the story's captions-only
            # photos too; otherwise images follow them.
            position=positions[key] if found.image.position is None else found.image.position,
        )
        photo.image.save(found.name, ContentFile(found.data), save=False)
        if written is not None:
            written.append(photo.image.name)
        photo.save()
        if written is not None:  # as recorded; delete_files also finds them by name
            written += rendition_names(photo.renditions)
        positions[key] += 1


def delete_files(written: list[str]) -> None:
    """Delete what ``save_photos`` stored for an import whose transaction rolled back:
    each original and its renditions. A failure may come while the renditions are being
    made, before Photo.renditions lists them, so the names they are made under
    (images.make_renditions: ``renditions/<folder>/<stem>-<width>w.webp``) are deleted
    too. A name that is not there is no error; a storage error is logged, never raised
    over the error that caused the rollback."""
    storage = Photo._meta.get_field("image").storage
    names: dict[str, None] = {}
    for name in written:
        names[name] = None
        path = PurePosixPath(name)
        if not name.startswith(f"{RENDITION_DIR}/"):
            for width in RENDITION_WIDTHS:
                names[f"{RENDITION_DIR}/{path.parent}/{path.stem}-{width}w.webp"] = None
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - cleanup must not hide the original error
            logger.warning("could not delete %s after a rolled-back import", name, exc_info=True)

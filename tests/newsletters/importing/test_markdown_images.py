"""Markdown images in the same upload become Photos of their story; anything else is a
warning naming the image (issue 10, item 4).

The parser fills ``ParsedStory.images``; these tests set them on a real parse so they
test the loader's part alone."""

import io
import zipfile

import pytest
from PIL import Image

from newsletters.importing import batch
from newsletters.importing.loader import import_sources
from newsletters.importing.parser import ParsedImage
from newsletters.models import Photo

from .conftest import issue_text

pytestmark = pytest.mark.django_db


def png(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def images(monkeypatch, settings, tmp_path):
    """Give the first story of every parsed file the images a test lists."""
    settings.MEDIA_ROOT = tmp_path / "media"
    wanted: list[ParsedImage] = []
    real = batch.parse

    def parse(text, **kwargs):
        parsed = real(text, **kwargs)
        parsed.sections[0].stories[0].images = list(wanted)
        return parsed

    monkeypatch.setattr(batch, "parse", parse)
    return wanted


def run(*paths, **kwargs):
    return list(import_sources(paths, **kwargs))


def test_image_beside_the_markdown_in_a_folder_becomes_a_photo(images, tmp_path):
    folder = tmp_path / "upload"
    (folder / "issues").mkdir(parents=True)
    (folder / "assets").mkdir()
    (folder / "assets" / "bakery.png").write_bytes(png(64, 48))
    (folder / "issues" / "1.md").write_text(issue_text(1), "utf-8")
    images.append(ParsedImage("../assets/bakery.png", "Two bakers at the oven", "The new oven"))
    (report,) = run(folder)
    assert report.outcome == "created", report.error
    photo = Photo.objects.exclude(image="").get()
    assert (photo.alt_text, photo.caption) == ("Two bakers at the oven", "The new oven")
    assert photo.story.title == report.parsed.sections[0].stories[0].title
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".png")
    assert photo.image.read() == (folder / "assets" / "bakery.png").read_bytes()
    # Saved like an admin upload: Photo.save recorded its renditions (none under 480 px).
    assert photo.renditions == {"source": photo.image.name, "files": []}
    assert not any("bakery" in w for w in report.warnings)


def test_image_in_the_same_zip_becomes_a_photo(images, tmp_path):
    archive = tmp_path / "issue.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("digest/1.md", issue_text(1))
        zf.writestr("digest/img/map.png", png())
    images.append(ParsedImage("img/map.png", "Map of the region", ""))
    (report,) = run(archive)
    assert report.outcome == "created"
    photo = Photo.objects.exclude(image="").get()
    assert photo.alt_text == "Map of the region"
    assert photo.position == 1  # after the story's caption-only photo


@pytest.mark.parametrize(
    ("src", "why"),
    [
        ("../../secret.png", "points outside the uploaded folder"),
        ("/etc/hostname", "is not a relative path inside the upload"),
        ("https://example.org/x.png", "is not a file of the upload (a web address)"),
        ("missing.png", "is not in the upload"),
    ],
)
def test_images_outside_or_missing_from_a_folder_are_warnings(images, tmp_path, src, why):
    (tmp_path / "secret.png").write_bytes(png())  # exists, but outside the upload
    folder = tmp_path / "a" / "upload"
    folder.mkdir(parents=True)
    (folder / "1.md").write_text(issue_text(1), "utf-8")
    images.append(ParsedImage(src, "alt", ""))
    (report,) = run(folder)
    assert report.outcome == "created"
    assert f"Image '{src}' {why}; the story is imported without it." in report.warnings
    assert not Photo.objects.exclude(image="").exists()


def test_zip_image_traversal_is_refused(images, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("1.md", issue_text(1))
        zf.writestr("x.png", png())
    images.append(ParsedImage("../x.png", "alt", ""))
    (report,) = run(archive)
    assert "Image '../x.png' points outside the zip archive; the story is imported without it." in (
        report.warnings
    )
    assert not Photo.objects.exclude(image="").exists()


def test_a_file_that_is_not_an_image_goes_through_photo_validation(images, tmp_path):
    (tmp_path / "fake.png").write_bytes(b"<html>not an image</html>")
    (tmp_path / "1.md").write_text(issue_text(1), "utf-8")
    images.append(ParsedImage("fake.png", "alt", ""))
    (report,) = run(tmp_path)
    assert (
        "Image 'fake.png' was not imported: This file is not an image. "
        "Upload a JPEG, PNG or WebP photo."
    ) in report.warnings
    assert not Photo.objects.exclude(image="").exists()


def test_an_image_over_the_photo_limit_is_refused_unread(images, tmp_path, settings):
    settings.PHOTO_MAX_BYTES = 100
    (tmp_path / "big.png").write_bytes(png(400, 400))
    (tmp_path / "1.md").write_text(issue_text(1), "utf-8")
    images.append(ParsedImage("big.png", "alt", ""))
    (report,) = run(tmp_path)
    assert "Image 'big.png' is over the photo limit; the story is imported without it." in (
        report.warnings
    )


def test_a_single_text_upload_cannot_hold_images(images, tmp_path):
    from newsletters.importing.reader import read_bytes

    images.append(ParsedImage("a.png", "alt", ""))
    (report,) = run(read_bytes("1.md", issue_text(1).encode()))
    assert (
        "Image 'a.png' is not in the upload (only a folder or a zip can hold it); "
        "the story is imported without it."
    ) in report.warnings


def test_dry_run_checks_images_but_saves_none(images, tmp_path, counts):
    (tmp_path / "ok.png").write_bytes(png())
    (tmp_path / "1.md").write_text(issue_text(1), "utf-8")
    images.extend([ParsedImage("ok.png", "alt", ""), ParsedImage("gone.png", "alt", "")])
    before = counts()
    (report,) = run(tmp_path, dry_run=True)
    assert report.outcome == "created"
    assert [w for w in report.warnings if w.startswith("Image")] == [
        "Image 'gone.png' is not in the upload; the story is imported without it."
    ]
    assert counts() == before

"""An import that fails after its photos were stored leaves no file in MEDIA_ROOT: the
rows roll back and the loader deletes the originals and renditions it wrote
(loader.load_issue, photos.delete_files).

The upload is the corpus' Markdown issue with front matter in a zip, with its two images
(generated here); the failure is forced at chosen points of the file's transaction."""

import io
import zipfile
from pathlib import Path

import pytest
from django.db import DatabaseError
from PIL import Image

from newsletters import models as newsletter_models
from newsletters.importing import loader
from newsletters.importing.loader import import_sources
from newsletters.models import Issue, Photo

pytestmark = pytest.mark.django_db

MARKDOWN = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles" / (
    "riverside_frontmatter.md"
)


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def upload(tmp_path) -> Path:
    """The issue and its images in one zip: 1000 px wide (two renditions, 480 and 960)
    and 300 px wide (none)."""
    archive = tmp_path / "riverside.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("letter/riverside_frontmatter.md", MARKDOWN.read_bytes())
        zf.writestr("letter/images/repair-cafe.png", png(1000, 700))
        zf.writestr("letter/images/bags.png", png(300, 200))
    return archive


def files_in(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_upload_imports_with_its_photos(media, upload):
    """The baseline the failures are measured against: what a good import stores."""
    (report,) = import_sources([upload])
    assert report.outcome == "created", report.error or report.warnings
    photos = list(Photo.objects.exclude(image="").order_by("story__position"))
    assert [p.alt_text for p in photos] == ["Volunteers at the repair café", "A pile of full bags"]
    stored = files_in(media)
    assert len(stored) == 4  # two originals, two renditions of the wide one
    assert sorted(f for f in stored if f.startswith("photos/")) == sorted(
        p.image.name for p in photos
    )
    assert [f["width"] for f in photos[0].renditions["files"]] == [480, 960]


def test_failure_after_the_photos_were_stored_deletes_their_files(
    media, upload, monkeypatch, counts
):
    seen = []

    def fail(*args, **kwargs):
        seen.append(files_in(media))  # what the transaction had written by then
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(loader, "merge_directory", fail)
    before = counts()
    (report,) = import_sources([upload])
    assert report.status == "error"
    assert report.error == (
        "could not be saved: could not extend file: No space left on device"
    )
    assert len(seen[0]) == 4  # the photos and renditions were in storage...
    assert files_in(media) == []  # ...and are gone with the rows
    assert counts() == before


def test_failure_while_renditions_are_made_deletes_them(media, upload, monkeypatch):
    """The renditions are in storage but not yet recorded on the Photo: they are found by
    the names make_renditions gives them."""
    real = newsletter_models.make_renditions
    seen = []

    def fail(fieldfile):
        made = real(fieldfile)
        seen.append(files_in(media))
        if made["files"]:
            raise DatabaseError("server closed the connection unexpectedly")
        return made

    monkeypatch.setattr(newsletter_models, "make_renditions", fail)
    (report,) = import_sources([upload])
    assert report.error == "could not be saved: server closed the connection unexpectedly"
    (written,) = seen
    assert [f.split("/")[0] for f in written] == ["photos", "renditions", "renditions"]
    assert files_in(media) == []
    assert not Issue.objects.exists()


def test_an_unexpected_error_still_deletes_the_files(media, upload, monkeypatch):
    """An error the batch does not turn into a report still takes the files with it."""

    def fail(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(loader, "merge_directory", fail)
    with pytest.raises(RuntimeError, match="bug"):
        list(import_sources([upload]))
    assert files_in(media) == []
    assert not Photo.objects.exists()


def test_a_refused_new_version_writes_no_file(media, upload, tmp_path):
    """Refused before any write (the new version would remove most of the issue): not a
    file more in MEDIA_ROOT, and the first import's files stay."""
    (first,) = import_sources([upload])
    kept = files_in(media)
    short = tmp_path / "short.zip"
    with zipfile.ZipFile(short, "w") as zf:
        text = MARKDOWN.read_text("utf-8")
        head, _, _ = text.partition("### Riverbank")
        zf.writestr("letter/riverside_frontmatter.md", head.replace("forty-two", "many"))
        zf.writestr("letter/images/repair-cafe.png", png(1000, 700))
    (report,) = import_sources([short])
    assert report.outcome == "refused", report.result.message
    assert files_in(media) == kept

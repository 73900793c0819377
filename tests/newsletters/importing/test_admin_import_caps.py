"""The admin's import page takes what it can preview and import within seconds
(ADMIN_IMPORT_MAX_FILES, ADMIN_IMPORT_MAX_TEXT_BYTES); bigger uploads are refused before
anything is stored or parsed, with the way to import them (bench/admin_import.py
measures the page at its caps)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsletters.admin_import import SESSION_KEY, UPLOAD_DIR
from newsletters.importing.reader import zip_contents
from newsletters.models import Issue

from .conftest import issue_text
from .test_admin_import import preview, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(admin_client):
    return admin_client


def _zip(count: int, extra: dict[str, bytes] | None = None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(1, count + 1):
            archive.writestr(f"archive/{n:03d}.md", issue_text(n))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return SimpleUploadedFile("archive.zip", buffer.getvalue(), "application/zip")


def _nothing_stored(media, editor) -> bool:
    return SESSION_KEY not in editor.session and not (media / UPLOAD_DIR).exists()


def test_a_zip_over_the_file_cap_is_refused_unread(editor, media, settings, parse_spy):
    calls, _adjust = parse_spy
    settings.ADMIN_IMPORT_MAX_FILES = 3
    response = preview(editor, _zip(4))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This upload holds 4 text files" in html
    assert "at most 3 files" in html and "manage.py import_newsletters" in html
    assert _nothing_stored(media, editor) and Issue.objects.count() == 0
    assert calls == []  # refused before any file was parsed


def test_several_uploads_count_together(editor, media, settings):
    settings.ADMIN_IMPORT_MAX_FILES = 3
    texts = upload("a.txt", issue_text(7)), upload("b.md", issue_text(8))
    response = preview(editor, _zip(2), *texts)
    assert "This upload holds 4 text files" in response.content.decode()
    assert _nothing_stored(media, editor)


def test_text_over_the_size_cap_is_refused(editor, media, settings):
    text = issue_text(1)
    settings.ADMIN_IMPORT_MAX_TEXT_BYTES = 2 * len(text.encode()) - 1
    response = preview(editor, upload("a.md", text), upload("b.md", issue_text(1)))
    assert "This upload holds 2 text files" in response.content.decode()
    assert _nothing_stored(media, editor)


def test_an_upload_at_the_caps_is_previewed(editor, media, settings):
    settings.ADMIN_IMPORT_MAX_FILES = 3
    # Images and a README in the zip are not issues: they do not count.
    archive = _zip(3, {"archive/img/a.png": b"\x89PNG" + b"0" * 5000, "archive/README.md": "x"})
    response = preview(editor, archive)
    assert response.status_code == 200
    assert "This upload holds" not in response.content.decode()
    assert len(editor.session[SESSION_KEY]["files"]) == 1


def test_zip_contents_reads_the_directory_only():
    archive = _zip(2, {"archive/.hidden.md": "x", "archive/notes/": b""})
    assert zip_contents(archive) == (2, sum(len(issue_text(n).encode()) for n in (1, 2)))
    assert zip_contents(io.BytesIO(b"not a zip")) is None

"""Uploaded images are served; staged uploads in the same storage are not."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_public_image_folders_are_served(client, media):
    name = default_storage.save("photos/2024/05/market.jpg", ContentFile(b"\xff\xd8jpeg"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8jpeg"
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "path",
    [
        "import-uploads/abcdefghijklmnopqrstuvwx/000-issue.md",
        "django-import-export/sheet.csv",
        "photos/../import-uploads/abcdefghijklmnopqrstuvwx/000-issue.md",
        "../settings.py",
    ],
)
def test_staged_uploads_and_escapes_are_404(client, media, path):
    default_storage.save("import-uploads/abcdefghijklmnopqrstuvwx/000-issue.md", ContentFile(b"x"))
    default_storage.save("django-import-export/sheet.csv", ContentFile(b"a,b"))
    assert client.get(f"/media/{path}").status_code == 404

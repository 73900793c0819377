"""Media serving: only images a row owns, typed by their verified format, never sniffed;
staged uploads in the same storage are never served."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from newsletters.models import Photo
from tests.factories import make_issue, make_story
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    story = make_story(make_issue())
    return Photo.objects.create(
        story=story, alt_text="A market", image=SimpleUploadedFile("market.png", image_bytes())
    )


def test_a_photo_is_served_with_its_verified_type_and_nosniff(client, photo):
    response = client.get(photo.image.url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == default_storage.open(photo.image.name).read()
    assert body.startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_accel_redirect_hands_the_file_to_the_web_server(client, photo, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "import-uploads/abcdefghijklmnopqrstuvwx/000-issue.md",
        "django-import-export/sheet.csv",
        "photos/../import-uploads/abcdefghijklmnopqrstuvwx/000-issue.md",
        "../settings.py",
    ],
)
def test_staged_uploads_and_escapes_are_404(client, path):
    default_storage.save("import-uploads/abcdefghijklmnopqrstuvwx/000-issue.md", ContentFile(b"x"))
    default_storage.save("django-import-export/sheet.csv", ContentFile(b"a,b"))
    assert client.get(f"/media/{path}").status_code == 404

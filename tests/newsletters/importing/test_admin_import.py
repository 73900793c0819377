"""The admin's "Import archive" page: upload -> preview -> confirm."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from newsletters.admin_import import SESSION_KEY, UPLOAD_DIR
from newsletters.models import Issue

from .conftest import issue_text

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:newsletters_issue_import")
CONFIRM_URL = reverse("admin:newsletters_issue_import_confirm")


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def preview(client, *files, **data):
    return client.post(IMPORT_URL, {"files": list(files), "series": "", **data})


def test_changelist_links_to_the_import_page(editor):
    response = editor.get(reverse("admin:newsletters_issue_changelist"))
    assert IMPORT_URL in response.content.decode()


def test_import_page_renders_a_csrf_protected_upload_form(editor):
    response = editor.get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html


def test_post_without_csrf_token_is_refused(media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    response = client.post(IMPORT_URL, {"files": [upload("a.txt", issue_text(1))]})
    assert response.status_code == 403
    assert Issue.objects.count() == 0


def test_non_staff_are_sent_to_the_login_page(client):
    client.force_login(User.objects.create_user("reader", "r@example.org", "pw"))
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    anonymous = Client().get(IMPORT_URL)
    assert anonymous.status_code == 302


def test_staff_without_add_permission_are_refused(client):
    user = User.objects.create_user("staff", "s@example.org", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_issue"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403


def test_upload_previews_then_confirm_imports(editor, media):
    first = upload("digest-1.md", issue_text(1, story="Story about **bakers** in Kazakhstan."))
    second = upload("digest-2.txt", issue_text(2, style="plain"))
    broken = SimpleUploadedFile("broken.txt", b"\x00\x01\x02binary", content_type="text/plain")
    response = preview(editor, first, second, broken)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Northwind Migration Digest — Issue 1" in html
    assert "Direct Assistance" in html
    assert "A training for border officers" in html  # a story title
    assert "1,234" in html  # key figure, as printed
    assert "northwind-kz@example.org" in html  # directory change, new
    assert "broken.txt" in html and "binary file" in html
    assert "Confirm import" in html
    assert Issue.objects.count() == 0, "the preview is a dry run"

    pending = editor.session[SESSION_KEY]
    stored = [item["stored"] for item in pending["files"]]
    assert all(name.startswith(f"{UPLOAD_DIR}/{pending['token']}/") for name in stored)
    assert all((media / name).exists() for name in stored)

    response = editor.post(CONFIRM_URL, {"token": pending["token"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:newsletters_issue_changelist")
    issues = Issue.objects.order_by("number")
    assert [i.number for i in issues] == [1, 2]
    assert all(i.status == Issue.Status.DRAFT for i in issues)
    assert issues[0].source_name == "digest-1.md"
    assert not any((media / name).exists() for name in stored), "uploads are deleted"
    assert SESSION_KEY not in editor.session
    page = editor.get(response["Location"])
    text = page.content.decode()
    assert "2 created" in text and "binary file" in text


def test_preview_shows_warnings_and_the_issue_page_shows_them_too(editor, media):
    text = issue_text(3, story="See [Click here](#) for more about Kazakhstan.")
    response = preview(editor, upload("warned.md", text))
    html = response.content.decode()
    assert "Warnings" in html
    assert "import-warnings" in html
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    issue = Issue.objects.get()
    assert issue.import_warnings
    page = editor.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert page.status_code == 200
    assert escape(issue.import_warnings[0]) in page.content.decode()


def test_zip_upload_and_publish(editor, media):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2022/digest-5.md", issue_text(5))
        archive.writestr("../escape.md", issue_text(6))
    zipped = SimpleUploadedFile("archive.zip", buffer.getvalue(), content_type="application/zip")
    response = preview(editor, zipped, publish="on")
    html = response.content.decode()
    assert "archive.zip:2022/digest-5.md" in html
    assert "escapes the archive folder" in html
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    issue = Issue.objects.get()
    assert issue.number == 5 and issue.status == Issue.Status.PUBLISHED
    assert issue.source_name == "archive.zip:2022/digest-5.md"


def test_series_option_names_files_without_one(editor, media):
    text = issue_text(7, series=None).replace("# \n", "# Issue №7, 7 August 2020\n", 1)
    preview(editor, upload("no-series.md", text), series="Invented Series")
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    assert Issue.objects.get().series.title == "Invented Series"


@pytest.mark.parametrize("token", ["x" * 32, "../../etc/passwd", ""])
def test_unknown_or_crafted_token_is_a_form_error(editor, media, token):
    response = editor.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert Issue.objects.count() == 0


def test_token_of_another_session_is_refused(editor, media):
    preview(editor, upload("digest-1.md", issue_text(1)))
    token = editor.session[SESSION_KEY]["token"]
    other = Client()
    other.force_login(User.objects.create_superuser("other", "o@example.org", "pw"))
    assert other.post(CONFIRM_URL, {"token": token}).status_code == 400
    assert Issue.objects.count() == 0


def test_upload_over_the_size_limit_is_a_form_error(editor, media, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    response = preview(editor, upload("big.txt", issue_text(1)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "over the" in html and "big.txt" in html
    assert SESSION_KEY not in editor.session


def test_wrong_file_type_is_a_form_error(editor, media):
    response = preview(editor, SimpleUploadedFile("photo.jpg", b"jpeg"))
    assert "not a .txt, .md or .zip file" in response.content.decode()

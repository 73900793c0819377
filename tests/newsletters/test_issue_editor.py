"""The one-page issue editor: sections, stories and photos nested and sortable, a constant
number of queries, the Markdown preview endpoint and the buttons on the issue page."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from newsletters.models import Issue, Photo, Section, Story
from newsletters.roles import EDITOR
from tests.factories import make_country, make_issue, make_series

pytestmark = pytest.mark.django_db


def _png(color=(40, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


def issue_with(stories: int, *, sections: int = 3) -> Issue:
    """An issue of `stories` stories spread over `sections` sections, each story with a
    country and one photo that has an image (so a thumbnail)."""
    issue = make_issue(series=make_series(), title=f"Bulletin of {stories} stories")
    kz, tj = make_country("KZ", "Kazakhstan"), make_country("TJ", "Tajikistan")
    parts = [Section.objects.create(issue=issue, title=f"Part {n}", position=n)
             for n in range(sections)]  # fmt: skip
    png = _png()
    for n in range(stories):
        story = Story.objects.create(
            section=parts[n % sections], title=f"Story number {n}",
            body="Counsellors met returning families at the border crossing.", position=n,
        )  # fmt: skip
        story.countries.add(kz if n % 2 else tj)
        Photo.objects.create(
            story=story, image=SimpleUploadedFile(f"p{n}.png", png, "image/png"),
            caption=f"Caption {n}", alt_text=f"Families at crossing {n}",
        )  # fmt: skip
    return issue


def _get_change_page(client, issue):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_one_page_shows_sections_stories_photos_and_counts(staff_client):
    issue = issue_with(4, sections=2)
    response, _ = _get_change_page(staff_client, issue)
    html = response.content.decode()
    # Stories are edited inside their section, photos inside their story.
    assert 'name="sections-0-title" value="Part 0"' in html
    assert 'name="sections-0-stories-0-title"' in html
    assert 'name="sections-0-stories-0-photos-0-caption"' in html
    assert 'name="sections-1-stories-1-photos-0-alt_text"' in html
    # Thumbnails of the renditions, with the alt text.
    assert len(re.findall(r'<img class="photo-thumb" src="[^"]+" alt="Families at', html)) == 4
    # Title (3 words) is not in the body's count: 8 words of text per story.
    assert html.count('<span class="md-word-count" aria-live="polite">8 words</span>') == 4
    # Drag and drop comes from django-nested-admin, its position fields are in the form.
    assert "nested_admin/dist/nested_admin.min.js" in html
    assert 'name="sections-0-stories-1-position"' in html
    # The buttons on the issue page.
    assert f'href="{issue.get_absolute_url()}"' in html and ">Preview</a>" in html
    assert reverse("admin:newsletters_issue_start_next", args=[issue.pk]) in html


def test_queries_do_not_grow_with_the_number_of_stories(staff_client):
    small, large = issue_with(5), issue_with(30)
    _get_change_page(staff_client, small)  # warm the content-type and session caches
    _, small_count = _get_change_page(staff_client, small)
    response, large_count = _get_change_page(staff_client, large)
    assert response.content.decode().count("photo-thumb") == 30
    assert small_count == large_count, (small_count, large_count)
    # Session, user, the issue, its stories' words, its pending changes; the editor's
    # sections, stories, photos, story countries, country choices, key figures; series
    # choices; the pre-publish check's sections, stories, photos, key figures: 16.
    assert large_count <= 16, large_count
    print(f"issue editor page: {large_count} queries")


def _markup(html: str) -> str:
    """The page's markup with whitespace between and next to tags dropped and the
    per-response CSRF token left out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html))


def test_the_jinja2_inlines_write_nested_admins_markup(staff_client, monkeypatch):
    """The editor's inlines are rendered by Jinja2 (newsletters/admin_editor_jinja.py) for
    speed; nested_admin.js reads their markup, so it must be what django-nested-admin's
    own templates write, up to whitespace: sections, stories, photos (with an empty
    photo row and one without an image) and key figures."""
    from newsletters.admin_editor import (
        KeyFigureEditorInline,
        PhotoEditorInline,
        SectionEditorInline,
        StoryEditorInline,
    )

    issue = issue_with(4, sections=2)
    Photo.objects.filter(pk=Photo.objects.order_by("pk").first().pk).update(image="")
    issue.key_figures.create(label="Calls <received>", value="1650", unit="calls", position=0)
    jinja2_page, _ = _get_change_page(staff_client, issue)
    for inline, kind in [(SectionEditorInline, "stacked"), (StoryEditorInline, "stacked"),
                         (PhotoEditorInline, "tabular"), (KeyFigureEditorInline, "tabular")]:
        monkeypatch.setattr(inline, "template", f"nesting/admin/inlines/{kind}.html")
    django_page, _ = _get_change_page(staff_client, issue)
    ours, theirs = _markup(jinja2_page.content.decode()), _markup(django_page.content.decode())
    # Table rows: 4 photos and the key figure, and the empty rows nested_admin.js copies
    # when a row is added: one per story, per section's empty story, the empty section's
    # empty story, and the key figures' (4 + 1 + 4 + 2 + 1 + 1).
    assert ours.count('class="djn-tbody') == theirs.count('class="djn-tbody') == 13
    assert "Calls &lt;received&gt;" in ours
    assert ours == theirs


def _nested_post_data(issue):
    """The change form as the browser would post it after dragging: the second story
    of the first section moved above the first, one story added with a photo."""
    section = issue.sections.order_by("position").first()
    first, second = section.stories.order_by("position")
    kz = make_country("KZ", "Kazakhstan")
    data = {
        "series": issue.series_id, "number": issue.number, "title": issue.title,
        "slug": issue.slug, "publication_date": "2024-03-01", "date_precision": "day",
        "summary": "", "status": issue.status, "go_live_at_0": "", "go_live_at_1": "",
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "1",
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000",
        "sections-0-id": section.pk, "sections-0-issue": issue.pk,
        "sections-0-title": section.title, "sections-0-position": "0",
        "sections-0-stories-TOTAL_FORMS": "3", "sections-0-stories-INITIAL_FORMS": "2",
        "sections-0-stories-MIN_NUM_FORMS": "0", "sections-0-stories-MAX_NUM_FORMS": "1000",
        "key_figures-TOTAL_FORMS": "0", "key_figures-INITIAL_FORMS": "0",
        "key_figures-MIN_NUM_FORMS": "0", "key_figures-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    rows = [
        (first, "1"), (second, "0"), (None, "2"),
    ]  # fmt: skip
    for i, (story, position) in enumerate(rows):
        prefix = f"sections-0-stories-{i}"
        data.update({
            f"{prefix}-id": story.pk if story else "", f"{prefix}-section": section.pk,
            f"{prefix}-title": story.title if story else "Shelter opens in Osh",
            f"{prefix}-slug": story.slug if story else "",
            f"{prefix}-body": story.body if story else "Twelve beds, a kitchen, a counsellor.",
            f"{prefix}-countries": [kz.pk], f"{prefix}-position": position,
            f"{prefix}-photos-TOTAL_FORMS": "0", f"{prefix}-photos-INITIAL_FORMS": "0",
            f"{prefix}-photos-MIN_NUM_FORMS": "0", f"{prefix}-photos-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
    new = "sections-0-stories-2-photos"
    data.update({
        f"{new}-TOTAL_FORMS": "1", f"{new}-0-image": SimpleUploadedFile(
            "shelter.png", _png((10, 200, 10)), "image/png"),
        f"{new}-0-caption": "The shelter's kitchen", f"{new}-0-alt_text": "A kitchen",
        f"{new}-0-credit": "", f"{new}-0-position": "0",
    })  # fmt: skip
    return data, first, second


def test_save_reorders_and_adds_a_story_with_a_photo_on_one_page(staff_client):
    issue = make_issue(series=make_series(), status=Issue.Status.DRAFT)
    section = Section.objects.create(issue=issue, title="Direct Assistance", position=0)
    for n in range(2):
        Story.objects.create(section=section, title=f"Story {n}", body="Text.", position=n)
    data, first, second = _nested_post_data(issue)
    response = staff_client.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    stories = list(section.stories.order_by("position"))
    assert [s.title for s in stories] == ["Story 1", "Story 0", "Shelter opens in Osh"]
    added = stories[2]
    assert [c.code for c in added.countries.all()] == ["KZ"]
    photo = added.photos.get()
    assert photo.caption == "The shelter's kitchen" and photo.image and photo.renditions
    assert added.issue_id == issue.pk


# --- the Markdown preview ------------------------------------------------------------

PREVIEW = "admin:newsletters_issue_markdown_preview"


def test_preview_renders_with_the_public_sanitiser(staff_client):
    text = "**Bold** move\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))"
    response = staff_client.post(reverse(PREVIEW), {"text": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    # The same output as the public page: raw HTML shown as text, no javascript: link.
    assert html == (
        "<p><strong>Bold</strong> move</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<p>[x](javascript:alert(2))</p>\n"
    )
    assert "<script" not in html and "href" not in html


def test_preview_needs_post_csrf_and_staff(staff_user, django_user_model):
    url = reverse(PREVIEW)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_user)
    assert strict.post(url, {"text": "hi"}).status_code == 403  # no CSRF token
    assert strict.get(url).status_code == 405
    anonymous = Client().post(url, {"text": "hi"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    visitor = django_user_model.objects.create_user("visitor", "v@example.org", "pw")
    plain = Client()
    plain.force_login(visitor)
    response = plain.post(url, {"text": "hi"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_preview_is_allowed_to_an_editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", "e@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(user)
    response = client.post(reverse(PREVIEW), {"text": "## Title"})
    assert response.status_code == 200
    assert response.content == b"<h2>Title</h2>\n"


# --- start next issue ----------------------------------------------------------------


def test_start_next_issue_button_posts_and_opens_the_new_draft(staff_client):
    source = issue_with(2, sections=2)
    url = reverse("admin:newsletters_issue_start_next", args=[source.pk])
    assert staff_client.get(url).status_code == 405
    before = Issue.objects.count()
    response = staff_client.post(url)
    assert Issue.objects.count() == before + 1
    new = Issue.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:newsletters_issue_change", args=[new.pk])
    assert new.status == Issue.Status.DRAFT and new.number == source.number + 1
    assert [s.title for s in new.sections.order_by("position")] == ["Part 0", "Part 1"]

"""The admin: pages load, issues save with their sections, publishing actions work."""

import pytest
from django.urls import reverse

from directory.models import Hotline
from newsletters.models import Issue, KeyFigure, Section, Story
from tests.factories import fill_issue, make_country, make_directory, make_issue, make_series

pytestmark = pytest.mark.django_db


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_issue_changelist_with_counts_filters_and_search(staff_client):
    series = make_series()
    fill_issue(make_issue(series=series, number=1, title="Winter bulletin"), sections=2)
    make_issue(series=series, number=2, title="Spring bulletin", status=Issue.Status.DRAFT)
    url = reverse("admin:newsletters_issue_changelist")
    response = staff_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Winter bulletin" in html and "Spring bulletin" in html
    assert '<td class="field-section_count">2</td>' in html
    assert '<td class="field-story_count">2</td>' in html
    drafts = staff_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Spring bulletin" in drafts and "Winter bulletin" not in drafts
    found = staff_client.get(url, {"q": "story 2.1"}).content.decode()
    assert "Winter bulletin" in found and "Spring bulletin" not in found
    by_year = staff_client.get(url, {"year": "2021"})
    assert by_year.status_code == 200


def test_add_issue_with_sections_and_key_figures(staff_client):
    series = make_series()
    data = {
        "series": series.pk,
        "number": "12",
        "title": "Bulletin twelve",
        "slug": "bulletin-twelve",
        "publication_date": "2024-03-01",
        "summary": "",
        "status": "draft",
        "go_live_at_0": "",
        "go_live_at_1": "",
        **management_form("sections", total=2),
        "sections-0-title": "Direct Assistance",
        "sections-0-position": "0",
        "sections-1-title": "Partnership in Action",
        "sections-1-position": "1",
        # The one-page editor nests each section's stories (none here).
        **management_form("sections-0-stories"),
        **management_form("sections-1-stories"),
        **management_form("key_figures", total=1),
        "key_figures-0-label": "Migrants assisted",
        "key_figures-0-value": "7801",
        "key_figures-0-unit": "people",
        "key_figures-0-note": "",
        "key_figures-0-position": "0",
    }
    response = staff_client.post(reverse("admin:newsletters_issue_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = Issue.objects.get(slug="bulletin-twelve")
    assert issue.edited_in_admin is True
    assert [s.title for s in issue.sections.order_by("position")] == [
        "Direct Assistance",
        "Partnership in Action",
    ]
    assert KeyFigure.objects.get(issue=issue).value == 7801


def test_duplicate_number_is_a_form_error_not_a_crash(staff_client):
    series = make_series()
    make_issue(series=series, number=3)
    data = {
        "series": series.pk, "number": "3", "title": "Clash", "slug": "clash",
        "status": "draft", **management_form("sections"), **management_form("key_figures"),
    }  # fmt: skip
    response = staff_client.post(reverse("admin:newsletters_issue_add"), data)
    assert response.status_code == 200
    message = "This series already has an issue with this number and volume."
    assert message in response.content.decode()
    assert not Issue.objects.filter(slug="clash").exists()


def test_the_same_number_in_another_volume_is_saved(staff_client):
    series = make_series()
    make_issue(series=series, number=3)
    data = {
        "series": series.pk, "volume": "2", "number": "3", "title": "Volume two, no. 3",
        "slug": "vol-2-no-3", "status": "draft", **management_form("sections"),
        **management_form("key_figures"),
    }  # fmt: skip
    response = staff_client.post(reverse("admin:newsletters_issue_add"), data)
    assert response.status_code == 302
    assert Issue.objects.get(slug="vol-2-no-3").volume == "2"


def test_section_page_edits_its_stories(staff_client):
    issue = make_issue()
    section = Section.objects.create(issue=issue, title="Homecoming")
    url = reverse("admin:newsletters_section_change", args=[section.pk])
    assert staff_client.get(url).status_code == 200
    data = {
        "issue": issue.pk,
        "title": "Homecoming",
        "position": "0",
        **management_form("stories", total=1),
        "stories-0-title": "Back in Osh",
        "stories-0-slug": "",
        "stories-0-body": "She came **home**.",
        "stories-0-position": "0",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    story = Story.objects.get(section=section)
    assert (story.title, story.slug, story.issue_id) == ("Back in Osh", "back-in-osh", issue.pk)
    assert Issue.objects.get(pk=issue.pk).edited_in_admin is True


def test_publish_and_unpublish_actions(staff_client):
    a = fill_issue(make_issue(status=Issue.Status.DRAFT))
    b = fill_issue(make_issue(status=Issue.Status.DRAFT))
    url = reverse("admin:newsletters_issue_changelist")
    response = staff_client.post(
        url, {"action": "publish", "_selected_action": [a.pk, b.pk]}, follow=True
    )
    assert "2 issues published." in response.content.decode()
    assert set(Issue.objects.published()) == {a, b}
    staff_client.post(url, {"action": "unpublish", "_selected_action": [a.pk]})
    assert list(Issue.objects.published()) == [b]


def test_change_pages_load_with_view_on_site(staff_client):
    issue = fill_issue(make_issue())
    story = issue.stories.first()
    html = staff_client.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).content
    view_on_site = reverse("admin:view_on_site", args=[_ct(issue), issue.pk])
    assert view_on_site.encode() in html
    assert staff_client.get(view_on_site)["Location"].endswith(issue.get_absolute_url())
    for name, obj in [("section", story.section), ("story", story), ("series", issue.series)]:
        assert (
            staff_client.get(reverse(f"admin:newsletters_{name}_change", args=[obj.pk])).status_code
            == 200
        )
        assert staff_client.get(reverse(f"admin:newsletters_{name}_changelist")).status_code == 200


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_directory_admin_pages_filter_by_country(staff_client):
    kz, kg = make_country("KZ", "Kazakhstan"), make_country("KG", "Kyrgyzstan")
    make_directory(kz)
    make_directory(kg)
    for model in ["country", "office", "person", "hotline"]:
        assert staff_client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200
    url = reverse("admin:directory_hotline_changelist")
    html = staff_client.get(url, {"country__id__exact": kg.pk}).content.decode()
    assert "1 hotline" in html
    hotline = Hotline.objects.filter(country=kg).get()
    assert (
        staff_client.get(reverse("admin:directory_hotline_change", args=[hotline.pk])).status_code
        == 200
    )


def test_admin_requires_staff(client):
    response = client.get(reverse("admin:newsletters_issue_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_saving_a_photo_or_key_figure_protects_the_issue_from_reimport(staff_client):
    from newsletters.models import Photo

    issue = fill_issue(make_issue())
    photo = Photo.objects.filter(story__issue=issue).first()
    Issue.objects.filter(pk=issue.pk).update(edited_in_admin=False)
    url = reverse("admin:newsletters_photo_change", args=[photo.pk])
    data = {"story": photo.story_id, "caption": "New caption", "alt_text": "", "credit": ""}
    response = staff_client.post(url, {**data, "position": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Issue.objects.get(pk=issue.pk).edited_in_admin is True

    Issue.objects.filter(pk=issue.pk).update(edited_in_admin=False)
    figure = issue.key_figures.first()
    url = reverse("admin:newsletters_keyfigure_change", args=[figure.pk])
    data = {"issue": issue.pk, "label": figure.label, "value": "5", "unit": "", "note": ""}
    response = staff_client.post(url, {**data, "position": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Issue.objects.get(pk=issue.pk).edited_in_admin is True

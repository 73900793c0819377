"""Admin comfort: ordering by position, word counts, dismissing import warnings, and the
"Edit in admin" link on public pages for staff only."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from newsletters.models import Issue, Section
from newsletters.roles import EDITOR
from tests.factories import make_country, make_issue, make_story

pytestmark = pytest.mark.django_db


def test_sections_show_in_position_order_and_positions_are_editable(staff_client):
    issue = make_issue()
    Section.objects.create(issue=issue, title="Second", position=2)
    Section.objects.create(issue=issue, title="First", position=1)
    html = staff_client.get(
        reverse("admin:newsletters_issue_change", args=[issue.pk])
    ).content.decode()
    assert html.index('value="First"') < html.index('value="Second"')
    assert 'name="sections-0-position"' in html


def test_word_and_story_counts_on_the_change_page_and_list(staff_client):
    issue = make_issue(title="Counted")
    make_story(issue, title="Three word title", body="One two three four five.")
    make_story(issue, section_title="Homecoming", title="", body="Six seven")
    page = staff_client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert "2 stories, 10 words" in page.content.decode()
    changelist = staff_client.get(reverse("admin:newsletters_issue_changelist")).content.decode()
    assert '<td class="field-word_count">10</td>' in changelist


def test_changelist_queries_do_not_grow_with_issues(staff_client, django_assert_max_num_queries):
    url = reverse("admin:newsletters_issue_changelist")
    for n in range(3):
        make_story(make_issue(), title=f"Story {n}")
    staff_client.get(url)
    with django_assert_max_num_queries(20) as few:
        staff_client.get(url)
    for n in range(10):
        make_story(make_issue(), title=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(url)


def test_live_word_count_script_is_a_static_file(staff_client):
    story = make_story(make_issue())
    html = staff_client.get(
        reverse("admin:newsletters_section_change", args=[story.section_id])
    ).content.decode()
    assert "admin-extra/word-count.js" in html


def test_warnings_shown_until_dismissed(staff_client, staff_user):
    issue = make_issue(import_warnings=["dead link '[here](#)' in story 'A'", "footnote dropped"])
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    html = staff_client.get(url).content.decode()
    assert "imported with 2 warnings" in html and "Dismiss warnings" in html
    response = staff_client.post(
        reverse("admin:newsletters_issue_dismiss_warnings", args=[issue.pk])
    )
    assert response.status_code == 302 and response["Location"] == url
    issue.refresh_from_db()
    assert issue.import_warnings == []
    assert issue.dismissed_warnings == ["dead link '[here](#)' in story 'A'", "footnote dropped"]
    assert "imported with" not in staff_client.get(url).content.decode()


def test_dismiss_needs_post_csrf_and_change_permission(django_user_model):
    issue = make_issue(import_warnings=["footnote dropped"])
    url = reverse("admin:newsletters_issue_dismiss_warnings", args=[issue.pk])
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "pw", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    assert client.post(url).status_code == 403  # no CSRF token
    relaxed = Client()
    relaxed.force_login(viewer)
    assert relaxed.get(url).status_code == 405
    assert relaxed.post(url).status_code == 403  # staff, but may not change issues
    issue.refresh_from_db()
    assert issue.import_warnings == ["footnote dropped"]
    viewer.groups.add(Group.objects.get(name=EDITOR))
    relaxed.force_login(viewer)
    assert relaxed.post(url).status_code == 302
    issue.refresh_from_db()
    assert issue.import_warnings == []


def test_edit_in_admin_link_for_staff_only(client, staff_client):
    issue = make_issue(status=Issue.Status.PUBLISHED)
    story = make_story(issue, title="Linked story")
    country = make_country()
    pages = {
        issue.get_absolute_url(): reverse("admin:newsletters_issue_change", args=[issue.pk]),
        story.get_absolute_url(): reverse("admin:newsletters_story_change", args=[story.pk]),
        country.get_absolute_url(): reverse("admin:directory_country_change", args=[country.pk]),
        reverse("directory:index"): reverse("admin:app_list", args=["directory"]),
        reverse("newsletters:issue_list"): reverse("admin:index"),
    }
    for page, admin_url in pages.items():
        assert f'href="{admin_url}"' not in client.get(page).content.decode(), page
        assert f'href="{admin_url}"' in staff_client.get(page).content.decode(), page

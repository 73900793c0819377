"""Tidy admin: lockout tables for superusers only, wide titles, plurals, the import
preview's summary first, and a series chosen from the list or typed new."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from newsletters.models import Issue, KeyFigure, Section, Series
from newsletters.roles import EDITOR, PUBLISHER
from tests.factories import make_issue, make_series

pytestmark = pytest.mark.django_db


def _staff(django_user_model, name, *, group=None, all_permissions=False):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if all_permissions:
        user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


def test_lockout_tables_only_for_superusers(staff_client, django_user_model):
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "Access attempts" in index
    assert staff_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    for client in (
        _staff(django_user_model, "eddie", group=EDITOR),
        _staff(django_user_model, "polly", group=PUBLISHER),
        # Even a staff user granted every permission is not a superuser.
        _staff(django_user_model, "allie", all_permissions=True),
    ):
        html = client.get(reverse("admin:index")).content.decode()
        assert "Access attempts" not in html and "Access logs" not in html
        assert "/admin/axes/" not in html
        assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
        assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403


def _issue_data(**fields):
    data = {
        "series": "", "new_series": "", "number": "4", "title": "Spring", "slug": "spring",
        "publication_date": "2024-04-01", "summary": "", "status": "draft",
        "go_live_at_0": "", "go_live_at_1": "",
        "sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000",
        "key_figures-TOTAL_FORMS": "0", "key_figures-INITIAL_FORMS": "0",
        "key_figures-MIN_NUM_FORMS": "0", "key_figures-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(fields)
    return data


def test_series_typed_new_is_created_with_the_issue(staff_client):
    response = staff_client.post(
        reverse("admin:newsletters_issue_add"), _issue_data(new_series="  Harbour   Notes ")
    )
    assert response.status_code == 302, response.context["errors"]
    issue = Issue.objects.get(title="Spring")
    assert issue.series.title == "Harbour Notes"
    assert Series.objects.count() == 1


def test_series_typed_with_an_existing_title_reuses_it(staff_client):
    existing = make_series("Harbour Notes")
    response = staff_client.post(
        reverse("admin:newsletters_issue_add"), _issue_data(new_series="harbour notes")
    )
    assert response.status_code == 302
    assert Issue.objects.get(title="Spring").series == existing
    assert Series.objects.count() == 1


def test_no_series_at_all_is_a_form_error(staff_client):
    response = staff_client.post(reverse("admin:newsletters_issue_add"), _issue_data())
    assert response.status_code == 200
    assert "Choose a series or type a new one." in response.content.decode()
    assert not Issue.objects.exists()


def test_a_new_series_is_not_created_when_the_issue_is_refused(staff_client):
    make_issue(series=make_series("Harbour Notes"), number=4)
    data = _issue_data(new_series="Lighthouse Letters", title="Spring")
    data.update({"sections-TOTAL_FORMS": "1", "sections-0-title": "", "sections-0-position": "0",
                 "sections-0-stories-TOTAL_FORMS": "0", "sections-0-stories-INITIAL_FORMS": "0",
                 "sections-0-stories-MIN_NUM_FORMS": "0",
                 "sections-0-stories-MAX_NUM_FORMS": "1000",
                 "publication_date": "not a date"})  # fmt: skip
    response = staff_client.post(reverse("admin:newsletters_issue_add"), data)
    assert response.status_code == 200
    assert not Series.objects.filter(title="Lighthouse Letters").exists()
    assert Issue.objects.count() == 1


def test_start_next_message_says_one_key_figure(staff_client):
    source = make_issue()
    Section.objects.create(issue=source, title="Only section")
    KeyFigure.objects.create(issue=source, label="Calls received", value=10)
    response = staff_client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "start_next_issue", "_selected_action": [source.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "with 1 section and 1 key figure to fill in." in html


def test_issue_form_has_wide_title_and_series_choice(staff_client):
    html = staff_client.get(reverse("admin:newsletters_issue_add")).content.decode()
    assert 'name="new_series"' in html and 'name="series"' in html
    css = Path(finders.find("admin-extra/admin-extra.css")).read_text()
    assert re.search(r"\.field-title input\.vTextField[^{]*\{ width: 40em; max-width: 100%", css)


def test_import_preview_puts_summary_and_confirm_first(staff_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.newsletters.importing.conftest import issue_text

    settings.MEDIA_ROOT = tmp_path / "media"
    files = [
        SimpleUploadedFile(f"digest-{n}.md", issue_text(n).encode(), content_type="text/plain")
        for n in (1, 2)
    ]
    response = staff_client.post(
        reverse("admin:newsletters_issue_import"), {"files": files, "series": ""}
    )
    html = response.content.decode()
    summary, confirm = html.index('class="import-summary"'), html.index('value="Confirm import"')
    first_file = html.index('id="import-file-1"')
    assert summary < confirm < first_file
    table = html[summary:confirm]
    assert table.count("<tr><td>") == 2
    assert '<a href="#import-file-2">digest-2.md</a>' in table

""" "Start next issue": a draft of the next number with the same sections and figure labels."""

import pytest
from django.urls import reverse

from newsletters.models import Issue, KeyFigure
from tests.factories import fill_issue, make_issue, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_issue():
    series = make_series("Regional Migration Bulletin")
    make_issue(series=series, number=3)
    issue = fill_issue(make_issue(series=series, number=4), sections=3, figures=2)
    KeyFigure.objects.filter(issue=issue, label="Figure 2").update(unit="calls", note="March")
    return issue


def test_action_creates_the_next_draft_and_opens_it(staff_client, last_issue):
    response = staff_client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "start_next_issue", "_selected_action": [last_issue.pk]},
    )
    new = Issue.objects.get(series=last_issue.series, number=5)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:newsletters_issue_change", args=[new.pk])
    assert new.status == Issue.Status.DRAFT and new.go_live_at is None
    assert new.title == "Regional Migration Bulletin — Issue 5"
    assert [(s.title, s.position) for s in new.sections.order_by("position")] == [
        ("Section 1", 0), ("Section 2", 1), ("Section 3", 2),
    ]  # fmt: skip
    assert not new.stories.exists()
    # Empty, never 0: left out of charts and tables until filled in.
    assert list(new.key_figures.values_list("label", "value", "unit", "note")) == [
        ("Figure 1", None, "", ""),
        ("Figure 2", None, "calls", ""),
    ]
    # The issue it came from is untouched.
    assert last_issue.stories.count() == 3 and last_issue.key_figures.get(label="Figure 2").value


def test_next_number_follows_the_highest_in_the_series_not_the_selected(staff_client, last_issue):
    older = Issue.objects.get(series=last_issue.series, number=3)
    staff_client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "start_next_issue", "_selected_action": [older.pk]},
    )
    assert Issue.objects.filter(series=last_issue.series, number=5).exists()


def test_action_wants_exactly_one_issue(staff_client, last_issue):
    older = Issue.objects.get(series=last_issue.series, number=3)
    count = Issue.objects.count()
    response = staff_client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "start_next_issue", "_selected_action": [older.pk, last_issue.pk]},
        follow=True,
    )
    assert "Select exactly one issue" in response.content.decode()
    assert Issue.objects.count() == count

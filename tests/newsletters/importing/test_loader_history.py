"""The imported issue's revision (history row), written with the file's other rows
(bulk.history_row) instead of by django-simple-history's post_save: the same row."""

import datetime

import pytest
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from newsletters.importing.loader import import_sources
from newsletters.models import Issue

pytestmark = pytest.mark.django_db

RECORDED = ["title", "slug", "number", "status", "source_hash", "source_name", "version"]


def _fields(record_or_issue) -> dict:
    return {name: getattr(record_or_issue, name) for name in RECORDED}


def test_a_new_issue_has_one_created_revision_with_its_fields(write_issue):
    (report,) = import_sources([write_issue("1.md", 1)])
    assert report.outcome == "created"
    issue = Issue.objects.get()
    (record,) = issue.history.all()
    assert record.history_type == "+"
    assert record.history_user is None  # no request: the command line
    assert record.history_change_reason is None
    assert _fields(record) == _fields(issue)
    assert record.import_warnings == issue.import_warnings
    assert record.directory_snapshot == issue.directory_snapshot


def test_the_revision_names_the_user_of_the_request(write_issue, staff_user):
    """The admin's import page: HistoryRequestMiddleware puts the request in the context."""
    request = RequestFactory().post("/admin/newsletters/issue/import/")
    request.user = staff_user
    HistoricalRecords.context.request = request
    try:
        (report,) = import_sources([write_issue("1.md", 1)])
    finally:
        del HistoricalRecords.context.request
    assert report.outcome == "created"
    assert Issue.objects.get().history.get().history_user == staff_user


def test_a_new_version_adds_a_changed_revision(write_issue):
    first = write_issue("a/1.md", 1, date=datetime.date(2022, 3, 15))
    assert next(import_sources([first])).outcome == "created"
    second = write_issue(
        "b/1.md", 1, date=datetime.date(2022, 3, 15),
        story="The mission helped 41 returning workers in Kazakhstan find new jobs.",
    )  # fmt: skip
    assert next(import_sources([second])).outcome == "updated"
    issue = Issue.objects.get()
    records = list(issue.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert _fields(records[-1]) == _fields(issue)
    assert records[0].source_hash != records[1].source_hash == issue.source_hash


def test_publish_on_import_records_the_publication_after_the_creation(write_issue):
    (report,) = import_sources([write_issue("1.md", 1)], publish=True)
    assert report.outcome == "created"
    issue = Issue.objects.get()
    records = list(issue.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.status) for r in records] == [("+", "draft"), ("~", "published")]
    assert "Published on import" in records[-1].history_change_reason

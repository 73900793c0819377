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


def _row(issue) -> dict:
    # contents_version: the first import creates the countries, which makes every
    # stored issue's contents out of date (a random new version): not a difference.
    skip = {"id", "created_at", "updated_at", "contents_version"}
    return {f.attname: getattr(issue, f.attname) for f in Issue._meta.concrete_fields
            if f.attname not in skip}  # fmt: skip


def test_a_new_issue_written_in_the_deferred_batch_is_the_row_issue_save_writes(
    write_issue, monkeypatch
):
    """On PostgreSQL a new issue's INSERT goes with its sections and stories
    (loader._defer_new_issue); elsewhere, or without it, Issue.save writes it."""
    from newsletters.importing import loader

    path = write_issue("1.md", 1)
    assert next(import_sources([path])).outcome == "created"
    batched = Issue.objects.get()
    batched_record = _fields(batched.history.get())
    batched_row = _row(batched)
    batched.delete()
    monkeypatch.setattr(loader, "_defer_new_issue", lambda *args: False)
    assert next(import_sources([path])).outcome == "created"
    saved = Issue.objects.get()
    assert _row(saved) == batched_row
    assert _fields(saved.history.get()) == batched_record


def test_the_save_signals_of_a_new_issue_are_sent_once_with_every_row_written(write_issue):
    from django.db.models.signals import post_save, pre_save

    seen = []

    def before(sender, instance, **kwargs):
        stored = instance.pk is not None and Issue.objects.filter(pk=instance.pk).exists()
        seen.append(("pre_save", stored))

    def after(sender, instance, created, **kwargs):
        seen.append(("post_save", created, instance.sections.count(), instance.stories.count()))

    pre_save.connect(before, sender=Issue, dispatch_uid="test-before")
    post_save.connect(after, sender=Issue, dispatch_uid="test-after")
    try:
        (report,) = import_sources([write_issue("1.md", 1)])
    finally:
        pre_save.disconnect(dispatch_uid="test-before", sender=Issue)
        post_save.disconnect(dispatch_uid="test-after", sender=Issue)
    issue = report.result.issue
    assert seen[0] == ("pre_save", False)  # not written yet
    assert seen[1][:2] == ("post_save", True)
    assert len(seen) == 2
    # Its sections and stories are written by then on PostgreSQL (the same round trip),
    # after it on SQLite (Issue.save first): never fewer than none, never more than all.
    assert seen[1][2] in (0, issue.sections.count()) and issue.sections.count() >= 1
    # The instance behaves as a saved issue: publishing it is an UPDATE with a revision.
    issue.publish(reason="test")
    assert [r.history_type for r in issue.history.order_by("history_id")] == ["+", "~"]

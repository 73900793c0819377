"""Invalidate the public page cache whenever anything a visitor can see changes.

A bump sets a fresh version in the shared cache (never a value used before, so
concurrent saves in several processes never lose one); every process's next request
sees it, recomputes the cached state with one query, and renders its pages afresh
(core/caching.py).

Bumped twice: at once, so the change is visible on the next request in this process,
and again on commit, so a page rendered by another request while the transaction was
still open (showing the old data under the new version) is not served afterwards.
Bulk writes send no signals; the importer saves the Issue in every import transaction,
which bumps the version for everything written with it, unless that issue is a draft
and was one: then nothing the importer wrote is public (a draft's directory entries are
only proposals), and the bumps, a quarter of an imported file's CPU time, are skipped.

The same changes make the issue page contents stored beside the issue out of date
(newsletters/contents.py), in the writer's transaction.

Writes made inside `rolled_back_writes()` (the "Preview" with pending changes,
newsletters/pending.py) are rolled back before anyone else can read them: they change
nothing public, so they bump nothing (the stored contents are still cleared: they are
rows of the same transaction and the preview renders them afresh).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching import bump_content_version

from .contents import clear_contents

_rolled_back = ContextVar("newsletters_writes_rolled_back", default=False)


@contextmanager
def rolled_back_writes():
    """The writes made inside (in this thread) are rolled back: no cache bump for them."""
    token = _rolled_back.set(True)
    try:
        yield
    finally:
        _rolled_back.reset(token)


def _draft_stays_draft(sender, instance, created) -> bool:
    """An issue saved as a draft that was a draft (or new): nothing public changed."""
    if sender._meta.label_lower != "newsletters.issue" or instance.status != "draft":
        return False
    return created or getattr(instance, "_status_before_save", None) == "draft"


def content_changed(sender, instance=None, created=False, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    if _rolled_back.get():  # a preview: nothing the public can see changes
        return
    if kwargs.get("signal") is post_save and _draft_stays_draft(sender, instance, created):
        return
    bump_content_version()
    transaction.on_commit(bump_content_version)


def _issues_of(instance):
    """The issues whose stored contents show `instance` (newsletters/contents.py)."""
    from .models import Issue, Photo

    if isinstance(instance, Issue):
        return [instance.pk]
    if isinstance(instance, Photo):
        return Issue.objects.filter(stories=instance.story_id)
    if hasattr(instance, "issue_id"):  # Section, Story, KeyFigure
        return [instance.issue_id]
    return Issue.objects.all()  # a Country: its name may be shown in any issue


def contents_changed(sender, instance=None, raw=False, created=False, **kwargs):
    if raw:
        return
    if kwargs.get("action", "post_").startswith("pre_"):  # m2m: after the change only
        return
    if created and sender._meta.label_lower == "newsletters.issue":
        return  # a new issue has no stored contents yet (one UPDATE less per imported file)
    clear_contents(_issues_of(instance))


def connect_signals():
    from django.apps import apps

    models = [
        apps.get_model("newsletters", name)
        for name in ("Series", "Issue", "Section", "Story", "Photo", "KeyFigure")
    ] + [
        apps.get_model("directory", name)
        for name in ("Country", "Office", "OfficeEmail", "Person", "Hotline")
    ]
    for model in models:
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
    story = apps.get_model("newsletters", "Story")
    m2m_changed.connect(
        content_changed, sender=story.countries.through, dispatch_uid="public-cache-story-countries"
    )
    shown_in_contents = [
        apps.get_model("newsletters", name)
        for name in ("Issue", "Section", "Story", "Photo", "KeyFigure")
    ] + [apps.get_model("directory", "Country")]
    for model in shown_in_contents:
        uid = f"issue-contents-{model._meta.label_lower}"
        post_save.connect(contents_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(contents_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        contents_changed, sender=story.countries.through, dispatch_uid="issue-contents-countries"
    )

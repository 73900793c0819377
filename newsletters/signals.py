"""Invalidate the public page cache whenever anything a visitor can see changes.

A bump increments the version in the shared cache (atomically, so concurrent saves in
several processes never lose one); every process's next request sees it, recomputes
the cached state with one query, and renders its pages afresh (newsletters/caching.py).

Bumped twice: at once, so the change is visible on the next request in this process,
and again on commit, so a page rendered by another request while the transaction was
still open (showing the old data under the new version) is not served afterwards.
Bulk writes send no signals; the importer saves the Issue in every import transaction,
which bumps the version for everything written with it.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .caching import bump_content_version


def content_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    bump_content_version()
    transaction.on_commit(bump_content_version)


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

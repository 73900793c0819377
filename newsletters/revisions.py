"""Revisions at the level staff think in: one issue's timeline, word-level comparison,
and restoring a deleted story with its countries and photos.

django-simple-history keeps a revision of every issue, section, story, photo and key
figure saved or deleted one by one (the importer's bulk writes keep none). A story's
revision also records its countries (`countries_snapshot`): taken just before a delete
(Django removes the story's country links before its post_delete, where the revision
is written) and refreshed whenever the links change.

A restore is itself a revision whose change reason starts with "Restored", so the
timeline can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models.signals import m2m_changed, pre_delete
from simple_history.signals import pre_create_historical_record

from core.history import RESTORED

TIMELINE_LIMIT = 300

# --- countries of a story's revisions ------------------------------------------------


def _codes(story) -> list[str]:
    return sorted(story.countries.values_list("code", flat=True))


def _remember_countries(sender, instance, **kwargs):
    instance._countries_snapshot = _codes(instance)


def _fill_snapshot(sender, instance, history_instance, **kwargs):
    if history_instance.history_type == "+":
        return  # a new story's links are added after its first save
    snapshot = getattr(instance, "_countries_snapshot", None)
    history_instance.countries_snapshot = snapshot if snapshot is not None else _codes(instance)


def _links_changed(sender, instance, action, reverse, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    latest = instance.history.order_by("-history_date", "-history_id").first()
    if latest is not None:
        type(latest).objects.filter(pk=latest.pk).update(countries_snapshot=_codes(instance))


def connect_revision_signals():
    from .models import Story

    pre_delete.connect(_remember_countries, sender=Story, dispatch_uid="revisions-story-del")
    pre_create_historical_record.connect(
        _fill_snapshot, sender=Story.history.model, dispatch_uid="revisions-story-snapshot"
    )
    m2m_changed.connect(
        _links_changed, sender=Story.countries.through, dispatch_uid="revisions-story-links"
    )


# --- one issue's timeline ------------------------------------------------------------


@dataclass
class Entry:
    date: datetime
    user: object
    kind: str  # "issue", "section", "story", "photo", "key figure"
    model: str  # model_name, for admin URLs
    object_id: int
    label: str
    action: str  # Created, Changed, Deleted, Restored
    history_id: int
    previous_id: int | None = None
    changes: list[str] = field(default_factory=list)
    restorable: bool = False


def _label(kind: str, record) -> str:
    if kind == "photo":
        return record.caption or record.alt_text or f"Photo {record.id}"
    if kind == "key figure":
        return record.label
    return record.title or f"Untitled {kind}"


def _records(issue):
    """Every revision of the issue and of what is or was in it: five queries."""
    from .models import Issue, KeyFigure, Photo, Section, Story

    def revisions(model, **where):
        return list(model.history.filter(**where).select_related("history_user"))

    stories = revisions(Story, issue_id=issue.pk)
    story_ids = {r.id for r in stories}
    return [
        ("issue", "issue", revisions(Issue, id=issue.pk)),
        ("section", "section", revisions(Section, issue_id=issue.pk)),
        ("story", "story", stories),
        ("photo", "photo", revisions(Photo, story_id__in=story_ids) if story_ids else []),
        ("key figure", "keyfigure", revisions(KeyFigure, issue_id=issue.pk)),
    ]


def issue_timeline(issue, live_story_ids: set[int] | None = None) -> list[Entry]:
    """The revisions of an issue and of its sections, stories, photos and key figures,
    newest first, each with the fields it changed (computed here, without a query per
    revision). A deleted story that is still gone is `restorable`."""
    from .models import Story

    if live_story_ids is None:
        live_story_ids = set(Story.objects.filter(issue=issue).values_list("pk", flat=True))
    entries: list[Entry] = []
    for kind, model, records in _records(issue):
        if not records:
            continue
        fields = [
            f.attname
            for f in records[0].instance_type._meta.fields
            if f.attname in records[0].__dict__ and f.name not in {"updated_at"}
        ]
        by_object: dict[int, list] = {}
        for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
            by_object.setdefault(record.id, []).append(record)
        for object_id, history in by_object.items():
            for n, record in enumerate(history):
                previous = history[n - 1] if n else None
                changes = []
                if previous is not None and record.history_type == "~":
                    changes = [
                        f for f in fields if getattr(previous, f) != getattr(record, f)
                    ]
                reason = record.history_change_reason or ""
                action = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
                if reason.startswith(RESTORED):
                    action = RESTORED
                entries.append(
                    Entry(
                        date=record.history_date, user=record.history_user, kind=kind,
                        model=model, object_id=object_id, label=_label(kind, record),
                        action=action, history_id=record.history_id,
                        previous_id=previous.history_id if previous else None,
                        changes=[c.removesuffix("_id") for c in changes],
                        restorable=(
                            kind == "story" and record.history_type == "-"
                            and n == len(history) - 1 and object_id not in live_story_ids
                        ),
                    )  # fmt: skip
                )
    entries.sort(key=lambda e: (e.date, e.history_id), reverse=True)
    return entries[:TIMELINE_LIMIT]


# --- restoring a deleted story -------------------------------------------------------


class RestoreError(ValueError):
    pass


def _restore(record, user, when: str):
    instance = record.instance
    instance._history_user = user
    instance._change_reason = f"{RESTORED} (deleted {when})"
    return instance


@transaction.atomic
def restore_deleted_story(record, user):
    """Bring back the story whose deletion `record` is, with the countries it had and
    the photos deleted with it; its section too if that was deleted as well."""
    from directory.models import Country

    from .models import Photo, Section, Story

    if record.history_type != "-":
        raise RestoreError("Only a deleted story can be restored from its deletion.")
    if Story.objects.filter(pk=record.id).exists():
        raise RestoreError("This story exists: restore one of its revisions instead.")
    when = f"{record.history_date:%Y-%m-%d %H:%M}"
    if not Section.objects.filter(pk=record.section_id).exists():
        gone = Section.history.filter(id=record.section_id).order_by("-history_date").first()
        if gone is None:
            raise RestoreError("The story's section is gone and has no revision to restore.")
        _restore(gone, user, when).save()
    story = _restore(record, user, when)
    if Story.objects.filter(issue_id=story.issue_id, slug=story.slug).exists():
        story.slug = ""  # taken meanwhile by another story: a new one from the title
    story.save()
    story.countries.set(Country.objects.filter(code__in=record.countries_snapshot))
    photos = Photo.history.filter(story_id=record.id).order_by("id", "-history_date")
    latest: dict[int, object] = {}
    for photo in photos:
        latest.setdefault(photo.id, photo)
    for photo in latest.values():
        if photo.history_type == "-" and not Photo.objects.filter(pk=photo.id).exists():
            _restore(photo, user, when).save()
    return story

"""Pending changes: an Editor's edit of a published issue waits for a Publisher.

As in Wagtail (a `Revision` row holds an object's serialised content; the live row is
only written when the revision is published), an Editor's change to a section, story,
photo or key figure of a *published* issue is not saved to that row: it is stored here
as a `PendingChange` with the field values the form would have written. The public keeps
seeing the live rows. A Publisher applies an issue's pending changes (admin action
"Publish pending changes"); each change is checked against the object's `version` when
it was made (Story has one), so a change made on a version that has moved on since is
reported, not applied over the newer text.

Changes are stored per object: an Editor who saves the same object again replaces their
pending change (the fields that form edits; the others keep their pending values), and
the admin form shows the pending values (`pending_for`).

A new or replaced photo file is stored at once (re-encoded under a random name, with its
renditions, as any upload) but no Photo row points to it until the change is published:
config/media.py serves a file only a pending change names to staff only
(`pending_file_issue`), and a pending change that is discarded, replaced or refused takes
its files with it. `preview_pending` renders a page as it would be after publishing, in
a transaction that is rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .images import RENDITION_DIR, delete_after_commit, make_renditions, rendition_names


class StaleEdit(Exception):
    """A save based on a version of the object that is no longer the current one."""


class PendingChange(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Add"
        CHANGE = "change", "Change"
        DELETE = "delete", "Delete"

    issue = models.ForeignKey(
        "newsletters.Issue", on_delete=models.CASCADE, related_name="pending_changes"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # An object added inside another object that is itself a pending addition.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    parent_field = models.CharField(max_length=50, blank=True)
    action = models.CharField(max_length=6, choices=Action.choices)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"

    def changed_fields(self, current) -> list[str]:
        """Names of the fields this change gives another value than `current` has."""
        if self.action != self.Action.CHANGE or current is None:
            return []
        names = []
        for key, value in self.data.items():
            field = next((f for f in current._meta.fields if f.attname == key), None)
            if field is None:  # many-to-many: compared by ids
                now = sorted(obj.pk for obj in getattr(current, key).all())
                if now != value:
                    names.append(key)
            elif field.get_prep_value(getattr(current, key)) != field.get_prep_value(
                field.to_python(value)
            ):
                names.append(field.name)
        return names


def _m2m_names(model) -> list[str]:
    return [f.name for f in model._meta.many_to_many]


def serialise(instance, m2m: dict | None = None, only=None, also=()) -> dict:
    """The editable field values of `instance` (unsaved changes included), JSON-ready;
    with `only`, just those fields (the ones a form edits: the rest may move on); the
    fields named in `also` in any case."""
    data = {}
    for field in instance._meta.concrete_fields:
        editable = not field.primary_key and (field.editable or field.is_relation)
        wanted = editable and (only is None or field.name in only)
        if not (wanted or field.name in also):
            continue
        if isinstance(field, models.FileField):
            data[field.attname] = getattr(instance, field.attname).name or ""
        else:
            data[field.attname] = field.get_prep_value(getattr(instance, field.attname))
    for name, values in (m2m or {}).items():
        data[name] = sorted(obj.pk for obj in values)
    return data


def load_into(instance, data: dict) -> dict:
    """Set `data` on `instance` (not saved); returns the many-to-many values it holds."""
    m2m = {}
    for key, value in data.items():
        if key in _m2m_names(type(instance)):
            m2m[key] = value
            continue
        field = next((f for f in instance._meta.concrete_fields if f.attname == key), None)
        if field is not None and key != "version":
            setattr(instance, key, field.to_python(value))
    return m2m


def pending_for(instance) -> PendingChange | None:
    """The pending change of this object, if any."""
    if instance.pk is None:
        return None
    ct = ContentType.objects.get_for_model(type(instance))
    return (
        PendingChange.objects.filter(content_type=ct, object_id=instance.pk)
        .select_related("created_by")
        .last()
    )


def record(issue, instance, action, *, user, m2m=None, base_version=None, parent=None,
           parent_field="", only=None) -> PendingChange:  # fmt: skip
    """Store (or replace) the pending change of `instance` in `issue`. A photo's new
    file is stored now, for no row yet (`store_new_file`)."""
    ct = ContentType.objects.get_for_model(type(instance))
    summary = f"{instance._meta.verbose_name}: {str(instance)[:200]}"
    data = {}
    if action != PendingChange.Action.DELETE:
        new_file = store_new_file(instance)
        data = serialise(instance, m2m, only, also=new_file)
    existing = None
    if instance.pk is not None:
        existing = PendingChange.objects.filter(content_type=ct, object_id=instance.pk).last()
    if existing is not None:
        # One pending change per object: saved again, it is replaced, its base kept.
        if action == PendingChange.Action.CHANGE and existing.action == action:
            if new_file or "image" in data:  # a new file, or the image cleared
                _discard_files(existing.data, keep=data.get("image"))
            elif existing.data.get("image"):
                # No new upload this time: the file the earlier change brought stays.
                data["image"] = existing.data["image"]
                data["renditions"] = existing.data.get("renditions", {})
            # Fields this form does not edit keep what an earlier pending change gave
            # them (a slug set on the story's own page, saved again from the editor).
            merged = {**existing.data, **data}
            if "image" in data and "renditions" not in data:
                merged.pop("renditions", None)  # the image cleared: not the old renditions
            existing.data = merged
            existing.summary, existing.created_by = summary, user
            existing.parent, existing.parent_field = parent, parent_field
            existing.save()
            return existing
        existing.delete()
    return PendingChange.objects.create(
        issue=issue, content_type=ct, object_id=instance.pk, action=action, data=data,
        base_version=base_version, summary=summary, created_by=user, parent=parent,
        parent_field=parent_field,
    )  # fmt: skip


# --- the files of pending photos ---------------------------------------------------------


def store_new_file(instance) -> set[str]:
    """If `instance` (a Photo) holds an uploaded image not stored yet, store it as the
    field stores any upload (re-encoded, random name) and make its renditions, without
    saving the row. Returns the names of the fields this set."""
    from .models import Photo

    if not isinstance(instance, Photo):
        return set()
    file = instance.image
    if not file or file._committed:
        return set()
    file.save(file.name, file.file, save=False)
    instance.renditions = make_renditions(file)
    return {"image", "renditions"}


def _files_of(data: dict) -> list[str]:
    return [data.get("image") or "", *rendition_names(data.get("renditions") or {})]


def _discard_files(data: dict, keep: str | None = None) -> None:
    """Delete (after commit) the files a pending photo change brought, unless a photo row
    owns them (the change was published) or `keep` is that file."""
    from .models import Photo

    name = data.get("image") or ""
    if not name or name == keep or Photo.objects.filter(image=name).exists():
        return
    delete_after_commit(default_storage, _files_of(data))


@receiver(post_delete, sender=PendingChange, dispatch_uid="pending-change-files")
def _pending_change_deleted(sender, instance, **kwargs):
    # Discarded, refused at publishing, or its issue deleted: its new file goes too.
    _discard_files(instance.data or {})


def pending_file_issue(path: str):
    """The issue of the pending photo change that brought the file at `path` (an
    original or one of its renditions), or None. Such a file is for staff only."""
    from .models import Photo

    changes = PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Photo)
    ).select_related("issue")
    if path.startswith(f"{RENDITION_DIR}/"):
        # renditions/photos/<stem>-<width>w.webp: the original is photos/<stem>.<ext>
        stem = path[len(RENDITION_DIR) + 1 :].rsplit("-", 1)[0]
        candidates = changes.filter(data__image__startswith=f"{stem}.")
    else:
        candidates = changes.filter(data__image=path)
    for change in candidates:
        if path in _files_of(change.data):
            return change.issue
    return None


# --- publishing and previewing -------------------------------------------------------------


def apply_pending(issue, *, user=None) -> tuple[int, list[str]]:
    """Make the pending changes of `issue` live, oldest first. Returns how many were
    applied and what could not be (the object changed since, or is gone)."""
    applied, refused = 0, []
    created: dict[int, object] = {}
    for change in issue.pending_changes.select_related("content_type", "created_by"):
        model = change.content_type.model_class()
        try:
            with transaction.atomic():
                _apply_one(change, model, created, user)
            applied += 1
        # ObjectDoesNotExist: the object, or the section or story it goes into, is gone.
        except (StaleEdit, ObjectDoesNotExist, KeyError, IntegrityError) as exc:
            why = {
                StaleEdit: str(exc),
                IntegrityError: "it clashes with the issue as it is now (a slug or label "
                "already taken)",
            }.get(type(exc), "what it changes no longer exists")
            refused.append(f"{change.summary} (by {change.created_by or 'someone'}): {why}")
    issue.pending_changes.all().delete()
    return applied, refused


def preview_pending(issue, render):
    """`render(applied, refused)` run with the pending changes of `issue` applied as a
    Publisher's "Publish pending changes" would apply them, then all of it rolled back:
    nothing is kept, and the files and versions of the live rows are not touched (files
    are deleted only after a commit). Other connections never see these rows, and the
    public page cache is not told of them (signals.rolled_back_writes): its version and
    stored pages stay as they are."""
    from .signals import rolled_back_writes

    with rolled_back_writes(), transaction.atomic():
        applied, refused = apply_pending(issue)
        result = render(applied, refused)
        transaction.set_rollback(True)
    return result


def _apply_one(change, model, created, user) -> None:
    if change.action == PendingChange.Action.DELETE:
        model.objects.get(pk=change.object_id).delete()
        return
    if change.action == PendingChange.Action.CREATE:
        instance = model()
    else:
        instance = model.objects.get(pk=change.object_id)
    m2m = load_into(instance, change.data)
    if change.parent_id is not None:
        setattr(instance, change.parent_field, created[change.parent_id])
    if change.base_version is not None and hasattr(instance, "version"):
        instance._expected_version = change.base_version
    if user is not None:
        instance._history_user = user
    # A photo whose change brings a new file: its old renditions go once this commits
    # (Photo.save makes none, the change carries the new file's own).
    old_files = rendition_names(getattr(instance, "renditions", None) or {})
    instance.save()
    if "renditions" in change.data:
        gone = set(old_files) - set(rendition_names(change.data["renditions"]))
        delete_after_commit(default_storage, sorted(gone))
    for name, pks in m2m.items():
        getattr(instance, name).set(pks)
    created[change.pk] = instance

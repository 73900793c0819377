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
pending change, and the admin form shows the pending values (`pending_for`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction


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


def serialise(instance, m2m: dict | None = None, only=None) -> dict:
    """The editable field values of `instance` (unsaved changes included), JSON-ready;
    with `only`, just those fields (the ones a form edits: the rest may move on)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or not (field.editable or field.is_relation):
            continue
        if only is not None and field.name not in only:
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
    """Store (or replace) the pending change of `instance` in `issue`."""
    ct = ContentType.objects.get_for_model(type(instance))
    summary = f"{instance._meta.verbose_name}: {str(instance)[:200]}"
    existing = None
    if instance.pk is not None:
        existing = PendingChange.objects.filter(content_type=ct, object_id=instance.pk).last()
    if existing is not None:
        # One pending change per object: saved again, it is replaced, its base kept.
        if action == PendingChange.Action.CHANGE and existing.action == action:
            existing.data = serialise(instance, m2m, only)
            existing.summary, existing.created_by = summary, user
            existing.save()
            return existing
        existing.delete()
    return PendingChange.objects.create(
        issue=issue, content_type=ct, object_id=instance.pk, action=action,
        data={} if action == PendingChange.Action.DELETE else serialise(instance, m2m, only),
        base_version=base_version, summary=summary, created_by=user, parent=parent,
        parent_field=parent_field,
    )  # fmt: skip


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
    instance.save()
    for name, pks in m2m.items():
        getattr(instance, name).set(pks)
    created[change.pk] = instance

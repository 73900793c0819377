"""Admin side of "Editors cannot change what is live" and of optimistic locking.

`PendingForEditors` goes on the admins of issues, sections, stories, photos and key
figures. When a user who may not publish saves, adds or deletes any of them in a
*published* (or scheduled) issue - on its own page, as an inline, by a bulk delete, or
by moving a story into or out of such an issue - nothing is written to the live rows:
the change is stored as a PendingChange of that issue (newsletters/pending.py) and the
public keeps the published version until a Publisher runs "Publish pending changes".

`VersionedForm` adds the version a form was opened at; a save based on an older one is
refused with who changed it, when, and a link to compare the two revisions.

On the one-page editor (newsletters/admin_editor.py) the rows of sections, stories,
photos and key figures with a pending change are marked as such, and for a user who may
not publish they show the pending values (`overlay_pending`): the form they save again
is their pending version, not the live text it would otherwise silently put back. A row
an Editor moved (pending) shows in its pending section or story (`PendingPlaces`), and
a save that posts it under its live parent keeps a pending move the page could not show
(to another issue); rows added as pending changes show read-only in their place
(`pending_added_html`), outside the form, so a save neither loses nor repeats them.
"Preview" renders the issue, and its story pages, with the pending changes applied
(`preview_view`), its links leading from one preview to the other.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.history import valid_pk

from .models import Issue, Photo, Story
from .pending import PendingChange, load_into, pending_for, preview_pending, record
from .roles import can_publish

WAITING = (
    "Saved as a pending change of the published issue “{}”: the public sees the published "
    "version until a Publisher publishes the pending changes."
)


def issue_of(obj) -> Issue | None:
    """The issue an object of the publication belongs to (None while it has none)."""
    if isinstance(obj, Issue):
        return obj
    if isinstance(obj, Photo):
        return obj.story.issue if obj.story_id else None
    if isinstance(obj, Story):
        return obj.section.issue if obj.section_id else None
    return obj.issue if getattr(obj, "issue_id", None) else None


def _live(issue) -> bool:
    return issue is not None and issue.status == Issue.Status.PUBLISHED


class VersionedForm(forms.ModelForm):
    """A form that remembers the version of the object it was opened at."""

    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            version = self.instance.version
            if hasattr(self.instance, "_history"):
                # Restoring a revision (simple-history) starts from the current version.
                stored = type(self.instance).objects.filter(pk=self.instance.pk)
                version = stored.values_list("version", flat=True).first() or version
            self.fields["seen_version"].initial = version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is None or seen is None:
            return cleaned
        model = type(self.instance)
        stored = model.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        current = stored.first()
        if current is not None and current != seen:
            raise forms.ValidationError(stale_message(self.instance, seen), code="stale")
        # Checked again, atomically, when the row is written (newsletters.models.next_version).
        self.instance._expected_version = seen
        return cleaned


def stale_message(instance, seen: int):
    """“X” was changed by <user> at <time> since you opened it, with a compare link."""
    opts = instance._meta
    history = instance.history.order_by("-history_date", "-history_id")
    latest = history.first()
    old = history.filter(version=seen).first()
    who = (latest.history_user if latest else None) or "someone"
    when = timezone.localtime(latest.history_date) if latest else None
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[instance.pk])
    if latest is not None and old is not None:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_history_compare", args=[instance.pk]
        ) + f"?old={old.history_id}&new={latest.history_id}"
    return format_html(
        "“{}” was changed by {} at {} since you opened it, so your changes were not saved. "
        '<a href="{}">Compare the two versions</a>, then reload the page and edit the '
        "latest one.",
        instance, who, f"{when:%d %b %Y %H:%M}" if when else "an unknown time", url,
    )  # fmt: skip


def edited_fields(form) -> set[str]:
    """The fields a pending change of this form records: all its fields, but a file
    field only when a file was uploaded or cleared (else the form gives back the live
    row's file, which would replace a file an earlier pending change brought)."""
    return {
        name
        for name in form.cleaned_data
        if name in form.changed_data or not isinstance(form.fields.get(name), forms.FileField)
    }


class PendingForEditors:
    """ModelAdmin mixin: an Editor's writes to a published issue become pending changes."""

    def _waits(self, request, *issues) -> Issue | None:
        """The published issue this write would change, when the user may not publish."""
        if can_publish(request.user):
            return None
        return next((issue for issue in issues if _live(issue)), None)

    def _stored(self, obj):
        if obj.pk is None:
            return None
        return type(obj)._default_manager.filter(pk=obj.pk).first()

    # --- the object's own page ---------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None or request.method != "GET":
            return obj
        listed = getattr(obj, "_pending_list", None)  # read by the one-page editor
        if listed is None:
            change = pending_for(obj)
        else:
            ct = ContentType.objects.get_for_model(type(obj))
            mine = [c for c in listed if (c.content_type_id, c.object_id) == (ct.pk, obj.pk)]
            change = mine[-1] if mine else None
        if change is not None and change.action == PendingChange.Action.CHANGE:
            messages.warning(
                request,
                f"This has a pending change by {change.created_by or 'someone'} from "
                f"{timezone.localtime(change.created_at):%d %b %Y %H:%M}, not public yet"
                + ("." if can_publish(request.user) else ": the form shows it."),
            )
            if not can_publish(request.user):
                load_into(obj, change.data)
        return obj

    def save_model(self, request, obj, form, change):
        before = self._stored(obj)
        issue = self._waits(request, issue_of(obj), issue_of(before) if before else None)
        if issue is None:
            return super().save_model(request, obj, form, change)
        m2m = {
            f.name: form.cleaned_data[f.name]
            for f in obj._meta.many_to_many
            if f.name in form.cleaned_data
        }
        request._pending_issue = issue
        # Nothing of it is saved now, its many-to-many values included (a restore of a
        # revision calls form.save_m2m() itself after save_model).
        form.save_m2m = lambda: None
        if change and not form.has_changed():
            return None  # only its inlines changed: they wait (save_formset)
        action = PendingChange.Action.CHANGE if change else PendingChange.Action.CREATE
        request._pending_parent = record(
            issue, obj, action, user=request.user, m2m=m2m,
            base_version=getattr(obj, "_expected_version", None),
            only=None if action == PendingChange.Action.CREATE else edited_fields(form),
        )  # fmt: skip
        return None

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_pending_issue", None) is None:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:  # the inlines wait with their parent
            self.save_formset(request, form, formset, change)
        match = request.resolver_match
        if match is not None and match.url_name.endswith("_changelist"):
            # An edit in the list (list_editable): no change page says it waits.
            messages.warning(request, WAITING.format(request._pending_issue))
        return None

    def save_formset(self, request, form, formset, change):
        parent = getattr(request, "_pending_parent", None)
        issue = getattr(request, "_pending_issue", None) or self._waits(
            request, issue_of(form.instance)
        )
        if issue is None:
            return super().save_formset(request, form, formset, change)
        # Nothing is saved now: the admin's change message reads these lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        # The one-page editor nests formsets (stories in sections, photos in stories): the
        # rows of a formset whose parent is itself a pending addition are its children.
        created = request.__dict__.setdefault("_pending_created", {})
        owner = created.get(id(formset.instance)) if formset.instance.pk is None else None
        if owner is None and parent is not None and parent.object_id is None:
            owner = parent  # the object of this page is a pending addition
        attname = formset.fk.attname
        for inline_form in formset.forms:
            instance = inline_form.instance
            # Posted under another parent than its stored one: dragged there (nested-admin).
            moved = instance.pk is not None and getattr(
                instance, "_live_parent", getattr(instance, attname)
            ) != getattr(instance, attname)
            if instance.pk is not None and inline_form in formset.deleted_forms:
                record(issue, instance, PendingChange.Action.DELETE, user=request.user)
            elif inline_form in formset.deleted_forms:
                continue
            else:
                is_new = instance.pk is None
                parent_change, parent_field = owner, formset.fk.name if owner else ""
                undone = False
                if not is_new and not moved:
                    kept, undone = _pending_move(
                        request, issue, form.instance, formset.fk, instance
                    )
                    if kept is not None:  # a pending move this page did not show: it stays
                        parent_change, parent_field = kept.parent, kept.parent_field
                        setattr(instance, attname, kept.data.get(attname))
                if not (inline_form.has_changed() or moved or undone):
                    continue
                m2m = {
                    f.name: inline_form.cleaned_data[f.name]
                    for f in instance._meta.many_to_many
                    if f.name in inline_form.cleaned_data
                }
                change = record(
                    issue, instance,
                    PendingChange.Action.CREATE if is_new else PendingChange.Action.CHANGE,
                    user=request.user, m2m=m2m,
                    base_version=getattr(instance, "_expected_version", None),
                    parent=parent_change, parent_field=parent_field,
                    only=None if is_new else edited_fields(inline_form),
                )  # fmt: skip
                if is_new:
                    created[id(instance)] = change
        request._pending_issue = issue
        return None

    def _done(self, request, redirect_to_issue):
        issue = request._pending_issue
        messages.warning(request, WAITING.format(issue))
        if redirect_to_issue:
            return HttpResponseRedirect(reverse("admin:newsletters_issue_change", args=[issue.pk]))
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_pending_issue", None) is not None:
            return self._done(request, True)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_pending_issue", None) is not None:
            self._done(request, False)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # --- deleting ----------------------------------------------------------------------

    def delete_model(self, request, obj):
        issue = self._waits(request, issue_of(obj))
        if issue is None:
            return super().delete_model(request, obj)
        record(issue, obj, PendingChange.Action.DELETE, user=request.user)
        messages.warning(request, WAITING.format(issue))
        return None

    def delete_queryset(self, request, queryset):
        now, later = [], []
        for obj in queryset:
            (later if self._waits(request, issue_of(obj)) else now).append(obj.pk)
        for obj in queryset.filter(pk__in=later):
            record(issue_of(obj), obj, PendingChange.Action.DELETE, user=request.user)
        if later:
            messages.warning(
                request,
                f"{len(later)} of them belong to a published issue: their deletion waits for "
                "a Publisher.",
            )
        super().delete_queryset(request, queryset.filter(pk__in=now))


def _pending_move(request, issue, page_object, fk, instance):
    """For a row posted under its live parent: (its pending change, if that moves it to a
    parent the page did not show it in, so the move stays; False), or (None, True) if the
    page showed it in its pending parent and it was dragged back, or (None, False)."""
    if not hasattr(request, "_pending_index"):  # one query for the rows of the request
        request._pending_index = {
            (c.content_type_id, c.object_id): c
            for c in PendingChange.objects.filter(issue=issue, object_id__isnull=False)
        }
    ct = ContentType.objects.get_for_model(type(instance))
    change = request._pending_index.get((ct.pk, instance.pk))
    if change is None or change.action != PendingChange.Action.CHANGE:
        return None, False
    target = change.data.get(fk.attname)
    if change.parent_id is None and (
        fk.attname not in change.data or target == getattr(instance, fk.attname)
    ):
        return None, False  # no move pending
    # The one-page editor shows an Editor's row in its pending parent when that is on the
    # page (a section or story of this issue), as PendingPlaces does.
    parent_model = fk.remote_field.model
    shown_there = (
        change.parent_id is None
        and isinstance(page_object, Issue)
        and parent_model is not Issue  # a section or key figure moved to another issue
        and parent_model._default_manager.filter(pk=target, issue=page_object.pk).exists()
    )
    if shown_there:
        return None, True
    return change, False


def pending_list_html(issue) -> str:
    """The pending changes of an issue, for its admin page."""
    changes = getattr(issue, "_pending_list", None)
    if changes is None:
        changes = list(issue.pending_changes.select_related("created_by", "content_type"))
    if not changes:
        return format_html("<p>{}</p>", "None.")
    def link(change):
        if change.object_id is None:
            return ""
        opts = change.content_type.model_class()._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[change.object_id])

    # The objects changed, read per model (with their many-to-many values) rather than
    # per change: the page's queries do not grow with the number of pending changes.
    current = {}
    changed = [c for c in changes if c.action == PendingChange.Action.CHANGE]
    for ct in {c.content_type for c in changed}:
        model = ct.model_class()
        ids = [c.object_id for c in changed if c.content_type_id == ct.pk]
        rows = model._default_manager.filter(pk__in=ids).prefetch_related(
            *(f.name for f in model._meta.many_to_many)
        )
        current.update({(ct.pk, row.pk): row for row in rows})

    def fields(change):
        if change.action != PendingChange.Action.CHANGE:
            return ""
        names = change.changed_fields(current.get((change.content_type_id, change.object_id)))
        return f" ({', '.join(names)})" if names else " (no difference any more)"

    def title(change):
        # An addition has no page of its own yet: it shows on the issue's page below.
        url = link(change)
        return format_html('<a href="{}">{}</a>', url, change) if url else format_html(
            "{}", change
        )

    rows = format_html_join(
        "",
        "<li>{}{} — {}, {}</li>",
        (
            (title(c), fields(c), c.created_by or "someone",
             f"{timezone.localtime(c.created_at):%d %b %Y %H:%M}")  # fmt: skip
            for c in changes
        ),
    )
    return format_html('<ul class="pending-changes">{}</ul>', rows)


# --- the one-page editor's rows ---------------------------------------------------------


def pending_rows(request, issue) -> dict:
    """{(content type id, object id): pending change} of the issue on this page, read
    once per request (with the issue's list of pending changes, `pending_list_html`)."""
    if not hasattr(request, "_editor_pending"):
        changes = issue._pending_list = list(
            issue.pending_changes.select_related("created_by", "content_type")
        )
        request._editor_pending = {
            (c.content_type_id, c.object_id): c for c in changes if c.object_id is not None
        }
    return request._editor_pending


def overlay_pending(rows: list, pending: dict, show: bool) -> list:
    """Mark the rows with a pending change (`row.pending_change`); with `show`, set the
    pending values of their own fields on them (not saved), the many-to-many ones in
    `row.pending_m2m` for the form's initial values. Links to parents stay live: the
    row is shown where it is now. Returns the rows in their (pending) order."""
    if not pending or not rows:
        return rows
    ct = ContentType.objects.get_for_model(type(rows[0]))
    links = {f.attname for f in rows[0]._meta.concrete_fields if f.is_relation}
    moved = False
    for row in rows:
        change = pending.get((ct.pk, row.pk))
        if change is None:
            continue
        row.pending_change = change
        if show and change.action == PendingChange.Action.CHANGE:
            data = {k: v for k, v in change.data.items() if k not in links}
            row.pending_m2m = load_into(row, data)
            moved = moved or "position" in data
    if moved:
        rows.sort(key=lambda row: (getattr(row, "position", 0), row.pk))
    return rows


class PendingPlaces:
    """Where the one-page editor shows, for an Editor, the rows a pending change moves
    (a story dragged into another section, a photo into another story): in the parent
    the change moves them to when that parent is on the page, once, marked "moved here
    from ..."; else where they are now, marked "moving to ...", and a save of the page
    keeps the pending parent (`PendingForEditors.save_formset`).

    The rows of the page are registered as the formsets read them (the sections with the
    stories and photos prefetched in them, before any story formset asks): the rows
    moved within the page are found there, without a query. Rows moved in from outside
    the page are read with one query (`load(model, pks)`); the parent of a move out of
    the page, for its note, with one query each (rare: a move to another issue is made on
    the story's own page)."""

    def __init__(self, pending: dict, load):
        self.pending, self.load = pending, load
        self.rows: dict = {}  # model -> {pk: row on this page}
        self._incoming: dict = {}  # model -> {parent pk: [rows moved there]}

    def register(self, rows) -> None:
        for row in rows:
            self.rows.setdefault(type(row), {})[row.pk] = row
            for children in getattr(row, "_prefetched_objects_cache", {}).values():
                if getattr(children, "model", None) is not None:  # reverse relations
                    self.register(children)

    def _moves(self, model, attname):
        """{pk: pending change} of `model` rows whose pending change gives them another
        parent than the live one (or puts them in a pending addition)."""
        ct = ContentType.objects.get_for_model(model)
        return {
            pk: change
            for (ct_id, pk), change in self.pending.items()
            if ct_id == ct.pk and change.action == PendingChange.Action.CHANGE
            and (change.parent_id is not None or attname in change.data)
        }  # fmt: skip

    def on_page(self, parent_model, pk) -> bool:
        return pk is not None and pk in self.rows.get(parent_model, {})

    def place(self, parent, fk, rows: list) -> list:
        """The rows of `parent`'s formset: its own, less those moving to another parent
        on the page, plus those moving here."""
        self.register(rows)
        model, parent_model, attname = fk.model, fk.remote_field.model, fk.attname
        moves = self._moves(model, attname)
        if not moves:
            return rows
        kept = []
        for row in rows:
            change = moves.get(row.pk)
            target = None if change is None or change.parent_id else change.data[attname]
            if change is None or target == row.__dict__.get("_live_parent", getattr(row, attname)):
                kept.append(row)
            elif self.on_page(parent_model, target):
                continue  # shown in its pending parent
            else:
                row.pending_place = self._elsewhere(parent_model, change, attname)
                kept.append(row)
        kept += self._incoming_rows(model, parent_model, attname, moves).get(parent.pk, [])
        kept.sort(key=lambda row: (getattr(row, "position", 0), row.pk))
        return kept

    def _incoming_rows(self, model, parent_model, attname, moves) -> dict:
        if model not in self._incoming:
            here = self.rows.get(model, {})
            wanted = {
                pk: change.data[attname]
                for pk, change in moves.items()
                if not change.parent_id and self.on_page(parent_model, change.data[attname])
            }
            missing = [pk for pk in wanted if pk not in here]
            loaded = self.load(model, missing) if missing else []
            self.register(loaded)  # their photos may have moved too
            found = {**here, **{row.pk: row for row in loaded}}
            incoming: dict = {}
            for pk, target in wanted.items():
                row = found.get(pk)
                if row is None or getattr(row, attname) == target:
                    continue
                source = self.rows.get(parent_model, {}).get(getattr(row, attname))
                row.pending_place = format_html(
                    "moved here from “{}”", source if source is not None else "another issue"
                )
                # The form's parent field shows (and posts) the pending parent.
                row._live_parent = getattr(row, attname)
                setattr(row, attname, target)
                incoming.setdefault(target, []).append(row)
            self._incoming[model] = incoming
        return self._incoming[model]

    def _elsewhere(self, parent_model, change, attname) -> str:
        if change.parent_id is not None:
            return "moving to a section or story that is itself a pending addition"
        target = parent_model._default_manager.filter(pk=change.data[attname]).first()
        if target is None:
            return "moving to a section or story that no longer exists"
        issue = getattr(target, "issue", None)
        if issue is not None:
            return format_html("moving to “{}” of “{}”", target, issue)
        return format_html("moving to “{}”", target)


def pending_note(row) -> str:
    """The note on a row of the one-page editor that has a pending change."""
    change = getattr(row, "pending_change", None)
    if change is None:
        return ""
    who = change.created_by or "someone"
    when = f"{timezone.localtime(change.created_at):%d %b %Y %H:%M}"
    if change.action == PendingChange.Action.DELETE:
        text = "Deletion pending ({}, {}): public until a Publisher publishes it."
    elif hasattr(row, "pending_m2m"):
        text = "Pending change ({}, {}), shown here: not public until a Publisher publishes it."
    else:
        text = "Pending change ({}, {}), not shown here: the form has the published text."
    place = getattr(row, "pending_place", "")
    return format_html(
        ' <span class="pending-note">{}{}</span>',
        text.format(who, when),
        format_html(" Pending place: {}.", place) if place else "",
    )


def pending_added_html(formset) -> str:
    """The rows an Editor added to the parent of `formset` as pending changes (stories of
    a section, photos of a story, sections and key figures of the issue), after its live
    rows, read-only and marked "Pending, added by": they are not in the form, so saving
    the page again neither loses nor repeats them. A pending section shows the stories
    and photos added in it."""
    additions = getattr(formset, "additions", None)
    parent = formset.instance
    if not additions or parent is None or parent.pk is None:
        return ""
    ct = ContentType.objects.get_for_model(formset.model)
    attname = formset.fk.attname
    mine = [
        c for c in additions
        if c.content_type_id == ct.pk and c.parent_id is None and c.data.get(attname) == parent.pk
    ]  # fmt: skip
    return _added_rows(mine, additions, getattr(formset, "country_names", {}))


def _added_rows(changes, additions, countries) -> str:
    changes = sorted(changes, key=lambda c: (c.data.get("position") or 0, c.pk))
    return format_html_join("", "{}", ((_added_row(c, additions, countries),) for c in changes))


def _added_row(change, additions, countries) -> str:
    from django.core.files.storage import default_storage

    data, model = change.data, change.content_type.model_class()
    when = f"{timezone.localtime(change.created_at):%d %b %Y %H:%M}"
    shown = {
        "section": ("title",),
        "story": ("title", "body"),
        "photo": ("caption", "alt_text", "credit"),
        "keyfigure": ("label", "value", "unit", "note"),
    }.get(model._meta.model_name, ())
    fields = format_html_join(
        "", "<dt>{}</dt><dd>{}</dd>",
        ((model._meta.get_field(name).verbose_name, data.get(name) or "–") for name in shown),
    )  # fmt: skip
    if data.get("countries"):
        names = ", ".join(countries.get(pk, str(pk)) for pk in data["countries"])
        fields += format_html("<dt>countries</dt><dd>{}</dd>", names)
    if data.get("image"):
        fields += format_html(
            '<dt>photo</dt><dd><img class="photo-thumb" src="{}" alt="" width="120"></dd>',
            default_storage.url(data["image"]),
        )
    children = _added_rows(
        [c for c in additions if c.parent_id == change.pk], additions, countries
    )
    return format_html(
        '<div class="pending-added" data-pending-change="{}"><h3><b>{}:</b>&nbsp;{} '
        '<span class="pending-note">Pending, added by {} ({}): not public until a Publisher '
        "publishes it; shown here read-only, not part of this form.</span></h3>"
        '<dl class="pending-added-fields">{}</dl>{}</div><!-- pending-added -->',
        change.pk, model._meta.verbose_name.capitalize(),
        data.get("title") or data.get("caption") or data.get("label") or "(untitled)",
        change.created_by or "someone", when, fields, children,
    )  # fmt: skip


# --- "Preview" with the pending changes -----------------------------------------------------


def _notice(applied, refused):
    return format_html(
        "Preview with {} pending change{} applied, as this page will be once a "
        "Publisher publishes them; the public page shows the published version.{}",
        applied, "" if applied == 1 else "s",
        format_html_join("", " Not applicable: {}.", ((r,) for r in refused)),
    )  # fmt: skip


def _preview_links(response, issue_pk, issue_slug) -> None:
    """Point the page's links to the issue and its stories (public pages, which show the
    published version) at their previews instead: `href="/issues/<issue>/..."` becomes
    the admin's preview of the issue or of that story. Run while the pending changes are
    applied, so stories they add or rename are linked too."""
    issue_url = reverse("newsletters:issue", kwargs={"slug": issue_slug})
    targets = {issue_url: reverse("admin:newsletters_issue_preview", args=[issue_pk])}
    for slug in Story.objects.filter(section__issue_id=issue_pk).values_list("slug", flat=True):
        public = reverse("newsletters:story", kwargs={"issue_slug": issue_slug, "slug": slug})
        targets[public] = reverse("admin:newsletters_issue_preview_story", args=[issue_pk, slug])
    pattern = re.compile(
        r'href="(' + "|".join(re.escape(url) for url in targets) + r')(#[^"]*)?"'
    )
    html = response.content.decode(response.charset)
    response.content = pattern.sub(
        lambda m: f'href="{targets[m.group(1)]}{m.group(2) or ""}"', html
    ).encode(response.charset)


def preview_view(model_admin, story=False):
    """The issue's public page (or, with `story`, one of its story pages) as it will be
    once its pending changes are published (staff, under the issue admin); the public
    pages keep the published version. Links to the issue and its stories lead to their
    previews."""
    from .views import IssueDetailView, StoryDetailView

    class Notice:
        applied, refused = 0, ()

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["preview_notice"] = _notice(self.applied, self.refused)
            return context

    page = type("PendingPreview", (Notice, StoryDetailView if story else IssueDetailView), {})

    def preview(request, object_id, story_slug=None):
        issue = get_object_or_404(Issue, pk=valid_pk(Issue, object_id))
        if not model_admin.has_view_or_change_permission(request, issue):
            raise PermissionDenied

        def render(applied, refused):
            slug = Issue.objects.filter(pk=issue.pk).values_list("slug", flat=True).get()
            view = page.as_view(applied=applied, refused=refused)
            if story:
                response = view(request, issue_slug=slug, slug=story_slug)
            else:
                response = view(request, slug=slug)
            response.render()  # now, while the pending changes are applied
            _preview_links(response, issue.pk, slug)
            return response

        return preview_pending(issue, render)

    return preview

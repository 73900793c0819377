"""Revision history in the admin, for every model that keeps revisions.

History and restore come from django-simple-history's SimpleHistoryAdmin; `HistoryAdmin`
adds a compare page to it (two revisions chosen on the history page, the fields that
differ listed side by side, changed words marked by `word_diff`) and records a restore
as a revision whose change reason starts with `RESTORED`, so timelines can say so.

Ids in these URLs come from anyone with a staff login: one that is not a valid primary
key ("abc", "²") or revision id is a 404, never a database error.
"""

import difflib
import re

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from simple_history.admin import SimpleHistoryAdmin

RESTORED = "Restored"
REVISION_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only: "²".isdigit() is True


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old, new) -> SafeString:
    """`old` → `new` as HTML: removed words in <del>, added ones in <ins>, all escaped."""
    a, b = _TOKENS.findall(str(old or "")), _TOKENS.findall(str(new or ""))
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in {"insert", "replace"}:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(out))  # noqa: S308


def valid_pk(model, object_id):
    """`object_id` as `model`'s primary key, or Http404 if it cannot be one."""
    try:
        return model._meta.pk.to_python(unquote(object_id))
    except (ValidationError, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such object.") from exc


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin plus /<id>/history/compare/?old=<revision>&new=<revision>."""

    object_history_list_template = "admin/history/object_history_list.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name=f"{opts.app_label}_{opts.model_name}_history_compare",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        valid_pk(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        valid_pk(self.model, object_id)
        if not REVISION_ID.fullmatch(str(version_id)):
            raise Http404("No such revision.")
        # A POST here restores the revision: save_model below records it as a restore.
        request.restoring_revision = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_compare_view(self, request, object_id):
        object_id = valid_pk(self.model, object_id)
        # On a historical model `pk` is the revision id; the object's own id is the attname.
        history = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is None:
            latest = history.order_by("-history_date").first()
            if latest is None:
                raise Http404
            obj = latest.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        ids = [request.GET.get("old", ""), request.GET.get("new", "")]
        if not all(REVISION_ID.fullmatch(i) for i in ids):
            messages.error(request, "Choose two revisions to compare.")
            return HttpResponseRedirect(self._history_url(object_id))
        records = {r.history_id: r for r in history.filter(history_id__in=ids)}
        try:
            old, new = (records[int(i)] for i in ids)
        except KeyError as exc:
            raise Http404("No such revision of this object.") from exc
        if old.history_date > new.history_date:
            old, new = new, old
        delta = new.diff_against(old, foreign_keys_are_objs=True)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions: {obj}",
            "object": obj,
            "opts": opts,
            "app_label": opts.app_label,
            "old": old,
            "new": new,
            "changes": [
                {
                    "field": opts.get_field(change.field).verbose_name,
                    "old": change.old,
                    "new": change.new,
                    # Texts get their changed words marked (escaped, see word_diff).
                    "words": word_diff(change.old, change.new)
                    if isinstance(change.old, str) and isinstance(change.new, str)
                    else None,
                }
                for change in delta.changes
            ],
            "history_url": self._history_url(object_id),
            "revert_disabled": self.revert_disabled(request, obj),
        }
        return TemplateResponse(request, "admin/history/compare.html", context)

    def save_model(self, request, obj, form, change):
        version = getattr(request, "restoring_revision", None)
        if version is not None:
            obj._change_reason = f"{RESTORED} revision {version}"
        super().save_model(request, obj, form, change)

    def _history_url(self, object_id):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])

"""An issue's own admin tools beyond Django's pages: dismissing import warnings, and
downloading the issue as Markdown or JSON.

The history and compare pages every model shares are core.history.HistoryAdmin. Ids in
these URLs come from anyone with a staff login: one that is not a valid primary key
("abc", "²") is a 404, never a database error.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.history import valid_pk

from .exporting import export_response

# --- issue tools ---------------------------------------------------------------------


def _issue_for(model_admin, request, object_id, *, change: bool):
    issue = get_object_or_404(model_admin.model, pk=valid_pk(model_admin.model, object_id))
    allowed = (
        model_admin.has_change_permission(request, issue)
        if change
        else model_admin.has_view_or_change_permission(request, issue)
    )
    if not allowed:
        raise PermissionDenied
    return issue


def issue_tool_urls(model_admin) -> list:
    """URL patterns for IssueAdmin.get_urls(): dismiss warnings, export."""

    @require_POST
    def dismiss_warnings(request, object_id):
        issue = _issue_for(model_admin, request, object_id, change=True)
        count = len(issue.import_warnings)
        issue._history_user = request.user
        issue.dismiss_warnings()
        messages.success(request, f"{count} import warning{'s' if count != 1 else ''} dismissed.")
        return HttpResponseRedirect(reverse("admin:newsletters_issue_change", args=[issue.pk]))

    def export(request, object_id, fmt):
        issue = _issue_for(model_admin, request, object_id, change=False)
        return export_response(model_admin.model.objects.filter(pk=issue.pk), fmt)

    site = model_admin.admin_site
    return [
        path(
            "<path:object_id>/dismiss-warnings/",
            site.admin_view(dismiss_warnings),
            name="newsletters_issue_dismiss_warnings",
        ),
        path(
            "<path:object_id>/export.md",
            site.admin_view(export),
            {"fmt": "md"},
            name="newsletters_issue_export_md",
        ),
        path(
            "<path:object_id>/export.json",
            site.admin_view(export),
            {"fmt": "json"},
            name="newsletters_issue_export_json",
        ),
    ]

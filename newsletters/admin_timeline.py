"""The issue's history page as one timeline of the issue and everything in it, with the
restore of a deleted story (newsletters/revisions.py does the work)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.history import valid_pk

from .revisions import RestoreError, issue_timeline, restore_deleted_story


class IssueTimelineMixin:
    """For IssueAdmin: the history page lists the timeline above the issue's own
    revisions."""

    object_history_template = "admin/newsletters/issue/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        # "abc" is a 404 (HistoryAdmin checks it too, but only after this query).
        issue = self.get_queryset(request).filter(pk=valid_pk(self.model, object_id)).first()
        context = dict(extra_context or {})
        if issue is not None:
            timeline = issue_timeline(issue)
            for entry in timeline:
                if entry.previous_id is not None:
                    url = reverse(
                        f"admin:newsletters_{entry.model}_history_compare", args=[entry.object_id]
                    )
                    entry.compare_url = f"{url}?old={entry.previous_id}&new={entry.history_id}"
            context["timeline"] = timeline
            context["can_restore"] = self.has_change_permission(request, issue)
        return super().history_view(request, object_id, extra_context=context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/restore-story/<int:history_id>/",
                self.admin_site.admin_view(self.restore_story_view),
                name="newsletters_issue_restore_story",
            ),
            *super().get_urls(),
        ]

    def restore_story_view(self, request, object_id, history_id):
        return require_POST(self._restore_story)(request, object_id, history_id)

    def _restore_story(self, request, object_id, history_id):
        from .models import Story

        issue = get_object_or_404(self.model, pk=valid_pk(self.model, object_id))
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        record = get_object_or_404(Story.history, history_id=history_id, issue_id=issue.pk)
        try:
            story = restore_deleted_story(record, request.user)
        except RestoreError as exc:
            messages.error(request, str(exc))
        else:
            photos = story.photos.count()
            messages.success(
                request,
                f"Story “{story}” restored with {story.countries.count()} "
                f"countr{'y' if story.countries.count() == 1 else 'ies'} and "
                f"{photos} photo{'' if photos == 1 else 's'}.",
            )
        return HttpResponseRedirect(self._history_url(issue.pk))

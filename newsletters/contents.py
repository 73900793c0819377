"""An issue's contents rendered once and stored with the issue (issue 12).

The body of an issue page (contents list, key figures, sections, stories with their
photos and countries, the directory as printed) takes nine queries and most of a page's
Python to build; it changes only when staff or an import change the issue. So it is
rendered on the first view after a change and stored in `Issue.contents_html`, with what
a shared link shows in `Issue.share_parts`; later views read both with the issue itself.

Never stale: every change to what it shows (newsletters/signals.py: the issue, its
sections, stories, photos, story countries, key figures, any country's name) clears it
and bumps `Issue.contents_version` in the writer's own transaction. A view stores its
rendering only if the version is still the one it read before rendering, so a rendering
of data older than a change is never kept. Writes that send no signal (bulk_create in
the importer) come with a save of the issue in the same transaction, which clears it.
"""

from django.db.models import F
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .snapshot import snapshot_countries


def clear_contents(issues) -> None:
    """Forget the stored contents of `issues` (a queryset, or a list of issue ids)."""
    from .models import Issue

    rows = issues if hasattr(issues, "update") else Issue.objects.filter(pk__in=issues)
    rows.update(contents_html="", share_parts={}, contents_version=F("contents_version") + 1)


def issue_contents(issue) -> SafeString:
    """The stored contents of `issue`, rendered and stored first if there are none, with
    what a shared link to it shows (`issue.share_parts`, newsletters/sharing.py)."""
    from .models import Issue
    from .sharing import issue_share_parts  # imports the models

    if issue.contents_html:
        # Safe: rendered below from templates that escape all text, with story bodies
        # from newsletters/markdown.py (sanitised).
        return mark_safe(issue.contents_html)  # noqa: S308
    full = Issue.objects.with_contents().get(pk=issue.pk)
    html = render_to_string(
        "newsletters/_issue_contents.html",
        {"issue": full, "snapshot": snapshot_countries(full.directory_snapshot)},
    )
    issue.share_parts = issue_share_parts(full)
    Issue.objects.filter(pk=issue.pk, contents_version=issue.contents_version).update(
        contents_html=html, share_parts=issue.share_parts
    )
    return mark_safe(html)  # noqa: S308

"""An issue's contents rendered once and stored with the issue (issue 12).

The body of an issue page (contents list, key figures, sections, stories with their
photos and countries, the directory as printed) takes nine queries and most of a page's
Python to build; it changes only when staff or an import change the issue. So it is
rendered on the first view after a change and stored beside the issue (IssueContents);
later views read it with the issue itself, in the same query, with what a shared link
to the issue shows (`share`, newsletters/sharing.py).

Never stale: every change to what it shows (newsletters/signals.py: the issue, its
sections, stories, photos, story countries, key figures, any country's name) gives
`Issue.contents_version` a new value in the writer's own transaction. A rendering is stored under
the version read before rendering and used only while that is the issue's version, so
a rendering of data older than a change is never shown. Writes that send no signal (bulk_create in
the importer) come with a save of the issue in the same transaction, which clears it.
"""

import secrets

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .snapshot import snapshot_countries


def clear_contents(issues) -> None:
    """Make the stored contents of `issues` (a queryset, or issue ids) out of date."""
    from .models import Issue

    rows = issues if hasattr(issues, "update") else Issue.objects.filter(pk__in=issues)
    # A new random value, not +1: a save of an issue read before another change writes
    # its old version back, and +1 on that could give again a version a rendering of
    # older data was stored under.
    rows.update(contents_version=secrets.randbelow(2**31 - 2) + 1)


def issue_contents(issue) -> SafeString:
    """The contents of `issue` (read with select_related("stored_contents")), rendered
    and stored first if none are stored for its current version. Sets
    `issue.share_parts`, the stored inputs of views' `issue_share`."""
    from .models import Issue, IssueContents
    from .sharing import issue_share_parts  # imports the models

    try:
        stored = issue.stored_contents
    except ObjectDoesNotExist:
        stored = None
    if stored is not None and stored.version == issue.contents_version:
        issue.share_parts = stored.share
        # Safe: rendered below from templates that escape all text, with story bodies
        # from newsletters/markdown.py (sanitised).
        return mark_safe(stored.html)  # noqa: S308
    full = Issue.objects.with_contents().get(pk=issue.pk)
    html = render_to_string(
        "newsletters/_issue_contents.html",
        {"issue": full, "snapshot": snapshot_countries(full.directory_snapshot)},
    )
    # Kept on the instance for the page's head (views.IssueDetailView).
    issue.share_parts = issue_share_parts(full)
    # Under the version read before rendering: if a change came meanwhile, the current
    # version is already another one, and this rendering is never used.
    IssueContents.objects.bulk_create(  # one INSERT ... ON CONFLICT DO UPDATE
        [
            IssueContents(
                issue_id=issue.pk, version=issue.contents_version, html=html,
                share=issue.share_parts,
            )
        ],
        update_conflicts=True,
        unique_fields=["issue"],
        update_fields=["version", "html", "share"],
    )
    return mark_safe(html)  # noqa: S308

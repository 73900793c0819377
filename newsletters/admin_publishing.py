"""The issue admin's side of safe publishing: the pre-publish list and publishing anyway.

The rule itself lives in `Issue.save` (newsletters/publishing.py); this module only
presents it. On the issue's page the list of problems is shown in "Publishing", and a
Publisher gets a "reason to publish anyway" box. A change of status made in the form
is applied after the sections and key figures of the same form are saved, so fixing a
problem and publishing can be one click; a refused publish keeps the issue a draft
(everything else saved), says why, and stays on the page.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join

from .admin_pending import VersionedForm
from .checks import prepublish_problems
from .edition import schedule_edition
from .models import Issue
from .publishing import PublishBlocked
from .roles import can_publish

_PENDING = "_publish_after_save"


class IssueAdminForm(VersionedForm):
    publish_reason = forms.CharField(
        label="Reason to publish anyway",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Only needed when the pre-publish check lists problems; kept in the "
        "issue's history.",
    )


class PrepublishAdminMixin:
    """For IssueAdmin: the check on the page, deferred publishing, checked actions."""

    form = IssueAdminForm

    @staticmethod
    def problems_html(issue) -> str:
        problems = prepublish_problems(issue)
        if not problems:
            return format_html('<p class="prepublish-ok">{}</p>', "Nothing to fix.")
        items = format_html_join("", "<li>{}</li>", ((p.message,) for p in problems))
        return format_html(
            '<ul class="prepublish-problems" aria-label="Pre-publish check">{}</ul>', items
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not can_publish(request.user):
            return fieldsets
        result = []
        for name, options in fieldsets:
            fields = list(options.get("fields", []))
            if "status" in fields and "publish_reason" not in fields:
                fields.append("publish_reason")
            result.append((name, {**options, "fields": fields}))
        return result

    def save_model(self, request, obj, form, change):
        stored = None
        if change:
            stored = Issue.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        if obj.status == Issue.Status.PUBLISHED and stored != Issue.Status.PUBLISHED:
            # Published after the inlines are saved (save_related), so it is checked with
            # the sections and figures this same form sends.
            setattr(request, _PENDING, True)
            obj.status = Issue.Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not getattr(request, _PENDING, False):
            return
        issue = form.instance
        try:
            issue.publish(at=issue.go_live_at, reason=form.cleaned_data.get("publish_reason", ""))
        except PublishBlocked as exc:
            request._publish_blocked = True
            messages.error(request, exc.message)
        else:
            schedule_edition(issue)  # the PDF edition, once this transaction commits

    def response_change(self, request, obj):
        if getattr(request, "_publish_blocked", False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_publish_blocked", False):
            return HttpResponseRedirect(
                request.path.replace("/add/", f"/{obj.pk}/change/")  # stay with the issue
            )
        return super().response_add(request, obj, post_url_continue)

    def publish_checked(self, request, queryset) -> None:
        """The "publish" action: each issue that passes the check is published; the others
        stay drafts and are named, with their problems (a reason needs the issue's page)."""
        published, blocked = 0, []
        for issue in queryset:
            if issue.status == Issue.Status.PUBLISHED and issue.go_live_at is None:
                published += 1
                continue
            try:
                issue.publish()
            except PublishBlocked as exc:
                blocked.append((issue, exc.problems))
            else:
                schedule_edition(issue)
                published += 1
        if published:
            self.message_user(
                request,
                f"{published} issue{'s' if published != 1 else ''} published.",
                messages.SUCCESS,
            )
        for issue, problems in blocked:
            self.message_user(
                request,
                f"“{issue}” was not published: " + " ".join(p.message for p in problems)
                + " Fix them, or publish it from its page with a reason.",
                messages.ERROR,
            )

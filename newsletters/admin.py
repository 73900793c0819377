"""Admin for authoring issues: one page per issue with its sections, their stories and
the stories' photos nested and sortable (newsletters/admin_editor.py).

Roles: only users with `newsletters.publish_issue` (the Publisher group) see the publish
actions and may change an issue's status or go-live time; for everyone else those fields
are read-only and `save_model` keeps the stored values whatever a request sends.
Revisions: every model here has a history page (django-simple-history) with restore,
and a page comparing two revisions (core/history.py); an issue's history is
one timeline of everything in it (newsletters/admin_timeline.py).
"""

import re

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from core.history import HistoryAdmin
from core.spreadsheets import SpreadsheetMixin

from .admin_editor import (
    IssueEditorMixin,
    KeyFigureEditorInline,
    SectionEditorInline,
    editor_urls,
)
from .admin_import import import_urls
from .admin_pending import PendingForEditors, VersionedForm, pending_list_html
from .admin_publishing import PrepublishAdminMixin
from .admin_tidy import IssueForm, NewSeriesMixin, counted
from .admin_timeline import IssueTimelineMixin
from .admin_views import issue_tool_urls
from .edition import schedule_edition
from .exporting import export_response
from .figures import KeyFigureForm
from .images import PhotoFormField
from .models import DatePrecision, Issue, KeyFigure, Photo, Section, Series, Story
from .pending import PendingChange, apply_pending
from .resources import KeyFigureResource
from .roles import can_publish

PUBLISHING_FIELDS = ("status", "go_live_at")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "issue_count"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_issues=Count("issues"))

    @admin.display(description="issues", ordering="num_issues")
    def issue_count(self, obj):
        return obj.num_issues


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # Issues that print only a month, quarter or year count in their period's year.
        years = Issue.objects.dates("publication_date", "year", order="DESC")
        undated = Issue.objects.filter(publication_date__isnull=True).exists()
        return [(str(d.year), str(d.year)) for d in years] + (
            [("undated", "Undated")] if undated else []
        )

    def queryset(self, request, queryset):
        if self.value() == "undated":
            return queryset.filter(publication_date__isnull=True)
        # ASCII digits only: "²".isdigit() is True but int("²") fails.
        if self.value() and re.fullmatch(r"[0-9]{1,4}", self.value()):
            return queryset.filter(publication_date__year=int(self.value()))
        return queryset


@admin.register(Issue)
class IssueAdmin(
    PendingForEditors,
    PrepublishAdminMixin,
    IssueEditorMixin,
    NewSeriesMixin,
    IssueTimelineMixin,
    HistoryAdmin,
):
    # The series typed new, the publish reason and the version the form was opened at.
    form = IssueForm
    list_display = [
        "title", "series", "number", "date_shown", "state", "section_count", "story_count",
        "word_count",
    ]  # fmt: skip
    list_filter = ["series", "status", YearFilter]
    list_select_related = ["series"]
    search_fields = ["title", "summary", "stories__title", "stories__body"]
    search_help_text = "Searches issue titles, summaries and the text of their stories."
    date_hierarchy = "publication_date"
    prepopulated_fields = {"slug": ["title"]}
    # One page for the whole issue: sections > stories > photos (newsletters/admin_editor.py).
    inlines = [SectionEditorInline, KeyFigureEditorInline]
    actions = ["publish", "publish_pending", "discard_pending", "unpublish", "start_next_issue",
               "export_markdown", "export_json"]  # fmt: skip
    readonly_fields = [
        "first_published_at", "source_name", "source_hash", "warnings_list", "contents",
        "prepublish_check", "pending_list",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": [
            ("series", "new_series"), ("volume", "number"), "title", "slug", "publication_date",
            "date_precision", "summary", "seen_version",
        ]}),  # fmt: skip
        ("Contents", {"fields": ["contents"]}),
        (
            "Publishing",
            {"fields": ["prepublish_check", "pending_list", "status", "go_live_at",
                        "first_published_at"]},  # fmt: skip
        ),
        ("Cover", {"fields": ["cover_image"], "classes": ["collapse"]}),
        (
            "Imported from the archive",
            {"fields": ["source_name", "source_hash", "warnings_list"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        js = ["admin-extra/issue-editor.js"]
        css = {"all": ["admin-extra/admin-extra.css"]}

    def get_queryset(self, request):
        stories = Story.objects.only("pk", "issue_id", "title", "body")
        return (
            super()
            .get_queryset(request)
            .annotate(
                num_sections=Count("sections", distinct=True),
                num_stories=Count("stories", distinct=True),
            )
            # Word counts are counted in Python: one query for all bodies on the page.
            .prefetch_related(Prefetch("stories", queryset=stories))
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields += PUBLISHING_FIELDS
        return fields

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.display(description="words")
    def word_count(self, obj):
        return obj.word_count()

    @admin.display(description="stories and words")
    def contents(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        stories, words = len(obj.stories.all()), obj.word_count()
        return format_html(
            '<span class="issue-counts">{} {}, {} {}</span>',
            stories, "story" if stories == 1 else "stories",
            f"{words:,}", "word" if words == 1 else "words",
        )  # fmt: skip

    @admin.display(description="sections", ordering="num_sections")
    def section_count(self, obj):
        return obj.num_sections

    @admin.display(description="stories", ordering="num_stories")
    def story_count(self, obj):
        return obj.num_stories

    @admin.display(description="date", ordering="publication_date")
    def date_shown(self, obj):
        """The date as printed at its precision; issues without a date are flagged."""
        if obj.publication_date is None:
            return format_html('<strong class="undated">{}</strong>', "Undated")
        if obj.date_precision == DatePrecision.DAY:
            return obj.period_label
        return f"{obj.period_label} ({obj.get_date_precision_display().lower()})"

    @admin.display(description="state", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return f"Scheduled for {timezone.localtime(obj.go_live_at):%Y-%m-%d %H:%M}"
        return obj.get_status_display()

    @admin.display(description="pre-publish check")
    def prepublish_check(self, obj):
        return self.problems_html(obj) if obj is not None and obj.pk else "-"

    @admin.display(description="pending changes")
    def pending_list(self, obj):
        return pending_list_html(obj) if obj is not None and obj.pk else "-"

    @admin.display(description="import warnings")
    def warnings_list(self, obj):
        if not obj.import_warnings:
            return "None"
        items = format_html_join("", "<li>{}</li>", ((w,) for w in obj.import_warnings))
        return format_html("<ul>{}</ul>", items)

    def get_urls(self):
        # The archive import pages live under the issue list: /admin/newsletters/issue/import/
        return import_urls(self) + issue_tool_urls(self) + editor_urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        obj.edited_in_admin = True
        if not can_publish(request.user):
            # Whatever the request (a crafted POST, a restored revision), status and go-live
            # time stay as stored; a new issue starts as a draft.
            stored = Issue.objects.filter(pk=obj.pk).values(*PUBLISHING_FIELDS).first()
            stored = stored or {"status": Issue.Status.DRAFT, "go_live_at": None}
            for field, value in stored.items():
                setattr(obj, field, value)
        super().save_model(request, obj, form, change)
        schedule_edition(obj)

    def _change_each(self, request, queryset, change, singular, plural):
        count = 0
        for issue in queryset:
            change(issue)
            count += 1
        self.message_user(request, ngettext(singular, plural, count) % count, messages.SUCCESS)

    @admin.action(description="Publish selected issues now", permissions=["publish"])
    def publish(self, request, queryset):
        self.publish_checked(request, queryset)

    @admin.action(description="Publish pending changes of selected issues", permissions=["publish"])
    def publish_pending(self, request, queryset):
        for issue in queryset:
            applied, refused = apply_pending(issue, user=request.user)
            if applied:
                self.message_user(
                    request, f"“{issue}”: {applied} pending change(s) published.", messages.SUCCESS
                )
            for problem in refused:
                self.message_user(request, f"“{issue}”: not published: {problem}", messages.ERROR)

    @admin.action(description="Discard pending changes of selected issues", permissions=["publish"])
    def discard_pending(self, request, queryset):
        count, _ = PendingChange.objects.filter(issue__in=queryset).delete()
        self.message_user(request, f"{count} pending change(s) discarded.", messages.SUCCESS)

    @admin.action(description="Unpublish selected issues (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._change_each(
            request, queryset, Issue.unpublish, "%d issue unpublished.", "%d issues unpublished."
        )

    @admin.action(description="Start the next issue from the selected one", permissions=["add"])
    def start_next_issue(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Select exactly one issue to start the next one from.", messages.ERROR
            )
            return None
        source = queryset.select_related("series").get()
        issue = source.start_next()
        issue._history_user = request.user
        self.message_user(
            request,
            f"Draft “{issue}” started with {counted(issue.sections.count(), 'section')} and "
            f"{counted(issue.key_figures.count(), 'key figure')} to fill in.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:newsletters_issue_change", args=[issue.pk]))

    @admin.action(description="Export selected issues as Markdown", permissions=["view"])
    def export_markdown(self, request, queryset):
        return export_response(queryset, "md")

    @admin.action(description="Export selected issues as JSON", permissions=["view"])
    def export_json(self, request, queryset):
        return export_response(queryset, "json")


class StoryForm(VersionedForm):
    class Meta:
        model = Story
        fields = ["section", "title", "slug", "body", "countries", "position"]


class StoryInline(admin.StackedInline):
    model = Story
    form = StoryForm
    fields = ["title", "slug", "body", "countries", "position", "seen_version"]
    classes = ["story-inline"]
    extra = 0
    show_change_link = True
    filter_horizontal = ["countries"]
    ordering = ["position", "pk"]


class MarksIssueEdited:
    """Saving part of an issue in the admin protects the issue from a re-import."""

    def issue_id_of(self, obj):
        return obj.issue_id

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Issue.objects.filter(pk=self.issue_id_of(obj)).update(edited_in_admin=True)


@admin.register(Section)
class SectionAdmin(PendingForEditors, MarksIssueEdited, HistoryAdmin):
    list_display = ["title", "issue", "position"]
    list_editable = ["position"]
    list_select_related = ["issue"]
    list_filter = ["issue__series"]
    search_fields = ["title", "issue__title"]
    autocomplete_fields = ["issue"]
    inlines = [StoryInline]

    class Media:
        # Counts the stories' words as one types (no inline script: the CSP forbids it).
        js = ["admin-extra/word-count.js"]
        css = {"all": ["admin-extra/admin-extra.css"]}

    def view_on_site(self, obj):
        return obj.issue.get_absolute_url() + f"#{obj.anchor}"


class PhotoForm(forms.ModelForm):
    image = PhotoFormField(
        required=False,
        help_text="JPEG, PNG or WebP. Smaller copies for phones are made on save.",
    )

    class Meta:
        model = Photo
        fields = ["image", "caption", "alt_text", "credit", "position"]


class PhotoInline(admin.TabularInline):
    model = Photo
    form = PhotoForm
    fields = ["image", "caption", "alt_text", "credit", "position"]
    extra = 0


@admin.register(Photo)
class PhotoAdmin(PendingForEditors, MarksIssueEdited, HistoryAdmin):
    form = PhotoForm
    list_display = ["__str__", "story", "has_image", "position"]
    list_select_related = ["story"]
    search_fields = ["caption", "alt_text", "credit"]
    autocomplete_fields = ["story"]
    fields = ["story", "image", "caption", "alt_text", "credit", "position"]

    @admin.display(description="image", boolean=True)
    def has_image(self, obj):
        return bool(obj.image)

    def issue_id_of(self, obj):
        return obj.story.issue_id


@admin.register(KeyFigure)
class KeyFigureAdmin(PendingForEditors, MarksIssueEdited, SpreadsheetMixin, HistoryAdmin):
    form = KeyFigureForm
    resource_classes = [KeyFigureResource]
    list_display = ["label", "display_value", "unit", "note", "issue", "position"]
    list_select_related = ["issue"]
    list_filter = ["issue__series", "label"]
    search_fields = ["label", "issue__title", "issue__slug"]
    autocomplete_fields = ["issue"]


@admin.register(Story)
class StoryAdmin(PendingForEditors, MarksIssueEdited, HistoryAdmin):
    form = StoryForm
    list_display = ["__str__", "section", "issue", "position"]
    list_select_related = ["section", "issue"]
    list_filter = ["issue__series", "countries"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["section"]
    filter_horizontal = ["countries"]
    fields = ["section", "title", "slug", "body", "countries", "position", "seen_version"]
    inlines = [PhotoInline]

    class Media:
        js = ["admin-extra/word-count.js"]
        css = {"all": ["admin-extra/admin-extra.css"]}

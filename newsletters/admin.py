"""Admin for authoring issues: sections inline, stories per section, photos per story."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from .admin_import import import_urls
from .models import Issue, KeyFigure, Photo, Section, Series, Story


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
        years = Issue.objects.dates("publication_date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(publication_date__year=int(self.value()))
        return queryset


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["title", "position", "story_count"]
    readonly_fields = ["story_count"]
    extra = 0
    show_change_link = True
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_stories=Count("stories"))

    @admin.display(description="stories")
    def story_count(self, obj):
        if obj.pk is None:
            return "-"
        return obj.num_stories


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    fields = ["label", "value", "unit", "note", "position"]
    extra = 0
    ordering = ["position", "pk"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = [
        "title", "series", "number", "publication_date", "state", "section_count", "story_count",
    ]  # fmt: skip
    list_filter = ["series", "status", YearFilter]
    list_select_related = ["series"]
    search_fields = ["title", "summary", "stories__title", "stories__body"]
    search_help_text = "Searches issue titles, summaries and the text of their stories."
    date_hierarchy = "publication_date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline, KeyFigureInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["first_published_at", "source_name", "source_hash", "warnings_list"]
    fieldsets = [
        (None, {"fields": ["series", "number", "title", "slug", "publication_date", "summary"]}),
        ("Publishing", {"fields": ["status", "go_live_at", "first_published_at"]}),
        ("Cover", {"fields": ["cover_image"], "classes": ["collapse"]}),
        (
            "Imported from the archive",
            {"fields": ["source_name", "source_hash", "warnings_list"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                num_sections=Count("sections", distinct=True),
                num_stories=Count("stories", distinct=True),
            )
        )

    @admin.display(description="sections", ordering="num_sections")
    def section_count(self, obj):
        return obj.num_sections

    @admin.display(description="stories", ordering="num_stories")
    def story_count(self, obj):
        return obj.num_stories

    @admin.display(description="state", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return f"Scheduled for {timezone.localtime(obj.go_live_at):%Y-%m-%d %H:%M}"
        return obj.get_status_display()

    @admin.display(description="import warnings")
    def warnings_list(self, obj):
        if not obj.import_warnings:
            return "None"
        items = format_html_join("", "<li>{}</li>", ((w,) for w in obj.import_warnings))
        return format_html("<ul>{}</ul>", items)

    def get_urls(self):
        # The archive import pages live under the issue list: /admin/newsletters/issue/import/
        return import_urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        obj.edited_in_admin = True
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected issues now")
    def publish(self, request, queryset):
        count = 0
        for issue in queryset:
            issue.publish()
            count += 1
        self.message_user(
            request,
            ngettext("%d issue published.", "%d issues published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected issues (back to draft)")
    def unpublish(self, request, queryset):
        count = 0
        for issue in queryset:
            issue.unpublish()
            count += 1
        self.message_user(
            request,
            ngettext("%d issue unpublished.", "%d issues unpublished.", count) % count,
            messages.SUCCESS,
        )


class StoryInline(admin.StackedInline):
    model = Story
    fields = ["title", "slug", "body", "countries", "position"]
    extra = 0
    show_change_link = True
    filter_horizontal = ["countries"]
    ordering = ["position", "pk"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "position"]
    list_select_related = ["issue"]
    list_filter = ["issue__series"]
    search_fields = ["title", "issue__title"]
    autocomplete_fields = ["issue"]
    inlines = [StoryInline]

    def view_on_site(self, obj):
        return obj.issue.get_absolute_url() + f"#{obj.anchor}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Issue.objects.filter(pk=obj.issue_id).update(edited_in_admin=True)


class PhotoInline(admin.TabularInline):
    model = Photo
    fields = ["image", "caption", "alt_text", "credit", "position"]
    extra = 0


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "issue", "position"]
    list_select_related = ["section", "issue"]
    list_filter = ["issue__series", "countries"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["section"]
    filter_horizontal = ["countries"]
    fields = ["section", "title", "slug", "body", "countries", "position"]
    inlines = [PhotoInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Issue.objects.filter(pk=obj.issue_id).update(edited_in_admin=True)

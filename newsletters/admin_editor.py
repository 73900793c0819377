"""One page for one issue: its sections, their stories and the stories' photos, nested.

django-nested-admin nests the inlines and makes them sortable by drag and drop (it
writes each row's `position`). The page's queries do not grow with its size: the
section inline reads every section, story, photo and story country in four prefetched
queries, the nested formsets take their rows from those prefetches
(`PrefetchedFormSet`), and the country checkboxes of every story share one list of
choices per request.

Also here, as admin-only endpoints under the issue admin: the Markdown preview (the
public page's own sanitiser, POST with the CSRF token, staff only) and "Start next
issue" as a button on the issue page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from nested_admin import (
    NestedInlineFormSet,
    NestedModelAdminMixin,
    NestedStackedInline,
    NestedTabularInline,
)
from nested_admin.nested import NestedInlineAdminFormset

from core.history import valid_pk

from .admin_editor_jinja import STACKED, TABULAR, render_jinja
from .admin_pending import PendingPlaces, overlay_pending, pending_rows, preview_view
from .exporting_zip import zip_response
from .figures import KeyFigureForm
from .form_rendering import FastFormRenderer
from .markdown import render_markdown
from .models import KeyFigure, Photo, Section, Story
from .pending import PendingChange
from .roles import can_publish


class EditorInlineAdminFormset(NestedInlineAdminFormset):
    """nested-admin's inline helper, without its media walk (that builds every nested
    form of the page once more only to collect media, and the editor's nested forms and
    inlines bring none beyond what the page's top-level inlines already load) and with
    its rows built once."""

    @property
    def media(self):
        return self.opts.media + self.formset.media

    def __iter__(self):
        # nested-admin's templates walk each formset three times (two to sort by
        # position, one to render); the rows are built, with their nested formsets, once.
        if not hasattr(self, "_rows"):
            self._rows = list(super().__iter__())
        return iter(self._rows)

    def fields(self):
        # A tabular inline's column heads. Django builds an empty form for them each
        # time; they are the same for every formset of one class (on a GET, one class per
        # request serves every story's photos: SortableInline.get_formset).
        formset_class = type(self.formset)
        if "_editor_heads" not in formset_class.__dict__:
            formset_class._editor_heads = list(super().fields())
        return formset_class._editor_heads


class IssueEditorMixin(NestedModelAdminMixin):
    """For IssueAdmin: the nested inlines of the one-page editor."""

    inline_admin_formset_helper_cls = EditorInlineAdminFormset

    def get_object(self, request, object_id, from_field=None):
        issue = super().get_object(request, object_id, from_field)
        match = request.resolver_match
        on_editor = match is not None and match.url_name == "newsletters_issue_change"
        if issue is not None and request.method == "GET" and on_editor:
            request._editor_issue = issue
            pending_rows(request, issue)
            waiting = len(issue._pending_list)
            if waiting:
                shown = "the rows marked “pending” show them" if not can_publish(
                    request.user
                ) else "the rows show the published text and are marked where one waits"
                messages.warning(
                    request,
                    f"This issue has {waiting} pending change{'s' if waiting != 1 else ''} "
                    f"of its sections, stories, photos or key figures: {shown}. “Preview” "
                    "shows the issue with them.",
                )
        return issue

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            # "Preview" shows the issue as it will be after its pending changes are
            # published, if it has any (newsletters/pending.py: preview_pending).
            context["preview_url"] = (
                reverse("admin:newsletters_issue_preview", args=[obj.pk])
                if getattr(obj, "_pending_list", None)
                else obj.get_absolute_url()
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


class PrefetchedFormSet(NestedInlineFormSet):
    """An inline formset that, for a GET, takes its rows from the parent's prefetch
    cache instead of querying once per parent (one query per section, per story...).

    A POST keeps nested-admin's own query: the rows posted may have been dragged in
    from another parent.
    """

    # Set per request on the formset class for a GET (SortableInline.build_formset).
    pending: dict = {}
    show_pending = False
    additions: list = []  # pending additions of the issue
    places = None  # PendingPlaces, for an Editor

    def get_queryset(self):
        if self.data or self.instance is None or self.instance.pk is None:
            return super().get_queryset()
        if not hasattr(self, "_editor_rows"):
            cache = getattr(self.instance, "_prefetched_objects_cache", {})
            name = self.fk.remote_field.get_accessor_name()
            rows = list(cache[name]) if name in cache else list(super().get_queryset())
            if self.places is not None:  # rows an Editor moved show where they go
                rows = self.places.place(self.instance, self.fk, rows)
            # Rows with a pending change show it (for an Editor) and are marked.
            self._editor_rows = overlay_pending(rows, self.pending, self.show_pending)
        return self._editor_rows

    def _existing_object(self, pk):
        # A POST: the row's parent as stored, before the formset sets the parent it was
        # posted under (PendingForEditors.save_formset tells a move from it).
        obj = super()._existing_object(pk)
        if obj is not None and "_live_parent" not in obj.__dict__:
            obj._live_parent = getattr(obj, self.fk.attname)
        return obj

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and not self.is_bound and index < self.initial_form_count():
            m2m = getattr(self.get_queryset()[index], "pending_m2m", None)
            if m2m:  # the pending countries of a story, as the form's initial values
                kwargs["initial"] = {**kwargs.get("initial", {}), **m2m}
        return kwargs


class MarkdownBodyWidget(forms.Textarea):
    """A Markdown textarea with its word count and a "Preview" button.

    The preview is fetched from `newsletters_issue_markdown_preview` (see
    static/admin-extra/issue-editor.js): the HTML shown is what the server's sanitiser
    returned, never the editor's text itself.
    """

    template_name = "admin/newsletters/widgets/markdown_body.jinja"

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, "class": "vLargeTextField md-body", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        words = len((value or "").split())
        context["widget"].update(
            words=words,
            preview_url=reverse("admin:newsletters_issue_markdown_preview"),
        )
        return context

    def _render(self, template_name, context, renderer=None):
        # The editor's Jinja2 templates (templates/ is not among the form renderer's
        # folders); every value is escaped as Django escapes it.
        return render_jinja(template_name, context)


def _country_choices(request) -> list[tuple]:
    """The country choices, read once per request for every story form on the page."""
    from directory.models import Country

    if not hasattr(request, "_editor_country_choices"):
        request._editor_country_choices = list(Country.objects.values_list("pk", "name"))
    return request._editor_country_choices


# The page renders about a thousand widgets (newsletters/form_rendering.py). Only the
# inline forms of this page use it, and none of their widgets is an admin wrapper whose
# template exists for the Django engine only.
FAST_RENDERER = FastFormRenderer()


def _fast_formset(formset):
    """`formset` and its forms rendered with FAST_RENDERER."""
    form = type(formset.form.__name__, (formset.form,), {"default_renderer": FAST_RENDERER})
    return type(formset.__name__, (formset,), {"form": form, "renderer": FAST_RENDERER})


def _shared_choices_form(base, choices):
    """`base` with the countries field's choices fixed to `choices` (no query per form).
    Validation of a POST still checks the ids against the table."""

    class Form(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields.get("countries")
            if field is not None:
                field.choices = choices

    Form.__name__ = base.__name__
    return Form


def _load_moved(model, pks) -> list:
    """Rows moved (pending) into this page from another issue, read as the page reads
    its own (a story with its photos and countries)."""
    rows = model._default_manager.filter(pk__in=pks)
    if model is Story:
        rows = rows.prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("position", "pk")), "countries"
        )
    return list(rows)


class SortableInline:
    """Rows ordered by `position`, which nested-admin sets as rows are dragged: the
    field is a hidden input, not a number to type."""

    sortable_field_name = "position"
    extra = 0
    # "View on site" links cost a URL reversal per row each time nested-admin walks the
    # rows (several times per page); the issue's own "Preview" button shows the page.
    view_on_site = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs["widget"] = forms.HiddenInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        # nested-admin asks for the formset class once per parent row (30 stories: 30
        # photo formset classes, each with its ModelForm class and fields). For a GET
        # they are all the same class, since none of the editor's inlines decides
        # anything per row (permissions, extra rows, read-only fields): it is built
        # once per request. A POST builds them as usual.
        if request.method != "GET" or kwargs:
            return self.build_formset(request, obj, **kwargs)
        built = request.__dict__.setdefault("_editor_formsets", {})
        if type(self) not in built:
            built[type(self)] = self.build_formset(request, obj)
        return built[type(self)]

    def build_formset(self, request, obj=None, **kwargs):
        formset = _fast_formset(super().get_formset(request, obj, **kwargs))
        issue = getattr(request, "_editor_issue", None)
        if request.method == "GET" and issue is not None:
            formset.pending = pending_rows(request, issue)
            formset.show_pending = not can_publish(request.user)
            # Rows added as pending changes, shown read-only (admin_pending.pending_added_html).
            formset.additions = [
                c for c in issue._pending_list if c.action == PendingChange.Action.CREATE
            ]
            if formset.additions:
                formset.country_names = dict(_country_choices(request))
            if formset.show_pending and formset.pending:
                if not hasattr(request, "_editor_places"):
                    request._editor_places = PendingPlaces(formset.pending, _load_moved)
                formset.places = request._editor_places
        return formset


class PhotoEditorInline(SortableInline, NestedTabularInline):
    model = Photo
    template = TABULAR
    fields = ["thumbnail", "image", "caption", "alt_text", "credit", "position"]
    readonly_fields = ["thumbnail"]
    formset = PrefetchedFormSet
    classes = ["photo-inline"]

    def build_formset(self, request, obj=None, **kwargs):
        from .admin import PhotoForm

        kwargs.setdefault("form", PhotoForm)
        return super().build_formset(request, obj, **kwargs)

    @admin.display(description="photo")
    def thumbnail(self, obj):
        if obj is None or not obj.pk or not obj.image:
            return "–"
        return format_html(
            '<img class="photo-thumb" src="{}" alt="{}" width="120">', obj.src, obj.alt_text
        )


class StoryEditorInline(SortableInline, NestedStackedInline):
    model = Story
    fk_name = "section"
    template = STACKED
    # The slug is made from the title; it can be changed on the story's own page.
    fields = ["title", "body", "countries", "position"]
    formset = PrefetchedFormSet
    inlines = [PhotoEditorInline]
    classes = ["story-inline"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownBodyWidget
        if db_field.name == "countries":
            # Checkboxes without the admin's add/change links around them: countries are
            # added in the directory, and the links' wrapper is a Django-engine template.
            return db_field.formfield(
                widget=forms.CheckboxSelectMultiple(attrs={"class": "country-choices"}),
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def build_formset(self, request, obj=None, **kwargs):
        formset = super().build_formset(request, obj, **kwargs)
        formset.form = _shared_choices_form(formset.form, _country_choices(request))
        return formset


class SectionEditorInline(SortableInline, NestedStackedInline):
    model = Section
    template = STACKED
    formset = PrefetchedFormSet
    fields = ["title", "position"]
    inlines = [StoryEditorInline]
    classes = ["section-inline"]

    def get_queryset(self, request):
        stories = Story.objects.order_by("position", "pk").prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("position", "pk")), "countries"
        )
        return (
            super()
            .get_queryset(request)
            .order_by("position", "pk")
            .prefetch_related(Prefetch("stories", queryset=stories))
        )


class KeyFigureEditorInline(SortableInline, NestedTabularInline):
    model = KeyFigure
    template = TABULAR
    formset = PrefetchedFormSet
    # As printed: "1,650", "12.5", "37%" (newsletters/figures.py).
    form = KeyFigureForm
    fields = ["label", "value", "unit", "note", "position"]
    classes = ["figure-inline"]


# --- endpoints -----------------------------------------------------------------------


def editor_urls(model_admin) -> list:
    """URL patterns for IssueAdmin.get_urls(): download, Markdown preview, start next."""
    site = model_admin.admin_site

    @require_POST
    def markdown_preview(request):
        # Anyone who may edit or view issues may preview; the admin site requires staff
        # and a CSRF token (admin_view wraps the view in csrf_protect).
        if not model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        html = render_markdown(request.POST.get("text", ""))
        # admin_view marks it never_cache (no-store).
        return HttpResponse(html, content_type="text/html; charset=utf-8")

    @require_POST
    def start_next(request, object_id):
        source = get_object_or_404(
            model_admin.model.objects.select_related("series"),
            pk=valid_pk(model_admin.model, object_id),
        )
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        issue = source.start_next()
        messages.success(
            request,
            f"Draft “{issue}” started with the sections and key-figure labels of “{source}”.",
        )
        return HttpResponseRedirect(reverse("admin:newsletters_issue_change", args=[issue.pk]))

    def download(request, object_id):
        issue = get_object_or_404(model_admin.model, pk=valid_pk(model_admin.model, object_id))
        if not model_admin.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return zip_response(issue)

    return [
        path(
            "<path:object_id>/download.zip",
            site.admin_view(download),
            name="newsletters_issue_download",
        ),
        path(
            "markdown-preview/",
            site.admin_view(markdown_preview),
            name="newsletters_issue_markdown_preview",
        ),
        path(
            "<path:object_id>/preview/",
            site.admin_view(preview_view(model_admin)),
            name="newsletters_issue_preview",
        ),
        path(
            "<path:object_id>/preview/<slug:story_slug>/",
            site.admin_view(preview_view(model_admin, story=True)),
            name="newsletters_issue_preview_story",
        ),
        path(
            "<path:object_id>/start-next/",
            site.admin_view(start_next),
            name="newsletters_issue_start_next",
        ),
    ]

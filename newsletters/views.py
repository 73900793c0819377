"""Public pages of the publication: home, archive, issue, story, search and figures."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from directory.models import Hotline

from .charts import figure_trends
from .checks import prepublish_problems
from .contents import issue_contents
from .edition import issue_edition
from .filters import IssueFilter
from .models import Issue, Story
from .publishing import apply_due_directories
from .querysets import issue_neighbours
from .search import (
    MAX_QUERY_LENGTH,
    attach_snippets,
    clean_query,
    directory_suggestion,
    search_stories,
)
from .sharing import issue_share, story_share

# The home page draws the key figures of the latest issues only; /figures/ has them all.
HOME_TREND_ISSUES = 12


def query_string_without_page(request) -> str:
    """The current query string minus `page`, for pagination links that keep filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class HomeView(TemplateView):
    template_name = "newsletters/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issue"] = Issue.objects.published().with_contents().newest_first().first()
        apply_due_directories()
        context["hotlines"] = Hotline.objects.public().select_related("country")
        context["charts"] = figure_trends(last=HOME_TREND_ISSUES)
        return context


class IssueListView(FilterView):
    """The archive; an invalid filter value shows the form error and no issues."""

    template_name = "newsletters/issue_list.html"
    context_object_name = "issues"
    filterset_class = IssueFilter
    paginate_by = settings.ISSUES_PER_PAGE
    # The query parameters the archive reads; the page cache key keeps only these.
    params = (*IssueFilter.base_filters, "page")

    def get_queryset(self):
        return Issue.objects.published().select_related("series").newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query_string"] = query_string_without_page(self.request)
        context["filtered"] = any(self.request.GET.get(name) for name in IssueFilter.base_filters)
        form = context["filter"].form
        if form.is_valid() and form.cleaned_data.get("series"):
            # The archive of one series offers that series' feed.
            context["series_feed"] = form.cleaned_data["series"]
        return context


class IssueDetailView(DetailView):
    template_name = "newsletters/issue_detail.html"
    context_object_name = "issue"

    def get_queryset(self):
        # One query: the issue, its series and its stored contents.
        visible = Issue.objects.visible_to(self.request.user)
        return visible.select_related("series", "stored_contents")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.object
        older, newer = issue_neighbours(issue)  # one query for both
        context["older"] = Issue(**older) if older else None
        context["newer"] = Issue(**newer) if newer else None
        context["issue_contents"] = issue_contents(issue)
        context["canonical_url"] = self.request.build_absolute_uri(issue.get_absolute_url())
        context["share"] = issue_share(self.request, issue, issue.share_parts)
        if not issue.is_live:  # a staff preview: what still stands in the way
            context["problems"] = prepublish_problems(issue)
        return context


class StoryDetailView(DetailView):
    template_name = "newsletters/story_detail.html"
    context_object_name = "story"

    def get_object(self, queryset=None):
        # One query for the story, its section, issue and series; two for its photos
        # and countries.
        return get_object_or_404(
            Story.objects.visible_to(self.request.user)
            .select_related("section", "issue__series")
            .prefetch_related("photos", "countries"),
            issue__slug=self.kwargs["issue_slug"],
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["share"] = story_share(self.request, self.object)
        context["canonical_url"] = context["share"].url
        return context


class SearchView(ListView):
    """Results for `q`; the query logic lives in newsletters/search.py."""

    template_name = "newsletters/search.html"
    context_object_name = "results"
    paginate_by = 10

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search_stories(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_snippets(context["results"], self.query)
        context["query"] = self.query
        context["directory_hint"] = directory_suggestion(self.query)
        context["max_query_length"] = MAX_QUERY_LENGTH
        # The cleaned query, not the raw one: pagination links stay short and tidy.
        context["query_string"] = urlencode({"q": self.query}) if self.query else ""
        return context


class FiguresView(TemplateView):
    template_name = "newsletters/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["charts"] = figure_trends()
        return context


def issue_pdf(request, slug):
    """The issue's PDF edition: the stored file for its current version (made once)."""
    issue = get_object_or_404(Issue.objects.published().with_contents(), slug=slug)
    edition = issue_edition(issue, request.build_absolute_uri("/"))
    return FileResponse(
        default_storage.open(edition.name), content_type="application/pdf",
        filename=f"{issue.slug}.pdf",
    )  # fmt: skip

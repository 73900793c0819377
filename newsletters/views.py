"""Public pages of the publication: home, archive, issue and story."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from directory.models import Hotline

from .models import Issue, Story


class HomeView(TemplateView):
    template_name = "newsletters/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issue"] = Issue.objects.published().with_contents().newest_first().first()
        context["hotlines"] = Hotline.objects.select_related("country")
        return context


class IssueListView(ListView):
    template_name = "newsletters/issue_list.html"
    context_object_name = "issues"
    paginate_by = settings.ISSUES_PER_PAGE

    def get_queryset(self):
        return Issue.objects.published().select_related("series").newest_first()


class IssueDetailView(DetailView):
    template_name = "newsletters/issue_detail.html"
    context_object_name = "issue"

    def get_queryset(self):
        return Issue.objects.visible_to(self.request.user).with_contents()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Issue.objects.published().filter(series_id=self.object.series_id)
        context["older"] = published.older_than(self.object).only("slug", "title").first()
        context["newer"] = published.newer_than(self.object).only("slug", "title").first()
        return context


class StoryDetailView(DetailView):
    template_name = "newsletters/story_detail.html"
    context_object_name = "story"

    def get_object(self, queryset=None):
        issue = get_object_or_404(
            Issue.objects.visible_to(self.request.user).select_related("series"),
            slug=self.kwargs["issue_slug"],
        )
        story = get_object_or_404(
            Story.objects.select_related("section").prefetch_related("photos", "countries"),
            issue=issue,
            slug=self.kwargs["slug"],
        )
        story.issue = issue
        return story

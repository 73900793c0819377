"""URL routes of the public publication pages, feeds and API.

`public_page` adds ETag/Last-Modified, 304s and the anonymous page cache.
"""

from django.urls import path

from core.caching import public_page

from . import api, views
from .feeds import AtomIssuesFeed, RssIssuesFeed

app_name = "newsletters"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path(
        "issues/",
        public_page(views.IssueListView.as_view(), params=views.IssueListView.params),
        name="issue_list",
    ),
    path("issues/<slug:slug>/", public_page(views.IssueDetailView.as_view()), name="issue"),
    path("issues/<slug:slug>.pdf", public_page(views.issue_pdf), name="issue_pdf"),
    path(
        "issues/<slug:issue_slug>/<slug:slug>/",
        public_page(views.StoryDetailView.as_view()),
        name="story",
    ),
    path("search/", public_page(views.SearchView.as_view(), params=("q", "page")), name="search"),
    path("figures/", public_page(views.FiguresView.as_view()), name="figures"),
    path("feed/", public_page(RssIssuesFeed()), name="feed_rss"),
    path("feed/atom/", public_page(AtomIssuesFeed()), name="feed_atom"),
    path("feed/series/<slug:series>/", public_page(RssIssuesFeed()), name="feed_series_rss"),
    path(
        "feed/series/<slug:series>/atom/",
        public_page(AtomIssuesFeed()),
        name="feed_series_atom",
    ),
    path(
        "api/issues/",
        public_page(api.issue_list, params=("page", "series", "year", "country")),
        name="api_issue_list",
    ),
    path("api/issues/<slug:slug>/", public_page(api.issue_detail), name="api_issue"),
]

"""URL routes of the public publication pages."""

from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", views.IssueListView.as_view(), name="issue_list"),
    path("issues/<slug:slug>/", views.IssueDetailView.as_view(), name="issue"),
    path("issues/<slug:issue_slug>/<slug:slug>/", views.StoryDetailView.as_view(), name="story"),
]

"""URL routes of the public directory."""

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="index"),
    path("<slug:slug>/", views.CountryView.as_view(), name="country"),
]

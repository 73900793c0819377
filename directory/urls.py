"""URL routes of the public directory."""

from django.urls import path

from core.caching import public_page

from . import views

app_name = "directory"

urlpatterns = [
    path("", public_page(views.DirectoryView.as_view()), name="index"),
    path("directory.csv", public_page(views.directory_csv_view), name="csv"),
    path("people/<int:pk>/vcard/", public_page(views.person_vcard_view), name="vcard"),
    path("<slug:slug>/", public_page(views.CountryView.as_view()), name="country"),
]

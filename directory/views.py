"""Public directory pages: hotlines first, then mission e-mails and staff, by country."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Country, Hotline, Office, Person


def countries_with_entries():
    """Countries with everything the directory prints, in a fixed number of queries."""
    last_seen = ("last_seen_in",)
    return Country.objects.prefetch_related(
        Prefetch("hotlines", queryset=Hotline.objects.select_related(*last_seen)),
        Prefetch(
            "offices", queryset=Office.objects.select_related(*last_seen).prefetch_related("emails")
        ),
        Prefetch("people", queryset=Person.objects.select_related(*last_seen)),
    )


class DirectoryView(ListView):
    template_name = "directory/directory.html"
    context_object_name = "countries"

    def get_queryset(self):
        return countries_with_entries()


class CountryView(DetailView):
    template_name = "directory/country.html"
    context_object_name = "country"

    def get_queryset(self):
        return countries_with_entries()

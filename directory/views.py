"""Public directory pages: hotlines first, then mission e-mails and staff, by country.

Also the downloads: a vCard per person and the whole directory as CSV.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.generic import DetailView, ListView

from .exports import write_directory_csv
from .models import Country, Hotline, Office, Person
from .vcard import person_vcard


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

    def get_context_data(self, **kwargs):
        from newsletters.sharing import directory_jsonld

        context = super().get_context_data(**kwargs)
        context["jsonld"] = directory_jsonld(self.request, context["countries"])
        return context


class CountryView(DetailView):
    template_name = "directory/country.html"
    context_object_name = "country"

    def get_queryset(self):
        return countries_with_entries()


def person_vcard_view(request, pk):
    person = get_object_or_404(Person.objects.select_related("country"), pk=pk)
    response = HttpResponse(person_vcard(person), content_type="text/vcard; charset=utf-8")
    filename = f"{slugify(person.name) or 'contact'}.vcf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def directory_csv_view(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="directory.csv"'
    write_directory_csv(countries_with_entries(), response)
    return response

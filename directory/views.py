"""Public directory pages: hotlines first, then mission e-mails and staff, by country.

Also the downloads: a vCard per person and the whole directory as CSV.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.generic import DetailView, ListView

from newsletters.publishing import apply_due_directories

from .exports import write_directory_csv
from .models import Country, Hotline, Office, OfficeEmail, Person
from .vcard import person_vcard


def countries_with_entries(*, listed_only=True):
    """Countries with the public entries of the directory, in a fixed number of queries.

    The public directory, its country pages, the API and the CSV all read this; the home
    page's hotlines and the vCards use the same `public()` querysets. With `listed_only`
    a country appears only with a public entry: a country first named by a draft issue
    is not listed before that issue is published.
    """
    apply_due_directories()
    last_seen = ("last_seen_in",)
    countries = Country.objects.all()
    if listed_only:
        countries = countries.filter(
            Exists(Hotline.objects.public().filter(country=OuterRef("pk")))
            | Exists(Office.objects.public().filter(country=OuterRef("pk")))
            | Exists(Person.objects.public().filter(country=OuterRef("pk")))
        )
    return countries.prefetch_related(
        Prefetch("hotlines", queryset=Hotline.objects.public().select_related(*last_seen)),
        Prefetch(
            "offices",
            queryset=Office.objects.public()
            .select_related(*last_seen)
            .prefetch_related(Prefetch("emails", queryset=OfficeEmail.objects.public())),
        ),
        Prefetch("people", queryset=Person.objects.public().select_related(*last_seen)),
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
        # Every country has its page ("No contacts recorded yet"): stories link to them.
        return countries_with_entries(listed_only=False)


def person_vcard_view(request, pk):
    apply_due_directories()
    person = get_object_or_404(Person.objects.public().select_related("country"), pk=pk)
    response = HttpResponse(person_vcard(person), content_type="text/vcard; charset=utf-8")
    filename = f"{slugify(person.name) or 'contact'}.vcf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def directory_csv_view(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="directory.csv"'
    write_directory_csv(countries_with_entries(), response)
    return response

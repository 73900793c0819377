"""Archive filters: series, year, country and section title, combinable, kept in the URL.

Every filter is a choice among values that published issues actually have (the year
filter also offers "Undated" when some issue has no date at all), labelled
with how many published issues have it; an unknown value is a form error (shown on
the page with no results), never a server error. Choices cost one query per filter,
whatever the size of the archive.
"""

import django_filters
from django.db.models import Count
from django.db.models.functions import ExtractYear

from directory.models import Country

from .models import Issue, Section, Series

UNDATED = "undated"


def _label(name, count) -> str:
    return f"{name} ({count})"


class IssueFilter(django_filters.FilterSet):
    series = django_filters.ChoiceFilter(
        field_name="series__slug", lookup_expr="exact", label="Series", empty_label="All series"
    )
    year = django_filters.ChoiceFilter(
        field_name="publication_date",
        method="filter_year",
        label="Year",
        empty_label="All years",
    )
    country = django_filters.ChoiceFilter(
        field_name="stories__countries__slug",
        lookup_expr="exact",
        distinct=True,
        label="Country",
        empty_label="All countries",
    )
    section = django_filters.ChoiceFilter(
        field_name="sections__title",
        lookup_expr="exact",
        distinct=True,
        label="Section",
        empty_label="All sections",
    )

    class Meta:
        model = Issue
        fields = ["series", "year", "country", "section"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        published = Issue.objects.published()
        self.filters["series"].extra["choices"] = [
            (s["slug"], _label(s["title"], s["n"]))
            for s in Series.objects.filter(issues__in=published)
            .values("slug", "title")
            .annotate(n=Count("issues", distinct=True))
            .order_by("title")
        ]
        # An issue that prints a month, quarter or year is dated by its period's first day,
        # so it counts in that year; one with no date at all is listed as "Undated".
        years = [
            (row["y"], row["n"])
            for row in published.annotate(y=ExtractYear("publication_date"))
            .values("y")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-y")
        ]
        self.filters["year"].extra["choices"] = [
            (str(y) if y is not None else UNDATED, _label(y if y is not None else "Undated", n))
            for y, n in sorted(years, key=lambda row: (row[0] is None, -(row[0] or 0)))
        ]
        self.filters["country"].extra["choices"] = [
            (c["slug"], _label(c["name"], c["n"]))
            for c in Country.objects.filter(stories__issue__in=published)
            .values("slug", "name")
            .annotate(n=Count("stories__issue", distinct=True))
            .order_by("name")
        ]
        self.filters["section"].extra["choices"] = [
            (s["title"], _label(s["title"], s["n"]))
            for s in Section.objects.filter(issue__in=published)
            .values("title")
            .annotate(n=Count("issue", distinct=True))
            .order_by("title")
        ]

    def filter_year(self, queryset, name, value):
        if value == UNDATED:
            return queryset.filter(publication_date__isnull=True)
        return queryset.filter(publication_date__year=int(value))

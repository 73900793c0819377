"""Archive filters: series, year, country and section title, combinable, kept in the URL.

Every filter is a choice among values that published issues actually have (the year
filter also offers "Undated" when some issue has no date at all), labelled
with how many published issues have it; an unknown value is a form error (shown on
the page with no results), never a server error. The choices of all four filters cost
one query, whatever the size of the archive.
"""

import django_filters
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear

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
        rows = {"series": [], "year": [], "country": [], "section": []}
        for kind, key, label, n in filter_choice_rows(Issue.objects.published()):
            rows[kind].append((key, label, n))
        by_label = (lambda row: row[1], False)
        # Newest year first, "Undated" last.
        by_year = (lambda row: (row[0] != UNDATED, int(row[0]) if row[0] != UNDATED else 0), True)
        orders = {"series": by_label, "year": by_year,
                  "country": by_label, "section": by_label}  # fmt: skip
        for kind, (key, reverse) in orders.items():
            self.filters[kind].extra["choices"] = [
                (value, _label("Undated" if value == UNDATED else label, n))
                for value, label, n in sorted(rows[kind], key=key, reverse=reverse)
            ]

    def filter_year(self, queryset, name, value):
        if value == UNDATED:
            return queryset.filter(publication_date__isnull=True)
        return queryset.filter(publication_date__year=int(value))


def filter_choice_rows(published):
    """(filter, value, label, issues) for every choice of the four filters, in one query:
    the union of one aggregate per filter, sorted by the caller."""
    year = Cast(ExtractYear("publication_date"), CharField())
    parts = [
        Series.objects.filter(issues__in=published)
        .values(choice_kind=Value("series"), choice_value=F("slug"), choice_label=F("title"))
        .annotate(choice_n=Count("issues", distinct=True)),
        # An issue that prints a month, quarter or year is dated by its period's first day,
        # so it counts in that year; one with no date at all is listed as "Undated".
        published.values(
            choice_kind=Value("year"),
            choice_value=Coalesce(year, Value(UNDATED)),
            choice_label=Coalesce(year, Value(UNDATED)),
        )
        .annotate(choice_n=Count("pk", distinct=True)),
        Country.objects.filter(stories__issue__in=published)
        .values(choice_kind=Value("country"), choice_value=F("slug"), choice_label=F("name"))
        .annotate(choice_n=Count("stories__issue", distinct=True)),
        Section.objects.filter(issue__in=published)
        .values(choice_kind=Value("section"), choice_value=F("title"), choice_label=F("title"))
        .annotate(choice_n=Count("issue", distinct=True)),
    ]
    columns = ("choice_kind", "choice_value", "choice_label", "choice_n")
    first, *rest = (part.order_by().values_list(*columns) for part in parts)
    return first.union(*rest, all=True)

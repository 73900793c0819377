"""Archive filters: series, year, country and section title, combinable, kept in the URL.

Every filter is a choice among values that published issues actually have, labelled
with how many published issues have it; an unknown value is a form error (shown on
the page with no results), never a server error. The choices of all four filters cost
one query, whatever the size of the archive.
"""

import django_filters
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Cast, ExtractYear

from directory.models import Country

from .models import Issue, Section, Series


def _label(name, count) -> str:
    return f"{name} ({count})"


class IssueFilter(django_filters.FilterSet):
    series = django_filters.ChoiceFilter(
        field_name="series__slug", lookup_expr="exact", label="Series", empty_label="All series"
    )
    year = django_filters.ChoiceFilter(
        field_name="publication_date", lookup_expr="year", label="Year", empty_label="All years"
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
        orders = {"series": by_label, "year": (lambda row: int(row[0]), True),
                  "country": by_label, "section": by_label}  # fmt: skip
        for kind, (key, reverse) in orders.items():
            self.filters[kind].extra["choices"] = [
                (value, _label(label, n))
                for value, label, n in sorted(rows[kind], key=key, reverse=reverse)
            ]


def filter_choice_rows(published):
    """(filter, value, label, issues) for every choice of the four filters, in one query:
    the union of one aggregate per filter, sorted by the caller."""
    year = Cast(ExtractYear("publication_date"), CharField())
    parts = [
        Series.objects.filter(issues__in=published)
        .values(choice_kind=Value("series"), choice_value=F("slug"), choice_label=F("title"))
        .annotate(choice_n=Count("issues", distinct=True)),
        published.filter(publication_date__isnull=False)
        .values(choice_kind=Value("year"), choice_value=year, choice_label=year)
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

"""Read-only JSON API of the published issues (Django REST framework, drf-spectacular).

Only published, due issues exist here, whoever asks: staff preview in the HTML pages.
Every response is built in a fixed number of queries. Errors, pagination and throttling
are config/rest.py's; the schema is at /api/schema/.
"""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from config.rest import (
    ERROR_RESPONSES,
    Pagination,
    YearFilter,
    country_filter,
    parameter,
    slug_filter,
)

from .figures import exact_figure
from .markdown import render_markdown
from .models import DatePrecision, Issue


class IssueApiFilter(django_filters.FilterSet):
    series = slug_filter("series__slug")
    year = YearFilter("publication_date")
    country = country_filter("stories__countries__code", distinct=True)

    class Meta:
        model = Issue
        fields = ["series", "year", "country"]


ISSUE_PARAMETERS = [
    parameter("series", "A series' slug, as in /issues/?series=."),
    parameter("year", "Issues dated (or whose period starts) in this year."),
    parameter("country", "Issues with a story about this country (ISO 3166 alpha-2 code)."),
]


def _absolute(context, url: str) -> str:
    return context["request"].build_absolute_uri(url)


class IssueSummarySerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.title")
    date = serializers.DateField(
        source="publication_date",
        allow_null=True,
        help_text="The printed date; for a month, quarter or year, the period's first day.",
    )
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    period = serializers.CharField(
        source="period_label", help_text='The date as printed: "April–June 2014"; "" if none.'
    )
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(help_text="The A4 PDF edition.")

    class Meta:
        model = Issue
        fields = ["slug", "title", "series", "volume", "number", "date", "date_precision", "period",
                  "url", "api_url", "pdf_url"]  # fmt: skip

    def get_url(self, issue) -> str:
        return _absolute(self.context, issue.get_absolute_url())

    def get_api_url(self, issue) -> str:
        return _absolute(self.context, reverse("newsletters:api_issue", args=[issue.slug]))

    def get_pdf_url(self, issue) -> str:
        return _absolute(self.context, reverse("newsletters:issue_pdf", args=[issue.slug]))


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    alt_text = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, photo):
        return _absolute(self.context, photo.image.url) if photo.image else None

    def get_alt_text(self, photo) -> str:
        return photo.alt_text or photo.caption


class StorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    markdown = serializers.CharField(source="body")
    html = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, source="photos.all")

    def get_url(self, story) -> str:
        issue_slug = self.context["issue"].slug
        return _absolute(self.context, reverse("newsletters:story", args=[issue_slug, story.slug]))

    def get_countries(self, story) -> list[str]:
        return [c.code for c in story.countries.all()]

    def get_html(self, story) -> str:
        return str(render_markdown(story.body))


class SectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    anchor = serializers.CharField()
    stories = StorySerializer(many=True, source="stories.all")


class KeyFigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    # An exact decimal string ("1650", "12.5"): a JSON number would be a float to most
    # readers.
    value = serializers.SerializerMethodField()
    unit = serializers.CharField()
    note = serializers.CharField()

    def get_value(self, figure) -> str:
        return exact_figure(figure.value)


class IssueDetailSerializer(IssueSummarySerializer):
    sections = SectionSerializer(many=True, source="sections.all")
    # A figure still to be filled in is left out.
    key_figures = KeyFigureSerializer(many=True, source="filled_key_figures")
    directory = serializers.SerializerMethodField()

    class Meta(IssueSummarySerializer.Meta):
        fields = [*IssueSummarySerializer.Meta.fields, "summary", "sections", "key_figures",
                  "directory"]  # fmt: skip

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_directory(self, issue):
        return issue.directory_snapshot or {}

    def to_representation(self, issue):
        # Story URLs need the issue's slug without a query per story.
        self.context["issue"] = issue
        return super().to_representation(issue)


@extend_schema(
    responses={200: IssueSummarySerializer(many=True), **ERROR_RESPONSES},
    parameters=ISSUE_PARAMETERS,
)
class IssueListView(generics.ListAPIView):
    """Published issues, newest first, 20 a page; filter by series, year and country."""

    serializer_class = IssueSummarySerializer
    filterset_class = IssueApiFilter
    pagination_class = Pagination

    def get_queryset(self):
        return Issue.objects.published().select_related("series").newest_first()


@extend_schema(responses={200: IssueDetailSerializer, **ERROR_RESPONSES})
class IssueDetailView(generics.RetrieveAPIView):
    """One published issue with its sections, stories, photos, key figures and directory."""

    serializer_class = IssueDetailSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        return Issue.objects.published().with_contents()


issue_list = IssueListView.as_view()
issue_detail = IssueDetailView.as_view()

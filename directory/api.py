"""Read-only JSON of the directory: countries with their offices, hotlines and people.

Django REST framework, paginated by country (20 a page, under "countries"), with
?country=<ISO code>. Errors and pagination come from config/rest.py.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from config.rest import ERROR_RESPONSES, Pagination, country_filter, parameter

from .models import Country
from .views import countries_with_entries

SEEN_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {"title": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
}


class SeenMixin:
    @extend_schema_field(SEEN_SCHEMA)
    def get_last_confirmed_in(self, entry):
        issue = entry.last_seen_in
        # A draft's title and address are not public, even as a "last confirmed in".
        if issue is None or not issue.is_live:
            return None
        request = self.context["request"]
        return {"title": issue.title, "url": request.build_absolute_uri(issue.get_absolute_url())}


class HotlineSerializer(SeenMixin, serializers.Serializer):
    number = serializers.CharField(help_text="As printed.")
    e164 = serializers.SerializerMethodField()
    tel = serializers.SerializerMethodField()
    note = serializers.CharField()
    last_confirmed_in = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True, "example": "+77001234567"})
    def get_e164(self, hotline):
        return hotline.e164 or None

    def get_tel(self, hotline) -> str:
        return f"tel:{hotline.tel}"


class OfficeSerializer(SeenMixin, serializers.Serializer):
    name = serializers.CharField()
    website = serializers.CharField(source="website_href")
    emails = serializers.SerializerMethodField()
    last_confirmed_in = serializers.SerializerMethodField()

    def get_emails(self, office) -> list[str]:
        return [e.address for e in office.emails.all()]


class PersonSerializer(SeenMixin, serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    phones = serializers.ListField(source="phone_list", child=serializers.CharField())
    email = serializers.CharField()
    last_confirmed_in = serializers.SerializerMethodField()


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166 alpha-2.")
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    hotlines = HotlineSerializer(many=True, source="hotlines.all")
    offices = OfficeSerializer(many=True, source="offices.all")
    people = PersonSerializer(many=True, source="people.all")

    def get_url(self, country) -> str:
        return self.context["request"].build_absolute_uri(country.get_absolute_url())


class CountryFilter(django_filters.FilterSet):
    country = country_filter("code")

    class Meta:
        model = Country
        fields = ["country"]


class DirectoryPagination(Pagination):
    results_key = "countries"


@extend_schema(
    responses={200: CountrySerializer(many=True), **ERROR_RESPONSES},
    parameters=[parameter("country", "ISO 3166 alpha-2 code: KZ.")],
)
class DirectoryView(generics.ListAPIView):
    """The directory by country: hotlines, mission offices with e-mails, and staff."""

    serializer_class = CountrySerializer
    pagination_class = DirectoryPagination
    filterset_class = CountryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no query, no due publish
            return Country.objects.none()
        return countries_with_entries().order_by("name")


directory = DirectoryView.as_view()

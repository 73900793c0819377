"""The public API's common parts (Django REST framework): pagination, errors, throttling.

Every error, whatever raised it (a bad filter, an unknown slug, a page past the end, a
POST, too many requests, a path under /api/ that does not exist), answers JSON in one
shape, `ErrorSerializer`:

    {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {}}

`errors` names the bad query parameters of a 400. The API is read-only: it has no
authentication (so no CSRF), and every other method is 405 with `Allow`.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="not_found, invalid, method_not_allowed, throttled…")
    detail = serializers.CharField(help_text="A sentence for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For a 400: each bad query parameter with its problems; else empty.",
    )


ERROR_RESPONSES = {
    status: OpenApiResponse(ErrorSerializer, description=text)
    for status, text in [
        (400, "A query parameter is not valid."),
        (404, "No such object or page."),
        (405, "The API is read-only: GET, HEAD and OPTIONS only."),
        (429, "Too many requests; see Retry-After."),
    ]
}


# Query parameters: the server checks what the schema promises, so a request the schema
# calls valid is never refused, and anything else is a 400 naming the parameter.
COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
YEARS = (1900, 2999)


def country_filter(field_name: str, **kwargs) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name=field_name,
        lookup_expr="iexact",
        validators=[RegexValidator(COUNTRY_PATTERN, "Give a two-letter ISO 3166 code: KZ.")],
        **kwargs,
    )


def slug_filter(field_name: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name=field_name, validators=[RegexValidator(SLUG_PATTERN, "Give a slug.")]
    )


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, field_name: str):
        super().__init__(
            field_name=field_name, lookup_expr="year", min_value=YEARS[0], max_value=YEARS[1]
        )


def parameter(name: str, description: str) -> OpenApiParameter:
    """The schema of a query parameter above, with the same limits the server checks."""
    if name == "year":
        schema = {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]}
    else:
        pattern = COUNTRY_PATTERN if name == "country" else SLUG_PATTERN
        schema = {"type": "string", "pattern": pattern}
    return OpenApiParameter(name, schema, description=description)


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def error_body(status: int, code: str, detail: str, errors: dict | None = None) -> dict:
    return {"status": status, "code": code, "detail": detail, "errors": errors or {}}


def exception_handler(exc, context):
    """DRF's handler, with every error rewritten to the one shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 page and logging
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(
            response.status_code,
            "invalid",
            "A query parameter is not valid.",
            {key: [str(m) for m in value] for key, value in errors.items()},
        )
    else:
        response.data = error_body(response.status_code, _code(exc), str(exc.detail))
    return response


class Pagination(PageNumberPagination):
    """count, page, pages, next, previous and the page's rows under `results_key`."""

    page_size = 20
    results_key = "results"

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                self.results_key: data,
            }
        )

    def get_previous_link(self):
        # DRF drops ?page=1 from the first page's link; ours always names the page.
        if not self.page.has_previous():
            return None
        from rest_framework.utils.urls import replace_query_param

        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.previous_page_number())

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        props = paged["properties"]
        props["page"] = {"type": "integer", "example": 1}
        props["pages"] = {"type": "integer", "example": 3}
        props[self.results_key] = props.pop("results")
        paged["required"] = ["count", "page", "pages", "next", "previous", self.results_key]
        return paged


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS"])
def not_found(request, path=""):
    """Any other path under /api/: the JSON 404, not the site's HTML page.

    A known endpoint without its trailing slash is redirected to it, as
    CommonMiddleware's APPEND_SLASH would do had this catch-all not matched first.
    """
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name:
            query = request.META.get("QUERY_STRING", "")
            target = request.path + "/" + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
    raise exceptions.NotFound("No such API endpoint. The schema is at /api/schema/.")

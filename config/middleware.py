"""Project middleware: security headers Django has no setting for, request size ceiling,
and a plain 503 page when the database is unreachable.

A database that goes away must give visitors "temporarily unavailable" with a
Retry-After, never a traceback, and the site must recover by itself: Django closes a
connection that raised, and CONN_HEALTH_CHECKS makes the next request reconnect.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("config.unavailable")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable_response() -> HttpResponse:
    # Rendered without a request so no context processor (user, messages) can touch
    # the database that has just failed.
    try:
        body = loader.render_to_string("503.html")
    except Exception:  # a broken template must not turn a 503 into a 500
        body = "<!doctype html><title>Temporarily unavailable</title><h1>Unavailable</h1>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable on %s: %s", request.path, exception)
            return unavailable_response()
        return None


def server_error(request, template_name="500.html"):
    """handler500: database errors raised outside a view (in middleware) still get the 503."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        logger.error("Database unavailable on %s: %s", request.path, exception)
        return unavailable_response()
    return defaults.server_error(request, template_name)


class SecurityHeadersMiddleware:
    """Permissions-Policy (no Django setting) and a 413 for oversized request bodies."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")
        self.max_bytes = getattr(settings, "MAX_REQUEST_BYTES", None)

    def __call__(self, request):
        if self.max_bytes and self._content_length(request) > self.max_bytes:
            # Refused on the header, before Django reads or spools any of the body.
            response = HttpResponse(
                "Request body too large.", status=413, content_type="text/plain"
            )
        else:
            response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response

    @staticmethod
    def _content_length(request) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

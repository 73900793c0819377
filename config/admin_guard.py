"""Refuse NUL characters in the admin's query parameters before any view sees them.

PostgreSQL cannot store or compare a string containing NUL ("A string literal cannot
contain NUL (0x00) characters"): a change list filter such as `?label=%00` or a search
`?q=%00` raised that as a 500. Nobody types NUL, so the request is answered 404, on
every database alike. Form fields already refuse NUL in posted text (Django's
ProhibitNullCharactersValidator); public pages clean their own parameters.
"""

from django.http import Http404
from django.urls import reverse


class AdminNulGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise Http404("Invalid characters in the query.")
        return self.get_response(request)

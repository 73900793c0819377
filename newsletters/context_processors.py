"""Template context for every page: the site's name and the page's canonical URL.

The canonical URL is the page's own address, absolute, with its query string
normalised: only the parameters that change what the page lists (page, filters, the
search query), non-empty, in a fixed order, and no `page=1`. Views may set their own.
"""

from urllib.parse import urlencode

from django.conf import settings

CANONICAL_PARAMETERS = ("q", "series", "year", "country", "section", "page")


def canonical_url(request) -> str:
    kept = []
    for name in CANONICAL_PARAMETERS:
        value = request.GET.get(name, "").strip()
        if value and not (name == "page" and value == "1"):
            kept.append((name, value))
    url = request.build_absolute_uri(request.path)
    return f"{url}?{urlencode(kept)}" if kept else url


def site(request) -> dict:
    return {
        "site_name": getattr(settings, "SITE_NAME", "Newsletter archive"),
        "canonical_url": canonical_url(request),
    }

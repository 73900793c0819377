"""/favicon.ico: browsers and crawlers ask for it at the root whatever the page links."""

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"
ONE_DAY = 86_400


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
def favicon(request):
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    # Not hashed like the static copy the pages link to, so cached for a day only.
    response["Cache-Control"] = f"public, max-age={ONE_DAY}"
    return response

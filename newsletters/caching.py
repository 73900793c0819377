"""Conditional requests and page caching for the public pages.

One site-wide content version, stored in the cache, is bumped by signals whenever
something the public can see changes (newsletters/signals.py). A page's validators
combine it with the newest published issue's time (updated or gone live), which one
aggregate query reads per request. That query also finds the next scheduled go-live,
so a cached page never outlives the moment a scheduled issue appears.

Only anonymous visitors get validators and cached pages: staff see previews, and a
preview must never be stored where a visitor could be served it.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

VERSION_KEY = "public-content-version"
PAGE_TIMEOUT = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 600)


def content_version() -> str:
    """The current version: a microsecond timestamp, created on first use after a flush."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A flushed cache may have lost bumps: start a fresh version rather than reuse one.
        version = f"{timezone.now().timestamp():.6f}"
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**_kwargs) -> None:
    old = cache.get(VERSION_KEY)
    now = timezone.now().timestamp()
    # Strictly increasing even when two changes fall in the same clock tick.
    if old is not None and float(old) >= now:
        now = float(old) + 0.000001
    cache.set(VERSION_KEY, f"{now:.6f}", timeout=None)


@dataclass(frozen=True)
class PublicState:
    version: str
    last_modified: datetime | None
    next_go_live: datetime | None

    def etag(self) -> str:
        return hashlib.sha256(f"{self.version}|{self.last_modified}".encode()).hexdigest()[:32]

    def timeout(self, now=None) -> int:
        now = now or timezone.now()
        if self.next_go_live is None:
            return PAGE_TIMEOUT
        return max(1, min(PAGE_TIMEOUT, int((self.next_go_live - now).total_seconds()) + 1))


def public_state(now=None) -> PublicState:
    """Version, last modification and next go-live, in one query."""
    from .models import Issue

    now = now or timezone.now()
    published = Q(status=Issue.Status.PUBLISHED)
    live = published & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    row = Issue.objects.order_by().aggregate(
        # An issue that went live by schedule changed the site at its go-live time.
        last=Max(Greatest("updated_at", Coalesce("go_live_at", "updated_at")), filter=live),
        next_go_live=Min("go_live_at", filter=published & Q(go_live_at__gt=now)),
    )
    version = content_version()
    last = row["last"]
    changed = datetime.fromtimestamp(float(version), tz=UTC)
    last = max(last, changed) if last else changed
    return PublicState(version, last, row["next_go_live"])


def _is_public_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _state(request) -> PublicState:
    if not hasattr(request, "_public_state"):
        request._public_state = public_state()
    return request._public_state


def _etag(request, *args, **kwargs):
    return _state(request).etag() if _is_public_request(request) else None


def _last_modified(request, *args, **kwargs):
    return _state(request).last_modified if _is_public_request(request) else None


def _page_key(request, state: PublicState) -> str:
    uri = request.build_absolute_uri()
    digest = hashlib.sha256(f"{request.method}|{uri}".encode()).hexdigest()
    return f"public-page:{state.etag()}:{digest}"


def public_page(view_func):
    """Validators, 304s and a page cache for anonymous visitors; staff bypass all of it."""

    @wraps(view_func)
    def cached_view(request, *args, **kwargs):
        if not _is_public_request(request):
            response = view_func(request, *args, **kwargs)
            # Previews and signed-in pages stay out of shared caches.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        state = _state(request)
        key = _page_key(request, state)
        response = cache.get(key)
        if response is None:
            response = view_func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = (
                response.status_code == 200 and not response.cookies and not response.streaming
            )
            if cacheable:
                cache.set(key, response, state.timeout())
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return condition(etag_func=_etag, last_modified_func=_last_modified)(cached_view)

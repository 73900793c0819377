"""Conditional requests and page caching for the public pages.

A cached page must answer without touching the database, yet never outlive a change
nor a scheduled go-live. Everything a request needs is therefore kept in the shared
cache and fetched in one round trip (get_many):

- a content version, an integer that signals bump atomically with `cache.incr`
  whenever something the public can see changes (newsletters/signals.py). Being
  atomic, two processes bumping at once can never lose a bump;
- the time of the last bump, for Last-Modified;
- the derived state for that version: the newest published issue's time (updated or
  gone live), the Last-Modified instant and the next scheduled go-live. One aggregate
  query computes it, only when it is missing, belongs to an older version, or the next
  go-live has passed. A state computed from data read before a bump is tagged with the
  older version, so it is never taken for the current one;
- the page itself, under a key that depends on the URL only, stored with the ETag it
  was rendered for; a page whose ETag is not the current one is a miss.

The ETag hashes the version with the newest issue's time, so it changes on every bump
and at every go-live, and is the same in every process for the same data.

Only anonymous visitors get validators and cached pages: staff see previews, and a
preview must never be stored where a visitor could be served it.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

logger = logging.getLogger(__name__)

# Names carry a format number: an older deployment's values (a string version, a
# differently shaped state) are never read as this one's.
VERSION_KEY = "public-content-version:2"
BUMPED_AT_KEY = "public-content-bumped-at:2"
STATE_KEY = "public-state:2"
PAGE_PREFIX = "public-page:2:"
PAGE_TIMEOUT = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 600)


def _fresh_version() -> int:
    # Microseconds since the epoch: larger than any counter started before, so a version
    # key lost to a flush or an eviction never comes back with a value pages were stored
    # under.
    return int(timezone.now().timestamp() * 1_000_000)


def content_version() -> int:
    """The current version, created on first use after a flush."""
    version = cache.get(VERSION_KEY)
    return _start_version() if version is None else version


def _start_version() -> int:
    version = _fresh_version()
    if not cache.add(VERSION_KEY, version, timeout=None):
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**_kwargs) -> None:
    """A new version, in every process at once: called by the signals on each change."""
    try:
        # The time first: a reader that sees the new version also sees this time or a
        # later one, so Last-Modified never goes back behind a change.
        cache.set(BUMPED_AT_KEY, timezone.now(), timeout=None)
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (flushed): a fresh one is new anyway
            if not cache.add(VERSION_KEY, _fresh_version(), timeout=None):
                cache.incr(VERSION_KEY)  # someone else started one meanwhile
    except Exception as exc:  # noqa: BLE001 - the cache only makes pages faster
        # A cache that is down must not make saving fail (config/cache.py degrades
        # get/set, but not incr).
        logger.warning("could not bump the public content version: %s", exc)


@dataclass(frozen=True)
class PublicState:
    version: int
    newest: datetime | None  # the newest live issue's update or go-live
    last_modified: datetime
    next_go_live: datetime | None

    def etag(self) -> str:
        return hashlib.sha256(f"{self.version}|{self.newest}".encode()).hexdigest()[:32]

    def is_current(self, version: int, now: datetime) -> bool:
        """Still valid: same version, and no scheduled issue has gone live since."""
        return self.version == version and (self.next_go_live is None or now < self.next_go_live)

    def timeout(self, now=None) -> int:
        now = now or timezone.now()
        if self.next_go_live is None:
            return PAGE_TIMEOUT
        return max(1, min(PAGE_TIMEOUT, int((self.next_go_live - now).total_seconds()) + 1))

    def dump(self) -> tuple:
        # A plain tuple in the cache: unpickling never depends on this class's shape.
        return (self.version, self.newest, self.last_modified, self.next_go_live)


def _compute_state(version: int, bumped_at: datetime | None, now: datetime) -> PublicState:
    """The one query: newest live issue and next go-live."""
    from .models import Issue

    published = Q(status=Issue.Status.PUBLISHED)
    live = published & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    row = Issue.objects.order_by().aggregate(
        # An issue that went live by schedule changed the site at its go-live time.
        newest=Max(Greatest("updated_at", Coalesce("go_live_at", "updated_at")), filter=live),
        next_go_live=Min("go_live_at", filter=published & Q(go_live_at__gt=now)),
    )
    if bumped_at is None:
        # Lost to a flush: changes may have been made up to now.
        bumped_at = now
        cache.add(BUMPED_AT_KEY, now, timeout=None)
    newest = row["newest"]
    last_modified = max(newest, bumped_at) if newest else bumped_at
    return PublicState(version, newest, last_modified, row["next_go_live"])


def _lookup(keys: list[str], now: datetime) -> tuple[PublicState, dict]:
    """The state (read, or computed and stored) and whatever else `keys` found."""
    found = cache.get_many([VERSION_KEY, STATE_KEY, BUMPED_AT_KEY, *keys])
    version = found.get(VERSION_KEY)
    if version is None:
        version = _start_version()
    stored = found.get(STATE_KEY)
    if stored is not None:
        state = PublicState(*stored)
        if state.is_current(version, now):
            return state, found
    state = _compute_state(version, found.get(BUMPED_AT_KEY), now)
    # Stored for a while only: a safety net for writes that send no signal (bulk updates).
    # A stale state written here by a slower process is tagged with its older version,
    # so the next reader recomputes rather than trusts it.
    cache.set(STATE_KEY, state.dump(), PAGE_TIMEOUT)
    return state, found


def public_state(now=None) -> PublicState:
    """Version, validators and next go-live; no query while the cached state is current."""
    return _lookup([], now or timezone.now())[0]


def _is_public_request(request) -> bool:
    # For a visitor without a session cookie, request.user loads no session and runs
    # no query.
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _page_key(request) -> str:
    uri = request.build_absolute_uri()
    return PAGE_PREFIX + hashlib.sha256(f"{request.method}|{uri}".encode()).hexdigest()


def _state(request) -> PublicState:
    """Read once per request, together with the cached page: one cache round trip."""
    if not hasattr(request, "_public_state"):
        key = _page_key(request)
        state, found = _lookup([key], timezone.now())
        request._public_state = state
        request._public_page_key = key
        request._public_page = found.get(key)
    return request._public_state


def _etag(request, *args, **kwargs):
    return _state(request).etag() if _is_public_request(request) else None


def _last_modified(request, *args, **kwargs):
    return _state(request).last_modified if _is_public_request(request) else None


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
        etag = state.etag()
        entry = request._public_page
        if entry is not None and entry[0] == etag:
            response = entry[1]
        else:
            response = view_func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = (
                response.status_code == 200 and not response.cookies and not response.streaming
            )
            if cacheable:
                cache.set(request._public_page_key, (etag, response), state.timeout())
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return condition(etag_func=_etag, last_modified_func=_last_modified)(cached_view)

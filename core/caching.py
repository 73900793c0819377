"""Conditional requests and page caching for the public pages.

A cached page must answer without touching the database, yet never outlive a change
nor a scheduled go-live, in any worker. Everything a request needs is therefore kept in
the shared cache (Redis, or the file cache every worker of the machine reads: see
config/settings.py) and fetched in one round trip (get_many):

- a content version, a fresh unique integer that signals `set` whenever something the
  public can see changes (newsletters/signals.py). A bump never reuses a value, so two
  processes bumping at once cannot bring back a version pages were stored under;
- the time of the last bump, for Last-Modified;
- the derived state for that version: the newest published issue's time (updated or
  gone live), the Last-Modified instant and the next scheduled go-live. One aggregate
  query computes it, only when it is missing, belongs to an older version, or the next
  go-live has passed. A state computed from data read before a bump is tagged with the
  older version, so it is never taken for the current one;
- the page itself (core/pagecache.py), under a key made of the URL and only the
  query parameters the page reads, stored with the ETag it was rendered for; a page
  whose ETag is not the current one is a miss.

The ETag hashes the version with the newest issue's time, so it changes on every bump
and at every go-live, and is the same in every process for the same data.

Only anonymous visitors get validators and cached pages: staff see previews, and a
preview must never be stored where a visitor could be served it.
"""

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.module_loading import import_string

from .pagecache import (
    cache_off,
    entry_response,
    mark_for_storing,
    not_modified,
    recent_entry,
    remember_entry,
)

logger = logging.getLogger(__name__)

# Names carry a format number: an older deployment's values (a string version, a
# differently shaped state) are never read as this one's.
VERSION_KEY = "public-content-version:2"
BUMPED_AT_KEY = "public-content-bumped-at:2"
STATE_KEY = "public-state:2"
PAGE_PREFIX = "public-page:2:"
PAGE_TIMEOUT = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 600)
# How long a process may reuse the version and state it last read from the shared cache
# (the goal is every worker within 1 s). Without it every cached hit opens two files of
# the file cache, and on a busy disk that, not Python, bounded the cached page's speed.
STATE_MEMO_SECONDS = getattr(settings, "PUBLIC_STATE_MEMO_SECONDS", 0.1)
_memo: dict = {"state": None, "until": 0.0}


def _memo_state(now: datetime) -> "PublicState | None":
    state = _memo["state"]
    if not STATE_MEMO_SECONDS or state is None or time.monotonic() >= _memo["until"]:
        return None
    return state if state.is_current(state.version, now) else None


def forget_state() -> None:
    """This process reads the version and state afresh on its next request."""
    _memo["state"] = None


def _fresh_version() -> int:
    # Microseconds since the epoch, with random low bits: two processes bumping in the
    # same microsecond still write different values, so a plain `set` (atomic in every
    # backend, unlike `incr` on the file or database cache) can never lose a bump: every
    # bump leaves a value that no page was stored under. It stays below 2**63 (Redis
    # integers).
    return (int(timezone.now().timestamp() * 1_000_000) << 10) | secrets.randbits(10)


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
    forget_state()  # this process sees its own change on its very next request
    try:
        # The time first: a reader that sees the new version also sees this time or a
        # later one, so Last-Modified never goes back behind a change.
        cache.set(BUMPED_AT_KEY, timezone.now(), timeout=None)
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception as exc:  # noqa: BLE001 - the cache only makes pages faster
        # A cache that is down must not make saving fail (config/cache.py degrades
        # get/set, but a plain backend may raise).
        logger.warning("could not bump the public content version: %s", exc)


@dataclass(frozen=True)
class PublicState:
    version: int
    newest: datetime | None  # the newest live issue's update or go-live
    last_modified: datetime
    next_go_live: datetime | None

    def etag(self) -> str:
        etag = self.__dict__.get("_etag")
        if etag is None:  # computed once per state: asked for several times a request
            etag = hashlib.sha256(f"{self.version}|{self.newest}".encode()).hexdigest()[:32]
            object.__setattr__(self, "_etag", etag)
        return etag

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


@lru_cache(maxsize=1)
def _schedule():
    # What the content says of time: settings.PUBLIC_SCHEDULE names a function of `now`
    # giving (newest public change, next scheduled go-live), so this module names no app.
    return import_string(settings.PUBLIC_SCHEDULE)


def _compute_state(version: int, bumped_at: datetime | None, now: datetime) -> PublicState:
    """The one query: the newest public change and the next go-live (PUBLIC_SCHEDULE)."""
    newest, next_go_live = _schedule()(now)
    if bumped_at is None:
        # Lost to a flush: changes may have been made up to now.
        bumped_at = now
        cache.add(BUMPED_AT_KEY, now, timeout=None)
    last_modified = max(newest, bumped_at) if newest else bumped_at
    return PublicState(version, newest, last_modified, next_go_live)


def _lookup(keys: list[str], now: datetime) -> tuple[PublicState, dict]:
    """The state (read, or computed and stored) and whatever else `keys` found."""
    found = cache.get_many([VERSION_KEY, STATE_KEY, *keys])
    version = found.get(VERSION_KEY)
    if version is None:
        version = _start_version()
    stored = found.get(STATE_KEY)
    if stored is not None:
        state = PublicState(*stored)
        if state.is_current(version, now):
            return state, found
    # Read after the version: a bump writes its time first, so this is that bump's time
    # or a later one.
    state = _compute_state(version, cache.get(BUMPED_AT_KEY), now)
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


def only_params(query: QueryDict, params: tuple[str, ...]) -> QueryDict:
    """`query` with only the parameters a page reads, in a fixed order (issue 15 item 5).

    The page is rendered from this, and cached under it, so `?utm=1` or `?cb=<unique>`
    neither creates cache entries nor ends up in the page's links.
    """
    if not params or not query:
        return _empty_query()
    kept = QueryDict(mutable=True)
    for name in sorted(params):
        values = query.getlist(name)
        if values:
            kept.setlist(name, values)
    kept._mutable = False
    return kept


@lru_cache(maxsize=1)
def _empty_query() -> QueryDict:
    return QueryDict()  # immutable: safe to share between requests


def page_key(request, params: tuple[str, ...]) -> str:
    """The cache key of a page: method, scheme, host, path and the parameters it reads."""
    query = ""
    if params and request.META.get("QUERY_STRING"):
        query = only_params(request.GET, params).urlencode()
    uri = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return PAGE_PREFIX + hashlib.sha256(f"{request.method}|{uri}".encode()).hexdigest()


def lookup_page(request, params: tuple[str, ...]) -> PublicState:
    """State and stored page, read once per request, in one cache round trip.

    A page this process stored or served lately is kept in its memory too
    (pagecache.recent_entry); it is used only if its ETag is the current one, read from
    the shared cache, so it is never staler than the shared copy.
    """
    if not hasattr(request, "_public_state"):
        key, now = page_key(request, params), timezone.now()
        recent = recent_entry(key)
        state, found, fetched = _memo_state(now), {}, False
        if state is None:
            fetched = recent is None
            state, found = _lookup([key] if fetched else [], now)
            if STATE_MEMO_SECONDS and not cache_off():
                _memo.update(state=state, until=time.monotonic() + STATE_MEMO_SECONDS)
        etag = state.etag()
        if recent is not None and recent[0] == etag:
            entry = recent
        else:
            entry = found.get(key) if fetched else cache.get(key)
            if entry is not None and entry[0] == etag:
                remember_entry(key, entry)
        request._public_state = state
        request._public_page_key = key
        request._public_page = entry
    return request._public_state


def public_page(view_func=None, *, params: tuple[str, ...] = ()):
    """Validators, 304s and a page cache for anonymous visitors; staff bypass all of it.

    `params` names the query parameters the page reads; the view sees no others. The
    page is stored (compressed) by core.pagecache.PublicPageCacheMiddleware once
    the whole middleware stack has finished it, and served from there.
    """
    if view_func is None:
        return lambda func: public_page(func, params=params)
    params = tuple(params)

    @wraps(view_func)
    def cached_view(request, *args, **kwargs):
        if params or request.META.get("QUERY_STRING"):
            request.GET = only_params(request.GET, params)
        if not _is_public_request(request):
            response = view_func(request, *args, **kwargs)
            # Previews and signed-in pages stay out of shared caches.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        state = lookup_page(request, params)
        entry = request._public_page
        if entry is not None and entry[0] == state.etag():
            return entry_response(request, entry, request._public_page_key, state.timeout())
        if not_modified(request, state.etag(), state.last_modified):
            return validated(HttpResponseNotModified(), state)
        response = view_func(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            mark_for_storing(request, state)
        return validated(response, state)

    cached_view.public_page_params = params
    return cached_view


def validated(response, state: PublicState):
    """The headers every public answer carries, a 304 as much as the 200 (RFC 9110 15.4.5)."""
    response["ETag"] = quote_etag(state.etag())
    response["Last-Modified"] = http_date(state.last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    # Cached pages are sent compressed when the client accepts it (pagecache.py).
    patch_vary_headers(response, ("Accept-Encoding",))
    return response

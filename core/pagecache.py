"""Stored public pages: kept with their final headers, compressed, served early.

A public page (core.caching.public_page) is stored once the whole middleware
stack has finished it, with the headers it then carries, so that the next anonymous
request for it can be answered by PublicPageCacheMiddleware, near the top of the stack,
before sessions, CSRF, auth, messages, history or axes run: a request without a session
cookie cannot be staff, so nothing below could change its answer.

Compression: a stored page carries no secret (no CSRF token, no session: pages that set
a cookie or use the CSRF token are never stored), so compressing it cannot leak one
through its length (BREACH). Nothing else is compressed. Each encoding is made once,
when a client first asks for it, and kept in the entry beside the plain bytes; gzip is
written with a fixed mtime, so every worker sends the same bytes.

An entry is a plain tuple: (etag, last-modified timestamp, status, headers, bodies),
where bodies maps "identity", "gzip" or "br" to bytes.
"""

import gzip
import threading
from collections import OrderedDict
from functools import lru_cache

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.http import parse_etags, parse_http_date_safe, quote_etag

# Set per answer, or never stored.
SKIPPED_HEADERS = {"content-length", "content-encoding", "set-cookie", "date"}
# The headers a 304 repeats from the 200 (RFC 9110 15.4.5).
NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "ETag", "Expires",
                        "Last-Modified", "Vary")  # fmt: skip
ENCODINGS = ("br", "gzip")
BROTLI_QUALITY = 5  # about as fast as gzip -6, and smaller; made once per page version


# The pages this process stored or served lately (a small LRU in memory): a hit then
# reads only the version and state from the shared cache, not the page's bytes.
RECENT_ENTRIES = 256
_recent: OrderedDict[str, tuple] = OrderedDict()
_recent_lock = threading.Lock()  # threaded servers (runserver, gthread workers)


def cache_off() -> bool:
    """Django's DummyCache means "cache nothing": then this process keeps nothing either."""
    return settings.CACHES["default"]["BACKEND"].endswith(".DummyCache")


def recent_entry(key: str) -> tuple | None:
    if cache_off():
        return None
    with _recent_lock:
        entry = _recent.get(key)
        if entry is not None:
            _recent.move_to_end(key)
        return entry


def remember_entry(key: str, entry: tuple) -> None:
    if cache_off():
        return
    with _recent_lock:
        _recent[key] = entry
        _recent.move_to_end(key)
        while len(_recent) > RECENT_ENTRIES:
            _recent.popitem(last=False)


@lru_cache(maxsize=1024)
def public_page_params(urlconf: str, path: str) -> tuple[str, ...] | None:
    """The parameters the public page at `path` reads, or None if it is not one.

    URL resolution is the largest cost of an early answer, hence the bounded memo.
    """
    try:
        return getattr(resolve(path, urlconf).func, "public_page_params", None)
    except Resolver404:
        return None


def mark_for_storing(request, state) -> None:
    """Called by the view decorator: store the finished page under this request's key."""
    request._public_page_store = state


def not_modified(request, etag: str, last_modified) -> bool:
    """If-None-Match (weak comparison, any encoding of this page), else If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        wanted = quote_etag(etag)
        return any(tag == "*" or tag.removeprefix("W/") == wanted
                   for tag in parse_etags(if_none_match))  # fmt: skip
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    if since is None:
        return False
    stamp = last_modified if isinstance(last_modified, int) else last_modified.timestamp()
    return int(stamp) <= since


def accepted_encoding(request) -> str:
    """"br", "gzip" or "identity", from Accept-Encoding (q=0 refuses)."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if not header:
        return "identity"
    weights = {}
    for part in header.lower().split(","):
        name, _, rest = part.partition(";")
        weight = 1.0
        rest = rest.strip()
        if rest.startswith("q="):
            try:
                weight = float(rest[2:])
            except ValueError:
                weight = 0.0
        weights[name.strip()] = weight
    for encoding in ENCODINGS:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return "identity"


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=6, mtime=0)


def storable(request, response) -> bool:
    """Only complete pages that carry nothing of one visitor's (BREACH, session leaks)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def build_entry(state, response) -> tuple:
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in SKIPPED_HEADERS
    )
    last_modified = int(state.last_modified.timestamp())
    return (state.etag(), last_modified, response.status_code, headers,
            {"identity": response.content})  # fmt: skip


def entry_response(request, entry: tuple, key: str | None = None, timeout: int | None = None):
    """The stored page for this request: a 304, or the body in the accepted encoding.

    With `key`, an encoding made here for the first time is stored back in the entry.
    """
    etag, last_modified, status, headers, bodies = entry
    encoding = accepted_encoding(request)
    if not_modified(request, etag, last_modified):
        response = HttpResponseNotModified()
        stored = dict(headers)
        for name in NOT_MODIFIED_HEADERS:
            if name in stored:
                response.headers[name] = stored[name]
        if encoding != "identity":
            response.headers["ETag"] = "W/" + quote_etag(etag)
        return response
    body = bodies.get(encoding)
    if body is None:
        body = _compress(bodies["identity"], encoding)
        if key is not None:
            entry = (*entry[:4], {**bodies, encoding: body})
            cache.set(key, entry, timeout)
            remember_entry(key, entry)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response.headers[name] = value
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
        # Another representation of the same page: a weak validator (as Django's
        # GZipMiddleware does), which still matches in If-None-Match.
        response.headers["ETag"] = "W/" + quote_etag(etag)
    response.headers["Content-Length"] = str(len(body))
    return response


class PublicPageCacheMiddleware:
    """Answers anonymous requests for stored public pages before the rest of the stack,
    and stores the pages the view decorator marked, once the stack has finished them.

    Goes right after SecurityMiddleware (its HTTPS redirect and headers still apply).
    """

    def __init__(self, get_response):
        from .caching import lookup_page

        self.get_response = get_response
        self.lookup_page = lookup_page
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and self.session_cookie not in request.COOKIES:
            response = self._stored(request)
            if response is not None:
                return response
        response = self.get_response(request)
        state = getattr(request, "_public_page_store", None)
        if state is None or not storable(request, response):
            return response
        entry = build_entry(state, response)
        key, timeout = request._public_page_key, state.timeout()
        cache.set(key, entry, timeout)
        remember_entry(key, entry)
        return entry_response(request, entry, key, timeout)

    def _stored(self, request):
        params = public_page_params(settings.ROOT_URLCONF, request.path_info)
        if params is None:
            return None
        try:
            state = self.lookup_page(request, params)
        except DisallowedHost:
            return None  # Django's own handling answers 400
        entry = request._public_page
        if entry is None or entry[0] != state.etag():
            return None
        return entry_response(request, entry, request._public_page_key, state.timeout())

"""Counting the SQL queries a page runs when it is rendered, not served from the cache."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, data=None):
    """Queries for one uncached GET of `url`, which must answer 200.

    The cache is cleared first so every measured request renders the page and computes
    the cached public state (core/caching.py); otherwise only the first request
    of a test would pay for that.
    """
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)

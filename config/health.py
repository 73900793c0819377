"""`/healthz` for a load balancer: is the database reachable, is the cache?

200 with {"database": "ok", "cache": "ok"} when both answer, 503 with "error" for the
one that does not. Never cached, and it never raises: a probe must get an answer.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("config.health")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:
        logger.warning("healthz: database: %s", exc)
        return False


def cache_ok() -> bool:
    # A round trip with a fresh value, so a cache that accepts writes and loses them fails.
    key, value = "healthz", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        return cache.get(key) == value
    except Exception as exc:
        logger.warning("healthz: cache: %s", exc)
        return False


@never_cache
@require_GET
def healthz(request):
    status = {
        "database": "ok" if database_ok() else "error",
        "cache": "ok" if cache_ok() else "error",
    }
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)

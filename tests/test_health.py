"""`/healthz`: database and cache status for a load balancer, 200 or 503, never cached."""

import socket
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 1: nothing listens there, so connecting is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def redis_listening() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.django_db
def test_healthy_answers_200_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_cache_gives_503_naming_the_cache(client):
    with override_settings(CACHES=REDIS_DOWN):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


@pytest.mark.django_db
def test_unreachable_database_gives_503_naming_the_database(client):
    with mock.patch(
        "config.health.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


@pytest.mark.django_db
def test_cache_that_loses_writes_is_an_error(client):
    with mock.patch("config.health.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.mark.django_db
def test_only_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
@pytest.mark.skipif(not redis_listening(), reason="no Redis on 127.0.0.1:6379")
def test_real_redis_cache_is_healthy(client):
    redis_up = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": "tests-health",
        }
    }
    with override_settings(CACHES=redis_up):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_site_keeps_answering_when_redis_is_down_and_health_says_so(client):
    from tests.factories import fill_issue, make_issue

    issue = fill_issue(make_issue())
    resilient = {
        "default": {**REDIS_DOWN["default"], "BACKEND": "config.cache.ResilientRedisCache"}
    }
    with override_settings(CACHES=resilient):
        for url in ("/", "/issues/", issue.get_absolute_url(), "/directory/"):
            assert client.get(url).status_code == 200, url
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}

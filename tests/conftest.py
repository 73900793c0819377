"""Shared fixtures for the whole suite."""

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _clear_cache():
    # Page caches must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def staff_client(staff_user):
    # A client of its own, so a test can compare it with the anonymous `client`.
    staff = Client()
    staff.force_login(staff_user)
    return staff

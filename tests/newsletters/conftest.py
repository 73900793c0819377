"""Clients for the two roles, logged in: an Editor ("eddie") and a Publisher ("polly")."""

import pytest

from newsletters.roles import EDITOR, PUBLISHER
from tests.factories import role_client


@pytest.fixture
def editor(django_user_model):
    return role_client(django_user_model, "eddie", EDITOR)


@pytest.fixture
def publisher(django_user_model):
    return role_client(django_user_model, "polly", PUBLISHER)

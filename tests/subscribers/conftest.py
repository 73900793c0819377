"""Fixtures for the subscriber tests: an issue worth mailing, subscribers, a publisher,
and a real SMTP server (smtp_sink.py) the site mails through."""

import pytest
from django.contrib.auth.models import Group

from newsletters.models import KeyFigure
from subscribers.models import Subscriber
from tests.factories import make_country, make_directory, make_issue, make_series, make_story

from .smtp_sink import SmtpServer


@pytest.fixture
def series():
    return make_series("Steppe Partners Bulletin")


@pytest.fixture
def issue(series):
    issue = make_issue(
        series=series, title="Steppe Partners Bulletin No. 7", summary="Spring news."
    )
    make_story(
        issue,
        section_title="Direct Assistance",
        title="Shelter opens in Tarvin",
        body="A new shelter opened in [Tarvin](/directory/) this month.\n\nSecond paragraph "
        "about the staff.",
    )
    make_story(
        issue,
        section_title="Partnership in Action",
        title="Border training",
        body="Forty officers trained.\n\nMore detail here.",
    )
    KeyFigure.objects.create(issue=issue, label="People assisted", value=12345, unit="people")
    make_directory(make_country("KZ", "Kazakhstan"), hotlines=1, people=0, emails=0)
    return issue


def make_subscriber(email, status=Subscriber.Status.CONFIRMED, series=(), **fields):
    subscriber = Subscriber.objects.create(email=email, status=status, **fields)
    subscriber.series.set(series)
    return subscriber


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("pub", "pub@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        yield server

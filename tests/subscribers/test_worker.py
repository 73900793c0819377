"""The send path end to end: a real Celery worker (celery.contrib.testing) on the local
Redis, a real SMTP server (aiosmtpd), and the database shared with the worker's thread.

Redis database 8 by default (TEST_REDIS_URL); each test uses a queue of its own, so
parallel test processes never take each other's tasks. Skips, saying why, without Redis.
"""

import os
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError

from config.celery import app
from subscribers import sending
from subscribers.models import Campaign, Delivery, Subscriber

from .conftest import make_subscriber

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")

pytestmark = pytest.mark.django_db(transaction=True)


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


def forget_connections():
    """Drop the app's broker connections and queues, made for the settings of before:
    even eager tasks open a producer (on memory://) and fix the default queue."""
    # Not closed: kombu keeps one pool per broker URL for the whole process.
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def worker(settings):
    redis_or_skip()
    queue = f"test-send-{uuid.uuid4().hex}"
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    forget_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
            yield queue
    finally:
        app.conf.update(saved)
        forget_connections()


@pytest.fixture
def publisher(django_user_model):
    # A superuser: the roles' groups, made by a migration, are gone after a flush.
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:  # SQLite's shared in-memory database, busy with the worker
            pass
        time.sleep(0.1)
    return False


def test_worker_sends_one_mail_per_confirmed_subscriber(smtp, worker, issue, publisher):
    addresses = [f"reader{n}@example.org" for n in range(6)]
    for address in addresses:
        make_subscriber(address)
    make_subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    campaign = Campaign.objects.create(issue=issue, created_by=publisher, rate_limit=500)

    assert sending.start_campaign(campaign, publisher) == 6
    assert wait_for(lambda: len(smtp.sink.received) >= 6)
    assert wait_for(lambda: Campaign.objects.get(pk=campaign.pk).status == "done")
    # A task delivered again (a retry, a second worker's chain) finds nothing to send.
    sending.kick(campaign.pk)
    time.sleep(1.0)
    received = smtp.sink.recipients()
    assert sorted(received) == addresses  # each once, and nobody else
    for tos, message in smtp.sink.received:
        assert len(tos) == 1
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_body(("plain",)) is not None and message.get_body(("html",))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_worker_stops_on_pause_and_finishes_on_resume(smtp, worker, issue, publisher, settings):
    settings.SUBSCRIBERS_PARALLEL = 1
    settings.SUBSCRIBERS_BATCH_SIZE = 2
    for n in range(12):
        make_subscriber(f"reader{n}@example.org")
    campaign = Campaign.objects.create(issue=issue, created_by=publisher, rate_limit=10)
    sending.start_campaign(campaign, publisher)
    assert wait_for(lambda: len(smtp.sink.received) >= 2)
    sending.pause(campaign, publisher)
    time.sleep(0.6)  # the batch under way ends
    paused_at = len(smtp.sink.received)
    time.sleep(0.6)
    assert len(smtp.sink.received) == paused_at < 12
    assert Delivery.objects.filter(status="claimed").count() == 0  # released, not held
    sending.resume(campaign, publisher)
    assert wait_for(lambda: Campaign.objects.get(pk=campaign.pk).status == "done")
    assert sorted(smtp.sink.recipients()) == sorted(f"reader{n}@example.org" for n in range(12))

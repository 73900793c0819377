"""Provider tracking (django-anymail): bounces and complaints become subscriber status;
a webhook with a bad signature is rejected, logged, and changes nothing."""

import base64
import hashlib
import hmac
import json
import logging
import time

import pytest
from anymail.signals import AnymailTrackingEvent, tracking

from subscribers.models import Subscriber

from .conftest import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.subscribers.urls_mailgun")]

SIGNING_KEY = "test-signing-key"
BASIC = "Basic " + base64.b64encode(b"hooks:hook-password").decode()
URL = "/anymail/mailgun/tracking/"


def send_event(event_type, recipient):
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient)
    tracking.send(sender=object, event=event, esp_name="Test")


@pytest.mark.parametrize(
    "event_type,status",
    [("bounced", "bounced"), ("rejected", "bounced"), ("complained", "complained"),
     ("unsubscribed", "unsubscribed"), ("delivered", "confirmed"), ("deferred", "confirmed")],
)  # fmt: skip
def test_event_types(event_type, status):
    make_subscriber("ana@example.org")
    send_event(event_type, "Ana@Example.org")
    assert Subscriber.objects.get().status == status


def test_a_bounce_does_not_undo_a_complaint():
    make_subscriber("ana@example.org", status=Subscriber.Status.COMPLAINED)
    send_event("bounced", "ana@example.org")
    send_event("unsubscribed", "ana@example.org")
    assert Subscriber.objects.get().status == "complained"


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
        "WEBHOOK_SECRET": "hooks:hook-password",
    }


def mailgun_body(recipient, *, key=SIGNING_KEY):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": {
                "event": "failed",
                "severity": "permanent",
                "recipient": recipient,
                "timestamp": float(timestamp),
                "id": "evt-1",
                "message": {"headers": {"message-id": "c1.d1@news.example"}},
                "delivery-status": {"code": 550, "message": "No such user"},
            },
        }
    )


def test_signed_mailgun_bounce_marks_the_subscriber(client, mailgun):
    make_subscriber("ana@example.org")
    response = client.post(
        URL, mailgun_body("ana@example.org"), content_type="application/json",
        HTTP_AUTHORIZATION=BASIC,
    )  # fmt: skip
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "bounced"


def test_only_the_configured_providers_webhooks_are_served(client):
    from django.urls import Resolver404, resolve

    from subscribers.webhooks import tracking_urlpatterns

    patterns, _ = tracking_urlpatterns(["mailgun", "postmark"])
    assert sorted(p.name for p in patterns) == [
        "mailgun_tracking_webhook", "postmark_tracking_webhook",
    ]  # fmt: skip
    # The site's own routes (no provider configured in the tests) serve none of them.
    with pytest.raises(Resolver404):
        resolve("/anymail/mailgun/tracking/", urlconf="config.urls")


@pytest.mark.parametrize("auth,key", [(BASIC, "wrong-key"), ("Basic bm86bm8=", SIGNING_KEY)])
def test_bad_signature_or_secret_is_rejected_and_logged(client, mailgun, caplog, auth, key):
    make_subscriber("ana@example.org")
    with caplog.at_level(logging.WARNING):
        response = client.post(
            URL, mailgun_body("ana@example.org", key=key), content_type="application/json",
            HTTP_AUTHORIZATION=auth,
        )  # fmt: skip
    assert response.status_code == 400
    assert Subscriber.objects.get().status == "confirmed"
    records = [r for r in caplog.records if r.name.startswith("django.security")]
    assert records and "AnymailWebhookValidationFailure" in records[0].name

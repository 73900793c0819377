"""Signed links in mails: confirm a subscription, open one's preferences, unsubscribe.

Each purpose has its own salt, so a token made for one can never be used for another,
and each token is bound to the address it was made for: once a subscriber's address
changes, old links no longer open their record. Tokens carry their time of signing
(TimestampSigner) and expire: a confirmation link after CONFIRM_MAX_AGE, a preferences
or unsubscribe link after PREFERENCES_MAX_AGE (long, since old mails must still let
people leave).
"""

import hashlib

from django.conf import settings
from django.core import signing

CONFIRM = "subscribers.confirm"
PREFERENCES = "subscribers.preferences"
UNSUBSCRIBE = "subscribers.unsubscribe"


class BadToken(Exception):
    """The link was altered, made for something else, or has expired."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _address_tag(email: str) -> str:
    # A few bytes of the address's hash: binds the token without putting the address in it.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def make_token(purpose: str, subscriber, **extra) -> str:
    payload = {"s": subscriber.pk, "a": _address_tag(subscriber.email), **extra}
    return signing.TimestampSigner(salt=purpose).sign_object(payload, compress=True)


def _max_age(purpose: str) -> int:
    if purpose == CONFIRM:
        return settings.SUBSCRIBERS_CONFIRM_MAX_AGE
    return settings.SUBSCRIBERS_PREFERENCES_MAX_AGE


def read_token(purpose: str, token: str):
    """The subscriber and the token's payload, or BadToken."""
    from .models import Subscriber

    try:
        payload = signing.TimestampSigner(salt=purpose).unsign_object(
            token, max_age=_max_age(purpose)
        )
    except signing.SignatureExpired as exc:
        raise BadToken(expired=True) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken() from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise BadToken()
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None or _address_tag(subscriber.email) != payload.get("a"):
        raise BadToken()
    return subscriber, payload

"""Subscribing, confirming and leaving: the rules, apart from the views.

A request to subscribe never says whether the address is known. What differs is only
the mail that goes to that address: a confirmation link for a new, pending or former
subscriber; a "you are already subscribed" note with the preferences link for a
confirmed one; nothing for an address that bounced or complained (mailing it again is
what providers punish). Nothing about an existing subscriber changes until they click
the link, so a stranger cannot alter someone else's subscription through the form.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Series

from .models import Subscriber
from .tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, make_token

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """`path` on the public site (SITE_URL): mails need absolute links."""
    return settings.SITE_URL.rstrip("/") + path


@lru_cache(maxsize=16)
def _link_template(route: str, site_url: str) -> tuple[str, str]:
    url = site_url.rstrip("/") + reverse(route, args=["TOKEN"])
    head, _, tail = url.partition("TOKEN")
    return head, tail


def _link(route: str, token: str) -> str:
    # Reversed once per route, then filled in: a campaign makes two links per
    # recipient, and reverse() cost more than the signing.
    head, tail = _link_template(route, settings.SITE_URL)
    return head + token + tail


def preferences_url(subscriber) -> str:
    return _link("subscribers:preferences", make_token(PREFERENCES, subscriber))


def unsubscribe_url(subscriber) -> str:
    return _link("subscribers:unsubscribe", make_token(UNSUBSCRIBE, subscriber))


def request_subscription(*, email, name, language, series_ids, source, ip) -> None:
    """Handle a form's request; the caller answers the same whatever happens here."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(
                email=email,
                defaults={
                    "name": name,
                    "language": language,
                    "consent_at": timezone.now(),
                    "consent_source": source[:300],
                    "consent_ip": ip,
                },
            )
            if created:
                subscriber.series.set(series_ids)
    except IntegrityError:
        # The same address sent twice at once: the other request made the row.
        subscriber = Subscriber.objects.get(email=email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        kind = "already"
    elif subscriber.status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
        logger.info("subscribe request for a %s address ignored", subscriber.status)
        return
    else:
        kind = "confirm"
    from .tasks import send_subscription_notice

    # The request's consent details travel in the signed link: they are recorded only
    # when the owner of the address confirms.
    transaction.on_commit(
        lambda: send_subscription_notice.delay(
            subscriber.pk, kind, sorted(series_ids), name, language, source[:300], ip
        )
    )


def build_notice(subscriber, kind, series_ids, name, language, source, ip):
    """The confirmation mail, or the note that the address is already subscribed."""
    context = {"subscriber": subscriber, "site_url": settings.SITE_URL}
    if kind == "confirm":
        token = make_token(
            CONFIRM, subscriber, series=series_ids, name=name, lang=language, src=source, ip=ip
        )
        context["link"] = absolute_url(reverse("subscribers:confirm", args=[token]))
        context["max_age_days"] = settings.SUBSCRIBERS_CONFIRM_MAX_AGE // 86400
        subject = "Please confirm your subscription"
    else:
        context["link"] = preferences_url(subscriber)
        subject = "You are already subscribed"
    body = render_to_string(f"subscribers/email/{kind}.txt", context)
    return EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email])


def confirm(subscriber, payload, ip) -> bool:
    """Apply a confirmation link. False when there was nothing to do (already confirmed,
    or an address that bounced or complained, which only staff may restore)."""
    if subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        return False
    with transaction.atomic():
        # Guarded: two clicks at once confirm once.
        updated = Subscriber.objects.filter(
            pk=subscriber.pk, status=subscriber.status
        ).update(
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            unsubscribed_at=None,
            name=payload.get("name") or subscriber.name,
            language=payload.get("lang") or subscriber.language,
            consent_at=timezone.now(),
            consent_source=(payload.get("src") or "confirmation link")[:300],
            consent_ip=payload.get("ip") or ip,
        )
        if updated:
            ids = [i for i in payload.get("series") or [] if isinstance(i, int)]
            # A series deleted since the request is left out rather than failing.
            subscriber.series.set(Series.objects.filter(pk__in=ids))
    return bool(updated)


def unsubscribe(subscriber) -> bool:
    """Leave the list. Harmless when repeated; a bounced or complained status stays."""
    return bool(
        Subscriber.objects.filter(
            pk=subscriber.pk,
            status__in=[Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED],
        ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )

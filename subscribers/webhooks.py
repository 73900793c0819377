"""Provider tracking events (django-anymail webhooks) turned into subscriber status.

django-anymail checks each webhook's signature (and its basic-auth WEBHOOK_SECRET)
before any event reaches this module; a request that fails the check is answered 400
and logged by Django's `django.security` logger. Here, a hard bounce or a rejection
marks the address bounced, a spam complaint marks it complained, a provider-side
unsubscribe marks it unsubscribed: none of them is mailed again.
"""

import logging

from anymail.signals import EventType, tracking
from django.utils import timezone

logger = logging.getLogger(__name__)

STATUS_FOR_EVENT = {
    EventType.BOUNCED: "bounced",
    EventType.REJECTED: "bounced",
    EventType.COMPLAINED: "complained",
    EventType.UNSUBSCRIBED: "unsubscribed",
}


def handle_tracking(sender, event, esp_name, **kwargs) -> None:
    from .models import Delivery, Subscriber

    status = STATUS_FOR_EVENT.get(event.event_type)
    if status is None or not event.recipient:
        return
    # A later, stronger signal wins: a complaint replaces a bounce, never the reverse.
    keep = {"bounced": ["complained"], "complained": [], "unsubscribed": ["bounced", "complained"]}
    changed = (
        Subscriber.objects.filter(email__iexact=event.recipient.strip())
        .exclude(status__in=[status, *keep[status]])
        .update(
            status=status,
            **({"unsubscribed_at": timezone.now()} if status == "unsubscribed" else {}),
        )
    )
    if event.message_id and status != "unsubscribed":
        Delivery.objects.filter(message_id=event.message_id).update(
            last_error=f"{esp_name}: {event.event_type} {event.description or ''}"[:500]
        )
    logger.info(
        "%s reported %s for a subscriber (%s changed)", esp_name, event.event_type, changed
    )


def connect_tracking() -> None:
    tracking.connect(handle_tracking, dispatch_uid="subscribers.handle_tracking")


def tracking_urlpatterns(providers):
    """django-anymail's tracking webhook of each provider named (SUBSCRIBERS_WEBHOOKS,
    by default the one of an anymail EMAIL_BACKEND). Not the others: an unconfigured
    provider's view fails on every request, and this site receives no mail, so none of
    the inbound ones either."""
    from anymail import urls

    wanted = {f"{provider}_tracking_webhook" for provider in providers}
    return [p for p in urls.urlpatterns if p.name in wanted], "anymail"

"""Celery tasks: send a campaign in chains of batches, and the subscription mails.

`send_campaign` is acks_late with reject_on_worker_lost (config/celery.py), so a task
whose worker is killed goes back to the broker; even if it never comes back, the other
chains requeue the dead worker's rows after the lease (subscribers/sending.py). Each
task works for at most SUBSCRIBERS_TASK_BUDGET seconds and then queues its successor,
so a pause, a deploy or a restart never waits for a whole campaign.
"""

import logging

from celery import shared_task
from django.conf import settings

from . import sending

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_campaign(campaign_id: int) -> str:
    # In-process (no Redis) the one call sends everything it can, and there is no
    # waiting inside a web request: deliveries that wait for a retry are sent by
    # "Resume" in the admin.
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    outcome, wait = sending.run_campaign(
        campaign_id, budget=None if eager else settings.SUBSCRIBERS_TASK_BUDGET
    )
    if outcome in ("more", "wait") and not eager:
        send_campaign.apply_async((campaign_id,), countdown=wait)
    return outcome


@shared_task(ignore_result=True)
def send_subscription_notice(subscriber_id, kind, series_ids, name, language, source, ip):
    from .models import Subscriber
    from .subscribing import build_notice

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    build_notice(subscriber, kind, series_ids, name, language, source, ip).send()

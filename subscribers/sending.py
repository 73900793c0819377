"""Sending a campaign: start, claim deliveries in batches, send, record, pause, cancel.

How "never twice, nobody skipped" is kept:

- Starting is one guarded UPDATE (draft → sending): a second click changes nothing. The
  deliveries are inserted with the (campaign, subscriber) unique constraint and
  ignore_conflicts, so however often it runs each recipient has exactly one row.
- A worker claims a batch: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` so workers
  never wait on each other's rows, then `UPDATE ... WHERE status='queued'` tags the rows
  with the worker's claim id; a row is the worker's only if that UPDATE took it.
- Before a message goes to SMTP its row moves claimed → sending, guarded by the claim
  id; right after the server accepts it, sending → sent (the same statement moves the
  next row of the batch to sending, so a message costs one UPDATE). A row whose claim
  was taken away (requeued as stale) is skipped by the slow worker, not sent twice.
- A worker that dies leaves rows claimed or sending. After SUBSCRIBERS_LEASE_SECONDS
  (longer than EMAIL_TIMEOUT, so no live worker can still be in SMTP with them) another
  worker requeues them. A claimed row was never handed to SMTP: requeuing it is exact.
  A sending row is the one case in doubt: the server may have accepted the message in
  the instant before the worker died. It is sent again with the same Message-ID (so
  receivers that deduplicate by it drop the copy): at most one message per killed
  worker may arrive twice, never none.
"""

import logging
import smtplib
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from newsletters.roles import can_publish

from .emails import build_message, message_domain, render_issue
from .models import Campaign, Delivery, Subscriber, audience
from .subscribing import preferences_url, unsubscribe_url

logger = logging.getLogger(__name__)

UNFINISHED = [Delivery.Status.QUEUED, Delivery.Status.CLAIMED, Delivery.Status.SENDING]


def can_send(user) -> bool:
    """Only a Publisher (who may publish issues) starts, pauses, resumes or cancels."""
    return can_publish(user)


def start_campaign(campaign: Campaign, user) -> int | None:
    """Queue one delivery per recipient and start the workers. Returns the number of
    deliveries queued, None when the campaign had already been started."""
    if not can_send(user):
        raise PermissionDenied("Only a publisher can send a campaign.")
    if not campaign.issue.is_live:
        raise ValueError("Only a published, live issue can be sent.")
    rendered = render_issue(campaign.issue, full_text=campaign.full_text, subject=campaign.subject)
    with transaction.atomic():
        started = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
            status=Campaign.Status.SENDING,
            started_by=user,
            started_at=timezone.now(),
            subject=rendered.subject,
            html=rendered.html,
            text=rendered.text,
        )
        if not started:
            return None
        ids = audience(campaign.series).values_list("pk", flat=True).order_by("pk")
        queued = 0
        # In slices, so memory stays flat in the number of subscribers.
        chunk = []
        for pk in ids.iterator(chunk_size=2000):
            chunk.append(Delivery(campaign_id=campaign.pk, subscriber_id=pk))
            if len(chunk) == 2000:
                queued += len(Delivery.objects.bulk_create(chunk, ignore_conflicts=True))
                chunk = []
        if chunk:
            queued += len(Delivery.objects.bulk_create(chunk, ignore_conflicts=True))
        transaction.on_commit(lambda: kick(campaign.pk))
    return queued


def kick(campaign_id: int) -> None:
    """Start SUBSCRIBERS_PARALLEL chains of send tasks for the campaign."""
    from .tasks import send_campaign

    for _ in range(settings.SUBSCRIBERS_PARALLEL):
        send_campaign.delay(campaign_id)


def _set_status(campaign, user, from_statuses, to_status) -> bool:
    if not can_send(user):
        raise PermissionDenied("Only a publisher can change a campaign's sending.")
    return bool(
        Campaign.objects.filter(pk=campaign.pk, status__in=from_statuses).update(status=to_status)
    )


def pause(campaign, user) -> bool:
    return _set_status(campaign, user, [Campaign.Status.SENDING], Campaign.Status.PAUSED)


def resume(campaign, user) -> bool:
    # A sending campaign is "resumed" only in-process (no broker), to send the rows
    # whose retry has come; with workers, their chains are already waiting for those,
    # and more chains would exceed the campaign's rate.
    allowed = [Campaign.Status.PAUSED]
    if settings.CELERY_TASK_ALWAYS_EAGER:
        allowed.append(Campaign.Status.SENDING)
    if _set_status(campaign, user, allowed, Campaign.Status.SENDING):
        transaction.on_commit(lambda: kick(campaign.pk))
        return True
    return False


def cancel(campaign, user) -> bool:
    with transaction.atomic():
        done = _set_status(
            campaign,
            user,
            [Campaign.Status.DRAFT, Campaign.Status.SENDING, Campaign.Status.PAUSED],
            Campaign.Status.CANCELLED,
        )
        if done:
            campaign.deliveries.filter(status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.CANCELLED, claim=""
            )
            Campaign.objects.filter(pk=campaign.pk).update(finished_at=timezone.now())
    return done


def requeue_stale(campaign_id: int, now=None) -> int:
    """Rows a dead worker left claimed or sending, back in the queue after the lease."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SUBSCRIBERS_LEASE_SECONDS)
    stale = Delivery.objects.filter(campaign_id=campaign_id, claimed_at__lt=cutoff)
    unsent = stale.filter(status=Delivery.Status.CLAIMED).update(
        status=Delivery.Status.QUEUED, claim=""
    )
    doubtful = stale.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED,
        claim="",
        last_error="A worker stopped during SMTP; sent again with the same Message-ID.",
    )
    if unsent or doubtful:
        logger.warning(
            "campaign %s: requeued %s claimed and %s in-doubt deliveries of a stopped worker",
            campaign_id, unsent, doubtful,
        )  # fmt: skip
    return unsent + doubtful


def claim_batch(campaign_id: int, claim: str, size: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(campaign_id=campaign_id, status=Delivery.Status.QUEUED)
        due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        due = due.order_by("pk")
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:size])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CLAIMED, claim=claim, claimed_at=now
        )
    return list(
        Delivery.objects.filter(claim=claim, status=Delivery.Status.CLAIMED)
        .select_related("subscriber")
        .order_by("pk")
    )


def release(claim: str) -> None:
    """Claimed rows not yet handed to SMTP go back to the queue (pause, cancel)."""
    Delivery.objects.filter(claim=claim, status=Delivery.Status.CLAIMED).update(
        status=Delivery.Status.QUEUED, claim=""
    )


def smtp_code(exc: Exception) -> int | None:
    """The SMTP reply code of a failed send, when the error carries one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return next(iter(exc.recipients.values()))[0]
    return getattr(exc, "smtp_code", None)


def _connection_lost(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPServerDisconnected) or smtp_code(exc) == 421:
        return True
    # SMTPException is an OSError too; any other OSError is the network's.
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _record_failure(delivery, claim, exc) -> str:
    code = smtp_code(exc)
    attempts = delivery.attempts + 1
    detail = f"{code or ''} {exc}".strip()[:500]
    mine = Delivery.objects.filter(pk=delivery.pk, claim=claim, status=Delivery.Status.SENDING)
    if code is not None and 500 <= code < 600:
        mine.update(status=Delivery.Status.FAILED, attempts=attempts, last_error=detail)
        return "failed"
    if attempts >= settings.SUBSCRIBERS_MAX_ATTEMPTS:
        mine.update(status=Delivery.Status.FAILED, attempts=attempts, last_error=detail)
        return "failed"
    # Temporary (4xx, a dropped connection, a provider's hiccup): back off, doubling.
    delay = settings.SUBSCRIBERS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    mine.update(
        status=Delivery.Status.QUEUED,
        claim="",
        attempts=attempts,
        last_error=detail,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return "deferred"


def send_one(campaign, delivery, claim, mail_connection, *, marked=False, following=None):
    """Send one claimed delivery. Returns (outcome, whether `following` was marked):
    outcome is sent, failed, deferred, skipped or lost.

    `marked`: the row is already `sending` (marked with the previous message's update).
    `following`: the next delivery of the batch; its claimed → sending step rides on
    this message's sent update, so each message costs one UPDATE, not two."""
    subscriber = delivery.subscriber
    if subscriber.status != Subscriber.Status.CONFIRMED:
        Delivery.objects.filter(pk=delivery.pk, claim=claim).update(
            status=Delivery.Status.CANCELLED, last_error=f"Subscriber {subscriber.status}."
        )
        return "skipped", False
    if not marked and not _mark_sending(delivery.pk, claim):
        return "lost", False  # requeued meanwhile as stale: another worker has it now
    message_id = f"<campaign{campaign.pk}.delivery{delivery.pk}@{message_domain()}>"
    message = build_message(
        campaign.rendered(),
        subscriber.email,
        preferences_url=preferences_url(subscriber),
        unsubscribe_url=unsubscribe_url(subscriber),
        message_id=message_id,
        connection=mail_connection,
    )
    try:
        # Opens the connection once and keeps it (a no-op while it is open), so a batch
        # is one SMTP session; after a dropped connection the next message reconnects.
        mail_connection.open()
        message.send()
    except Exception as exc:  # noqa: BLE001 - SMTP and provider errors alike are recorded
        logger.info("delivery %s: %s", delivery.pk, exc)
        if _connection_lost(exc):
            mail_connection.close()
        return _record_failure(delivery, claim, exc), False
    # With an anymail backend the provider's own id is what its webhooks will report.
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    sent_id = provider_id if isinstance(provider_id, str) else message_id
    next_pk = following.pk if following is not None else None
    if following is not None and following.subscriber.status != Subscriber.Status.CONFIRMED:
        next_pk = None
    return "sent", _mark_sent(delivery.pk, claim, sent_id, next_pk)


def _mark_sending(pk, claim) -> bool:
    table = Delivery._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, claimed_at = %s"  # noqa: S608 - our table name
            " WHERE id = %s AND claim = %s AND status = %s",
            [Delivery.Status.SENDING, timezone.now(), pk, claim, Delivery.Status.CLAIMED],
        )
        return cursor.rowcount == 1


def _mark_sent(pk, claim, message_id, next_pk) -> bool:
    """`pk` sending → sent and, in the same statement, `next_pk` claimed → sending, both
    only while this worker's claim holds. True when `next_pk` was marked.

    Plain SQL with RETURNING (PostgreSQL, SQLite 3.35+): this is the hot path of a send,
    one statement per message, and the ORM cannot say which rows an UPDATE changed."""
    if next_pk is None:
        next_pk = 0  # no row has id 0: only `pk` is updated
    table = Delivery._meta.db_table
    now = timezone.now()
    sent, sending, claimed = Delivery.Status.SENT, Delivery.Status.SENDING, Delivery.Status.CLAIMED
    sql = (
        f"UPDATE {table} SET"  # noqa: S608 - our table name, values are parameters
        " status = CASE WHEN id = %s THEN %s ELSE %s END,"
        " sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,"
        " message_id = CASE WHEN id = %s THEN %s ELSE message_id END,"
        " claimed_at = CASE WHEN id = %s THEN claimed_at ELSE %s END"
        " WHERE claim = %s AND ((id = %s AND status = %s) OR (id = %s AND status = %s))"
        " RETURNING id"
    )
    params = [pk, sent, sending, pk, now, pk, message_id, pk, now,
              claim, pk, sending, next_pk, claimed]  # fmt: skip
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = {row[0] for row in cursor.fetchall()}
    return next_pk in changed


def _relax_commits() -> bool:
    """On PostgreSQL, this connection's commits stop waiting for the disk while it sends
    (SUBSCRIBERS_ASYNC_COMMIT). Every status change is still atomic, visible at once to
    other workers and kept if a worker dies; only a crash of the database server itself
    can lose the last fraction of a second of commits (at most 3 × wal_writer_delay),
    whose messages would then be sent again. Waiting for the disk on each of the two
    updates per message cost 12 ms each on the project's machine, a 30x slower send."""
    if not (settings.SUBSCRIBERS_ASYNC_COMMIT and db_connection.vendor == "postgresql"):
        return False
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    return True


def _finish_if_done(campaign_id: int) -> bool:
    if Delivery.objects.filter(campaign_id=campaign_id, status__in=UNFINISHED).exists():
        return False
    Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.DONE, finished_at=timezone.now()
    )
    return True


def _wait_hint(campaign_id: int, now) -> float:
    """Seconds until there may be work again: a back-off ending, or a lease running out."""
    rows = Delivery.objects.filter(campaign_id=campaign_id)
    agg = rows.aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Delivery.Status.QUEUED)),
        leased=Min("claimed_at", filter=Q(status__in=UNFINISHED[1:])),
    )
    waits = []
    if agg["retry"]:
        waits.append((agg["retry"] - now).total_seconds())
    if agg["leased"]:
        lease_end = agg["leased"] + timedelta(seconds=settings.SUBSCRIBERS_LEASE_SECONDS)
        waits.append((lease_end - now).total_seconds())
    return max(0.5, min(waits)) if waits else 0.5


def run_campaign(campaign_id: int, *, budget: float | None = None) -> tuple[str, float]:
    """Send batches for up to `budget` seconds. Returns (outcome, seconds to wait):
    "done", "stopped" (paused/cancelled), "more" (budget used up) or "wait"."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return "stopped", 0
    requeue_stale(campaign_id)
    claim = uuid.uuid4().hex
    parallel = max(1, settings.SUBSCRIBERS_PARALLEL)
    interval = parallel / campaign.rate_limit if campaign.rate_limit > 0 else 0.0
    size = settings.SUBSCRIBERS_BATCH_SIZE
    started = time.monotonic()
    next_at = started
    mail_connection = get_connection()
    relaxed = _relax_commits()
    try:
        while budget is None or time.monotonic() - started < budget:
            batch = claim_batch(campaign_id, claim, size)
            if not batch:
                break
            marked = False
            for i, delivery in enumerate(batch):
                # Pace this chain at its share of the campaign's rate.
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at = max(next_at + interval, time.monotonic() - interval)
                following = batch[i + 1] if i + 1 < len(batch) else None
                _, marked = send_one(
                    campaign, delivery, claim, mail_connection, marked=marked, following=following
                )
            status = Campaign.objects.filter(pk=campaign_id).values_list("status", flat=True)
            if status.first() != Campaign.Status.SENDING:
                release(claim)
                return "stopped", 0
        else:
            release(claim)
            return "more", 0
    finally:
        release(claim)
        mail_connection.close()
        if relaxed:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
    if _finish_if_done(campaign_id):
        return "done", 0
    return "wait", _wait_hint(campaign_id, timezone.now())

"""Campaigns: who may start them, one delivery per recipient, real SMTP replies (aiosmtpd),
retries and failures, stale claims of a dead worker, pause/cancel, rate limit."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from newsletters.models import Issue, Series
from subscribers import sending
from subscribers.models import Campaign, Delivery, Subscriber

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(series):
    other = Series.objects.create(title="Other Bulletin")
    return {
        "follows": make_subscriber("follows@example.org", series=[series]),
        "all_series": make_subscriber("all@example.org"),
        "other_series": make_subscriber("other@example.org", series=[other]),
        "pending": make_subscriber("pending@example.org", status=Subscriber.Status.PENDING),
        "left": make_subscriber("left@example.org", status=Subscriber.Status.UNSUBSCRIBED),
        "bounced": make_subscriber("bounced@example.org", status=Subscriber.Status.BOUNCED),
    }


@pytest.fixture
def campaign(issue, publisher):
    return Campaign.objects.create(issue=issue, created_by=publisher, rate_limit=1000)


def start(campaign, user, capture):
    with capture(execute=True):
        return sending.start_campaign(campaign, user)


def test_only_a_publisher_starts(campaign, editor, audience, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        start(campaign, editor, django_capture_on_commit_callbacks)
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert not Delivery.objects.exists() and not mail.outbox


def test_a_draft_issue_cannot_be_sent(campaign, publisher, django_capture_on_commit_callbacks):
    Issue.objects.filter(pk=campaign.issue_id).update(status=Issue.Status.DRAFT)
    campaign.refresh_from_db()
    with pytest.raises(ValueError, match="published"):
        start(campaign, publisher, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()


def test_one_mail_per_confirmed_subscriber_of_the_series_and_second_click_is_a_no_op(
    campaign, publisher, audience, django_capture_on_commit_callbacks
):
    queued = start(campaign, publisher, django_capture_on_commit_callbacks)
    assert queued == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.org", "follows@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    campaign.refresh_from_db()
    assert campaign.status == "done" and campaign.finished_at is not None
    assert campaign.progress()["sent"] == 2 and campaign.progress()["remaining"] == 0
    # The second click, and the deliveries' unique constraint.
    assert start(campaign, publisher, django_capture_on_commit_callbacks) is None
    assert Delivery.objects.count() == 2 and len(mail.outbox) == 2


def test_audience_all_takes_every_confirmed_subscriber(
    issue, publisher, audience, django_capture_on_commit_callbacks
):
    campaign = Campaign.objects.create(issue=issue, audience=Campaign.Audience.ALL)
    assert start(campaign, publisher, django_capture_on_commit_callbacks) == 3
    assert len(mail.outbox) == 3


def test_real_smtp_headers_parts_and_one_click_unsubscribe(
    smtp, campaign, publisher, audience, django_capture_on_commit_callbacks
):
    start(campaign, publisher, django_capture_on_commit_callbacks)
    assert sorted(smtp.sink.recipients()) == ["all@example.org", "follows@example.org"]
    _, message = next(r for r in smtp.sink.received if r[0] == ["follows@example.org"])
    assert message["Subject"] == "Steppe Partners Bulletin No. 7"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    delivery = Delivery.objects.get(subscriber=audience["follows"])
    assert message["Message-ID"] == delivery.message_id == (
        f"<campaign{campaign.pk}.delivery{delivery.pk}@127.0.0.1>"
    )
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Shelter opens in Tarvin" in text and "Shelter opens in Tarvin" in html
    # Long enough to be folded onto a second line: the value is what is inside <>.
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe in text and unsubscribe in html
    # RFC 8058: the provider POSTs, with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe.removeprefix("http://127.0.0.1:8000"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses["follows@example.org"] == "unsubscribed"
    assert statuses["all@example.org"] == "confirmed"


def test_temporary_refusal_backs_off_and_permanent_refusal_fails(
    smtp, campaign, publisher, audience, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIBERS_RETRY_BASE_SECONDS = 60
    smtp.sink.refuse["all@example.org"] = "450 4.2.1 Mailbox busy, try later"
    smtp.sink.refuse["follows@example.org"] = "550 5.1.1 No such user"
    before = timezone.now()
    start(campaign, publisher, django_capture_on_commit_callbacks)
    assert smtp.sink.received == []
    busy = Delivery.objects.get(subscriber=audience["all_series"])
    assert (busy.status, busy.attempts) == ("queued", 1)
    assert busy.last_error.startswith("450")
    assert before + timedelta(seconds=59) < busy.next_attempt_at
    gone = Delivery.objects.get(subscriber=audience["follows"])
    assert (gone.status, gone.attempts) == ("failed", 1) and gone.last_error.startswith("550")
    campaign.refresh_from_db()
    assert campaign.status == "sending"
    assert campaign.progress() | {"rate": None} == campaign.progress() | {
        "queued": 1, "failed": 1, "sent": 0, "remaining": 1, "rate": None,
    }  # fmt: skip
    # Not due yet: a run sends nothing and says when to come back.
    outcome, wait = sending.run_campaign(campaign.pk)
    assert outcome == "wait" and 50 < wait <= 60
    # The back-off has passed and the server takes it now.
    Delivery.objects.filter(pk=busy.pk).update(next_attempt_at=timezone.now())
    del smtp.sink.refuse["all@example.org"]
    assert sending.run_campaign(campaign.pk) == ("done", 0)
    assert smtp.sink.recipients() == ["all@example.org"]
    busy.refresh_from_db()
    assert (busy.status, busy.attempts) == ("sent", 1)


def test_temporary_errors_fail_after_the_last_attempt(
    smtp, campaign, publisher, audience, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIBERS_MAX_ATTEMPTS = 2
    smtp.sink.refuse["all@example.org"] = "451 4.3.0 Temporary failure"
    start(campaign, publisher, django_capture_on_commit_callbacks)
    Delivery.objects.filter(status="queued").update(next_attempt_at=timezone.now())
    sending.run_campaign(campaign.pk)
    delivery = Delivery.objects.get(subscriber=audience["all_series"])
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    campaign.refresh_from_db()
    assert campaign.status == "done"


def test_rows_of_a_dead_worker_are_requeued_after_the_lease_and_sent_once(
    smtp, campaign, publisher, audience, settings
):
    settings.SUBSCRIBERS_LEASE_SECONDS = 60
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", **_frozen(campaign))
    long_ago = timezone.now() - timedelta(seconds=61)
    just_now = timezone.now()
    rows = {
        "claimed_dead": ("follows", "claimed", long_ago),
        "sending_dead": ("all_series", "sending", long_ago),
        "claimed_alive": ("other_series", "claimed", just_now),
    }
    for name, (who, status, at) in rows.items():
        Delivery.objects.create(
            campaign=campaign, subscriber=audience[who], status=status, claim=name, claimed_at=at
        )
    Subscriber.objects.filter(pk=audience["other_series"].pk).update(status="confirmed")
    outcome, wait = sending.run_campaign(campaign.pk)
    assert sorted(smtp.sink.recipients()) == ["all@example.org", "follows@example.org"]
    doubtful = Delivery.objects.get(subscriber=audience["all_series"])
    assert doubtful.status == "sent" and "stopped during SMTP" in doubtful.last_error
    # The live worker's row is left alone until its lease ends.
    alive = Delivery.objects.get(subscriber=audience["other_series"])
    assert (alive.status, alive.claim) == ("claimed", "claimed_alive")
    assert outcome == "wait" and 55 < wait <= 60


def test_a_worker_whose_claim_was_taken_sends_nothing(smtp, campaign, audience):
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", **_frozen(campaign))
    campaign.refresh_from_db()
    delivery = Delivery.objects.create(
        campaign=campaign, subscriber=audience["follows"], status="claimed", claim="new-owner",
        claimed_at=timezone.now(),
    )  # fmt: skip
    from django.core.mail import get_connection

    with get_connection() as connection:
        assert sending.send_one(campaign, delivery, "old-owner", connection) == ("lost", False)
    assert smtp.sink.received == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.claim) == ("claimed", "new-owner")


def test_pause_resume_and_cancel(campaign, publisher, editor, audience):
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", **_frozen(campaign))
    for who in ("follows", "all_series"):
        Delivery.objects.create(campaign=campaign, subscriber=audience[who])
    with pytest.raises(PermissionDenied):
        sending.pause(campaign, editor)
    assert sending.pause(campaign, publisher)
    assert sending.run_campaign(campaign.pk) == ("stopped", 0)
    assert not mail.outbox
    assert sending.cancel(campaign, publisher)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"cancelled"}
    assert not sending.resume(campaign, publisher)  # a cancelled campaign stays cancelled
    assert sending.run_campaign(campaign.pk) == ("stopped", 0)
    assert not mail.outbox


def test_subscriber_who_left_after_queueing_is_not_mailed(campaign, audience):
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", **_frozen(campaign))
    delivery = Delivery.objects.create(campaign=campaign, subscriber=audience["follows"])
    Subscriber.objects.filter(pk=audience["follows"].pk).update(status="unsubscribed")
    assert sending.run_campaign(campaign.pk) == ("done", 0)
    assert not mail.outbox
    delivery.refresh_from_db()
    assert delivery.status == "cancelled"


def test_rate_limit_paces_the_sending(campaign, settings):
    settings.SUBSCRIBERS_PARALLEL = 1
    Campaign.objects.filter(pk=campaign.pk).update(
        status="sending", rate_limit=40, **_frozen(campaign)
    )
    for n in range(9):
        Delivery.objects.create(campaign=campaign, subscriber=make_subscriber(f"r{n}@example.org"))
    began = time.monotonic()
    assert sending.run_campaign(campaign.pk) == ("done", 0)
    elapsed = time.monotonic() - began
    assert len(mail.outbox) == 9
    assert elapsed >= 8 / 40 * 0.95  # 9 messages at 40/s: 8 intervals of 25 ms


def _frozen(campaign) -> dict:
    from subscribers.emails import render_issue

    rendered = render_issue(campaign.issue)
    return {"html": rendered.html, "text": rendered.text, "subject": rendered.subject}


def test_one_query_per_message(campaign, audience):
    """Each further message adds exactly one SQL statement (its sent update also marks
    the next row sending), whatever the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Campaign.objects.filter(pk=campaign.pk).update(status="sending", **_frozen(campaign))

    def queries_for(count):
        Delivery.objects.all().delete()
        for n in range(count):
            Delivery.objects.create(
                campaign=campaign, subscriber=make_subscriber(f"q{count}-{n}@example.org")
            )
        Campaign.objects.filter(pk=campaign.pk).update(status="sending")
        with CaptureQueriesContext(connection) as captured:
            assert sending.run_campaign(campaign.pk) == ("done", 0)
        return len(captured)

    assert queries_for(10) - queries_for(5) == 5
    assert len(mail.outbox) == 15


def test_resume_of_a_sending_campaign_only_in_process(campaign, publisher, settings):
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", **_frozen(campaign))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not sending.resume(campaign, publisher)  # the workers' chains are running
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert sending.resume(campaign, publisher)


def test_demo_path_without_redis_writes_the_mail_as_a_file(
    campaign, publisher, audience, settings, tmp_path, django_capture_on_commit_callbacks
):
    """`make run`: no broker, tasks in-process, Django's file backend into a folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert settings.CELERY_TASK_ALWAYS_EAGER
    start(campaign, publisher, django_capture_on_commit_callbacks)
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert written.count("List-Unsubscribe-Post: List-Unsubscribe=One-Click") == 2
    assert "To: follows@example.org" in written and "To: all@example.org" in written
    assert "Content-Type: text/html" in written and "Content-Type: text/plain" in written

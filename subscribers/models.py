"""Subscribers with their consent record; campaigns (an issue sent to an audience) and
one delivery row per recipient of a campaign.

Sending is made safe by the Delivery table: its unique (campaign, subscriber) pair means
a second "Send" or a retried task can never add a recipient twice, and every status
change of a delivery is a guarded UPDATE (see subscribers/sending.py).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

# The languages a subscriber may choose for their mails (the site's own are English and
# Russian; the others are the missions' countries').
LANGUAGES = [("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), ("ky", "Kyrgyz"),
             ("tg", "Tajik"), ("uz", "Uzbek"), ("tk", "Turkmen")]  # fmt: skip
DEFAULT_RATE = 50.0


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained (marked as spam)"

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="en", choices=LANGUAGES)
    series = models.ManyToManyField(
        "newsletters.Series",
        blank=True,
        related_name="subscribers",
        help_text="The series this person receives; none means every series.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)

    # The consent record: when, where (a form's page or an import's file) and from which IP.
    consent_at = models.DateTimeField("consent given at", null=True, blank=True)
    consent_source = models.CharField(max_length=300, blank=True)
    consent_ip = models.GenericIPAddressField("consent IP", null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            # Case-insensitive: Ana@Example.org and ana@example.org are one person.
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_unique_email_ci",
                violation_error_message="This address is already on the list.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "confirmed", "unsubscribed", "bounced", "complained"]
                ),
                name="subscriber_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        # Only the domain is case-insensitive by the RFC, but nobody relies on a
        # case-sensitive local part; lower-casing keeps look-ups simple.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


def audience(series=None):
    """Confirmed subscribers who receive `series`: those following it or no series at all."""
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if series is None:
        return confirmed
    return confirmed.filter(models.Q(series=series) | models.Q(series__isnull=True)).distinct()


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Audience(models.TextChoices):
        SERIES = "series", "Confirmed subscribers of the issue's series"
        ALL = "all", "Every confirmed subscriber"

    issue = models.ForeignKey(
        "newsletters.Issue", on_delete=models.PROTECT, related_name="campaigns"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.SERIES)
    full_text = models.BooleanField(
        default=False, help_text="Send the stories' full text instead of their first paragraph."
    )
    subject = models.CharField(
        max_length=200, blank=True, help_text="Empty: the issue's title."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The mail as rendered when sending started: every recipient gets the same content,
    # and the record shows what was sent even if the issue is edited later.
    html = models.TextField(blank=True, editable=False)
    text = models.TextField(blank=True, editable=False)
    rate_limit = models.FloatField(
        "messages per second",
        default=DEFAULT_RATE,
        help_text="For the whole campaign, all workers together.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_campaign", "Can start, pause, resume and cancel campaigns")]

    def __str__(self):
        return f"{self.issue} → {self.get_audience_display().lower()}"

    @property
    def series(self):
        return self.issue.series if self.audience == self.Audience.SERIES else None

    def get_subject(self) -> str:
        return self.subject or self.issue.title

    def rendered(self):
        """The mail as frozen at the start (subscribers.emails.RenderedIssue)."""
        from .emails import RenderedIssue

        return RenderedIssue(subject=self.get_subject(), html=self.html, text=self.text)

    def progress(self) -> dict:
        """Counts per delivery status, remaining, and the rate over the sent ones."""
        rows = self.deliveries.values("status").annotate(n=models.Count("pk")).order_by()
        counts = {status: 0 for status in Delivery.Status.values}
        counts.update({row["status"]: row["n"] for row in rows})
        total = sum(counts.values())
        sent = counts[Delivery.Status.SENT]
        span = self.deliveries.filter(status=Delivery.Status.SENT).aggregate(
            first=models.Min("sent_at"), last=models.Max("sent_at")
        )
        rate = None
        if sent > 1 and span["last"] > span["first"]:
            rate = sent / (span["last"] - span["first"]).total_seconds()
        remaining = (
            counts[Delivery.Status.QUEUED]
            + counts[Delivery.Status.CLAIMED]
            + counts[Delivery.Status.SENDING]
        )
        return {
            **counts,
            "total": total,
            "remaining": remaining,
            "rate": rate,
        }


class Delivery(models.Model):
    """One recipient of one campaign: queued → claimed → sending → sent (or failed).

    `claimed` rows were taken by a worker but not yet handed to SMTP; `sending` rows are
    in the SMTP conversation. Only a `sending` row left by a crashed worker is in doubt.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed by a worker"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not before this time: the back-off after a temporary (4xx) SMTP error.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="delivery_once_per_subscriber"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return f"{self.campaign_id}/{self.subscriber_id}: {self.status}"

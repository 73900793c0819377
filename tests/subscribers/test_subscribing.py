"""Subscribe form, double opt-in, preferences and unsubscribe pages, and their tokens."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from subscribers.models import Subscriber
from subscribers.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, make_token

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/subscribe/"


@pytest.fixture
def series(series):
    """The conftest's series with a live issue: only such series are offered."""
    from tests.factories import make_issue

    make_issue(series=series)
    return series


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def post_subscribe(client, email="ana@example.org", **extra):
    """The POST, with the mail that is sent once its transaction commits."""
    data = {"email": email, "name": "Ana", "language": "en", "consent": "on", **extra}
    with _capture(execute=True):
        return client.post(SUBSCRIBE, data)


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body)[0]


def test_footer_form_is_on_cached_pages_without_a_csrf_token(client, issue):
    page = client.get(issue.get_absolute_url())
    html = page.content.decode()
    assert html.count('class="subscribe-inline"') == 2  # footer and issue page
    assert 'action="/subscribe/" method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not page.cookies  # still cacheable for every visitor


def test_subscribe_page_prefills_the_address_and_has_csrf_and_honeypot(client, series):
    page = client.get(SUBSCRIBE, {"email": "ana@example.org"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="ana@example.org"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'name="website"' in html
    assert "Steppe Partners Bulletin" in html


def test_subscribe_post_needs_the_csrf_token(series):
    strict = Client(enforce_csrf_checks=True)
    response = post_subscribe(strict)
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_new_address_gets_a_pending_row_and_a_confirmation_mail(client, series):
    response = post_subscribe(client, email="Ana@Example.org", series=[series.pk])
    assert response.status_code == 302 and response["Location"] == "/subscribe/thanks/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ana@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_source == "form /subscribe/"
    assert subscriber.consent_ip == "127.0.0.1"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert mail.outbox[0].subject == "Please confirm your subscription"
    assert "/subscribe/confirm/" in link_in(mail.outbox[0])


def test_answer_is_the_same_for_known_and_unknown_addresses(client, series):
    make_subscriber("known@example.org")
    make_subscriber("gone@example.org", status=Subscriber.Status.BOUNCED)
    answers = [post_subscribe(client, email=e) for e in
               ("known@example.org", "new@example.org", "gone@example.org")]  # fmt: skip
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/subscribe/thanks/")}
    # What differs is only the mail sent to the address itself; the bounced one gets none.
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "known@example.org": "You are already subscribed",
        "new@example.org": "Please confirm your subscription",
    }
    assert Subscriber.objects.get(email="known@example.org").status == "confirmed"


def test_honeypot_writes_and_sends_nothing_but_answers_the_same(client, series):
    response = post_subscribe(client, website="http://spam.example")
    assert (response.status_code, response["Location"]) == (302, "/subscribe/thanks/")
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_rate_limit_per_ip(client, series, settings):
    settings.SUBSCRIBERS_RATE_LIMIT = 3
    for n in range(3):
        assert post_subscribe(client, email=f"p{n}@example.org").status_code == 302
    blocked = post_subscribe(client, email="p9@example.org")
    assert blocked.status_code == 429
    assert not Subscriber.objects.filter(email="p9@example.org").exists()
    assert len(mail.outbox) == 3
    with _capture(execute=True):
        other_ip = client.post(
            SUBSCRIBE, {"email": "q@example.org", "consent": "on"}, REMOTE_ADDR="10.0.0.2"
        )
    assert other_ip.status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "consent": "on"},
        {"email": "ana@example.org"},  # no consent
        {"email": "a" * 250 + "@example.org", "consent": "on"},
    ],
)
def test_invalid_form_writes_nothing(client, series, data):
    response = client.post(SUBSCRIBE, data)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_confirm_link_shows_a_button_and_the_post_confirms(client, series):
    post_subscribe(client, series=[series.pk])
    url = link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
    page = client.get(url)
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    # A mail scanner's GET changes nothing.
    assert Subscriber.objects.get().status == "pending"
    done = client.post(url)
    assert done.status_code == 200 and b"You are subscribed" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "confirmed"
    assert subscriber.confirmed_at is not None
    assert list(subscriber.series.all()) == [series]
    # A second click is harmless: same answer, nothing rewritten.
    again = client.post(url)
    assert again.status_code == 200 and b"You are subscribed" in again.content
    assert Subscriber.objects.get().confirmed_at == subscriber.confirmed_at


def test_confirm_link_does_not_restore_a_bounced_address(client, series):
    subscriber = make_subscriber("ana@example.org", status=Subscriber.Status.BOUNCED)
    url = reverse("subscribers:confirm", args=[make_token(CONFIRM, subscriber)])
    response = client.post(url)
    assert response.status_code == 200 and b"Nothing to confirm" in response.content
    assert Subscriber.objects.get().status == "bounced"


def test_confirm_link_of_a_stranger_does_not_change_a_confirmed_subscriber(client, series):
    other = make_subscriber("ana@example.org", name="Ana", series=[series])
    post_subscribe(client, email="ana@example.org", name="Mallory", series=[])
    assert mail.outbox[0].subject == "You are already subscribed"
    other.refresh_from_db()
    assert other.name == "Ana" and list(other.series.all()) == [series]


def tamper(token: str) -> str:
    value, _, signature = token.rpartition(":")
    return f"{value}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize("route,purpose", [
    ("subscribers:confirm", CONFIRM),
    ("subscribers:preferences", PREFERENCES),
    ("subscribers:unsubscribe", UNSUBSCRIBE),
])  # fmt: skip
def test_tampered_or_foreign_tokens_give_a_clear_page_and_change_nothing(client, route, purpose):
    subscriber = make_subscriber("ana@example.org", status=Subscriber.Status.PENDING)
    good = make_token(purpose, subscriber)
    other_purpose = make_token(CONFIRM if purpose != CONFIRM else UNSUBSCRIBE, subscriber)
    for token in (tamper(good), other_purpose, "garbage", good + "x"):
        for method in (client.get, client.post):
            response = method(reverse(route, args=[token]))
            assert response.status_code == 400
            assert b"This link is not valid" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"


def test_expired_tokens_say_so_and_change_nothing(client, settings):
    subscriber = make_subscriber("ana@example.org", status=Subscriber.Status.PENDING)
    token = make_token(CONFIRM, subscriber)
    settings.SUBSCRIBERS_CONFIRM_MAX_AGE = -1
    response = client.post(reverse("subscribers:confirm", args=[token]))
    assert response.status_code == 400
    assert b"This link has expired" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"


def test_token_of_a_changed_address_no_longer_works(client):
    subscriber = make_subscriber("ana@example.org")
    token = make_token(UNSUBSCRIBE, subscriber)
    Subscriber.objects.filter(pk=subscriber.pk).update(email="ana.new@example.org")
    assert client.post(reverse("subscribers:unsubscribe", args=[token])).status_code == 400
    assert Subscriber.objects.get().status == "confirmed"


def test_token_payload_is_signed_not_secret_and_carries_no_address():
    subscriber = make_subscriber("ana@example.org")
    token = make_token(PREFERENCES, subscriber)
    assert "ana" not in token
    payload = signing.TimestampSigner(salt=PREFERENCES).unsign_object(token)
    assert payload["s"] == subscriber.pk


def test_one_click_unsubscribe_post_without_csrf_and_replay_is_harmless(series):
    subscriber = make_subscriber("ana@example.org", series=[series])
    strict = Client(enforce_csrf_checks=True)
    url = reverse("subscribers:unsubscribe", args=[make_token(UNSUBSCRIBE, subscriber)])
    first = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert first.status_code == 200 and b"You are unsubscribed" in first.content
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    stamp = subscriber.unsubscribed_at
    replay = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert replay.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribed_at) == ("unsubscribed", stamp)


def test_unsubscribe_get_only_asks(client):
    subscriber = make_subscriber("ana@example.org")
    url = reverse("subscribers:unsubscribe", args=[make_token(UNSUBSCRIBE, subscriber)])
    page = client.get(url)
    assert page.status_code == 200 and b'<form method="post">' in page.content
    assert Subscriber.objects.get().status == "confirmed"


def test_preferences_change_series_and_language_and_unsubscribe(client, series):
    from tests.factories import make_issue

    other = type(series).objects.create(title="Another Bulletin")
    make_issue(series=other)
    subscriber = make_subscriber("ana@example.org", series=[series])
    url = reverse("subscribers:preferences", args=[make_token(PREFERENCES, subscriber)])
    page = client.get(url)
    assert page.status_code == 200 and b"ana@example.org" in page.content
    saved = client.post(url, {"name": "Ana B", "language": "ru", "series": [other.pk]})
    assert b"Your choices are saved" in saved.content
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language) == ("Ana B", "ru")
    assert list(subscriber.series.all()) == [other]
    gone = client.post(url, {"unsubscribe": "1"})
    assert b"You are unsubscribed" in gone.content
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_preferences_post_needs_csrf(series):
    subscriber = make_subscriber("ana@example.org", series=[series])
    strict = Client(enforce_csrf_checks=True)
    url = reverse("subscribers:preferences", args=[make_token(PREFERENCES, subscriber)])
    assert strict.post(url, {"unsubscribe": "1"}).status_code == 403
    assert Subscriber.objects.get().status == "confirmed"


def test_resubscribe_after_unsubscribing_needs_a_new_confirmation(client, series):
    make_subscriber("ana@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    post_subscribe(client)
    assert mail.outbox[0].subject == "Please confirm your subscription"
    assert Subscriber.objects.get().status == "unsubscribed"
    client.post(link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000"))
    assert Subscriber.objects.get().status == "confirmed"


def test_email_is_unique_case_insensitively():
    from django.db import IntegrityError, transaction

    make_subscriber("ana@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        # A raw insert, bypassing save()'s lower-casing: the database refuses it.
        Subscriber.objects.bulk_create([Subscriber(email="ANA@example.org")])
    assert Subscriber.objects.count() == 1


def test_a_series_with_only_drafts_is_not_offered(client, issue):
    from newsletters.models import Issue
    from tests.factories import make_issue, make_series

    secret = make_series("Unannounced Bulletin")
    make_issue(series=secret, status=Issue.Status.DRAFT)
    page = client.get(SUBSCRIBE).content.decode()
    assert "Steppe Partners Bulletin" in page and "Unannounced Bulletin" not in page
    response = post_subscribe(client, series=[secret.pk])
    assert response.status_code == 400
    assert not Subscriber.objects.exists()

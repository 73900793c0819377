"""Admin: subscriber search and filters, spreadsheet import, campaign preview, test send,
starting from the campaign page (publishers only) and its progress."""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from import_export.formats.base_formats import CSV

from subscribers.models import Campaign, Delivery, Subscriber
from subscribers.resources import SubscriberResource

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def import_csv(text: str, dry_run=False):
    dataset = CSV().create_dataset(io.StringIO(text).read())
    return SubscriberResource().import_data(dataset, dry_run=dry_run)


def test_subscriber_search_and_filter(staff_client):
    make_subscriber("ana@example.org", name="Ana")
    make_subscriber("bo@example.org", status=Subscriber.Status.BOUNCED)
    url = reverse("admin:subscribers_subscriber_changelist")
    found = staff_client.get(url, {"q": "ana"}).content.decode()
    assert "ana@example.org" in found and "bo@example.org" not in found
    bounced = staff_client.get(url, {"status__exact": "bounced"}).content.decode()
    assert "bo@example.org" in bounced and "ana@example.org" not in bounced


def test_import_creates_confirmed_subscribers_with_consent_and_series(series):
    result = import_csv(
        "email,name,series,consent_source\n"
        f"Ana@Example.org,Ana,{series.slug},Partners' meeting sign-up sheet 2026-10\n"
        "bo@example.org,Bo,,Web form of the old site\n"
    )
    assert not result.has_errors() and not result.has_validation_errors()
    ana = Subscriber.objects.get(email="ana@example.org")
    assert ana.status == "confirmed" and ana.confirmed_at and ana.consent_at
    assert ana.consent_source == "Partners' meeting sign-up sheet 2026-10"
    assert list(ana.series.all()) == [series]
    # The same sheet again changes nothing.
    again = import_csv(
        "email,name,series,consent_source\n"
        f"ana@example.org,Ana,{series.slug},Partners' meeting sign-up sheet 2026-10\n"
    )
    assert [row.import_type for row in again.rows] == ["skip"]
    assert Subscriber.objects.count() == 2


def test_import_with_bad_rows_writes_nothing(series):
    result = import_csv(
        "email,name,series,consent_source\n"
        "good@example.org,Good,,Sign-up sheet\n"
        "not-an-address,Bad,,Sign-up sheet\n"
        "noconsent@example.org,Nobody asked,,\n"
        "typo@example.org,Typo,no-such-series,Sign-up sheet\n"
    )
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert set(errors) == {2, 3, 4}
    assert "email" in errors[2]
    assert errors[3] == {"consent_source": ["Say where this person's consent comes from."]}
    assert "series" in errors[4]
    assert not Subscriber.objects.exists()


def test_admin_import_preview_shows_row_errors_and_writes_nothing(staff_client):
    upload = io.BytesIO(b"email,consent_source\nnot-an-address,Sheet\n")
    upload.name = "subscribers.csv"
    response = staff_client.post(
        reverse("admin:subscribers_subscriber_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert b"Enter a valid email address." in response.content
    assert not Subscriber.objects.exists()


def test_export_has_the_consent_columns(staff_client):
    make_subscriber("ana@example.org", consent_source="Sign-up sheet")
    dataset = SubscriberResource().export()
    assert dataset.headers[:3] == ["email", "name", "language"]
    assert "consent_source" in dataset.headers
    assert dataset.dict[0]["consent_source"] == "Sign-up sheet"


@pytest.fixture
def campaign(issue, publisher):
    return Campaign.objects.create(issue=issue, created_by=publisher)


def test_preview_html_and_text(campaign, editor):
    client = logged_in(editor)
    html = client.get(reverse("admin:campaign_preview_html", args=[campaign.pk]))
    assert html.status_code == 200
    assert b"Shelter opens in Tarvin" in html.content
    csp = html["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in csp and "sandbox" in csp and "script-src" in csp
    text = client.get(reverse("admin:campaign_preview_text", args=[campaign.pk]))
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "SHELTER OPENS" not in text.content.decode()
    assert "Shelter opens in Tarvin" in text.content.decode()
    assert "Unsubscribe: (unsubscribe link)" in text.content.decode()


def test_preview_needs_staff(campaign, client):
    response = client.get(reverse("admin:campaign_preview_html", args=[campaign.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_send_test(campaign, editor):
    client = logged_in(editor)
    url = reverse("admin:campaign_send_test", args=[campaign.pk])
    response = client.post(url, {"addresses": "me@example.org, boss@example.org"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.org", "me@example.org"]
    assert mail.outbox[0].subject == "[Test] Steppe Partners Bulletin No. 7"
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bad = client.post(url, {"addresses": "not-an-address"})
    assert bad.status_code == 302 and len(mail.outbox) == 2
    assert not Delivery.objects.exists()


def test_editor_cannot_start_from_the_admin(campaign, editor):
    make_subscriber("ana@example.org")
    client = logged_in(editor)
    page = client.get(reverse("admin:subscribers_campaign_change", args=[campaign.pk]))
    assert b"Only a publisher can send this campaign." in page.content
    response = client.post(reverse("admin:campaign_action", args=[campaign.pk, "start"]))
    assert response.status_code == 403
    assert not Delivery.objects.exists() and not mail.outbox


def test_publisher_starts_from_the_admin_and_sees_progress(
    campaign, publisher, django_capture_on_commit_callbacks
):
    make_subscriber("ana@example.org")
    make_subscriber("bo@example.org")
    client = logged_in(publisher)
    change = reverse("admin:subscribers_campaign_change", args=[campaign.pk])
    assert b">Send to subscribers</button>" in client.get(change).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:campaign_action", args=[campaign.pk, "start"]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    page = client.get(change).content.decode()
    assert "<strong>2</strong> sent · <strong>0</strong> failed · <strong>0</strong> remaining" in (
        page
    )
    assert "Send to subscribers" not in page
    # A GET never acts, and an unknown action is a 404.
    start_url = reverse("admin:campaign_action", args=[campaign.pk, "start"])
    assert client.get(start_url).status_code == 405
    bogus = client.post(reverse("admin:campaign_action", args=[campaign.pk, "explode"]))
    assert bogus.status_code == 404


def test_roles_from_the_migration(editor, publisher):
    assert editor.has_perm("subscribers.change_subscriber")
    assert editor.has_perm("subscribers.add_campaign")
    assert not editor.has_perm("subscribers.send_campaign")
    assert not editor.has_perm("subscribers.delete_subscriber")
    assert publisher.has_perm("subscribers.send_campaign")
    assert publisher.has_perm("subscribers.delete_subscriber")
    # Nobody edits the delivery record by hand.
    assert not publisher.has_perm("subscribers.change_delivery")


def test_campaign_list_queries_do_not_grow_with_campaigns(staff_client, issue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:subscribers_campaign_changelist")

    def queries_with(count):
        for n in range(count):
            campaign = Campaign.objects.create(issue=issue, status="sending")
            subscriber = make_subscriber(f"list{count}-{n}@example.org")
            Delivery.objects.create(campaign=campaign, subscriber=subscriber, status="sent")
        with CaptureQueriesContext(connection) as captured:
            page = staff_client.get(url)
        assert page.status_code == 200
        return len(captured), page.content.decode()

    few, _ = queries_with(1)
    many, html = queries_with(5)
    assert many == few
    assert html.count("1 sent, 0 failed, 0 remaining") == 6

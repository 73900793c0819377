"""Directory proposals (issue 11, item 1): an imported issue changes the public directory
only once it is published, only where it is the newest published issue to list an entry,
and unpublishing it withdraws what only it proposed. Every public view shows one set."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from newsletters.importing.loader import import_sources
from newsletters.models import Issue
from newsletters.publishing import apply_due_directories
from tests.factories import make_country

from .importing.conftest import issue_text

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ("/", "/directory/", "/directory/kazakhstan/", "/api/directory/",
               "/directory/directory.csv")  # fmt: skip


def imported(tmp_path, name="issue.md", number=5, **kwargs) -> Issue:
    path = tmp_path / name
    path.write_text(issue_text(number, staff=True, **kwargs), "utf-8")
    (report,) = import_sources([path])
    assert report.status == "ok", report.error
    return report.result.issue


def public_text(client) -> str:
    """Everything the public directory shows, on every page and file that shows it."""
    bodies = []
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def publish(issue):
    issue.refresh_from_db()
    issue.publish(reason="test: publishing despite the pre-publish list")


def test_imported_draft_proposes_and_changes_nothing_public(client, tmp_path):
    make_country("KZ", "Kazakhstan")
    before = public_text(client)
    issue = imported(tmp_path)
    assert issue.status == Issue.Status.DRAFT
    # Written as proposals, listed by the draft, confirmed by no issue yet.
    assert Hotline.objects.count() == 4 and Person.objects.count() == 1
    for model in (Office, OfficeEmail, Hotline, Person):
        assert set(model.objects.values_list("proposed", flat=True)) == {True}
        assert model.objects.public().count() == 0
        assert model.listed_in.through.objects.filter(issue=issue).count() >= 1
    assert set(Hotline.objects.values_list("last_seen_in", flat=True)) == {None}

    after = public_text(client)
    for printed in ("11616", "1899", "8 8000 1111 22", "333444", "Testova",
                    "northwind-kz@example.org", "atestova@example.org"):  # fmt: skip
        assert printed not in after
    assert after.count("tel:") == before.count("tel:") == 0
    person = Person.objects.get()
    assert client.get(f"/directory/people/{person.pk}/vcard/").status_code == 404


def test_publishing_shows_the_proposals_and_unpublishing_withdraws_them(client, tmp_path):
    issue = imported(tmp_path)
    publish(issue)
    text = public_text(client)
    assert text.count('href="tel:11616"') == 3  # home, directory, country page
    for printed in ("1899", "8 8000 1111 22", "Aigerim Testova", "northwind-kz@example.org"):
        assert printed in text
    api = client.get("/api/directory/").json()
    kz = next(c for c in api["countries"] if c["code"] == "KZ")
    assert {h["number"] for h in kz["hotlines"]} == {"11616", "8 8000 1111 22"}
    assert [p["name"] for p in kz["people"]] == ["Ms. Aigerim Testova"]
    assert kz["offices"][0]["emails"] == ["northwind-kz@example.org"]
    person = Person.objects.get()
    vcard = client.get(f"/directory/people/{person.pk}/vcard/")
    assert vcard.status_code == 200 and b"FN:Ms. Aigerim Testova" in vcard.content
    assert Hotline.objects.get(digits="11616").last_seen_in_id == issue.pk

    issue.refresh_from_db()
    issue.unpublish()
    text = public_text(client)
    for printed in ("11616", "1899", "Testova", "northwind-kz@example.org"):
        assert printed not in text
    assert client.get(f"/directory/people/{person.pk}/vcard/").status_code == 404
    assert Hotline.objects.filter(last_seen_in__isnull=False).count() == 0
    # Still proposed by the draft: publishing again brings them back.
    publish(issue)
    assert "Aigerim Testova" in client.get("/directory/").content.decode()


def test_a_draft_does_not_change_a_published_entry_until_it_is_published(client, tmp_path):
    older = imported(tmp_path, "1.md", 1, date=datetime.date(2022, 1, 10))
    publish(older)
    hotline = Hotline.objects.get(digits="88000111122")
    assert hotline.note == "landlines" and hotline.last_seen_in_id == older.pk

    newer_text = issue_text(2, staff=True, date=datetime.date(2022, 6, 10)).replace(
        "(landlines)", "(landlines, free of charge)"
    ).replace("Programme Assistant", "Programme Officer")  # fmt: skip
    (tmp_path / "2.md").write_text(newer_text, "utf-8")
    (report,) = import_sources([tmp_path / "2.md"])
    newer = report.result.issue
    hotline.refresh_from_db()
    assert (hotline.note, hotline.last_seen_in_id) == ("landlines", older.pk)
    assert Person.objects.get().role == "Programme Assistant"
    page = client.get("/directory/").content.decode()
    assert "free of charge" not in page and "Programme Officer" not in page
    assert older.title in page and newer.title not in page

    publish(newer)
    hotline.refresh_from_db()
    assert (hotline.note, hotline.last_seen_in_id) == ("landlines, free of charge", newer.pk)
    page = client.get("/directory/").content.decode()
    assert "free of charge" in page and "Programme Officer" in page

    # Unpublished again: the entries fall back to the newest issue still published.
    newer.refresh_from_db()
    newer.unpublish()
    hotline.refresh_from_db()
    assert (hotline.note, hotline.last_seen_in_id) == ("landlines", older.pk)
    page = client.get("/directory/").content.decode()
    assert "free of charge" not in page and newer.title not in page
    assert Hotline.objects.public().count() == 4  # all still listed by the older issue


def test_publishing_an_older_issue_does_not_override_a_newer_one(tmp_path):
    newer = imported(tmp_path, "2.md", 2, date=datetime.date(2022, 6, 10))
    publish(newer)
    text = issue_text(1, staff=True, date=datetime.date(2022, 1, 10)).replace(
        "(landlines)", "(old note)"
    )
    (tmp_path / "1.md").write_text(text, "utf-8")
    (report,) = import_sources([tmp_path / "1.md"])
    publish(report.result.issue)
    hotline = Hotline.objects.get(digits="88000111122")
    assert (hotline.note, hotline.last_seen_in_id) == ("landlines", newer.pk)


def test_entries_staff_enter_are_public_at_once_and_survive_unpublishing(
    client, staff_client, tmp_path
):
    issue = imported(tmp_path)
    kz = Country.objects.get(code="KZ")
    response = staff_client.post(
        "/admin/directory/hotline/add/",
        {"country": kz.pk, "number": "150", "e164": "", "note": "children", "position": 3},
    )
    assert response.status_code == 302
    staff_hotline = Hotline.objects.get(digits="150")
    assert not staff_hotline.proposed
    # Editing a proposal in the admin confirms it: public at once.
    proposal = Hotline.objects.get(digits="1899")
    response = staff_client.post(
        f"/admin/directory/hotline/{proposal.pk}/change/",
        {"country": proposal.country_id, "number": "1899", "e164": "", "note": "checked",
         "position": 0},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(Hotline.objects.public().values_list("digits", flat=True)) == {"150", "1899"}
    html = client.get("/").content.decode()
    assert 'href="tel:150"' in html and 'href="tel:1899"' in html and "11616" not in html

    publish(issue)
    issue.refresh_from_db()
    issue.unpublish()
    assert set(Hotline.objects.public().values_list("digits", flat=True)) == {"150", "1899"}


def test_spreadsheet_import_confirms_entries(staff_client, tmp_path):
    imported(tmp_path)
    from tablib import Dataset

    from directory.resources import HotlineResource

    data = Dataset(headers=["country", "number", "e164", "note", "position"])
    data.append(["KZ", "11616", "", "national hotline, checked", 0])
    result = HotlineResource().import_data(data, dry_run=False)
    assert not result.has_errors()
    assert list(Hotline.objects.public().values_list("digits", flat=True)) == ["11616"]


def test_scheduled_issue_changes_the_directory_only_once_it_is_live(client, tmp_path):
    older = imported(tmp_path, "1.md", 1, date=datetime.date(2022, 1, 10))
    publish(older)
    text = issue_text(2, staff=True, date=datetime.date(2022, 6, 10)).replace(
        "(landlines)", "(landlines, scheduled note)"
    )
    (tmp_path / "2.md").write_text(text, "utf-8")
    (report,) = import_sources([tmp_path / "2.md"])
    scheduled = report.result.issue
    scheduled.refresh_from_db()
    scheduled.publish(
        at=timezone.now() + datetime.timedelta(hours=1), reason="test: scheduled anyway"
    )
    scheduled.refresh_from_db()
    assert scheduled.directory_pending and scheduled.is_scheduled
    assert "scheduled note" not in client.get("/directory/").content.decode()
    assert Hotline.objects.get(digits="88000111122").last_seen_in_id == older.pk

    # Its go-live time comes: the first reader of the directory applies it, once.
    Issue.objects.filter(pk=scheduled.pk).update(
        go_live_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    cache.clear()  # the clock did not move: forget the pages cached until the go-live time
    assert "scheduled note" in client.get("/directory/").content.decode()
    assert Hotline.objects.get(digits="88000111122").last_seen_in_id == scheduled.pk
    assert apply_due_directories() == 0
    assert not Issue.objects.get(pk=scheduled.pk).directory_pending


def test_public_directory_queries_do_not_grow_with_proposals(client, tmp_path):
    from tests.querycount import count_queries

    publish(imported(tmp_path, "1.md", 1, date=datetime.date(2022, 1, 10)))
    first = count_queries(client, "/directory/")
    for n in range(2, 5):
        text = issue_text(n, staff=True, date=datetime.date(2022, n, 10)).replace(
            "Aigerim Testova", f"Aigerim Testova {n}"
        ).replace("atestova@", f"atestova{n}@")  # fmt: skip
        (tmp_path / f"{n}.md").write_text(text, "utf-8")
        (report,) = import_sources([tmp_path / f"{n}.md"])
        publish(report.result.issue)
    assert Person.objects.public().count() == 4
    assert count_queries(client, "/directory/") == first
    assert json.loads(client.get("/api/directory/").content)["countries"]


def test_every_public_view_shows_the_same_set_and_no_country_only_a_draft_names(client, tmp_path):
    make_country("KZ", "Kazakhstan")
    Hotline.objects.create(country=Country.objects.get(code="KZ"), number="150", note="staff")
    published = imported(tmp_path, "1.md", 1, date=datetime.date(2022, 1, 10))
    publish(published)
    # A draft that names a new country and a new hotline there.
    text = issue_text(2, date=datetime.date(2022, 6, 10)).replace(
        "Kyrgyzstan's national hotline (1899)", "Turkmenistan's national hotline (8 800 1234)"
    )
    (tmp_path / "2.md").write_text(text, "utf-8")
    (report,) = import_sources([tmp_path / "2.md"])
    assert report.status == "ok" and Country.objects.filter(code="TM").exists()

    expected = set(Hotline.objects.public().values_list("number", flat=True))
    assert expected == {"150", "11616", "1899", "8 8000 1111 22", "+996 312 333444"}
    home = client.get("/").content.decode()
    directory = client.get("/directory/").content.decode()
    api = client.get("/api/directory/").json()
    csv_rows = client.get("/directory/directory.csv").content.decode().splitlines()
    import re

    def numbers(html, css):
        return set(re.findall(rf'<a class="{css}" href="tel:[^"]*">([^<]+)</a>', html))

    assert numbers(home, "tel") == expected
    assert numbers(directory, "tel big") == expected
    assert {h["number"] for c in api["countries"] for h in c["hotlines"]} == expected
    in_csv = {row.split(",")[4].lstrip("'") for row in csv_rows if row.startswith("hotline,")}
    assert in_csv == expected
    for body in (directory, json.dumps(api), "\n".join(csv_rows)):
        assert "Turkmenistan" not in body
        assert "8 800 1234" not in body


def test_the_directory_admin_shows_which_entries_are_proposals(staff_client, tmp_path):
    imported(tmp_path)
    kz = Country.objects.get(code="KZ")
    Hotline.objects.create(country=kz, number="150", note="staff")
    proposals = staff_client.get("/admin/directory/hotline/?proposed__exact=1").content.decode()
    assert "11616" in proposals and ">150<" not in proposals
    staff = staff_client.get("/admin/directory/hotline/?proposed__exact=0").content.decode()
    assert ">150<" in staff and "11616" not in staff

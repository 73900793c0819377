"""Directory spreadsheets: export, import back unchanged, natural keys, row errors."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from directory.resources import CountryResource, HotlineResource, OfficeResource, PersonResource
from tests.factories import make_country, make_directory

pytestmark = pytest.mark.django_db

RESOURCES = [CountryResource, OfficeResource, PersonResource, HotlineResource]


@pytest.fixture
def directory():
    for code, name in (("KZ", "Kazakhstan"), ("KG", "Kyrgyzstan")):
        make_directory(make_country(code, name), hotlines=2, people=2, emails=2)
    kg = Country.objects.get(code="KG")
    Person.objects.create(name="No Email Person", role="Driver", country=kg)


def _history_rows() -> int:
    return sum(m.history.count() for m in (Country, Office, OfficeEmail, Person, Hotline))


@pytest.mark.parametrize("resource_class", RESOURCES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_same_sheet_twice_changes_nothing(directory, resource_class, fmt):
    exported = resource_class().export()
    sheet = exported.export(fmt)
    dataset = tablib.Dataset().load(sheet, format=fmt)
    before = _history_rows()
    result = resource_class().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(dataset) > 0
    assert result.totals["new"] == result.totals["update"] == 0
    assert _history_rows() == before  # nothing saved, so no revision either


def test_office_emails_are_one_comma_separated_column(directory):
    office = Office.objects.get(country__code="KZ")
    row = next(r for r in OfficeResource().export().dict if r["name"] == office.name)
    assert row["emails"] == "mission0-kz@example.org, mission1-kz@example.org"
    dataset = tablib.Dataset(headers=["country", "name", "website", "emails"])
    dataset.append(["KZ", office.name, "", "mission1-kz@example.org, New@Example.org"])
    result = OfficeResource().import_data(dataset, dry_run=False)
    assert result.totals["update"] == 1
    assert [e.address for e in office.emails.order_by("position")] == [
        "mission1-kz@example.org", "new@example.org",
    ]  # fmt: skip


def test_rows_are_matched_by_natural_keys_not_ids(directory):
    hotline = Hotline.objects.filter(country__code="KZ").first()
    dataset = tablib.Dataset(headers=["country", "number", "e164", "note", "position"])
    # The same number written differently is the same hotline (matched by its digits).
    spaced = hotline.number.replace(" ", "-")
    dataset.append(["KZ", spaced, hotline.e164, "renamed note", 0])
    dataset.append(["KG", "1515", "", "national hotline", 1])
    result = HotlineResource().import_data(dataset, dry_run=False)
    assert (result.totals["update"], result.totals["new"]) == (1, 1)
    hotline.refresh_from_db()
    assert hotline.note == "renamed note"
    people = tablib.Dataset(headers=["name", "role", "country", "phones", "email"])
    people.append(["Renamed Person", "Lead", "KZ", "", "PERSON0-KZ@example.org"])
    people.append(["No Email Person", "Head driver", "KG", "", ""])
    result = PersonResource().import_data(people, dry_run=False)
    assert result.totals["update"] == 2 and result.totals["new"] == 0
    assert Person.objects.get(email="person0-kz@example.org").name == "Renamed Person"
    assert Person.objects.get(name="No Email Person").role == "Head driver"


def test_invalid_rows_are_reported_per_row_and_nothing_is_written(directory):
    before = (Hotline.objects.count(), _history_rows())
    dataset = tablib.Dataset(headers=["country", "number", "e164", "note", "position"])
    dataset.append(["KZ", "+7 700 555 0000", "", "fine row", 0])
    dataset.append(["XX", "+7 700 555 0001", "", "unknown country", 0])
    dataset.append(["KZ", "+7 700 555 0002", "", "bad position", "first"])
    result = HotlineResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_validation_errors() and not result.has_errors()
    messages = {row.number: str(row.error) for row in result.invalid_rows}
    assert sorted(messages) == [2, 3]
    assert "No country with the ISO code “XX”" in messages[2]
    assert "“first” is not a whole number" in messages[3]
    assert (Hotline.objects.count(), _history_rows()) == before


def test_admin_import_previews_then_confirms(staff_client):
    make_country("KZ", "Kazakhstan")
    csv = "code,name\nKG,Kyrgyzstan\nKZ,Kazakhstan\n"
    url = reverse("admin:directory_country_import")
    preview = staff_client.post(
        url,
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("c.csv", csv.encode())},
    )
    assert preview.status_code == 200
    assert not Country.objects.filter(code="KG").exists()  # a preview writes nothing
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["skip"]) == (1, 1)
    confirm = preview.context["confirm_form"].initial
    done = staff_client.post(reverse("admin:directory_country_process_import"), confirm)
    assert done.status_code == 302
    assert Country.objects.get(code="KG").name == "Kyrgyzstan"


def test_admin_preview_shows_row_errors(staff_client):
    make_country("KZ", "Kazakhstan")
    csv = "country,number,e164,note,position\nZZ,1505,,hotline,0\n"
    preview = staff_client.post(
        reverse("admin:directory_hotline_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("h.csv", csv.encode())},
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "No country with the ISO code “ZZ”" in html  # the row's own message, in the preview
    assert [row.number for row in preview.context["result"].invalid_rows] == [1]
    assert 'name="import_file_name"' not in html  # no way to confirm a sheet with errors
    assert not Hotline.objects.exists()

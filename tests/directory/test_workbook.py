"""The directory as one workbook: export, import all sheets or nothing, countries by name
or code, the public directory.csv read back, clear errors for wrong files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from directory.exports import safe_cell
from directory.models import Country, Hotline, Office, OfficeEmail, Person
from directory.workbook import WorkbookError, export_workbook, import_workbook
from tests.factories import make_country

pytestmark = pytest.mark.django_db

WORKBOOK_URL = "admin:directory_workbook"


@pytest.fixture
def directory():
    tj, kz = make_country("TJ", "Tajikistan"), make_country("KZ", "Kazakhstan")
    office = Office.objects.create(country=tj, name="Dushanbe office")
    OfficeEmail.objects.create(office=office, address="dushanbe@example.org")
    OfficeEmail.objects.create(office=office, address="info-tj@example.org", position=1)
    Person.objects.create(
        name="Zarina Sharipova", role="Counsellor", country=tj,
        phones="+992 900 11 22 33\n+992 44 600 11 22", email="zarina@example.org",
    )  # fmt: skip
    Hotline.objects.create(country=tj, number="+992 900 800 800", note="free, 24 hours")
    Hotline.objects.create(country=kz, number="11616", note="national hotline", position=1)
    return tj, kz


def _snapshot():
    return {
        "countries": sorted(Country.objects.values_list("code", "name")),
        "offices": sorted(
            (o.country.code, o.name, tuple(e.address for e in o.emails.all()))
            for o in Office.objects.prefetch_related("emails")
        ),
        "people": sorted(
            Person.objects.values_list("name", "role", "country__code", "phones", "email")
        ),
        "hotlines": sorted(
            Hotline.objects.values_list("country__code", "number", "e164", "note", "position")
        ),
    }


def _wipe():
    Hotline.objects.all().delete()
    Person.objects.all().delete()
    Office.objects.all().delete()
    Country.objects.all().delete()


def test_export_has_one_sheet_per_kind(directory):
    book = load_workbook(io.BytesIO(export_workbook()))
    assert book.sheetnames == ["countries", "offices", "people", "hotlines"]
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert rows["countries"][0] == ("code", "name")
    assert sorted(rows["countries"][1:]) == [("KZ", "Kazakhstan"), ("TJ", "Tajikistan")]
    assert rows["offices"][1] == (
        "TJ", "Dushanbe office", None, "dushanbe@example.org, info-tj@example.org"
    )  # fmt: skip
    hotlines = {r[1]: r for r in rows["hotlines"][1:]}
    assert hotlines["+992 900 800 800"][2] == "+992900800800"  # a string, not a number


def test_workbook_round_trip_and_second_import_changes_nothing(directory):
    before = _snapshot()
    data = export_workbook()
    _wipe()
    reports = import_workbook("directory.xlsx", data)
    assert [(r.name, r.new, r.errors) for r in reports] == [
        ("countries", 2, []), ("offices", 1, []), ("people", 1, []), ("hotlines", 2, []),
    ]  # fmt: skip
    assert _snapshot() == before
    again = import_workbook("directory.xlsx", data)
    assert [(r.new, r.updated, r.unchanged) for r in again] == [(0, 0, 2), (0, 0, 1), (0, 0, 1),
                                                                (0, 0, 2)]  # fmt: skip


def _zip(**sheets) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in sheets.items():
            archive.writestr(f"{name}.csv", text)
    return buffer.getvalue()


def test_zip_of_csvs_with_countries_by_name_or_code():
    data = _zip(
        countries="code,name\nKG,Kyrgyzstan\n",
        offices="country,name,website,emails\nkyrgyzstan,Bishkek office,,bishkek@example.org\n",
        hotlines=(
            "country,number,e164,note,position\n"
            "Kyrgyzstan,1899,,free,0\nkg,+996 312 000 111,,,1\n"
        ),
    )  # fmt: skip
    reports = import_workbook("sheets.zip", data)
    assert all(not r.errors for r in reports)
    kg = Country.objects.get(code="KG")
    assert Office.objects.get().country == kg
    assert sorted(Hotline.objects.values_list("number", "country__code", "e164")) == [
        ("+996 312 000 111", "KG", "+996312000111"), ("1899", "KG", ""),
    ]  # fmt: skip


def test_country_by_name_of_a_new_country_without_code():
    data = _zip(countries="code,name\n,Tajikistan\n", hotlines="country,number\nTajikistan,1599\n")
    reports = import_workbook("sheets.zip", data)
    assert all(not r.errors for r in reports), reports
    assert Hotline.objects.get().country.code == "TJ"


def _in_order(snapshot):
    """Hotline positions as ranks within their country: the CSV keeps order, not numbers."""
    rows = sorted(snapshot["hotlines"], key=lambda h: (h[0], h[4]))
    return {**snapshot, "hotlines": [h[:4] for h in rows]}


def test_public_directory_csv_reimports(client, directory):
    before = _in_order(_snapshot())
    raw = client.get(reverse("directory:csv")).content
    text = raw.decode()
    assert "+992 900 800 800" in text and "'+992" not in text  # real numbers in the CSV
    _wipe()
    reports = import_workbook("directory.csv", raw)
    assert all(not r.errors for r in reports), reports
    assert _in_order(_snapshot()) == before


def test_one_bad_row_writes_nothing_of_any_sheet(directory):
    before = _snapshot()
    data = _zip(
        countries="code,name\nUZ,Uzbekistan\n",
        hotlines="country,number\nUZ,1102\nAtlantis,999\n",
    )
    reports = import_workbook("sheets.zip", data)
    errors = {r.name: r.errors for r in reports}
    assert errors["countries"] == []
    assert errors["hotlines"] == ["row 2: country: No country with the ISO code “Atlantis”."]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n....", "photo.png is not a directory workbook"),
        ("broken.xlsx", b"PK\x03\x04 not really", "not a readable XLSX workbook"),
        ("hotlines.csv", b"country,number\nKZ,11616\n", "without a “type” column"),
        ("other.zip", _zip(readme="hello"), "has none of the sheets"),
        ("latin.csv", b"type,country\nhotline,Espa\xf1a\n", "is not UTF-8 text"),
        ("odd.csv", b"type,country\nfax,Kazakhstan\n", "line 2: unknown type"),
    ],
)  # fmt: skip
def test_wrong_files_are_clear_errors(name, raw, message):
    with pytest.raises(WorkbookError) as excinfo:
        import_workbook(name, raw)
    assert message in str(excinfo.value)
    assert not Country.objects.exists()


def test_admin_page_download_upload_and_errors(staff_client, directory):
    url = reverse(WORKBOOK_URL)
    assert url in staff_client.get(reverse("admin:directory_country_changelist")).content.decode()
    download = staff_client.get(url, {"download": "1"})
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="directory.xlsx"'
    _wipe()

    upload = SimpleUploadedFile("directory.xlsx", download.content)
    checked = staff_client.post(url, {"file": upload, "dry_run": "1"})
    assert checked.status_code == 200
    assert "The workbook was checked (nothing written)." in checked.content.decode()
    assert not Country.objects.exists()
    response = staff_client.post(url, {"file": SimpleUploadedFile("directory.xlsx",
                                                                  download.content)})  # fmt: skip
    assert response.status_code == 200
    assert Hotline.objects.count() == 2
    wrong = staff_client.post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    html = wrong.content.decode()
    assert wrong.status_code == 200 and 'class="errornote"' in html
    assert "notes.txt is not a directory workbook" in html
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_formula_protection_spares_phone_numbers_only():
    assert safe_cell("+992900800800") == "+992900800800"
    assert (
        safe_cell("+992 900 11 22 33; +992 44 600 11 22") == "+992 900 11 22 33; +992 44 600 11 22"
    )
    assert safe_cell("+1-2") == "'+1-2"  # too short for a number: arithmetic
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+992 900 cmd|' /C calc'!A0") == "'+992 900 cmd|' /C calc'!A0"
    assert safe_cell("-2+3") == "'-2+3" and safe_cell("@SUM(1)") == "'@SUM(1)"


def test_xlsx_workbook_written_by_hand_with_country_names():
    book = Workbook()
    book.active.title = "countries"
    book["countries"].append(["code", "name"])
    book["countries"].append(["TM", "Turkmenistan"])
    people = book.create_sheet("People")
    people.append(["name", "role", "country", "phones", "email"])
    people.append(["Aman Orazov", "Driver", "Turkmenistan", "+993 12 00 00 00", "aman@example.org"])
    out = io.BytesIO()
    book.save(out)
    reports = import_workbook("team.xlsx", out.getvalue())
    assert all(not r.errors for r in reports), reports
    assert Person.objects.get().country.code == "TM"


def test_too_many_rows_is_a_clear_error():
    from directory import workbook

    rows = "".join(f"Kazakhstan,{1000 + n}\n" for n in range(workbook.MAX_ROWS + 1))
    with pytest.raises(WorkbookError, match="has more than 20,000 rows"):
        import_workbook("sheets.zip", _zip(hotlines="country,number\n" + rows))
    book = Workbook()
    book.active.title = "hotlines"
    book.active.append(["country", "number"])
    for n in range(workbook.MAX_ROWS + 1):
        book.active.append(["KZ", str(2000 + n)])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(WorkbookError, match="Sheet “hotlines” has more than 20,000 rows"):
        import_workbook("big.xlsx", out.getvalue())
    assert not Hotline.objects.exists()

"""vCard (RFC 6350) per person and the CSV of the whole directory."""

import csv
import io

import pytest

from directory.exports import safe_cell
from directory.models import Hotline, Person
from directory.vcard import escape_text, fold
from tests.factories import make_country, make_directory, make_issue

pytestmark = pytest.mark.django_db


def test_vcard_download(client):
    tj = make_country("TJ", "Tajikistan")
    person = Person.objects.create(
        name="Dilnoza Karimova, PhD", role="Head; Protection\nUnit", country=tj,
        phones="+992 900 11 22 33\n(44) 600-11-22", email="D.Karimova@Example.org",
    )  # fmt: skip
    response = client.get(f"/directory/people/{person.pk}/vcard/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dilnoza-karimova-phd.vcf"'
    body = response.content.decode()
    assert body.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert body.endswith("END:VCARD\r\n")
    lines = body.split("\r\n")
    assert "FN:Dilnoza Karimova\\, PhD" in lines
    assert "TITLE:Head\\; Protection\\nUnit" in lines
    assert "TEL;VALUE=uri;TYPE=work,voice:tel:+992900112233" in lines
    assert "TEL;VALUE=uri;TYPE=work,voice:tel:+992446001122" in lines
    assert "EMAIL;TYPE=work:d.karimova@example.org" in lines
    assert "ADR;TYPE=work:;;;;;;Tajikistan" in lines
    assert client.get("/directory/people/999999/vcard/").status_code == 404


def test_vcard_escaping_and_folding():
    assert escape_text("a\\b,c;d\r\ne") == "a\\\\b\\,c\\;d\\ne"
    line = "NOTE:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_csv_of_the_whole_directory(client):
    issue = make_issue(title="Bulletin 3")
    kg = make_country("KG", "Kyrgyzstan")
    make_directory(kg, issue=issue)
    Hotline.objects.create(country=kg, number="1899", note="=HYPERLINK(\"x\")", last_seen_in=issue)
    Person.objects.create(name="@evil", role="-2+3", country=kg, phones="", email="")
    response = client.get("/directory/directory.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="directory.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["type", "country", "name", "role", "phone", "e164", "email", "note",
                       "last_confirmed_in"]  # fmt: skip
    by_type = {}
    for row in rows[1:]:
        by_type.setdefault(row[0], []).append(row)
    hotline = next(r for r in by_type["hotline"] if r[4] == "1899")
    assert hotline[7] == "'=HYPERLINK(\"x\")" and hotline[8] == "Bulletin 3"
    plus = next(r for r in by_type["hotline"] if r[4] != "1899")
    # Phone numbers stay real numbers, E.164 included; other formula starts are quoted.
    assert plus[4].startswith("+7 700") and plus[5].startswith("+7700")
    assert by_type["office"][0][6] == "mission0-kg@example.org"
    evil = next(r for r in by_type["person"] if r[2].endswith("evil"))
    assert evil[2] == "'@evil" and evil[3] == "'-2+3"


def test_safe_cell():
    assert [safe_cell(v) for v in ("=1+1", "+7", "-1", "@a", "\tx", "ok", None, 5)] == [
        "'=1+1", "+7", "-1", "'@a", "'\tx", "ok", "", "5"
    ]  # fmt: skip
    assert safe_cell("+996 555 12-34-56") == "+996 555 12-34-56"
    two = "+996 (312) 61 00 00\n+996 555 000 111"
    assert safe_cell(two) == two
    assert safe_cell("+996+HYPERLINK(1)") == "'+996+HYPERLINK(1)"
    assert safe_cell("-1+2+3+4+5") == "'-1+2+3+4+5"


def test_directory_page_links_downloads(client):
    make_directory(make_country("KZ", "Kazakhstan"))
    html = client.get("/directory/").content.decode()
    person = Person.objects.get()
    assert 'href="/directory/directory.csv"' in html
    assert f'href="/directory/people/{person.pk}/vcard/"' in html

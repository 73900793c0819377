"""Key figures as spreadsheets: issue by slug, round trips, row errors."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletters.models import KeyFigure
from newsletters.resources import KeyFigureResource
from tests.factories import fill_issue, make_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return fill_issue(make_issue(number=7), sections=1, figures=3)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_the_same_sheet_changes_nothing(issue, fmt):
    exported = KeyFigureResource().export()
    assert exported.headers == ["issue", "label", "value", "unit", "note", "position"]
    assert exported.dict[0]["issue"] == issue.slug
    dataset = tablib.Dataset().load(exported.export(fmt), format=fmt)
    revisions = KeyFigure.history.count()
    result = KeyFigureResource().import_data(dataset, dry_run=False)
    assert result.totals["skip"] == 3 and result.totals["new"] == result.totals["update"] == 0
    assert KeyFigure.history.count() == revisions


def test_import_updates_by_issue_and_label_and_adds_new_ones(issue):
    dataset = tablib.Dataset(headers=["issue", "label", "value", "unit", "note", "position"])
    dataset.append([issue.slug, "Figure 1", "7,801", "people", "revised", 0])
    dataset.append([issue.slug, "Hotline calls received", "1377", "calls", "", 5])
    result = KeyFigureResource().import_data(dataset, dry_run=False)
    assert (result.totals["update"], result.totals["new"]) == (1, 1)
    assert KeyFigure.objects.get(issue=issue, label="Figure 1").value == 7801
    assert KeyFigure.objects.get(issue=issue, label="Hotline calls received").unit == "calls"


def test_invalid_rows_are_reported_and_nothing_is_written(issue):
    before = list(KeyFigure.objects.values_list("label", "value"))
    revisions = KeyFigure.history.count()
    dataset = tablib.Dataset(headers=["issue", "label", "value", "unit", "note", "position"])
    dataset.append([issue.slug, "Figure 1", "9999", "", "", 0])  # valid on its own
    dataset.append(["no-such-issue", "Figure 2", "5", "", "", 1])
    dataset.append([issue.slug, "Figure 3", "about 300", "", "", 2])
    dataset.append([issue.slug, "Figure 2", "12.34567", "", "", 1])
    result = KeyFigureResource().import_data(dataset, dry_run=False)
    # An unknown issue is found while looking the row up (an error row), a bad value
    # while validating it (an invalid row); both are listed per row in the preview.
    messages = {row.number: str(row.error) for row in result.invalid_rows}
    for row in result.error_rows:
        messages[row.number] = " ".join(str(e.error) for e in row.errors)
    assert sorted(messages) == [2, 3, 4]
    assert "No issue with the slug “no-such-issue”" in messages[2]
    assert "“about 300” is not a number such as 1,650, 12.5 or 37%" in messages[3]
    assert "“12.34567” has more than 4 decimal places" in messages[4]
    assert list(KeyFigure.objects.values_list("label", "value")) == before
    assert KeyFigure.history.count() == revisions


def test_admin_export_and_import_pages(staff_client, issue):
    export = staff_client.post(
        reverse("admin:newsletters_keyfigure_export"),
        {"format": "0", "resource": "0", **{f"keyfigureresource_{f}": "on" for f in (
            "issue", "label", "value", "unit", "note", "position")}},
    )  # fmt: skip
    assert export.status_code == 200
    sheet = export.content.decode()
    assert sheet.splitlines()[0] == "issue,label,value,unit,note,position"
    assert f"{issue.slug},Figure 1,1000" in sheet
    preview = staff_client.post(
        reverse("admin:newsletters_keyfigure_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("k.csv", export.content),
        },
    )
    assert preview.status_code == 200
    assert preview.context["result"].totals["skip"] == 3

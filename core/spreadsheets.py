"""Admin spreadsheets: exports that cannot carry a live formula (CSV/formula injection),
and export filters that cannot raise a 500.

A person's role "=HYPERLINK(...)" exported as it is would run when staff open the sheet.
Phone numbers ("+996 555 12 34 56") and negative numbers ("-5") start with a formula
character too but must stay usable, so they are left alone: a cell made only of digits,
spaces, ( ) . - / and line breaks between numbers can call no function.

- CSV: a cell starting with = + - @ tab or carriage return, and not a phone number,
  gets a leading apostrophe (OWASP's advice; spreadsheets show it as text).
- XLSX: cells are typed, so only text starting with "=" would be stored as a formula;
  such a cell is written as text (with Excel's quote prefix) and keeps all its characters.

`SafeCSV` and `SafeXLSX` replace django-import-export's CSV and XLSX formats in every
admin with spreadsheets (`SpreadsheetMixin`); `escape_formula` serves any other CSV the
site writes. The export page takes the change list's filters from its URL: filters that
do not apply ("?year=²", a field the model lacks) are a 404, not a database error.

The resources and widgets every app's sheets are built from: `AllOrNothingResource` (a
sheet with one bad row writes nothing), `NaturalKeyWidget` (a foreign key by a natural
key, an unknown one a clear row error) and `WholeNumberWidget` ("7,801").
"""

import io
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.db import transaction
from django.http import Http404
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.widgets import ForeignKeyWidget, IntegerWidget

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_NUMBER = re.compile(r"^\+?[0-9 ()./\-]+(?:[\n;,]+ *\+?[0-9 ()./\-]+)*$")
MIN_PHONE_DIGITS = 5
NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)*$")


def is_phone_number(text: str) -> bool:
    return bool(PHONE_NUMBER.match(text)) and sum(c.isdigit() for c in text) >= MIN_PHONE_DIGITS


def escape_formula(value):
    """`value` as a CSV cell no spreadsheet reads as a formula; other types unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if value[0] in "+-" and (is_phone_number(value) or NUMBER.match(value)):
        return value
    return f"'{value}"


class SafeCSV(CSV):
    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(
            *([escape_formula(cell) for cell in row] for row in dataset),
            headers=dataset.headers,
            title=dataset.title,
        )
        return super().export_data(safe, **kwargs)


class SafeXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        from openpyxl import load_workbook

        data = super().export_data(dataset, **kwargs)
        book = load_workbook(io.BytesIO(data))
        changed = False
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
                        cell.quotePrefix = True
                        changed = True
        if not changed:
            return data
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


class SpreadsheetMixin(ImportExportMixin):
    """django-import-export's admin with the safe formats and filters checked."""

    formats = [SafeCSV, SafeXLSX, JSON]

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except (IncorrectLookupParameters, FieldError, ValidationError, ValueError) as exc:
            raise Http404("These filters do not apply to this list.") from exc


# --- django-import-export resources and widgets ------------------------------------


class WholeNumberWidget(IntegerWidget):
    """A whole number, with commas allowed ("7,801"); anything else is a row error that
    says which value is wrong (a ValueError becomes a per-row validation message)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = str(value).replace(",", "").replace("\u00a0", "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a whole number.") from None
        if number != number.to_integral_value():
            raise ValueError(f"“{value}” is not a whole number.")
        return int(number)


class NaturalKeyWidget(ForeignKeyWidget):
    """A foreign key given by a natural key; an unknown one is a clear row error."""

    def __init__(self, model, field, what):
        super().__init__(model, field=field)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.what} “{value}”.") from None


class AllOrNothingResource(resources.ModelResource):
    """A sheet with any invalid row writes nothing at all, not only the valid rows.

    The library rolls back on errors but keeps the valid rows when others fail
    validation; the admin never confirms such a sheet, and other callers should not
    half-import one either."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        with transaction.atomic():
            result = super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
            )
            if result.has_validation_errors() or result.has_errors():
                transaction.set_rollback(True)
        return result

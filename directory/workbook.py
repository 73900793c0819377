"""The whole directory as one spreadsheet: countries, offices (with their e-mails),
people and hotlines together.

Export: one XLSX workbook, a sheet per kind, in the columns of directory/resources.py.
Import reads that workbook, a zip of one CSV per sheet (countries.csv, offices.csv,
people.csv, hotlines.csv), or the public directory.csv (a `type` column per row), and
writes all sheets or nothing: one transaction, rolled back if any row of any sheet is
wrong. Countries may be given by ISO code or by name; a country named in another sheet
but missing from the countries sheet is an error of that row, as in the single-sheet
imports. A file that is none of these is a WorkbookError with a message, not a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.db import transaction

from .models import Country
from .resources import CountryResource, HotlineResource, OfficeResource, PersonResource

SHEETS = {
    "countries": CountryResource,
    "offices": OfficeResource,
    "people": PersonResource,
    "hotlines": HotlineResource,
}
MAX_BYTES = 10 * 1024 * 1024
# The directory has hundreds of rows; more than this in a sheet is not a directory (and a
# small XLSX can unpack to millions of rows).
MAX_ROWS = 20_000
# What directory/exports.py writes before a cell a spreadsheet would take for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class WorkbookError(ValueError):
    """A file that is not a directory workbook, said in a sentence for the user."""


@dataclass
class SheetReport:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


# --- export --------------------------------------------------------------------------


def export_workbook() -> bytes:
    """The directory as XLSX bytes, one sheet per kind."""
    book = tablib.Databook()
    for name, resource in SHEETS.items():
        data = resource().export()
        data.title = name
        book.add_sheet(data)
    return book.export("xlsx")


# --- reading a file ------------------------------------------------------------------


def _unprotect(value):
    """A cell as the user meant it: without the apostrophe that keeps it from being
    read as a formula (directory/exports.py)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _csv_rows(raw: bytes, what: str) -> list[dict]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookError(f"{what} is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise WorkbookError(f"{what} is empty.")
    rows = []
    for row in reader:
        if len(rows) == MAX_ROWS:
            raise WorkbookError(f"{what} has more than {MAX_ROWS:,} rows.")
        rows.append({(k or "").strip().lower(): _unprotect(v) for k, v in row.items() if k})
    return rows


def _xlsx_sheets(raw: bytes) -> dict[str, list[dict]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError("The file is not a readable XLSX workbook.") from None
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise WorkbookError(f"Sheet “{sheet.title}” has more than {MAX_ROWS:,} rows.")
        if not rows:
            continue
        header = [str(h or "").strip().lower() for h in rows[0]]
        sheets[sheet.title.strip().lower()] = [
            {h: _unprotect(v) for h, v in zip(header, row, strict=False) if h}
            for row in rows[1:]
            if any(v not in (None, "") for v in row)
        ]
    return sheets


def _zip_sheets(raw: bytes) -> dict[str, list[dict]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise WorkbookError("The file is not a readable zip.") from None
    sheets = {}
    with archive:
        for info in archive.infolist():
            stem = info.filename.rsplit("/", 1)[-1].lower().removesuffix(".csv")
            if stem in SHEETS and info.filename.lower().endswith(".csv"):
                if info.file_size > MAX_BYTES:
                    raise WorkbookError(f"{info.filename} is larger than 10 MB.")
                sheets[stem] = _csv_rows(archive.read(info), info.filename)
    return sheets


def _from_directory_csv(rows: list[dict]) -> dict[str, list[dict]]:
    """The public directory.csv (one row per hotline, office e-mail and person) as
    sheets. Its countries are names; its people's phones are joined with "; "."""
    offices: dict[tuple, dict] = {}
    sheets: dict[str, list[dict]] = {"countries": [], "people": [], "hotlines": []}
    countries = {}
    for n, row in enumerate(rows, start=2):
        kind, country = (row.get("type") or "").strip(), (row.get("country") or "").strip()
        if country:
            countries.setdefault(country.lower(), {"name": country})
        if kind == "hotline":
            # No position column: the order of a country's rows is its hotlines' order.
            position = sum(1 for h in sheets["hotlines"] if h["country"] == country)
            sheets["hotlines"].append({
                "country": country, "number": row.get("phone", ""),
                "e164": row.get("e164", ""), "note": row.get("note", ""), "position": position,
            })  # fmt: skip
        elif kind == "office":
            office = offices.setdefault(
                (country, row.get("name", "")),
                {"country": country, "name": row.get("name", ""), "emails": []},
            )
            if row.get("email"):
                office["emails"].append(row["email"])
        elif kind == "person":
            phones = [p.strip() for p in (row.get("phone") or "").split(";") if p.strip()]
            sheets["people"].append({
                "name": row.get("name", ""), "role": row.get("role", ""), "country": country,
                "phones": "\n".join(phones), "email": row.get("email", ""),
            })  # fmt: skip
        else:
            raise WorkbookError(f"directory.csv line {n}: unknown type “{kind}”.")
    sheets["offices"] = [{**o, "emails": ", ".join(o["emails"])} for o in offices.values()]
    # Countries by name: those already known keep their code, new ones need a code.
    sheets["countries"] = [
        c for c in countries.values() if not Country.objects.filter(name__iexact=c["name"])
    ]
    return sheets


def read_sheets(name: str, raw: bytes) -> dict[str, list[dict]]:
    """The sheets of an uploaded file, by kind."""
    if len(raw) > MAX_BYTES:
        raise WorkbookError("The file is larger than 10 MB.")
    lower = name.lower()
    if raw.startswith(b"PK") and lower.endswith(".xlsx"):
        sheets = _xlsx_sheets(raw)
    elif raw.startswith(b"PK"):
        sheets = _zip_sheets(raw)
    elif lower.endswith(".csv"):
        rows = _csv_rows(raw, name)
        if rows and "type" in rows[0]:
            sheets = _from_directory_csv(rows)
        else:
            raise WorkbookError(
                f"{name} is a single CSV without a “type” column: import it on the page of its "
                "own kind, or upload the whole workbook."
            )
    else:
        raise WorkbookError(
            f"{name} is not a directory workbook: upload the XLSX workbook, a zip of "
            "countries.csv, offices.csv, people.csv and hotlines.csv, or directory.csv."
        )
    known = {k: v for k, v in sheets.items() if k in SHEETS}
    if not known:
        raise WorkbookError(
            f"{name} has none of the sheets countries, offices, people or hotlines."
        )
    return known


# --- countries by name or code -------------------------------------------------------


def _country_codes(sheets: dict[str, list[dict]]) -> dict[str, str]:
    """Lower-case name or code -> ISO code, from the table and the countries sheet."""
    codes = {}
    for country in Country.objects.all():
        codes[country.code.lower()] = country.code
        codes[country.name.lower()] = country.code
    for row in sheets.get("countries", []):
        code, name = str(row.get("code") or "").strip(), str(row.get("name") or "").strip()
        if code:
            codes[code.lower()] = code.upper()
            if name:
                codes[name.lower()] = code.upper()
    return codes


def _with_codes(rows: list[dict], codes: dict[str, str]) -> list[dict]:
    out = []
    for row in rows:
        value = str(row.get("country") or "").strip()
        out.append({**row, "country": codes.get(value.lower(), value)})
    return out


def _countries_with_codes(rows: list[dict]) -> list[dict]:
    """A countries row given by name only takes the code the table has for that name,
    or the one the archive importer knows for it (Kazakhstan, Kazakstan... -> KZ)."""
    from newsletters.importing.countries import country_code

    known = {c.name.lower(): c.code for c in Country.objects.all()}
    out = []
    for row in rows:
        name = str(row.get("name") or "").strip()
        code = row.get("code") or known.get(name.lower()) or country_code(name) or ""
        out.append({**row, "code": code})
    return out


# --- import --------------------------------------------------------------------------


def _dataset(resource, rows: list[dict]) -> tablib.Dataset:
    # Only the columns the file has: a missing one keeps its default (or stored value).
    headers = [h for h in resource._meta.fields if any(h in row for row in rows)]
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(["" if row.get(h) is None else row.get(h) for h in headers])
    return data


def _row_errors(result) -> list[str]:
    messages = []
    for invalid in result.invalid_rows:
        for field_name, errors in invalid.error_dict.items():
            messages.append(f"row {invalid.number}: {field_name}: {' '.join(errors)}")
    for number, errors in result.row_errors():
        messages += [f"row {number}: {e.error}" for e in errors]
    return messages


def import_workbook(name: str, raw: bytes, *, dry_run: bool = False) -> list[SheetReport]:
    """Import every sheet of the file, all or nothing. Raises WorkbookError for a file
    that is not a workbook; row errors are in the reports (and nothing is written)."""
    sheets = read_sheets(name, raw)
    reports = []
    with transaction.atomic():
        if "countries" in sheets:
            sheets["countries"] = _countries_with_codes(sheets["countries"])
        codes = _country_codes(sheets)
        for kind, resource_class in SHEETS.items():
            if kind not in sheets:
                continue
            rows = sheets[kind] if kind == "countries" else _with_codes(sheets[kind], codes)
            resource = resource_class()
            result = resource.import_data(
                _dataset(resource, rows), dry_run=False, raise_errors=False
            )
            totals = result.totals
            reports.append(
                SheetReport(
                    kind, new=totals.get("new", 0), updated=totals.get("update", 0),
                    unchanged=totals.get("skip", 0), errors=_row_errors(result),
                )  # fmt: skip
            )
        if dry_run or any(r.errors for r in reports):
            transaction.set_rollback(True)
    return reports

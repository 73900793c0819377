"""The whole directory as CSV, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would be read as a
formula by Excel or LibreOffice; such cells get a leading apostrophe (OWASP's advice),
except phone numbers such as "+992 ...", which can call no function and must stay
usable (the rule is core.spreadsheets.escape_formula, shared with the admin exports).
"""

import csv

from core.spreadsheets import escape_formula

HEADER = ["type", "country", "name", "role", "phone", "e164", "email", "note",
          "last_confirmed_in"]  # fmt: skip


def safe_cell(value) -> str:
    return escape_formula("" if value is None else str(value))


def _seen(entry) -> str:
    issue = entry.last_seen_in
    return issue.title if issue is not None and issue.is_live else ""


def directory_rows(countries):
    """Header, then hotlines, office e-mails and people, country by country."""
    yield HEADER
    for country in countries:
        for h in country.hotlines.all():
            yield ["hotline", country.name, "", "", h.number, h.e164, "", h.note, _seen(h)]
        for o in country.offices.all():
            for e in o.emails.all():
                yield ["office", country.name, o.name, "", "", "", e.address, "", _seen(o)]
        for p in country.people.all():
            yield ["person", country.name, p.name, p.role, "; ".join(p.phone_list), "",
                   p.email, "", _seen(p)]  # fmt: skip


def write_directory_csv(countries, out) -> None:
    writer = csv.writer(out)
    for row in directory_rows(countries):
        writer.writerow([safe_cell(cell) for cell in row])

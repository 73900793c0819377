"""The whole directory as CSV, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would be read as a
formula by Excel or LibreOffice; such cells get a leading apostrophe (OWASP's advice).
Phone numbers are the exception: "+992 900 800 800" and "+992900800800" stay as they
are, real E.164 strings for whatever reads the file. A cell of only digits, spaces,
dots, brackets and hyphens after its "+" can call no function in a spreadsheet.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_RE = re.compile(r"\+\d[\d .()-]{3,30}")




def is_phone_number(text: str) -> bool:
    """A number such as "+992 900 800 800", or several joined by "; " (a person's)."""
    return all(
        PHONE_RE.fullmatch(part) and sum(ch.isdigit() for ch in part) >= 5
        for part in text.split("; ")
    )


HEADER = ["type", "country", "name", "role", "phone", "e164", "email", "note",
          "last_confirmed_in"]  # fmt: skip


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not is_phone_number(text):
        return f"'{text}"
    return text


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

"""The directory as an issue printed it, ready for a template.

`Issue.directory_snapshot` is plain JSON written by the importer. Here it gets country
names (one query for all countries) and the `tel:` values the page links to; entries
are grouped by country with hotlines first, as on the directory page.
"""

from dataclasses import dataclass, field

from directory.models import Country
from directory.phones import dial_href


@dataclass
class SnapshotCountry:
    code: str
    name: str
    hotlines: list[dict] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _phone(number: str, code: str) -> dict:
    return {"number": number, "tel": dial_href(number, code)}


def snapshot_countries(snapshot) -> list[SnapshotCountry]:
    """Countries of the snapshot in print order; malformed entries are skipped."""
    if not isinstance(snapshot, dict):
        return []
    names = dict(Country.objects.values_list("code", "name"))
    countries: dict[str, SnapshotCountry] = {}

    def country(code) -> SnapshotCountry:
        code = _text(code).upper()
        if code not in countries:
            countries[code] = SnapshotCountry(code, names.get(code, code or "Other contacts"))
        return countries[code]

    for item in snapshot.get("hotlines") or []:
        if isinstance(item, dict) and _text(item.get("number")):
            code = _text(item.get("country")).upper()
            entry = _phone(_text(item["number"]), code)
            entry["note"] = _text(item.get("note"))
            country(code).hotlines.append(entry)
    for item in snapshot.get("offices") or []:
        if isinstance(item, dict):
            emails = [_text(e) for e in item.get("emails") or [] if _text(e)]
            country(item.get("country")).emails.extend(emails)
    for item in snapshot.get("people") or []:
        if isinstance(item, dict) and _text(item.get("name")):
            code = _text(item.get("country")).upper()
            phones = item.get("phones") or []
            if isinstance(phones, str):
                phones = phones.splitlines()
            country(code).people.append(
                {
                    "name": _text(item["name"]),
                    "role": _text(item.get("role")),
                    "phones": [_phone(_text(p), code) for p in phones if _text(p)],
                    "email": _text(item.get("email")),
                }
            )
    return list(countries.values())

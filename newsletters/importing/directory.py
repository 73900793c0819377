"""The archive's directory entries, matched against the database and merged.

`plan_directory` matches every parsed entry (offices and their e-mails, hotlines, people)
with its row in one query per kind; `merge_directory` writes the plan. An imported issue
only *proposes* its entries: new ones are created as proposals and every entry is listed
as printed by the issue; their values and `last_seen_in` change only when the issue is
published (newsletters/publishing.py calls `merge_directory(..., apply=True)`), and only
where it is the newest published issue to print them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import F, Q

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from directory.phones import digits_key, to_e164
from newsletters.models import Issue

from . import countries as country_table
from .bulk import Deferred

if TYPE_CHECKING:
    from .loader import BatchCache
    from .parser import ParsedDirectory, ParsedIssue


def clip(value: str | None, model, field_name: str) -> str:
    """Text cut to the column's max_length: PostgreSQL rejects longer values."""
    value = (value or "").strip()
    max_length = model._meta.get_field(field_name).max_length
    return value[:max_length] if max_length else value


# Of the issue a directory entry was last seen in, the merge needs only the archive
# order. Annotated on the entry's own query: joining the whole Issue row (select_related)
# made each of these queries about 60% slower to build and read, per imported file.
LAST_SEEN_ORDER = {
    "seen_date": F("last_seen_in__publication_date"),
    "seen_number": F("last_seen_in__number"),
}


def _last_seen(row) -> Issue | None:
    """The issue a directory row was last seen in, holding just its archive order."""
    if row.last_seen_in_id is None:
        return None
    return Issue(pk=row.last_seen_in_id, publication_date=row.seen_date, number=row.seen_number)


def _is_newer(issue: Issue, seen: Issue | None) -> bool:
    """True when `issue` should replace `seen` as an entry's last_seen_in."""
    if seen is None:
        return True
    if seen.pk == issue.pk:
        return False
    # Ties go to the issue being imported: it is the latest confirmation.
    return issue.sort_key >= seen.sort_key


def _valid_email(address: str | None) -> str | None:
    address = (address or "").strip().lower()
    if not address:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def _country_name(code: str) -> str:
    known = country_table.BY_CODE.get(code)
    return known.name if known else code


# --- directory -----------------------------------------------------------------------


@dataclass
class DirectoryPlan:
    """The parsed directory matched against the database, before anything is written."""

    countries: dict[str, Country | None]  # code -> row, None when it would be new
    offices: dict[str, Office | None]  # country code -> the country's office
    emails: dict[str, tuple[str, OfficeEmail | None]]  # address -> (country code, row)
    hotlines: dict[str, tuple[object, Hotline | None]]  # digits -> (ParsedHotline, row)
    people: list[tuple[object, str | None, Person | None]]  # (ParsedPerson, email, row)
    warnings: list[str] = field(default_factory=list)

    def creates_rows(self) -> bool:
        """Whether writing the plan adds rows: a country, office, address, hotline or
        person no row was found for."""
        return (
            any(row is None for row in self.countries.values())
            or any(row is None for row in self.offices.values())
            or any(row is None for _code, row in self.emails.values())
            or any(row is None for _hotline, row in self.hotlines.values())
            or any(row is None for _person, _email, row in self.people)
        )

    def changes(self) -> dict:
        """Display strings of new and already known entries, for the admin preview."""

        def split(items):
            new, known = [], []
            for label, row in items:
                (known if row is not None else new).append(label)
            return {"new": new, "known": known}

        return {
            "countries": split(
                (f"{_country_name(c)} ({c})", row) for c, row in self.countries.items()
            ),
            "offices": split(
                (f"{_country_name(code)}: {address}", row)
                for address, (code, row) in self.emails.items()
            ),
            "hotlines": split(
                (
                    f"{_country_name(h.country)}: {h.number}" + (f" ({h.note})" if h.note else ""),
                    row,
                )
                for h, row in self.hotlines.values()
            ),
            "people": split(
                (f"{p.name}" + (f", {p.role}" if p.role else ""), row)
                for p, _email, row in self.people
            ),
        }


def story_codes(parsed: ParsedIssue) -> set[str]:
    return {
        code.upper()
        for section in parsed.sections
        for story in section.stories
        for code in story.countries
        if code
    }


def plan_directory(
    directory: ParsedDirectory, story_codes: Iterable[str], cache: BatchCache | None = None
) -> DirectoryPlan:
    """Match every parsed entry with its row, in one query per kind of entry."""
    warnings: list[str] = []
    codes = {c.upper() for c in story_codes}
    for item in (*directory.offices, *directory.hotlines):
        codes.add(item.country.upper())
    codes.update(p.country.upper() for p in directory.people if p.country)
    codes = {c for c in codes if len(c) == 2 and c.isalpha() and c.isascii()}
    known = dict(cache.countries) if cache else {}
    if codes - known.keys():
        for country in Country.objects.filter(code__in=codes - known.keys()).order_by():
            known[country.code] = country
            if cache is not None:
                cache.countries[country.code] = country
    countries = {code: known.get(code) for code in sorted(codes)}

    emails: dict[str, tuple[str, OfficeEmail | None]] = {}
    for office in directory.offices:
        for raw in office.emails:
            address = _valid_email(raw)
            if address is None:
                warnings.append(f"Directory: ignored an invalid e-mail address {raw!r}.")
            elif address not in emails:
                emails[address] = (office.country.upper(), None)
    office_codes = {code for code, _ in emails.values()} | {
        o.country.upper() for o in directory.offices
    }
    offices: dict[str, Office | None] = dict.fromkeys(sorted(office_codes))
    # Rows an earlier file of the batch committed are not looked up again (BatchCache):
    # an archive prints the same contact block in every issue.
    remembered = cache.directory if cache is not None else None
    if remembered is not None:
        for code in office_codes:
            offices[code] = remembered.offices.get(code)
    missing_offices = {code for code, row in offices.items() if row is None}
    if missing_offices:
        for office in (
            Office.objects.filter(country__code__in=missing_offices)
            .select_related("country")
            .annotate(**LAST_SEEN_ORDER)
            .order_by("pk")
        ):
            offices.setdefault(office.country.code, None)
            if offices[office.country.code] is None:
                offices[office.country.code] = office
    if remembered is not None:
        for address, (code, _row) in emails.items():
            emails[address] = (code, remembered.emails.get(address))
    missing_emails = [address for address, (_, row) in emails.items() if row is None]
    if missing_emails:
        for row in OfficeEmail.objects.filter(address__in=missing_emails).order_by():
            emails[row.address] = (emails[row.address][0], row)

    hotlines: dict[str, tuple[object, Hotline | None]] = {}
    for hotline in directory.hotlines:
        key = digits_key(hotline.number)[: Hotline._meta.get_field("digits").max_length]
        if not key:
            warnings.append(f"Directory: ignored a hotline without digits {hotline.number!r}.")
        elif key not in hotlines:
            hotlines[key] = (hotline, None)
    if remembered is not None:
        for key, (parsed_hotline, _row) in hotlines.items():
            hotlines[key] = (parsed_hotline, remembered.hotlines.get(key))
    missing_hotlines = [key for key, (_, row) in hotlines.items() if row is None]
    if missing_hotlines:
        # order_by(): the default ordering joins Country for nothing.
        for row in (
            Hotline.objects.filter(digits__in=missing_hotlines)
            .annotate(**LAST_SEEN_ORDER)
            .order_by()
        ):
            hotlines[row.digits] = (hotlines[row.digits][0], row)

    people: list[tuple[object, str | None, Person | None]] = []
    seen_people: set = set()
    for person in directory.people:
        email = _valid_email(person.email)
        key = email or (person.name.strip().lower(), (person.country or "").upper())
        if person.name.strip() and key not in seen_people:
            seen_people.add(key)
            people.append((person, email, None))
    if people:
        by_email, by_name = {}, {}
        condition = Q(email__in=[e for _, e, _ in people if e]) | Q(
            name__in=[p.name.strip() for p, _, _ in people]
        )
        people_rows = (
            Person.objects.filter(condition)
            .select_related("country")
            .annotate(**LAST_SEEN_ORDER)
        )
        for row in people_rows.order_by():
            if row.email:
                by_email[row.email.lower()] = row
            by_name[(row.name, row.country.code if row.country else None)] = row
        people = [
            (
                p,
                email,
                by_email.get(email)
                or by_name.get((p.name.strip(), p.country.upper() if p.country else None)),
            )
            for p, email, _ in people
        ]
    return DirectoryPlan(countries, offices, emails, hotlines, people, warnings)


# The key of the PostgreSQL advisory lock below: any fixed number, the same in every
# process that writes directory rows.
DIRECTORY_LOCK = 0x6E657773  # "news"


def lock_directory() -> bool:
    """Hold, until the current transaction ends, the lock every directory writer takes:
    an import that adds entries, publishing and unpublishing. Whether it was taken (only
    PostgreSQL has the lock; SQLite's writers already take turns, each transaction
    starting with the database's write lock: config/settings.py).

    A person has no unique key a second process would trip over (two "A. Karimova" may
    be two people in two countries), and publishing decides which issue is the newest
    to print an entry from rows it read: without the lock, two import processes
    (``--jobs``) or an import beside a publisher could both add the same person, or
    leave an older issue's values on an entry. Rows looked up before the lock was
    taken must be looked up again: what another process committed meanwhile is seen
    by the statements run after it."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DIRECTORY_LOCK])
    return True


class KnownRows:
    """Directory rows committed by earlier files of a batch, by the keys plan_directory
    matches them on (BatchCache.directory). Only their primary keys are relied on: the
    loader lists a draft's entries and changes none of them (``apply=False``); publishing
    plans afresh, without this cache."""

    def __init__(self):
        self.offices: dict[str, Office] = {}  # country code -> office
        self.emails: dict[str, OfficeEmail] = {}  # address -> row
        self.hotlines: dict[str, Hotline] = {}  # digits -> row

    def remember(self, plan: DirectoryPlan) -> None:
        """After the transaction that wrote ``plan`` committed (its new rows included)."""
        self.offices.update((c, row) for c, row in plan.offices.items() if row is not None)
        self.emails.update((a, row) for a, (_, row) in plan.emails.items() if row is not None)
        self.hotlines.update((k, row) for k, (_, row) in plan.hotlines.items() if row is not None)

    def forget(self) -> bool:
        """Drop everything (a row may have been deleted meanwhile); whether anything was
        remembered."""
        had = bool(self.offices or self.emails or self.hotlines)
        self.offices, self.emails, self.hotlines = {}, {}, {}
        return had


def ensure_countries(plan: DirectoryPlan) -> dict[str, Country]:
    missing = [code for code, row in plan.countries.items() if row is None]
    for code in missing:
        # get_or_create, not create: another import may have added it meanwhile.
        plan.countries[code], _ = Country.objects.get_or_create(
            code=code, defaults={"name": _country_name(code)}
        )
    return plan.countries  # type: ignore[return-value]


def add_listings(issue: Issue, rows_by_model: dict, defer: Deferred | None = None) -> None:
    """Record that `issue` prints these rows (one INSERT per kind; repeats are ignored).
    With ``defer`` the INSERTs are queued there, to go with the file's other rows."""
    for model, pks in rows_by_model.items():
        if pks:
            through = model.listed_in.through
            own = f"{model._meta.model_name}_id"
            rows = [through(**{own: pk, "issue_id": issue.pk}) for pk in dict.fromkeys(pks)]
            if defer is not None:
                defer.add(through, rows, ignore_conflicts=True)
            else:
                through.objects.bulk_create(rows, ignore_conflicts=True)


def merge_directory(
    plan: DirectoryPlan,
    issue: Issue,
    countries: dict[str, Country],
    *,
    apply: bool = True,
    defer: Deferred | None = None,
) -> None:
    """Write the planned directory.

    Entries new to the database are created as proposals and every entry is listed as
    printed by `issue`; nothing public changes unless `apply`. With `apply` (the issue is
    being published) the entries of which it is the newest published issue take its
    values and their `last_seen_in` (see newsletters/publishing.py).
    """
    seen_in = issue if apply else None
    # Offices: one per country, holding that country's e-mail addresses.
    touched_offices = []
    for code, office in plan.offices.items():
        if office is None:
            name = clip(f"IOM mission in {countries[code].name}", Office, "name")
            office, created = Office.objects.get_or_create(
                country=countries[code], name=name,
                defaults={"last_seen_in": seen_in, "proposed": True},
            )  # fmt: skip
            plan.offices[code] = office
            if not created and apply and _is_newer(issue, office.last_seen_in):
                touched_offices.append(office.pk)
        elif apply and _is_newer(issue, _last_seen(office)):
            touched_offices.append(office.pk)
    if touched_offices:
        Office.objects.filter(pk__in=touched_offices).update(last_seen_in=issue)
    new_emails, positions = [], {}
    for address, (code, row) in plan.emails.items():
        positions[code] = positions.get(code, -1) + 1
        if row is None:
            new_emails.append(
                OfficeEmail(
                    office=plan.offices[code], address=address, position=positions[code],
                    proposed=True,
                )  # fmt: skip
            )
    if new_emails:
        OfficeEmail.objects.bulk_create(new_emails)
        for row in new_emails:  # the plan now holds every row it lists
            plan.emails[row.address] = (plan.emails[row.address][0], row)

    # Hotlines: one row per number (its digits); printed form and note follow the newest.
    new_hotlines, changed_hotlines, confirmed_hotlines = [], [], []
    for position, (key, (parsed, row)) in enumerate(plan.hotlines.items()):
        number = clip(parsed.number, Hotline, "number")
        note = clip(parsed.note, Hotline, "note")
        country = countries[parsed.country.upper()]
        e164 = clip(parsed.e164 or to_e164(number, country.code), Hotline, "e164")
        if row is None:
            new_hotlines.append(
                Hotline(
                    country=country, number=number, digits=key, note=note, e164=e164,
                    position=position, last_seen_in=seen_in, proposed=True,
                )  # fmt: skip
            )
        elif not apply:
            continue  # a draft's version of a known entry waits for its publication
        elif _is_newer(issue, _last_seen(row)):
            # A later issue that prints the bare number keeps the note an earlier one gave.
            fields = (number, note or row.note, e164 or row.e164)
            if fields == (row.number, row.note, row.e164):
                confirmed_hotlines.append(row.pk)  # the common case: one cheap UPDATE
            else:
                row.number, row.note, row.e164 = fields
                row.last_seen_in = issue
                changed_hotlines.append(row)
        elif not row.note and note:
            row.note = note
            changed_hotlines.append(row)
    if new_hotlines:
        Hotline.objects.bulk_create(new_hotlines)
        for row in new_hotlines:
            plan.hotlines[row.digits] = (plan.hotlines[row.digits][0], row)
    if changed_hotlines:
        Hotline.objects.bulk_update(changed_hotlines, ["last_seen_in", "number", "note", "e164"])
    if confirmed_hotlines:
        Hotline.objects.filter(pk__in=confirmed_hotlines).update(last_seen_in=issue)

    # People: matched by e-mail, else by name and country.
    new_people, changed_people, confirmed_people = [], [], []
    for parsed, email, row in plan.people:
        country = countries.get(parsed.country.upper()) if parsed.country else None
        phones = clip("\n".join(p.strip() for p in parsed.phones if p.strip()), Person, "phones")
        if row is None:
            new_people.append(
                Person(
                    name=clip(parsed.name, Person, "name"),
                    role=clip(parsed.role, Person, "role"),
                    country=country,
                    phones=phones,
                    email=email or "",
                    last_seen_in=seen_in,
                    proposed=True,
                )
            )
        elif apply and _is_newer(issue, _last_seen(row)):
            fields = (
                clip(parsed.role, Person, "role") or row.role,
                phones or row.phones,
                row.email or email or "",
                row.country or country,
            )
            if fields == (row.role, row.phones, row.email, row.country):
                confirmed_people.append(row.pk)
            else:
                row.role, row.phones, row.email, row.country = fields
                row.last_seen_in = issue
                changed_people.append(row)
    if new_people:
        Person.objects.bulk_create(new_people)
    if confirmed_people:
        Person.objects.filter(pk__in=confirmed_people).update(last_seen_in=issue)
    if changed_people:
        Person.objects.bulk_update(
            changed_people, ["last_seen_in", "role", "phones", "email", "country"]
        )
    add_listings(
        issue,
        defer=defer,
        rows_by_model={
            Office: [o.pk for o in plan.offices.values() if o is not None],
            OfficeEmail: [row.pk for _, row in plan.emails.values() if row is not None],
            Hotline: [row.pk for _, row in plan.hotlines.values() if row is not None],
            Person: [row.pk for _, _, row in plan.people if row is not None]
            + [p.pk for p in new_people],
        },
    )

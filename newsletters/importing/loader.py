"""Loader: parsed dataclasses -> models, one transaction per file, idempotent.

`load_issue()` writes one parsed issue; `import_sources()` is the batch loop the
management command, the admin page and `load_demo` share. The batch streams: one
file is read, parsed, written and forgotten before the next, so memory does not grow
with the archive.

Rules (issue 3):
- the same bytes again (same SHA-256) change nothing: "unchanged";
- a new version of an issue already imported (same series and number, or the same
  source name) replaces its contents only while it is a draft nobody edited in the
  admin; otherwise it is "skipped", never overwritten;
- directory entries are merged (one Country per code, one Office per country, one row
  per e-mail address, person and hotline number) as *proposals* listed by the issue:
  nothing public changes until the issue is published, and then only where it is the
  newest published issue to print them (`last_seen_in`; newsletters/publishing.py).

Queries per file stay a small constant: look-ups are batched with `__in`, rows are
written with `bulk_create` / `bulk_update`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import F, Q

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from directory.phones import digits_key, to_e164
from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story, unique_slug

from . import countries as country_table
from .parser import ParseError, parse
from .reader import Limits, SourceError, SourceText, iter_sources

if TYPE_CHECKING:
    from .parser import ParsedDirectory, ParsedIssue

logger = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "unchanged", "skipped"]


@dataclass
class LoadResult:
    """What happened (or, in a dry run, would happen) to one parsed issue."""

    outcome: Outcome
    issue: Issue | None
    message: str


@dataclass
class FileReport:
    """One file of a batch: an error, or what the loader did with its issue."""

    path: str
    status: Literal["ok", "error"]
    error: str | None = None
    parsed: ParsedIssue | None = None
    result: LoadResult | None = None
    directory_changes: dict | None = None

    @property
    def outcome(self) -> Outcome | None:
        return self.result.outcome if self.result else None

    @property
    def warnings(self) -> list[str]:
        return list(self.parsed.warnings) if self.parsed else []

    def as_json(self) -> dict:
        """The documented `--dry-run --json` entry: path, status, error, issue."""
        return {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "issue": self.parsed.to_dict() if self.parsed is not None else None,
        }


def source_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def limits_from_settings() -> Limits:
    return Limits(
        max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
        max_zip_entries=settings.IMPORT_MAX_ZIP_ENTRIES,
        max_zip_bytes=settings.IMPORT_MAX_ZIP_BYTES,
    )


class BatchCache:
    """Countries and series already committed, shared by the files of one batch.

    Only rows known to be in the database outside any rolled-back transaction go in:
    rows a file creates are added after its transaction succeeded.
    """

    def __init__(self):
        self.countries: dict[str, Country] = {}
        self.series: dict[str, Series] = {}


# --- small helpers -------------------------------------------------------------------


def _clip(value: str | None, model, field_name: str) -> str:
    """Text cut to the column's max_length: PostgreSQL rejects longer values."""
    value = (value or "").strip()
    max_length = model._meta.get_field(field_name).max_length
    return value[:max_length] if max_length else value


# Of the issue a directory entry was last seen in, the loader needs only the archive
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
class _DirectoryPlan:
    """The parsed directory matched against the database, before anything is written."""

    countries: dict[str, Country | None]  # code -> row, None when it would be new
    offices: dict[str, Office | None]  # country code -> the country's office
    emails: dict[str, tuple[str, OfficeEmail | None]]  # address -> (country code, row)
    hotlines: dict[str, tuple[object, Hotline | None]]  # digits -> (ParsedHotline, row)
    people: list[tuple[object, str | None, Person | None]]  # (ParsedPerson, email, row)
    warnings: list[str] = field(default_factory=list)

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


def _story_codes(parsed: ParsedIssue) -> set[str]:
    return {
        code.upper()
        for section in parsed.sections
        for story in section.stories
        for code in story.countries
        if code
    }


def _plan_directory(
    directory: ParsedDirectory, story_codes: Iterable[str], cache: BatchCache | None = None
) -> _DirectoryPlan:
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
    if office_codes:
        for office in (
            Office.objects.filter(country__code__in=office_codes)
            .select_related("country")
            .annotate(**LAST_SEEN_ORDER)
            .order_by("pk")
        ):
            offices.setdefault(office.country.code, None)
            if offices[office.country.code] is None:
                offices[office.country.code] = office
    if emails:
        for row in OfficeEmail.objects.filter(address__in=list(emails)).order_by():
            emails[row.address] = (emails[row.address][0], row)

    hotlines: dict[str, tuple[object, Hotline | None]] = {}
    for hotline in directory.hotlines:
        key = digits_key(hotline.number)[: Hotline._meta.get_field("digits").max_length]
        if not key:
            warnings.append(f"Directory: ignored a hotline without digits {hotline.number!r}.")
        elif key not in hotlines:
            hotlines[key] = (hotline, None)
    if hotlines:
        # order_by(): the default ordering joins Country for nothing.
        for row in (
            Hotline.objects.filter(digits__in=list(hotlines))
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
    return _DirectoryPlan(countries, offices, emails, hotlines, people, warnings)


def _ensure_countries(plan: _DirectoryPlan) -> dict[str, Country]:
    missing = [code for code, row in plan.countries.items() if row is None]
    for code in missing:
        # get_or_create, not create: another import may have added it meanwhile.
        plan.countries[code], _ = Country.objects.get_or_create(
            code=code, defaults={"name": _country_name(code)}
        )
    return plan.countries  # type: ignore[return-value]


def _add_listings(issue: Issue, rows_by_model: dict) -> None:
    """Record that `issue` prints these rows (one INSERT per kind; repeats are ignored)."""
    for model, pks in rows_by_model.items():
        if pks:
            through = model.listed_in.through
            own = f"{model._meta.model_name}_id"
            through.objects.bulk_create(
                [through(**{own: pk, "issue_id": issue.pk}) for pk in dict.fromkeys(pks)],
                ignore_conflicts=True,
            )


def _merge_directory(
    plan: _DirectoryPlan, issue: Issue, countries: dict[str, Country], *, apply: bool = True
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
            name = _clip(f"IOM mission in {countries[code].name}", Office, "name")
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
    new_emails, listed_emails, positions = [], [], {}
    for address, (code, row) in plan.emails.items():
        positions[code] = positions.get(code, -1) + 1
        if row is None:
            new_emails.append(
                OfficeEmail(
                    office=plan.offices[code], address=address, position=positions[code],
                    proposed=True,
                )  # fmt: skip
            )
        else:
            listed_emails.append(row.pk)
    if new_emails:
        OfficeEmail.objects.bulk_create(new_emails)

    # Hotlines: one row per number (its digits); printed form and note follow the newest.
    new_hotlines, changed_hotlines, confirmed_hotlines = [], [], []
    for position, (key, (parsed, row)) in enumerate(plan.hotlines.items()):
        number = _clip(parsed.number, Hotline, "number")
        note = _clip(parsed.note, Hotline, "note")
        country = countries[parsed.country.upper()]
        e164 = _clip(parsed.e164 or to_e164(number, country.code), Hotline, "e164")
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
    if changed_hotlines:
        Hotline.objects.bulk_update(changed_hotlines, ["last_seen_in", "number", "note", "e164"])
    if confirmed_hotlines:
        Hotline.objects.filter(pk__in=confirmed_hotlines).update(last_seen_in=issue)

    # People: matched by e-mail, else by name and country.
    new_people, changed_people, confirmed_people = [], [], []
    for parsed, email, row in plan.people:
        country = countries.get(parsed.country.upper()) if parsed.country else None
        phones = _clip("\n".join(p.strip() for p in parsed.phones if p.strip()), Person, "phones")
        if row is None:
            new_people.append(
                Person(
                    name=_clip(parsed.name, Person, "name"),
                    role=_clip(parsed.role, Person, "role"),
                    country=country,
                    phones=phones,
                    email=email or "",
                    last_seen_in=seen_in,
                    proposed=True,
                )
            )
        elif apply and _is_newer(issue, _last_seen(row)):
            fields = (
                _clip(parsed.role, Person, "role") or row.role,
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
    _add_listings(
        issue,
        {
            Office: [o.pk for o in plan.offices.values() if o is not None],
            OfficeEmail: listed_emails + [e.pk for e in new_emails],
            Hotline: [row.pk for _, row in plan.hotlines.values() if row is not None]
            + [h.pk for h in new_hotlines],
            Person: [row.pk for _, _, row in plan.people if row is not None]
            + [p.pk for p in new_people],
        },
    )


# --- issue contents ------------------------------------------------------------------


def _write_contents(issue: Issue, parsed: ParsedIssue, countries: dict[str, Country]) -> None:
    """Sections, stories, photos, story countries and key figures, in bulk.

    bulk_create skips save(), so what Section.save and Story.save would do (slugs
    unique per issue, story.issue) is done here with in-memory sets.
    """
    section_slugs: set[str] = set()
    sections = [
        Section(
            issue=issue,
            title=_clip(s.title, Section, "title") or "Stories",
            slug=unique_slug(s.title or f"section {i + 1}", section_slugs.__contains__),
            position=i,
        )
        for i, s in enumerate(parsed.sections)
    ]
    for section in sections:
        section_slugs.add(section.slug)
    Section.objects.bulk_create(sections)

    story_slugs: set[str] = set()
    stories, story_sources = [], []
    for section, parsed_section in zip(sections, parsed.sections, strict=True):
        for position, parsed_story in enumerate(parsed_section.stories):
            title = _clip(parsed_story.title, Story, "title")
            slug = unique_slug(title or f"{section.title} story", story_slugs.__contains__)
            story_slugs.add(slug)
            stories.append(
                Story(
                    section=section, issue=issue, title=title, slug=slug,
                    body=parsed_story.body or "", position=position,
                )  # fmt: skip
            )
            story_sources.append(parsed_story)
    Story.objects.bulk_create(stories)

    photos, tags = [], []
    Tag = Story.countries.through
    for story, parsed_story in zip(stories, story_sources, strict=True):
        for position, photo in enumerate(parsed_story.photos):
            caption = _clip(photo.caption, Photo, "caption")
            if caption:
                photos.append(Photo(story=story, caption=caption, position=position))
        for code in dict.fromkeys(c.upper() for c in parsed_story.countries):
            if code in countries:
                tags.append(Tag(story_id=story.pk, country_id=countries[code].pk))
    if photos:
        Photo.objects.bulk_create(photos)
    if tags:
        Tag.objects.bulk_create(tags)

    figures, labels = [], set()
    for figure in parsed.key_figures:
        label = _clip(figure.label, KeyFigure, "label")
        if label and label not in labels:  # one figure per label and issue
            labels.add(label)
            figures.append(
                KeyFigure(
                    issue=issue, label=label, value=figure.value,
                    unit=_clip(figure.unit, KeyFigure, "unit"), position=len(figures),
                )  # fmt: skip
            )
    if figures:
        KeyFigure.objects.bulk_create(figures)


def _directory_dict(parsed: ParsedIssue) -> dict:
    data = parsed.to_dict().get("directory") or {}
    return {key: data.get(key, []) for key in ("offices", "hotlines", "people")}


def _describe(issue: Issue) -> str:
    number = f" no. {issue.number}" if issue.number else ""
    return f"“{issue.title}” ({issue.series}{number})"


def find_existing(parsed: ParsedIssue, series: Series | None, source_name: str) -> Issue | None:
    """The issue a new version replaces: same series and number, else same source name."""
    condition = Q(source_name=source_name) if source_name else Q(pk__in=[])
    if series is not None and parsed.number:
        condition |= Q(series=series, number=parsed.number)
    candidates = list(Issue.objects.filter(condition).select_related("series")[:2])
    for candidate in candidates:  # a series/number match wins over a file-name match
        if series is not None and (candidate.series_id, candidate.number) == (
            series.pk,
            parsed.number,
        ):
            return candidate
    return candidates[0] if candidates else None


def load_issue(
    parsed: ParsedIssue,
    *,
    source_name: str,
    source_hash: str,
    publish: bool = False,
    dry_run: bool = False,
    cache: BatchCache | None = None,
) -> LoadResult:
    """Write one parsed issue (all of it or, on any error, nothing), or say why not.

    With dry_run nothing is written and the result says what would happen.
    """
    if not parsed.series:
        raise ParseError("no series name in the file and none given (use --series)")
    series_title = _clip(parsed.series, Series, "title")
    source_name = _clip(source_name, Issue, "source_name")

    same = next(
        iter(Issue.objects.filter(source_hash=source_hash).select_related("series").order_by()[:1]),
        None,
    )
    if same is not None:
        return LoadResult("unchanged", same, f"unchanged: {_describe(same)} has this exact file")

    series = cache.series.get(series_title) if cache else None
    if series is None:
        series = Series.objects.filter(title=series_title).order_by().first()
    existing = find_existing(parsed, series, source_name)
    if existing is not None and (existing.edited_in_admin or existing.status != "draft"):
        why = "was edited in the admin" if existing.edited_in_admin else "is published"
        return LoadResult(
            "skipped",
            existing,
            f"skipped: {_describe(existing)} already exists and {why}; not overwritten",
        )
    verb = "updated" if existing is not None else "created"
    if dry_run:
        target = _describe(existing) if existing else f"“{parsed.title}” ({series_title})"
        return LoadResult(verb, existing, f"would be {verb}: {target}")

    with transaction.atomic():
        if series is None:
            series, _ = Series.objects.get_or_create(title=series_title)
        issue = existing or Issue(series=series)
        if existing is not None:
            # Cascades to stories, photos and their country tags.
            existing.sections.all().delete()
            existing.key_figures.all().delete()
        issue.series = series
        issue.number = parsed.number or None
        issue.title = _clip(parsed.title, Issue, "title") or f"{series_title} issue"
        issue.publication_date = parsed.date
        issue.source_name = source_name
        issue.source_hash = source_hash
        issue.import_warnings = list(parsed.warnings)
        issue.directory_snapshot = _directory_dict(parsed)
        issue.save()

        plan = _plan_directory(parsed.directory, _story_codes(parsed), cache)
        countries = _ensure_countries(plan)
        _write_contents(issue, parsed, countries)
        # Proposals only: the directory changes when (and if) the issue is published.
        _merge_directory(plan, issue, countries, apply=False)
        if plan.warnings:
            issue.import_warnings = [*issue.import_warnings, *plan.warnings]
            Issue.objects.filter(pk=issue.pk).update(import_warnings=issue.import_warnings)
        if publish:
            # --publish is the operator's explicit decision: it overrides the pre-publish
            # check (import warnings at least), which the revision records.
            issue.publish(reason="Published on import (publish option of the importer).")
    if cache is not None:  # committed: safe to remember for the next files
        cache.series[series_title] = series
        cache.countries.update(countries)
    return LoadResult(verb, issue, f"{verb}: {_describe(issue)}")


# --- the batch -----------------------------------------------------------------------


Source = str | Path | SourceText | SourceError


def _iter_texts(items: Iterable[Source], limits: Limits) -> Iterator[SourceText | SourceError]:
    for item in items:
        if isinstance(item, SourceText | SourceError):
            yield item
        else:
            yield from iter_sources([str(item)], limits)


def import_sources(
    sources: Iterable[Source],
    *,
    series: str | None = None,
    publish: bool = False,
    dry_run: bool = False,
    limits: Limits | None = None,
    preview_directory: bool = False,
    on_file: Callable[[FileReport], None] | None = None,
) -> Iterator[FileReport]:
    """Read, parse and load each file in turn, yielding one FileReport per file.

    Bad files give an error report and the batch goes on. `preview_directory` adds
    the new/known directory entries to each report (the admin preview shows them).
    """
    limits = limits or limits_from_settings()
    cache = BatchCache()
    for source in _iter_texts(sources, limits):
        report = _import_one(source, series, publish, dry_run, preview_directory, cache)
        if on_file is not None:
            on_file(report)
        yield report


def _import_one(source, series, publish, dry_run, preview_directory, cache) -> FileReport:
    if isinstance(source, SourceError):
        return FileReport(source.path, "error", error=source.message)
    try:
        parsed = parse(source.text, series=series)
    except ParseError as exc:
        return FileReport(source.path, "error", error=str(exc) or "no recognisable issue")
    report = FileReport(source.path, "ok", parsed=parsed)
    try:
        report.result = load_issue(
            parsed,
            source_name=source.path,
            source_hash=source_hash(source.raw),
            publish=publish,
            dry_run=dry_run,
            cache=cache,
        )
        if preview_directory:
            plan = _plan_directory(parsed.directory, _story_codes(parsed), cache)
            report.directory_changes = plan.changes()
    except ParseError as exc:
        return FileReport(source.path, "error", error=str(exc), parsed=None)
    except DatabaseError as exc:
        # The transaction rolled back: nothing of this file is in the database.
        logger.debug("import of %s failed", source.path, exc_info=True)
        return FileReport(source.path, "error", error=f"could not be saved: {exc}")
    return report

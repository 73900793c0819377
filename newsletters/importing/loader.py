"""Loader: parsed dataclasses -> models, one transaction per file, idempotent.

`load_issue()` writes one parsed issue; the batch loop the management command, the
admin page and `load_demo` share is in batch.py (`import_sources`, also reachable here).

Rules (issue 3):
- the same bytes again (same SHA-256) change nothing: "unchanged";
- a new version of an issue already imported (same series, volume and number, or the same
  source name) replaces its contents only while it is a draft nobody edited in the
  admin; otherwise it is "skipped", never overwritten;
- directory entries are merged (one Country per code, one Office per country, one row
  per e-mail address, person and hotline number) as *proposals* listed by the issue:
  nothing public changes until the issue is published, and then only where it is the
  newest published issue to print them (`last_seen_in`; importing/directory.py and
  newsletters/publishing.py).

Rules (issue 10), decided in decide.py before anything is written: a new version that
would remove more than a third of an issue's words, stories or key figures is "refused"
unless `replace` (safety.py); a parse below the confidence threshold "needs review"
unless `accept_low_confidence`. Concurrent runs of one file give one issue and
"unchanged" for the others (the unique source hash, load_issue).

Queries per file stay a small constant: look-ups are batched with `__in`, rows are
written with `bulk_create` / `bulk_update` or queued in one batch of INSERTs
(bulk.Deferred; on PostgreSQL a new issue too, with keys taken ahead: _defer_new_issue).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save

from directory.models import Country
from newsletters.markdown import MAX_BODY_CHARS
from newsletters.models import (
    DatePrecision,
    Issue,
    KeyFigure,
    Photo,
    Section,
    Series,
    Story,
    unique_slug,
)

from .bulk import Deferred, KeyPool, history_row, insert_returning_ids
from .decide import LoadResult, decide, describe, lookup, same_file
from .directory import (
    KnownRows,
    ensure_countries,
    lock_directory,
    merge_directory,
    plan_directory,
    story_codes,
)
from .directory import clip as _clip
from .parser import ParseError
from .photos import FoundImage, delete_files, save_photos
from .reader import Limits

if TYPE_CHECKING:
    from .parser import ParsedIssue

# Tries at writing one file when a unique key another process took first is the cause.
WRITE_ATTEMPTS = 3


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
        # Offices, addresses and hotlines by their keys: a file printing the same contact
        # block as an earlier one needs no directory query (directory.plan_directory).
        self.directory = KnownRows()
        self.quick_commits = False  # synchronous_commit is off on this connection
        # Section and story keys taken ahead (PostgreSQL): no INSERT ... RETURNING.
        self.keys = KeyPool()


def _quick_commits(cache: BatchCache | None) -> None:
    """Before a batch's first write on PostgreSQL: its commits stop waiting for their WAL
    to reach the disk (synchronous_commit off for this connection until the batch ends,
    restore_commits). A crash may lose the last few files' commits, never corrupt
    anything, and a re-run imports them again; SQLite makes the same trade
    (synchronous=NORMAL in config/settings.py). Set on the first write only, so a batch
    of unchanged files still costs one query per file."""
    if cache is None or cache.quick_commits or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    cache.quick_commits = True


def restore_commits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")


# --- issue contents ------------------------------------------------------------------


def _write_contents(
    issue: Issue,
    parsed: ParsedIssue,
    countries: dict[str, Country],
    defer: Deferred,
    keys: KeyPool,
) -> dict:
    """Sections, stories, photos, story countries and key figures, in bulk. Returns the
    stories by (section index, story index in the section). On PostgreSQL the sections'
    and stories' keys come from ``keys`` and every row is queued in ``defer``; elsewhere
    sections and stories are written at once (their ids are needed) and the rest queued.

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
    # On PostgreSQL the keys are known before any row is written (KeyPool), so the
    # sections and stories go in the deferred batch, the stories after their photos.
    count = sum(len(s.stories) for s in parsed.sections)
    reserved = keys.take({Section: len(sections), Story: count})
    if reserved is None:
        insert_returning_ids(Section, sections)
    else:
        for section, pk in zip(sections, reserved[Section], strict=True):
            section.pk = pk
        defer.add(Section, sections, with_pk=True)

    story_slugs: set[str] = set()
    stories, story_sources, story_keys = [], [], []
    for index, (section, parsed_section) in enumerate(
        zip(sections, parsed.sections, strict=True)
    ):
        for position, parsed_story in enumerate(parsed_section.stories):
            story_keys.append((index, position))
            title = _clip(parsed_story.title, Story, "title")
            if len(parsed_story.body or "") > MAX_BODY_CHARS:
                # parse() cuts such a body with a warning (parser/bodylimit.py); a parse
                # from elsewhere must not store one silently (bulk_create runs no
                # validator): the file's transaction rolls back and it is an error.
                raise ParseError(
                    f"story '{title or 'untitled'}' has {len(parsed_story.body):,} "
                    f"characters, over the {MAX_BODY_CHARS:,}-character body limit"
                )
            slug = unique_slug(title or f"{section.title} story", story_slugs.__contains__)
            story_slugs.add(slug)
            stories.append(
                Story(
                    section=section, issue=issue, title=title, slug=slug,
                    body=parsed_story.body or "", position=position,
                )  # fmt: skip
            )
            story_sources.append(parsed_story)
    for story in stories:  # what StoryQuerySet.bulk_create does: the stored HTML
        story.render_body()
    if reserved is None:
        insert_returning_ids(Story, stories)
    else:
        for story, pk in zip(stories, reserved[Story], strict=True):
            story.pk = pk

    photos, tags = [], []
    Tag = Story.countries.through
    for story, parsed_story in zip(stories, story_sources, strict=True):
        for position, photo in enumerate(parsed_story.photos):
            caption = _clip(photo.caption, Photo, "caption")
            if photo.position is not None:  # an export says where it goes among the images
                position = photo.position
            if caption:
                photos.append(Photo(story=story, caption=caption, position=position))
        for code in dict.fromkeys(c.upper() for c in parsed_story.countries):
            if code in countries:
                tags.append(Tag(story_id=story.pk, country_id=countries[code].pk))
    defer.add(Photo, photos)
    if reserved is not None:
        # After their photos (foreign keys are checked at commit): a story's INSERT
        # trigger builds its search document with the captions already there, where a
        # photo written after its story makes the trigger rewrite the story row and its
        # search indexes once more (migration 0008): a fifth of the server's time.
        defer.add(Story, stories, with_pk=True)
    defer.add(Tag, tags)

    figures, labels = [], set()
    for figure in parsed.key_figures:
        label = _clip(figure.label, KeyFigure, "label")
        if label and label not in labels:  # one figure per label and issue
            labels.add(label)
            figures.append(
                KeyFigure(
                    issue=issue, label=label, value=figure.value,
                    unit=_clip(figure.unit, KeyFigure, "unit"), position=len(figures),
                    note=_clip(figure.note, KeyFigure, "note"),
                )  # fmt: skip
            )
    defer.add(KeyFigure, figures)
    return dict(zip(story_keys, stories, strict=True))


def _directory_dict(parsed: ParsedIssue) -> dict:
    """The directory as ParsedIssue.to_dict gives it, without converting the whole issue
    (its stories' bodies too) to dicts on the way: 4% of the import's CPU time."""
    data = asdict(parsed.directory)
    for hotline in data["hotlines"]:
        del hotline["e164"]
    return {key: data.get(key, []) for key in ("offices", "hotlines", "people")}


def load_issue(
    parsed: ParsedIssue,
    *,
    source_name: str,
    source_hash: str,
    publish: bool = False,
    dry_run: bool = False,
    cache: BatchCache | None = None,
    replace: bool = False,
    accept_low_confidence: bool = False,
    images: list[FoundImage] | None = None,
) -> LoadResult:
    """Write one parsed issue (all of it or, on any error, nothing), or say why not.

    With dry_run nothing is written and the result says what would happen. ``replace``
    lets a new version remove more than a third of an issue; ``accept_low_confidence``
    imports a parse below CONFIDENCE_THRESHOLD; ``images`` (assets.collect_images) become
    Photos of their stories.
    """
    if not parsed.series:
        raise ParseError("no series name in the file and none given (use --series)")
    check_story_countries(parsed)
    series_title = _clip(parsed.series, Series, "title")
    source_name = _clip(source_name, Issue, "source_name")
    options = {"replace": replace, "accept_low_confidence": accept_low_confidence}

    # The common re-import ("unchanged") and the look-up of the issue a new version
    # replaces: one query, outside the transaction.
    title = _clip(parsed.title, Issue, "title") or f"{series_title} issue"
    slug = unique_slug(title, lambda _slug: False)
    known_series = cache.series.get(series_title) if cache else None
    volume = _clip(parsed.volume or "", Issue, "volume")
    same, existing, slug_taken = lookup(
        source_hash, series_title, parsed.number, source_name, slug, known_series, volume
    )
    if same is not None:
        return LoadResult("unchanged", same, f"unchanged: {describe(same)} has this exact file")
    decision = decide(parsed, series_title, existing, cache, dry_run=dry_run, **options)
    if dry_run or decision.result.outcome not in ("created", "updated"):
        return decision.result

    _quick_commits(cache)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        written: list[str] = []  # photo files stored in the transaction (save_photos)
        try:
            with transaction.atomic():
                issue, plan = _write_issue(
                    parsed, decision, series_title, source_name, source_hash, publish, cache,
                    images, slug=None if slug_taken else slug, written=written,
                )  # fmt: skip
            break
        except IntegrityError:
            delete_files(written)
            lost = _lost_race(source_hash, series_title, volume, parsed.number)
            if lost is not None:
                return lost
            if attempt == WRITE_ATTEMPTS:
                raise
            # Another process took the slug first (Issue.save now finds a free one), or
            # a directory row the batch remembered was deleted meanwhile (its listing
            # breaks a foreign key): once more, looking everything up.
            slug_taken = True
            if cache is not None:
                cache.directory.forget()
        except BaseException:
            # The rows rolled back; the files must go with them (Django has no
            # on_rollback). An outer transaction of a caller that rolls back later is not
            # seen here: the batch runs each file in a transaction of its own.
            delete_files(written)
            if cache is not None:
                cache.directory.forget()
            raise
    if cache is not None:  # committed: safe to remember for the next files
        cache.series[series_title] = issue.series
        cache.countries.update(plan.countries)
        cache.directory.remember(plan)
    verb = decision.result.outcome
    return LoadResult(verb, issue, f"{verb}: {describe(issue)}", decision.result.comparison)


def _lost_race(
    source_hash: str, series_title: str, volume: str, number: int | None
) -> LoadResult | None:
    """After an IntegrityError: another run saved this file (unique source hash) or this
    numbered issue between the look-up and the writes. It won; this run changes nothing.
    None when neither explains the error (load_issue raises it again)."""
    same = same_file(source_hash)
    if same is not None:
        return LoadResult(
            "unchanged",
            same,
            f"unchanged: {describe(same)} has this exact file "
            "(saved by another import run at the same time)",
        )
    numbered = Issue.objects.filter(series__title=series_title, volume=volume, number=number)
    if number and numbered.exists():
        return LoadResult(
            "skipped",
            None,
            f"skipped: another import run is saving {series_title} no. {number} "
            "at the same time; import this file again to compare",
        )
    return None


def _write_issue(
    parsed, decision, series_title, source_name, source_hash, publish, cache, images, slug,
    written,
):
    """The writes of load_issue, inside its transaction. ``slug``: a free slug for a new
    issue, known from the look-up (None: Issue.save finds one). ``written`` collects the
    names of the photo files stored, for load_issue to delete on a rollback."""
    series, existing = decision.series, decision.existing
    if series is None:
        series, _ = Series.objects.get_or_create(title=series_title)
    issue = existing or Issue(series=series, slug=slug or "")
    if existing is not None:
        # Cascades to stories, photos and their country tags.
        existing.sections.all().delete()
        existing.key_figures.all().delete()
    issue.series = series
    issue.number = parsed.number or None
    issue.volume = _clip(parsed.volume or "", Issue, "volume")
    issue.title = _clip(parsed.title, Issue, "title") or f"{series_title} issue"
    issue.publication_date = parsed.date
    issue.date_precision = parsed.date_precision if parsed.date else DatePrecision.DAY
    issue.source_name = source_name
    issue.source_hash = source_hash
    # Planned before the issue is saved, so its warnings are saved with it.
    plan = plan_directory(parsed.directory, story_codes(parsed), cache)
    if plan.creates_rows() and lock_directory():
        # Another process (--jobs, a second run, a publisher) may have added some of
        # these entries since they were looked up: look again, under the lock. Only the
        # first files of an archive get here; later ones print entries already known.
        plan = plan_directory(parsed.directory, story_codes(parsed), cache)
    issue.import_warnings = [*parsed.warnings, *plan.warnings]
    issue.directory_snapshot = _directory_dict(parsed)
    _front_matter_fields(issue, parsed)
    created = issue._state.adding
    keys = cache.keys if cache is not None else KeyPool(block=0)
    defer = Deferred()
    # The revision simple-history's post_save would write at once goes in the deferred
    # batch instead (history_row): one round trip and a tenth of the CPU time less.
    issue.skip_history_when_saving = True
    try:
        deferred = created and slug is not None and _defer_new_issue(issue, defer, keys)
        if not deferred:
            issue.save()
    finally:
        del issue.skip_history_when_saving  # issue.publish() below records its own
    defer.add(*history_row(issue, created))
    if deferred and (images or plan.creates_rows()):
        defer.flush()  # the issue's row before rows the ORM writes (first files only)

    countries = ensure_countries(plan)
    stories = _write_contents(issue, parsed, countries, defer, keys)
    if images:
        defer.flush()  # save_photos counts the caption-only photos of each story
        save_photos(stories, images, written)
    # Proposals only: the directory changes when (and if) the issue is published.
    merge_directory(plan, issue, countries, apply=False, defer=defer)
    defer.flush()
    if deferred:
        _saved(issue)
    if publish:
        # --publish is the operator's explicit decision: it overrides the pre-publish
        # check (import warnings at least), which the revision records.
        issue.publish(reason="Published on import (publish option of the importer).")
    return issue, plan


def _defer_new_issue(issue: Issue, defer: Deferred, keys: KeyPool) -> bool:
    """Queue the INSERT of a new issue, its free slug known, in ``defer`` with a key from
    ``keys`` (PostgreSQL: False elsewhere, and Issue.save writes it): its sections and
    stories then go in the same round trip. What Issue.save does for a new draft with a
    slug comes down to the row (a new issue's version is not counted up: next_version)
    and the save signals: pre_save is sent here, post_save once every row is written
    (_saved), for the same receivers, which do nothing for a new draft (signals.py)."""
    if not issue._state.adding or issue.status != Issue.Status.DRAFT or not issue.slug:
        return False
    if issue.cover_image:  # Issue.save has a file to look after: not here
        return False
    reserved = keys.take({Issue: 1})
    if reserved is None:
        return False
    (issue.pk,) = reserved[Issue]
    pre_save.send(sender=Issue, instance=issue, raw=False, using=defer.using, update_fields=None)
    issue._status_before_save = None  # as Issue.save sets it for a new issue
    defer.add(Issue, [issue], with_pk=True)
    return True


def _saved(issue: Issue) -> None:
    """After the deferred INSERT of a new issue: the rest of what Issue.save does."""
    issue._stored_cover = ""
    issue._stored_status = issue.status
    issue.skip_history_when_saving = True  # its revision is written (history_row)
    try:
        post_save.send(
            sender=Issue, instance=issue, created=True, update_fields=None, raw=False,
            using=issue._state.db,
        )  # fmt: skip
    finally:
        del issue.skip_history_when_saving


# --- front matter (issue 11, item 7) -------------------------------------------------


def _front_matter_fields(issue: Issue, parsed: ParsedIssue) -> None:
    """What only a front matter gives, on the issue row: the summary. (A figure's note, a
    photo's credit and place are written with their rows.) A new version of a file
    without a summary leaves the issue without one: the file is the issue's source."""
    issue.summary = parsed.summary


def check_story_countries(parsed: ParsedIssue) -> None:
    """Story countries given as ISO codes (an export's ``<!-- countries: -->`` lines):
    a code that is neither a country of the directory nor an ISO 3166 region is left
    out with a warning, so no country "XX" is ever created. Asks the database only for
    codes outside the ISO list."""
    import phonenumbers

    codes = story_codes(parsed)
    regions = phonenumbers.SUPPORTED_REGIONS
    odd = {code for code in codes if code not in regions}
    if odd:
        odd -= set(Country.objects.filter(code__in=odd).values_list("code", flat=True))
    if not odd:
        return
    for section in parsed.sections:
        for story in section.stories:
            unknown = [c for c in story.countries if c.upper() in odd]
            if unknown:
                where = f"story '{story.title}'" if story.title else "an untitled story"
                parsed.warnings.append(
                    f"{where}: country code {', '.join(unknown)} is not known; left out"
                )
                story.countries = [c for c in story.countries if c.upper() not in odd]


# --- the batch -----------------------------------------------------------------------


def import_sources(sources, **options):
    """The batch loop (read, parse, load each file): see batch.import_sources. Kept here
    for the callers that know the loader; batch.py imports this module, hence the late
    import."""
    from .batch import import_sources as run_batch

    return run_batch(sources, **options)

"""Queries per imported file (issue 10, item 8: PostgreSQL import speed).

After the first file of a batch, a file that prints the same contact block is written
with no directory look-up (BatchCache.directory), and on PostgreSQL its stories, photos,
story countries, key figures and listings go in one round trip (bulk.Deferred)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Hotline, Office, OfficeEmail
from newsletters.importing.bulk import KeyPool
from newsletters.importing.loader import import_sources
from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story

pytestmark = pytest.mark.django_db

# The statements of a new file after the first, once the batch knows the series, the
# countries and the directory rows: the look-up; the issue (a new issue's contents
# version needs no UPDATE: nothing is stored for it yet); then the sections, stories, the
# issue's history row (written with the rows after it: bulk.history_row), photos, story
# countries, key figures and the three listings. On SQLite each is a round trip.
# On PostgreSQL the issue's, sections' and stories' keys were taken ahead (bulk.KeyPool:
# by the first file, for the next ones too), so everything after the look-up goes in one
# round trip, the photos before their stories (see loader._write_contents).
COMMON = ["SELECT newsletters_issue", "INSERT newsletters_issue"]
HISTORY = "INSERT newsletters_historicalissue"
LISTINGS = [
    "INSERT newsletters_story_countries",
    "INSERT newsletters_keyfigure",
    "INSERT directory_office_listed_in",
    "INSERT directory_officeemail_listed_in",
    "INSERT directory_hotline_listed_in",
]
SQLITE = [
    *COMMON, "INSERT newsletters_section", "INSERT newsletters_story", HISTORY,
    "INSERT newsletters_photo", *LISTINGS,
]  # fmt: skip
POSTGRESQL = [
    *COMMON, HISTORY, "INSERT newsletters_section", "INSERT newsletters_photo",
    "INSERT newsletters_story", *LISTINGS,
]  # fmt: skip


def shape(sql: str) -> list[str]:
    """'INSERT newsletters_photo' for each statement of ``sql`` (several on PostgreSQL)."""
    out = []
    for statement in sql.split(";\n"):
        verb = statement.split(None, 1)[0].upper()
        if verb in ("SAVEPOINT", "RELEASE"):
            continue  # the test's own transaction makes the file's atomic a savepoint
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', statement)
        out.append(f"{verb} {table.group(1) if table else '?'}")
    return out


def test_later_files_of_a_batch_need_no_directory_query(write_issue):
    paths = [
        write_issue(f"{n}.md", n, date=datetime.date(2022, n, 1)) for n in range(1, 4)
    ]
    per_file: list[list[str]] = []
    with CaptureQueriesContext(connection) as queries:
        seen = 0

        def record(report):
            nonlocal seen
            per_file.append([s for q in queries.captured_queries[seen:] for s in shape(q["sql"])])
            seen = len(queries.captured_queries)

        reports = list(import_sources(paths, on_file=record))
    assert [r.outcome for r in reports] == ["created"] * 3
    # The first file looks the directory up and creates its rows...
    assert "SELECT directory_officeemail" in per_file[0]
    assert "INSERT directory_officeemail" in per_file[0]
    # ...the next ones only list them, with a fixed number of statements and round trips.
    postgresql = connection.vendor == "postgresql"
    for statements in per_file[1:]:
        assert statements == (POSTGRESQL if postgresql else SQLITE)
    round_trips = [len(q) for q in _round_trips(queries, per_file)]
    assert round_trips[1:] == [2 if postgresql else len(SQLITE)] * 2

    # Written all the same: every file's photo, countries, figure and listings.
    assert Photo.objects.count() == KeyFigure.objects.count() == 3
    assert Story.countries.through.objects.filter(country__code="KG").count() == 3
    for model in (Office, OfficeEmail, Hotline):
        for row in model.objects.all():
            assert set(row.listed_in.values_list("number", flat=True)) == {1, 2, 3}
    assert Hotline.objects.count() == 2 and OfficeEmail.objects.count() == 1
    assert Issue.objects.count() == 3


def _round_trips(queries, per_file) -> list[list[str]]:
    """The captured statements of each file, one entry per execute (round trip)."""
    out, start = [], 0
    executes = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].split(None, 1)[0].upper() not in ("SAVEPOINT", "RELEASE")
    ]  # fmt: skip
    for statements in per_file:
        taken, n = [], 0
        while n < len(statements):
            taken.append(executes[start])
            n += len(shape(executes[start]))
            start += 1
        out.append(taken)
    return out


@pytest.mark.django_db(transaction=True)
def test_a_directory_row_deleted_during_the_batch_is_looked_up_again(write_issue):
    """The batch remembers the rows it listed; one deleted meanwhile (in the admin) is
    not listed by its old id: the foreign key fails at the commit, and the file is
    written again with the directory as it is. (Committed transactions: inside a test's
    own transaction the deferred foreign key is never checked.)"""
    first, second = (write_issue(f"{n}.md", n, date=datetime.date(2022, n, 1)) for n in (1, 2))
    reports = import_sources([first, second])
    assert next(reports).outcome == "created"
    OfficeEmail.objects.all().delete()  # between two files of the batch
    assert next(reports).outcome == "created"
    (email,) = OfficeEmail.objects.all()
    assert list(email.listed_in.values_list("number", flat=True)) == [2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search documents: PostgreSQL")
def test_stories_written_after_their_photos_hold_the_captions_in_their_search_document(
    write_issue,
):
    """The story INSERT comes after its photos' (same round trip): its trigger must still
    put the captions (weight C) and the issue title (D) in the search document."""
    (report,) = import_sources([write_issue("1.md", 1)])
    assert report.outcome == "created"
    story = Story.objects.get(photos__caption="Photo of a workshop in Almaty")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM newsletters_story WHERE id = %s", [story.pk]
        )
        (document,) = cursor.fetchone()
    assert "'workshop':" in document and "C" in document.split("'workshop':")[1][:8]
    assert "'almati':" in document
    assert "'mission':" in document  # the body, weight B
    # The issue's INSERT comes before its stories' in the same round trip: the trigger
    # finds its title (weight D, which the text form shows without a letter).
    assert re.search(r"'northwind':\d+ ", document)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences: PostgreSQL")
def test_the_key_pool_takes_keys_a_block_ahead_in_one_round_trip():
    pool = KeyPool(block=4)
    with CaptureQueriesContext(connection) as queries:
        first = pool.take({Section: 2, Story: 3})
        second = pool.take({Section: 4, Story: 1})  # still in the pool: no query
        third = pool.take({Section: 1})  # the sections ran short: one more
    assert len(queries.captured_queries) == pool.refills == 2
    assert [len(first[Section]), len(first[Story])] == [2, 3]
    sections = first[Section] + second[Section] + third[Section]
    stories = first[Story] + second[Story]
    assert sections == sorted(set(sections)) and stories == sorted(set(stories))
    # Keys the sequence gave: a row written afterwards gets a key after them all.
    issue = Issue.objects.create(series=Series.objects.create(title="S"), title="T")
    later = Section.objects.create(issue=issue, title="Later", position=0)
    assert later.pk > max(sections)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite: no sequences")
def test_the_key_pool_takes_nothing_on_sqlite():
    with CaptureQueriesContext(connection) as queries:
        assert KeyPool().take({Section: 2}) is None
    assert queries.captured_queries == []

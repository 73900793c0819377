"""Importing with several processes (`import_newsletters --jobs N`, PostgreSQL only).

One process alone leaves a core idle: while it waits for PostgreSQL (the stories'
search documents and their indexes, about 40% of a file's time) nothing else runs, and
while it builds the next file's rows the database waits. Here this process reads and
parses the files, and N loading processes write them, each with its own connection and
its own BatchCache, so parsing, Python and the server overlap.

What stays as with one process:
- Reports come out in input order, one per file, whatever finishes first.
- Files that are the same issue (same series, volume and number, or the same bytes: see
  ``Pending.key``) go to the same loading process, in input order, so a later version
  still replaces an earlier one as it would one after the other.
- Directory entries are added under a lock every writer takes (directory.lock_directory)
  and a slug another process took first makes the file try again (loader.load_issue).
- Memory stays bounded: at most ``AHEAD`` parsed files wait for their loader.

A loading process that dies (killed, out of memory) turns each of its files still
waiting into an error report that says so; nothing is left out without a line.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.db import connection, connections

from .batch import BatchOptions, FileReport, Pending, load, prepare
from .loader import BatchCache, restore_commits

logger = logging.getLogger(__name__)

# Parsed files waiting for their loader, at most: enough to keep every loader busy
# while one file is much larger than the others, small enough to bound memory.
AHEAD = 32

# The loading process's own batch cache (it lives as long as the process).
_cache: BatchCache | None = None


def available() -> bool:
    """Whether this connection can import with several processes: PostgreSQL (SQLite
    writes one transaction at a time: more processes would only wait for each other),
    and not inside a transaction (the loaders, on their own connections, could not see
    its rows, and the connection is closed before the processes start)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _start_loader() -> None:
    global _cache
    _cache = BatchCache()
    # The parent closes its connections before starting this process, but that does not
    # reach every connection object this process inherits: in the suite, after the
    # Playwright tests had run in the same worker, a loader went on with the parent's
    # open socket and the two processes' queries mixed (a run hung on it). Drop them,
    # without closing (that would end the parent's session): the first query here
    # opens a connection of this process's own.
    for conn in connections.all(initialized_only=True):
        conn.connection = None


def _load(pending: Pending, batch: BatchOptions) -> FileReport:
    return load(pending, batch, _cache)


def _stop_loader() -> None:
    if _cache is not None and _cache.quick_commits:
        restore_commits()
    connections.close_all()


def _loader_of(pending: Pending, jobs: int) -> int:
    # crc32, not hash(): the same key picks the same process however often it is asked.
    return zlib.crc32(repr(pending.key()).encode()) % jobs


def _finished(report: FileReport, future: Future | None) -> FileReport:
    if future is None:
        return report
    try:
        loaded = future.result()
    except BrokenProcessPool as exc:  # the loading process died (killed, out of memory)
        return FileReport(
            report.path, "error", encoding=report.encoding,
            error=f"not saved: the importing process stopped ({exc.__class__.__name__}); "
            "import this file again",
        )  # fmt: skip
    except Exception as exc:  # raised by the load itself: its transaction rolled back
        logger.warning("import of %s failed in a loading process", report.path, exc_info=exc)
        return FileReport(
            report.path, "error", encoding=report.encoding,
            error=f"could not be saved: {exc.__class__.__name__}: {exc}",
        )  # fmt: skip
    # The loader's copy, parse included: loading may add warnings to it.
    return loaded


def import_in_processes(sources: Iterable, batch: BatchOptions, jobs: int) -> Iterator[FileReport]:
    """Parse ``sources`` here and load them in ``jobs`` processes; one report per file,
    in input order."""
    connections.close_all()  # before the fork: the loaders must not share its socket
    context = multiprocessing.get_context("fork")
    loaders = [
        ProcessPoolExecutor(1, mp_context=context, initializer=_start_loader)
        for _ in range(jobs)
    ]
    # Start every process now, while this one holds no connection.
    for started in [pool.submit(int) for pool in loaders]:
        started.result()
    waiting: deque[tuple[FileReport, Future | None]] = deque()
    try:
        for source in sources:
            prepared = prepare(source, batch)
            if isinstance(prepared, FileReport):
                waiting.append((prepared, None))
            else:
                pool = loaders[_loader_of(prepared, jobs)]
                waiting.append((prepared.report, pool.submit(_load, prepared, batch)))
            while waiting and (
                waiting[0][1] is None or waiting[0][1].done() or len(waiting) > AHEAD
            ):
                yield _finished(*waiting.popleft())
        while waiting:
            yield _finished(*waiting.popleft())
    finally:
        # Stopped early (the caller closed this generator): files not yet begun stay
        # unwritten; a file being written is finished or rolled back as a whole.
        for _report, future in waiting:
            if future is not None:
                future.cancel()
        for pool in loaders:
            # A process that died holds no connection to close.
            with contextlib.suppress(Exception):
                pool.submit(_stop_loader).result()
            pool.shutdown(wait=True, cancel_futures=True)

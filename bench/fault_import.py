"""Fault: the import is killed (SIGKILL) in the middle of a large archive.

Writes 300 invented issues (bench/import_archive.py's generator), starts
`manage.py import_newsletters DIR --publish --series X` against a fresh PostgreSQL
database `newsletters_fault`, kills it with SIGKILL once some issues are in, and then
checks that every issue in the database is whole: its sections and stories match what
the parser makes of its source file. A second run must finish the job: the rest
created, the earlier ones "unchanged", 300 issues in all.
"""

import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.import_archive import issue_text
from bench.serve import recreate_database, services_available

REPO = Path(__file__).resolve().parent.parent
FILES = 300
KILL_AFTER = 100  # issues committed before the kill


def write_archive(root: Path) -> None:
    rng = random.Random(300)
    for n in range(1, FILES + 1):
        (root / f"issue-{n:05d}.txt").write_text(issue_text(n, rng), "utf-8")


def issue_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM newsletters_issue").fetchone()[0]


def check_whole(conn, root: Path) -> tuple[int, list[str]]:
    """Issues in the database whose section/story counts differ from their file's parse."""
    from newsletters.importing.parser import parse

    rows = conn.execute(
        "SELECT i.source_name,"
        " (SELECT count(*) FROM newsletters_section s WHERE s.issue_id = i.id),"
        " (SELECT count(*) FROM newsletters_story t WHERE t.issue_id = i.id)"
        " FROM newsletters_issue i"
    ).fetchall()
    broken = []
    for source_name, sections, stories in rows:
        parsed = parse((root / Path(source_name).name).read_text("utf-8"), series="X")
        want = (len(parsed.sections), sum(len(s.stories) for s in parsed.sections))
        if (sections, stories) != want:
            broken.append(f"{source_name}: has {sections}/{stories}, file gives {want}")
    return len(rows), broken


def main() -> int:
    why = services_available()
    if why:
        print(f"fault_import: skipped: {why}", file=sys.stderr)
        return 0
    import psycopg

    url = recreate_database("newsletters_fault")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1",
           "DATABASE_URL": url, "REDIS_URL": "", "LOG_LEVEL": "ERROR"}  # fmt: skip
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL")})
    import django

    django.setup()
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "--skip-checks", "-v", "0"],
                   cwd=REPO, env=env, check=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="fault-import-") as tmp:
        root = Path(tmp)
        write_archive(root)
        command = [*manage, "import_newsletters", str(root), "--publish", "--series", "X"]
        conn = psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)
        t0 = time.monotonic()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)  # fmt: skip
        while process.poll() is None and issue_count(conn) < KILL_AFTER:
            time.sleep(0.05)
        if process.poll() is not None:
            print("fault_import: the import finished before it could be killed", file=sys.stderr)
            return 1
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_at = issue_count(conn)
        total, broken = check_whole(conn, root)
        print(f"killed (SIGKILL) after {time.monotonic() - t0:.1f} s with {killed_at} of "
              f"{FILES} issues in the database")  # fmt: skip
        print(f"after the kill: {total} issues, {len(broken)} half-written")
        for line in broken[:5]:
            print(f"  {line}")

        rerun = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        summary = re.search(r"created: (\d+).*?unchanged: (\d+)", rerun.stdout, re.S)
        created, unchanged = (int(x) for x in summary.groups()) if summary else (-1, -1)
        total_after, broken_after = check_whole(conn, root)
        print(f"re-run (exit {rerun.returncode}): created {created}, unchanged {unchanged}; "
              f"now {total_after} issues, {len(broken_after)} half-written")  # fmt: skip
        conn.close()
        ok = (
            not broken
            and not broken_after
            and total_after == FILES
            and unchanged == total
            and created == FILES - total
        )
        print("fault_import:", "PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

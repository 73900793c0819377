"""Benchmark: the admin's one-page issue editor for issues of 5 and 30 stories with photos.

Builds each issue (invented content, one small photo per story) in a fresh SQLite
database under a temporary folder, then renders its change page 15 times through
Django's test client as a superuser and prints the median and best wall time, the
median process CPU time, the page size and the number of SQL queries. Goals: under
300 ms of CPU for 30 stories (CPU, not wall time: on a shared machine the wall time
measures the other processes), and the same number of queries for 5 and 30 stories.
A third row is the 30-story issue published, opened by an Editor while every story has
a pending change (the rows show the pending text).

    python bench/admin_editor.py
"""

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 15
GOAL_MS = 300


def _issue(stories: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from directory.models import Country
    from newsletters.models import Issue, Photo, Section, Series, Story

    series, _ = Series.objects.get_or_create(title="Bench Bulletin")
    issue = Issue.objects.create(series=series, number=stories, title=f"{stories} stories")
    country, _ = Country.objects.get_or_create(code="KZ", defaults={"name": "Kazakhstan"})
    sections = [
        Section.objects.create(issue=issue, title=f"Part {n}", position=n) for n in range(3)
    ]
    png = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(png, "PNG")
    for n in range(stories):
        story = Story.objects.create(
            section=sections[n % 3], title=f"Story {n}", position=n,
            body="Counsellors met returning families at the border crossing. " * 20,
        )  # fmt: skip
        story.countries.add(country)
        Photo.objects.create(
            story=story, image=SimpleUploadedFile(f"p{n}.png", png.getvalue(), "image/png"),
            caption=f"Caption {n}", alt_text=f"Families at the crossing {n}",
        )  # fmt: skip
    return issue


def _pending_everywhere(issue):
    """`issue` published, with an Editor's pending change of every story; the Editor's
    client."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from newsletters.models import Issue
    from newsletters.pending import PendingChange, record
    from newsletters.roles import EDITOR

    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    editor = User.objects.create_user("bench-editor", "e@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    for story in issue.stories.all():
        story.body = "The editor's pending text. " * 20
        record(issue, story, PendingChange.Action.CHANGE, user=editor, only={"body"})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    return client


def _measure(client, issue) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/admin/newsletters/issue/{issue.pk}/change/"
    client.get(url)  # warm caches (templates, content types, session)
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "status": response.status_code, "bytes": len(response.content),
        "queries": len(queries.captured_queries), "median": statistics.median(walls),
        "best": min(walls), "cpu": statistics.median(cpus),
    }  # fmt: skip


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-admin-editor-") as folder:
        sys.path.insert(0, str(REPO))  # run as a script, bench/ is not a package yet
        from bench._django import setup_sqlite

        setup_sqlite(folder)
        from django.contrib.auth.models import User
        from django.test import Client

        user = User.objects.create_superuser("bench", "bench@example.org", "bench-password")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        issues = {n: _issue(n) for n in (5, 30)}
        results = {n: _measure(client, issue) for n, issue in issues.items()}
        results["30, pending"] = _measure(_pending_everywhere(issues[30]), issues[30])
    print("stories      status  KB    queries  median ms  best ms  cpu ms")
    for n, r in results.items():
        print(f"{n:11}  {r['status']:6}  {r['bytes'] // 1024:4}  {r['queries']:7}  "
              f"{r['median']:9.0f}  {r['best']:7.0f}  {r['cpu']:6.0f}")  # fmt: skip
    large = results[30]
    met = "met" if large["cpu"] < GOAL_MS else "NOT met"
    same = "yes" if results[5]["queries"] == large["queries"] else "NO"
    print(f"goal: 30 stories under {GOAL_MS} ms CPU: {met}; queries equal for 5 and 30: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the admin's "Import archive" page at the size it accepts at most.

An upload is previewed (a dry run of every file) in one request and imported in another
(admin_import.py): the page takes at most ADMIN_IMPORT_MAX_FILES files and
ADMIN_IMPORT_MAX_TEXT_BYTES of text, so that each request answers within seconds. This
builds two zips of invented issues in a fresh SQLite database under a temporary folder,
one at the file cap (300 short issues) and one at the text cap (4 MB in 100 long
issues), posts each through Django's test client as a superuser and prints the wall
time of the preview and of the confirmation. Goal: each under 10 s on two cores (the
gunicorn timeout is 30 s).

    python bench/admin_import.py
"""

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 10


def _zip(files: int, paragraphs: int, first: int = 1) -> bytes:
    import random

    from bench.import_archive import _paragraph, issue_text

    rng = random.Random(7)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # Long issues in the Markdown style only (odd numbers): the plain style prints
        # its running header once, after its first section, and with 200 paragraphs
        # above it the file would read as having no masthead at all.
        numbers = range(first, first + files)
        if paragraphs:
            numbers = [first + 2 * k + 1 for k in range(files)]
        for n in numbers:
            text = issue_text(n, rng)
            extra = "\n\n".join(_paragraph(rng) for _ in range(paragraphs))
            # The extra paragraphs go into the first section's first story.
            text = text.replace("\n\nPhoto of", f"\n\n{extra}\n\nPhoto of", 1)
            archive.writestr(f"archive/issue-{n:04d}.{'md' if n % 2 else 'txt'}", text)
    return buffer.getvalue()


def _measure(client, name: str, data: bytes) -> tuple[float, float, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from newsletters.models import Issue

    before = Issue.objects.count()
    start = time.perf_counter()
    preview = client.post(
        reverse("admin:newsletters_issue_import"),
        {"files": SimpleUploadedFile(name, data, "application/zip"), "layout": "auto"},
    )
    preview_seconds = time.perf_counter() - start
    assert preview.status_code == 200, preview.status_code
    token = client.session["newsletters_import"]["token"]
    start = time.perf_counter()
    done = client.post(reverse("admin:newsletters_issue_import_confirm"), {"token": token})
    confirm_seconds = time.perf_counter() - start
    assert done.status_code == 302, done.status_code
    return preview_seconds, confirm_seconds, Issue.objects.count() - before


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-admin-import-") as folder:
        sys.path.insert(0, str(REPO))  # run as a script, bench/ is not a package yet
        from bench._django import setup_sqlite

        setup_sqlite(folder)
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.test import Client

        User.objects.create_superuser("bench", "bench@example.org", "x")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get())
        cases = [
            ("file cap", _zip(settings.ADMIN_IMPORT_MAX_FILES, 0)),
            # Numbered apart from the first zip's: new issues, not new versions.
            ("text cap", _zip(100, 200, first=10_000)),
        ]
        print("admin_import: the import page's preview and confirmation at its caps (SQLite)")
        worst = 0.0
        for label, data in cases:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
            size = sum(info.file_size for info in infos)
            preview, confirm, created = _measure(client, f"{label}.zip", data)
            worst = max(worst, preview, confirm)
            print(
                f"  {label}: {len(infos)} files, {size / 2**20:.1f} MB of text: preview "
                f"{preview:.1f} s, import {confirm:.1f} s, {created} issues created"
            )
        verdict = "met" if worst < GOAL_SECONDS else "NOT met"
        print(f"  goal: each request under {GOAL_SECONDS} s: {verdict} (slowest {worst:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

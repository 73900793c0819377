"""Benchmark: the site under load, as production runs it.

Creates the PostgreSQL database `newsletters_bench` (dropped first), migrates, invents
an archive of 200 published issues (4 sections x 3 stories each, photos, key figures,
a directory), collects static files, and starts gunicorn (config/gunicorn.conf.py, 3
workers, DEBUG off) with the Redis cache on 127.0.0.1 (database 7, flushed). A second
process (bench/_load.py) then sends a fixed number of requests at 50 concurrent clients
to the home, archive, issue, search and directory pages, and to a static HTML file of
the issue page's size served by whitenoise from the same gunicorn: the floor that each
page's throughput is compared with. Finally the cache is flushed and each of the 200
issue pages is requested once, so every request renders: the uncached latency.

Goals (issue 6): no errors at 50 clients, cached issue pages within 2x of the static
floor, uncached issue pages p95 < 50 ms. Without PostgreSQL or Redis it says why and
stops.
"""

import datetime
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DB_NAME = "newsletters_bench"
REDIS_URL = "redis://127.0.0.1:6379/7"
ISSUES = 200
REQUESTS = 2000
CONCURRENCY = 50
WORKERS = 3

_VOCABULARY = (
    "migrants assistance partners counsellors hotline border officers training shelter "
    "returning families seasonal workers contracts safety villages district mission "
    "trafficking victims support health insurance bus station women entrepreneurs loans "
    "savings group community school teachers leaflets campaign radio youth employment "
    "remittances labour market skills recognition consular services documents passports "
    "volunteers social workers psychologists referral mechanism cooperation ministry"
)
WORDS = _VOCABULARY.split()
COUNTRIES = [("KZ", "Kazakhstan"), ("KG", "Kyrgyzstan"), ("TJ", "Tajikistan"),
             ("TM", "Turkmenistan"), ("UZ", "Uzbekistan")]  # fmt: skip
SECTIONS = ["Direct Assistance", "Partnership in Action", "Safe Journeys", "Homecoming"]


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def services_available() -> str | None:
    """None when PostgreSQL and Redis answer, else why not."""
    try:
        import psycopg

        psycopg.connect(**PG, dbname="postgres", connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL not reachable on 127.0.0.1:5432 ({exc.__class__.__name__}: {exc})"
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            pass
    except OSError as exc:
        return f"Redis not reachable on 127.0.0.1:6379 ({exc})"
    return None


def database_url(name: str) -> str:
    """DATABASE_URL of database `name` on the benchmarks' PostgreSQL (PG)."""
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def recreate_database(name: str) -> str:
    import psycopg

    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def configure_django(database_url: str, static_root: Path, redis_url: str = "") -> dict:
    """Production settings for this process and the gunicorn it starts."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Plain HTTP on the loopback: no HTTPS redirect, no HSTS.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    import django

    django.setup()
    return env


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", "--noinput", "--skip-checks", verbosity=0)


def generate_archive(issues: int, rng: random.Random, stories_per_section: int = 3) -> list[str]:
    """Published issues with sections, stories, photos, figures and a directory (bulk)."""
    from django.utils import timezone
    from django.utils.text import slugify

    from directory.models import Country, Hotline, Office, OfficeEmail, Person
    from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story

    now = timezone.now()
    series = Series.objects.create(title="Regional Migration Bulletin", slug="rmb")
    countries = [Country.objects.create(code=c, name=n, slug=slugify(n)) for c, n in COUNTRIES]
    issue_rows = Issue.objects.bulk_create(
        Issue(
            series=series, number=n, title=f"Regional Migration Bulletin, issue {n}",
            slug=f"regional-migration-bulletin-{n}", status=Issue.Status.PUBLISHED,
            publication_date=datetime.date(2008, 1, 15) + datetime.timedelta(days=30 * n),
            first_published_at=now, summary=sentence(rng, 25),
        )
        for n in range(1, issues + 1)
    )  # fmt: skip
    section_rows = Section.objects.bulk_create(
        Section(issue=issue, title=title, slug=slugify(title), position=p)
        for issue in issue_rows
        for p, title in enumerate(SECTIONS)
    )
    story_rows = []
    for section in section_rows:
        for s in range(stories_per_section):
            title = sentence(rng, 6).rstrip(".")
            story_rows.append(
                Story(section=section, issue_id=section.issue_id, title=title,
                      slug=f"{slugify(title)[:60]}-{section.position}-{s}",
                      body="\n\n".join(paragraph(rng) for _ in range(3)), position=s)
            )  # fmt: skip
    story_rows = Story.objects.bulk_create(story_rows, batch_size=5000)
    Photo.objects.bulk_create(
        (Photo(story=story, caption=sentence(rng, 10)) for story in story_rows[::2]),
        batch_size=5000,
    )
    Story.countries.through.objects.bulk_create(
        Story.countries.through(story_id=story.pk, country_id=rng.choice(countries).pk)
        for story in story_rows
    )
    KeyFigure.objects.bulk_create(
        KeyFigure(issue=issue, label=label, value=rng.randint(100, 50_000), position=p)
        for issue in issue_rows
        for p, label in enumerate(["Migrants assisted", "Hotline calls", "People trained"])
    )
    latest = issue_rows[-1]
    for i, country in enumerate(countries):
        office = Office.objects.create(country=country, name=f"Mission in {country.name}",
                                       last_seen_in=latest)  # fmt: skip
        OfficeEmail.objects.create(office=office, address=f"{country.code.lower()}@example.org")
        Hotline.objects.create(country=country, number=f"+7 700 100 {i:02d}{i:02d}",
                               note="free, 24 hours", last_seen_in=latest)  # fmt: skip
        for p in range(3):
            Person.objects.create(name=f"Staff member {p} {country.code}", role="Officer",
                                  country=country, phones=f"+7 700 200 {i}{p}{i}{p}",
                                  email=f"staff{p}.{country.code.lower()}@example.org",
                                  last_seen_in=latest)  # fmt: skip
    return [issue.slug for issue in issue_rows]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    full_env = {**os.environ, **env, "BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": str(WORKERS), "GUNICORN_ACCESS_LOG": ""}  # fmt: skip
    out = open(log, "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
        cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def load(port: int, paths: list[str], total: int, concurrency: int) -> dict:
    """The load runs in a second process, so its CPU is not gunicorn's."""
    done = subprocess.run(
        [sys.executable, "-m", "bench._load", "127.0.0.1", str(port), ",".join(paths),
         str(total), str(concurrency)],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(done.stdout)


def flush_cache() -> None:
    from django.core.cache import cache

    cache.clear()  # only database 7, which is this benchmark's own


def print_table(rows: dict, floor_rps: float) -> None:
    print(f"{'page':<22}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'bytes':>8}{'x floor':>9}")  # fmt: skip
    for name, r in rows.items():
        ratio = r["rps"] / floor_rps if floor_rps else float("nan")
        print(f"{name:<22}{r['rps']:>8.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['errors']:>8}{r['bytes']:>8}{ratio:>9.2f}")  # fmt: skip
        if r["errors"]:
            print(f"{'':<22}errors: {r['error_sample']}")


def main() -> int:
    why = services_available()
    if why:
        print(f"serve: skipped: {why}", file=sys.stderr)
        return 0
    rng = random.Random(6)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        static_root = Path(tmp) / "static"
        t0 = time.monotonic()
        env = configure_django(recreate_database(DB_NAME), static_root, REDIS_URL)
        migrate()
        slugs = generate_archive(ISSUES, rng)
        from django.core.management import call_command
        from django.test import Client

        call_command("collectstatic", "--noinput", verbosity=0)
        popular = f"/issues/{slugs[-1]}/"
        page = Client().get(popular)
        assert page.status_code == 200, page.status_code
        # The static floor: a file exactly as large as the issue page.
        floor = static_root / "bench" / "floor.html"
        floor.parent.mkdir(parents=True, exist_ok=True)
        floor.write_bytes(page.content)
        flush_cache()
        print(f"setup: {ISSUES} issues, database, static files in {time.monotonic() - t0:.0f} s")

        port = free_port()
        server = start_gunicorn(env, port, Path(tmp) / "gunicorn.log")
        try:
            pages = {
                "static floor": ["/static/bench/floor.html"],
                "home": ["/"],
                "archive": ["/issues/"],
                "issue (cached)": [popular],
                "search": ["/search/?q=hotline+training"],
                "directory": ["/directory/"],
            }
            for paths in pages.values():  # warm: fill the page cache, start the workers
                load(port, paths, 20, 4)
            rows = {name: load(port, paths, REQUESTS, CONCURRENCY) for name, paths in pages.items()}
            issue_paths = [f"/issues/{slug}/" for slug in slugs]
            flush_cache()
            rows["issue uncached, c=1"] = load(port, issue_paths, len(issue_paths), 1)
            flush_cache()
            rows["issue uncached, c=50"] = load(port, issue_paths, len(issue_paths), CONCURRENCY)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"\n{REQUESTS} requests per page at {CONCURRENCY} clients, gunicorn {WORKERS} "
              f"sync workers, PostgreSQL + Redis; uncached: each of {ISSUES} issues once, "
              "cache flushed first")  # fmt: skip
        print_table(rows, rows["static floor"]["rps"])
        cached = rows["issue (cached)"]["rps"] / rows["static floor"]["rps"]
        errors = sum(r["errors"] for r in rows.values())
        print(f"\ngoals: errors {errors} (0), cached issue {cached:.2f}x of floor (>= 0.5), "
              f"uncached p95 {rows['issue uncached, c=1']['p95_ms']:.1f} ms (< 50)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

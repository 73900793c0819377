"""Settings come from the environment; production refuses an unsafe start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    full_env.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_refuses_to_start_without_secret_key_when_debug_off():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_starts_with_secret_key_or_in_debug():
    assert run_check(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0
    assert run_check(DEBUG="1").returncode == 0


def test_database_url_and_hosts_from_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.ALLOWED_HOSTS)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/x", ALLOWED_HOSTS="news.example.org,x.example",
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert "django.db.backends.postgresql" in out
    assert "['news.example.org', 'x.example']" in out


def test_sqlite_file_database_uses_wal_and_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection;"
        "cursor = connection.cursor();"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0]);"
        "print(cursor.execute('PRAGMA synchronous').fetchone()[0]);"
        "print(connection.transaction_mode)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1",
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.split()  # fmt: skip
    # WAL, synchronous NORMAL (1), write lock taken at BEGIN.
    assert out == ["wal", "1", "IMMEDIATE"]

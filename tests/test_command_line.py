"""The README's commands in a fresh checkout: `.env` from `make run`, clear database errors.

Each test works on a temporary copy of the project (no .env, no var/), so the real
checkout is never touched and nothing is left behind.
"""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HINT = "run make run (or manage.py migrate) first"
SKIP = shutil.ignore_patterns(".venv", "var", ".env", ".git", "__pycache__", "*.egg-info", "bench")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the project as `git clone` would give it."""
    copy = tmp_path_factory.mktemp("checkout") / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    return copy


def clean_env(**extra) -> dict:
    """The environment of a new shell: none of the project's variables."""
    drop = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ENV_FILE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def run(cwd, *args, **env):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=clean_env(**env),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_env_file_is_written_once_with_debug_and_a_private_generated_key(tmp_path):
    target = tmp_path / ".env"
    first = run(ROOT, "-m", "config.envfile", str(target))
    assert first.returncode == 0, first.stderr
    assert f"Wrote {target}" in first.stdout
    text = target.read_text()
    lines = dict(line.split("=", 1) for line in text.splitlines() if not line.startswith("#"))
    assert lines["DEBUG"] == "1"
    assert len(lines["SECRET_KEY"]) >= 60
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # A second `make run` keeps the developer's file (and key) as it is.
    second = run(ROOT, "-m", "config.envfile", str(target))
    assert second.returncode == 0 and second.stdout == ""
    assert target.read_text() == text
    # Two runs never make the same key.
    other = tmp_path / "other.env"
    run(ROOT, "-m", "config.envfile", str(other))
    assert other.read_text() != text


def test_without_env_file_the_error_says_to_run_make_run(checkout):
    result = run(checkout, "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr
    assert "run `make run` once" in result.stderr


def test_env_file_is_gitignored():
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_readme_commands_work_in_a_fresh_checkout_with_the_env_file(checkout):
    assert run(checkout, "-m", "config.envfile").returncode == 0
    env_file = checkout / ".env"
    key = [ln for ln in env_file.read_text().splitlines() if ln.startswith("SECRET_KEY=")][0]
    code = "import django;django.setup();from django.conf import settings as s;"
    code += "print(s.DEBUG, s.SECRET_KEY)"
    shown = run(checkout, "-c", code, DJANGO_SETTINGS_MODULE="config.settings")
    assert shown.stdout.split() == ["True", key.removeprefix("SECRET_KEY=")]
    # A variable set in the environment wins over the file.
    shown = run(checkout, "-c", code, DJANGO_SETTINGS_MODULE="config.settings",
                DEBUG="0", SECRET_KEY="k" * 50)  # fmt: skip
    assert shown.stdout.split() == ["False", "k" * 50]

    # The import's dry run before any migrate: one clear sentence, not a driver error
    # per file, and no database file created on the way.
    dry = run(checkout, "manage.py", "import_newsletters", "sample_archive", "--dry-run")
    assert dry.returncode == 1
    assert HINT in dry.stderr
    assert "does not exist" in dry.stderr
    assert "unable to open database file" not in dry.stderr + dry.stdout
    assert not (checkout / "var" / "db.sqlite3").exists()

    # An empty (never migrated) database says the same.
    # (var/ itself may exist: the shared file cache makes var/cache/ at startup.)
    (checkout / "var").mkdir(exist_ok=True)
    (checkout / "var" / "db.sqlite3").touch()
    dry = run(checkout, "manage.py", "import_newsletters", "sample_archive", "--dry-run")
    assert dry.returncode == 1
    assert "the database is not migrated" in dry.stderr and HINT in dry.stderr
    assert "no such table" not in dry.stderr + dry.stdout

    # What `make run` does next, then the README's command works as written.
    migrate = run(checkout, "manage.py", "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stderr
    dry = run(checkout, "manage.py", "import_newsletters", "sample_archive", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was written." in dry.stdout
    assert "Errors: 0" in dry.stdout

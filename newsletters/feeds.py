"""RSS and Atom feeds of the latest published issues (django.contrib.syndication)."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Issue

FEED_LENGTH = 20


class RssIssuesFeed(Feed):
    title = "Newsletter archive: latest issues"
    link = reverse_lazy("newsletters:issue_list")
    description = "New issues of the newsletter as they are published."

    def items(self):
        return Issue.objects.published().select_related("series").newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers treat an RSS description (and Atom's summary type="html") as HTML once the
        # XML is decoded, so the plain-text summary is HTML-escaped here, not only XML-escaped.
        number = f", issue {item.number}" if item.number else ""
        return escape(item.summary or f"{item.series.title}{number}")

    def item_pubdate(self, item):
        if item.publication_date:
            return datetime.datetime.combine(
                item.publication_date, datetime.time(), tzinfo=timezone.get_current_timezone()
            )
        return item.go_live_at or item.first_published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.series.title]


class AtomIssuesFeed(RssIssuesFeed):
    feed_type = Atom1Feed
    subtitle = RssIssuesFeed.description
    link = reverse_lazy("newsletters:feed_atom")

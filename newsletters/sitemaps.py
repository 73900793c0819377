"""Sitemaps: published issues and stories, directory countries and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from directory.models import Country

from .models import Issue, Story


class IssueSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Issue.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class StorySitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return (
            Story.objects.published()
            .select_related("issue")
            .only("slug", "issue__slug", "issue__updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.issue.updated_at


class CountrySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Country.objects.order_by("name")


class StaticSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return [
            "newsletters:home",
            "newsletters:issue_list",
            "newsletters:figures",
            "directory:index",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "issues": IssueSitemap,
    "stories": StorySitemap,
    "countries": CountrySitemap,
}

"""Querysets: what the public may see, and the prefetching a page needs."""

from datetime import date

from django.db import models
from django.db.models import OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone


class IssueQuerySet(models.QuerySet):
    def published(self, now=None):
        """Published issues whose go-live time, if any, has come."""
        now = now or timezone.now()
        return self.filter(
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=now), status=self.model.Status.PUBLISHED
        )

    def visible_to(self, user):
        """Staff preview everything; everyone else sees published issues only."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def with_sort_keys(self):
        # The SQL twin of Issue.sort_key: undated or unnumbered issues sort oldest.
        return self.annotate(
            sort_date=Coalesce("publication_date", Value(date.min)),
            sort_number=Coalesce("number", Value(0)),
        )

    def newest_first(self):
        return self.with_sort_keys().order_by("-sort_date", "-sort_number", "-pk")

    def older_than(self, issue):
        return self._beside(issue, newer=False)

    def newer_than(self, issue):
        return self._beside(issue, newer=True)

    def _beside(self, issue, *, newer):
        """Issues after (or before) `issue` in date, number, pk order, nearest first."""
        d, n = issue.sort_key
        op = "gt" if newer else "lt"
        sign = "" if newer else "-"
        return (
            self.with_sort_keys()
            .filter(
                Q(**{f"sort_date__{op}": d})
                | Q(sort_date=d, **{f"sort_number__{op}": n})
                | Q(sort_date=d, sort_number=n, **{f"pk__{op}": issue.pk})
            )
            .order_by(f"{sign}sort_date", f"{sign}sort_number", f"{sign}pk")
        )

    def with_neighbours(self):
        """Annotates `older` and `newer`: {"slug", "title"} of the published issues next to
        each one in its series (or None), in the same query (Issue.sort_key order)."""
        from .models import Issue

        beside = Issue.objects.published().with_sort_keys().filter(series_id=OuterRef("series_id"))
        d, n, pk = OuterRef("sort_date"), OuterRef("sort_number"), OuterRef("pk")
        older = beside.filter(
            Q(sort_date__lt=d) | Q(sort_date=d, sort_number__lt=n)
            | Q(sort_date=d, sort_number=n, pk__lt=pk)
        ).order_by("-sort_date", "-sort_number", "-pk")  # fmt: skip
        newer = beside.filter(
            Q(sort_date__gt=d) | Q(sort_date=d, sort_number__gt=n)
            | Q(sort_date=d, sort_number=n, pk__gt=pk)
        ).order_by("sort_date", "sort_number", "pk")  # fmt: skip
        link = JSONObject(slug="slug", title="title")
        return self.with_sort_keys().annotate(
            older=Subquery(older.values_list(link)[:1]),
            newer=Subquery(newer.values_list(link)[:1]),
        )

    def with_contents(self):
        """Everything an issue page shows, in a fixed number of queries."""
        from .models import Section, Story

        stories = Story.objects.prefetch_related("photos", "countries").order_by("position", "pk")
        sections = Section.objects.prefetch_related(Prefetch("stories", queryset=stories))
        return self.select_related("series").prefetch_related(
            Prefetch("sections", queryset=sections.order_by("position", "pk")),
            "key_figures",
        )


class StoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Stories of the issues `user` may see (IssueQuerySet.visible_to), by a join."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        from .models import Issue

        live = Q(issue__go_live_at__isnull=True) | Q(issue__go_live_at__lte=timezone.now())
        return self.filter(live, issue__status=Issue.Status.PUBLISHED)

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): the body's HTML is stored here instead (the importer).
        objs = list(objs)
        for story in objs:
            story.render_body()
        return super().bulk_create(objs, *args, **kwargs)

    def published(self, now=None):
        from .models import Issue

        return self.filter(issue__in=Issue.objects.published(now))

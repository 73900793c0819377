"""Querysets: what the public may see, and the prefetching a page needs."""

from datetime import date

from django.db import connection, models
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce
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

    def with_contents(self):
        """Everything an issue page shows, in a fixed number of queries."""
        from .models import Section, Story

        stories = Story.objects.prefetch_related("photos", "countries").order_by("position", "pk")
        sections = Section.objects.prefetch_related(Prefetch("stories", queryset=stories))
        return self.select_related("series").prefetch_related(
            Prefetch("sections", queryset=sections.order_by("position", "pk")),
            "key_figures",
        )


# Both neighbours of an issue in one statement, in Issue.sort_key order (the SQL twin of
# older_than/newer_than). Raw SQL on the issue page's hot path: built by the ORM, the
# two ordered subqueries took about a third of the page's Python.
_SORT_KEY = "COALESCE(publication_date, %(min)s), COALESCE(number, 0), id"
_BESIDE = """SELECT * FROM (SELECT '{side}' AS side, slug, title FROM {table}
  WHERE series_id = %(series)s AND status = %(published)s
    AND (go_live_at IS NULL OR go_live_at <= %(now)s)
    AND ({key}) {op} (%(date)s, %(number)s, %(pk)s)
  ORDER BY COALESCE(publication_date, %(min)s) {dir}, COALESCE(number, 0) {dir}, id {dir}
  LIMIT 1) {side}_issue"""


def issue_neighbours(issue, now=None) -> tuple[dict | None, dict | None]:
    """({"slug", "title"} of the published issue just older, and just newer), or None."""
    from .models import Issue

    ops = connection.ops
    table = ops.quote_name(Issue._meta.db_table)
    sql = " UNION ALL ".join(
        _BESIDE.format(side=side, table=table, key=_SORT_KEY, op=op, dir=order)
        for side, op, order in (("older", "<", "DESC"), ("newer", ">", "ASC"))
    )
    day, number = issue.sort_key
    params = {
        "min": ops.adapt_datefield_value(date.min),
        "series": issue.series_id,
        "published": Issue.Status.PUBLISHED,
        "now": ops.adapt_datetimefield_value(now or timezone.now()),
        "date": ops.adapt_datefield_value(day),
        "number": number,
        "pk": issue.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {side: {"slug": slug, "title": title} for side, slug, title in cursor}
    return found.get("older"), found.get("newer")


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

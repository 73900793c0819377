"""Searching published stories by their title, body, issue title and photo captions.

PostgreSQL: full-text search over the stored `search_vector` column of migration 0006
(title weight A, body weight B), computed when a story is written, so no query rebuilds
it. Issue titles and captions match through their own indexed expressions. Matching is
done in one query that takes candidates from each GIN index with a LIMIT: at most
RESULT_CAP stories are ranked, those with the words in their title first, and a larger
match is reported as "more than RESULT_CAP" rather than counted, because ranking or
counting every match of a common word costs seconds. Ranking adds the captions (C) and
the issue title (D) for those candidates only. Snippets come from SearchHeadline with
private markers, which `render_snippet` turns into <mark> only after escaping
everything else.

Phrase queries ("referral mechanism", or hyphenated words, which websearch_to_tsquery
also turns into phrases) are slow through GIN: it stores no word positions, so every
story holding all the words is read again to check the phrase (about 31,000 rows and
120 ms at 100,000 stories, bench/search.py). Where migration 0007 built a RUM index
(the optional `rum` extension, which stores positions), a phrase query takes its story
candidates from that index, ordered by its rank (`<=>`, the only way to make the planner
choose it over GIN), and no row is rechecked. Other queries keep the GIN source even
then: ordering every match by rank made broad queries several times slower (5 -> 30 ms
for one common word). Whether the index exists is looked up once per process and
database (`rum_index_exists`); without it the query is exactly the GIN one.

Other databases (SQLite): every word must appear somewhere (icontains, AND-ed), newest
issues first, and a snippet is cut around the first match in Python.
"""

import re

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorCombinable,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Issue, Photo, Story

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
CONFIG = "english"
# Control characters: never typed in a search box, and escape() leaves them alone.
START, STOP = "\x02", "\x03"
SNIPPET_CHARS = 220
# PostgreSQL ranks at most this many stories per query; more matches are counted as
# "more than RESULT_CAP". Ranking all 56,751 stories with a common word took seconds.
RESULT_CAP = 1000


def clean_query(raw) -> str:
    """The query as searched: capped in length, control characters and extra spaces gone."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(raw or ""))[:MAX_QUERY_LENGTH]
    return " ".join(text.split())


def query_words(q: str) -> list[str]:
    words = re.findall(r"\w[\w'’-]*", q)
    return words[:MAX_WORDS]


class StoredVector(SearchVectorCombinable, RawSQL):
    """The story's stored `search_vector` column (migration 0006), outer query only.

    Not a model field, so SQLite and the historical models never see it; it can be
    combined with SearchVector (captions, issue title) for ranking.
    """

    config = None  # the column was built with 'english' (CONFIG) already

    def __init__(self):
        super().__init__(
            '"newsletters_story"."search_vector"', [], output_field=SearchVectorField()
        )


# The story's title alone: identical to the index expression of migration 0006.
TITLE_VECTOR_SQL = "to_tsvector('english'::regconfig, COALESCE(s.title, ''))"
QUERY_SQL = "websearch_to_tsquery('english'::regconfig, %(q)s)"
LIVE_SQL = "i.status = %(published)s AND (i.go_live_at IS NULL OR i.go_live_at <= %(now)s)"
# The story vector source read through the GIN index of migration 0006.
STORY_GIN_SOURCE_SQL = f"""
  (SELECT s.id, 1 FROM newsletters_story s
     JOIN newsletters_issue i ON i.id = s.issue_id
    WHERE s.search_vector @@ {QUERY_SQL} AND {LIVE_SQL} LIMIT %(over)s)"""  # noqa: S608
# Name of the RUM index of migration 0007 (optional: only where the extension exists).
RUM_INDEX = "newsletters_story_search_vector_rum"
# The query has a phrase operator (<-> or <N>). A clause without columns: PostgreSQL
# evaluates it once per execution (a one-time filter) and skips the branch it rules
# out. Lexemes never hold '<' in the english configuration; were one to, the query
# would only take the RUM branch, which returns the same rows.
PHRASE_SQL = f"strpos({QUERY_SQL}::text, '<') > 0"
# With the RUM index: phrase queries take their story candidates from it, ranked in the
# index, so no row is rechecked for the phrase; other queries keep the GIN source.
STORY_RUM_SOURCE_SQL = f"""
  (SELECT s.id, 1 FROM newsletters_story s
     JOIN newsletters_issue i ON i.id = s.issue_id
    WHERE NOT {PHRASE_SQL} AND s.search_vector @@ {QUERY_SQL} AND {LIVE_SQL}
    LIMIT %(over)s)
  UNION ALL
  (SELECT s.id, 1 FROM newsletters_story s
     JOIN newsletters_issue i ON i.id = s.issue_id
    WHERE {PHRASE_SQL} AND s.search_vector @@ {QUERY_SQL} AND {LIVE_SQL}
    ORDER BY s.search_vector <=> {QUERY_SQL} LIMIT %(over)s)"""  # noqa: S608
# Candidate stories, each source read through its own index and cut at LIMIT, so a
# word found in half the archive costs no more than a rare one. Stories whose title
# has the words come first (tier 0), then the others (tier 1). A source cut at cap + 1
# rows means more than `cap` stories match; otherwise the union is every match.
CANDIDATES_TEMPLATE = f"""
WITH found AS (
  (SELECT s.id, 0 AS tier FROM newsletters_story s
     JOIN newsletters_issue i ON i.id = s.issue_id
    WHERE {TITLE_VECTOR_SQL} @@ {QUERY_SQL} AND {LIVE_SQL} LIMIT %(cap)s)
  UNION ALL{{story_source}}
  UNION ALL
  (SELECT s.id, 1 FROM newsletters_issue i
     JOIN newsletters_story s ON s.issue_id = i.id
    WHERE to_tsvector('english'::regconfig, COALESCE(i.title, '')) @@ {QUERY_SQL}
      AND {LIVE_SQL} LIMIT %(over)s)
  UNION ALL
  (SELECT s.id, 1 FROM newsletters_photo p
     JOIN newsletters_story s ON s.id = p.story_id
     JOIN newsletters_issue i ON i.id = s.issue_id
    WHERE to_tsvector('english'::regconfig, COALESCE(p.caption, '')) @@ {QUERY_SQL}
      AND {LIVE_SQL} LIMIT %(over)s)
)
SELECT id FROM found GROUP BY id ORDER BY min(tier), id LIMIT %(over)s
"""  # noqa: S608 - constants only; the query text is a parameter
CANDIDATES_SQL = CANDIDATES_TEMPLATE.format(story_source=STORY_GIN_SOURCE_SQL)
RUM_CANDIDATES_SQL = CANDIDATES_TEMPLATE.format(story_source=STORY_RUM_SOURCE_SQL)
# (database alias, database name) -> whether the RUM index exists there. The name is
# part of the key because tests rename the database behind the same alias.
_rum_index_memo: dict[tuple[str, str], bool] = {}


def rum_index_exists(conn=connection) -> bool:
    """Whether migration 0007 built the RUM index here: one catalogue look-up per process.

    Not looked up again: the index comes and goes only with migrations, after which
    the processes restart. Migrating back to 0006 keeps the extension, so a stale True
    still runs (the phrase branch would then sort its matches without the index).
    """
    key = (conn.alias, conn.settings_dict.get("NAME") or "")
    if key not in _rum_index_memo:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
            _rum_index_memo[key] = bool(cursor.fetchone()[0])
    return _rum_index_memo[key]


def search_stories(q: str) -> QuerySet:
    """Published stories matching `q`, best first, each with `snippet_raw` (markers inside).

    `more_than` on the returned queryset is RESULT_CAP when more stories matched than
    were ranked (PostgreSQL only), else None: the page then says "more than 1,000".
    """
    q = clean_query(q)
    base = (
        Story.objects.published()
        .select_related("issue__series", "section")
        .only(
            "title", "slug", "body", "issue__slug", "issue__title", "issue__number",
            "issue__publication_date", "issue__series__title", "section__title",
        )  # fmt: skip
    )
    if not query_words(q):
        results = base.none()
    elif connection.vendor == "postgresql":
        results = _postgres_search(base, q)
    else:
        results = _fallback_search(base, q)
    if not hasattr(results, "more_than"):
        results.more_than = None
    return results


def _candidate_ids(q: str, cap: int) -> tuple[list[int], bool]:
    """At most `cap` ids of matching live stories, and whether more than `cap` match."""
    params = {
        "q": q,
        "published": Issue.Status.PUBLISHED,
        "now": timezone.now(),
        "cap": cap,
        "over": cap + 1,
    }
    sql = RUM_CANDIDATES_SQL if rum_index_exists() else CANDIDATES_SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    return ids[:cap], len(ids) > cap


def _postgres_search(base: QuerySet, q: str) -> QuerySet:
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    ids, capped = _candidate_ids(q, RESULT_CAP)
    # Captions rank only for the candidates (at most RESULT_CAP rows), never per match.
    captions = Subquery(
        Photo.objects.filter(story=OuterRef("pk"))
        .order_by()
        .values("story")
        .annotate(text=StringAgg("caption", delimiter=" "))
        .values("text"),
        output_field=TextField(),
    )
    rank_vector = (
        StoredVector()
        + SearchVector(captions, weight="C", config=CONFIG)
        + SearchVector("issue__title", weight="D", config=CONFIG)
    )
    results = (
        base.filter(pk__in=ids)
        .annotate(
            rank=SearchRank(rank_vector, query),
            # Computed after ORDER BY ... LIMIT: only for the page shown.
            snippet_raw=SearchHeadline(
                "body",
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", F("issue__publication_date").desc(nulls_last=True), "pk")
    )
    results.more_than = RESULT_CAP if capped else None
    # The candidates are the matching published stories: no COUNT query is needed.
    results.known_count = len(ids)
    return results


class SearchPaginator(Paginator):
    """A Paginator that takes the count the search already knows instead of a COUNT."""

    @cached_property
    def count(self):
        known = getattr(self.object_list, "known_count", None)
        return known if known is not None else super().count


def _fallback_search(base: QuerySet, q: str) -> QuerySet:
    condition = Q()
    for word in query_words(q):
        condition &= (
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(issue__title__icontains=word)
            | Q(pk__in=Photo.objects.filter(caption__icontains=word).values("story_id"))
        )
    return (
        base.filter(condition)
        .annotate(snippet_raw=Value("", output_field=TextField()))
        .order_by(F("issue__publication_date").desc(nulls_last=True), "-issue__number", "pk")
    )


def attach_snippets(stories, q: str) -> None:
    """Give each story a safe `snippet`; on SQLite cut one around the first word found."""
    words = query_words(clean_query(q))
    for story in stories:
        raw = getattr(story, "snippet_raw", "") or _cut_snippet(story.body, words)
        story.snippet = render_snippet(_plain(raw))


def _plain(text: str) -> str:
    """Markdown punctuation out of the way of a one-line snippet."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?m)^\s*(?:#+|>+)\s*", "", text)  # headings and quotes
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def _cut_snippet(body: str, words: list[str]) -> str:
    body = body or ""
    lowered = body.lower()
    positions = [lowered.find(w.lower()) for w in words if lowered.find(w.lower()) >= 0]
    start = max(0, min(positions) - SNIPPET_CHARS // 3) if positions else 0
    excerpt = body[start : start + SNIPPET_CHARS]
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        excerpt = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(body) else ""
    return f"{prefix}{excerpt}{suffix}"


def render_snippet(raw: str) -> SafeString:
    """Escape the whole snippet, then turn balanced private markers into <mark>."""
    escaped = escape(raw)
    marked = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", escaped)
    marked = marked.replace(START, "").replace(STOP, "")
    # Safe: every character of the story text went through escape() above; the only
    # markup is the <mark> pairs added here.
    return mark_safe(marked)  # noqa: S308

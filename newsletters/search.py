"""Searching published stories by their title, body, issue title and photo captions.

PostgreSQL: full-text search. A story's own vector (title weight A, body weight B) is
the expression that migration 0002 indexes with GIN, character for character, so the
planner can use it; issue titles and captions match through their own indexed vectors.
Ranking adds the captions (C) and the issue title (D). Snippets come from
SearchHeadline with private markers, which `render_snippet` turns into <mark> only after
escaping everything else.

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
)
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Issue, Photo, Story

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
CONFIG = "english"
# Control characters: never typed in a search box, and escape() leaves them alone.
START, STOP = "\x02", "\x03"
SNIPPET_CHARS = 220


def clean_query(raw) -> str:
    """The query as searched: capped in length, control characters and extra spaces gone."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(raw or ""))[:MAX_QUERY_LENGTH]
    return " ".join(text.split())


def query_words(q: str) -> list[str]:
    words = re.findall(r"\w[\w'’-]*", q)
    return words[:MAX_WORDS]


def story_vector() -> SearchVector:
    # Must stay identical to the expression indexed in migrations/0002_search_index.py.
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="B", config=CONFIG
    )


def search_stories(q: str) -> QuerySet:
    """Published stories matching `q`, best first, each with `snippet_raw` (markers inside)."""
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
        return base.none()
    if connection.vendor == "postgresql":
        return _postgres_search(base, q)
    return _fallback_search(base, q)


def _postgres_search(base: QuerySet, q: str) -> QuerySet:
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    # One indexed lookup per source, united: an OR across tables would keep the planner
    # from using any of the three GIN indexes.
    by_story = Story.objects.annotate(v=story_vector()).filter(v=query).values("pk")
    by_issue = Story.objects.filter(
        issue__in=Issue.objects.annotate(v=SearchVector("title", config=CONFIG))
        .filter(v=query)
        .values("pk")
    ).values("pk")
    by_caption = (
        Photo.objects.annotate(v=SearchVector("caption", config=CONFIG))
        .filter(v=query)
        .values("story_id")
    )
    matching = by_story.order_by().union(by_issue.order_by(), by_caption.order_by())
    captions = Subquery(
        Photo.objects.filter(story=OuterRef("pk"))
        .order_by()
        .values("story")
        .annotate(text=StringAgg("caption", delimiter=" "))
        .values("text"),
        output_field=TextField(),
    )
    rank_vector = (
        story_vector()
        + SearchVector(captions, weight="C", config=CONFIG)
        + SearchVector("issue__title", weight="D", config=CONFIG)
    )
    return (
        base.filter(pk__in=matching)
        .annotate(
            rank=SearchRank(rank_vector, query),
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


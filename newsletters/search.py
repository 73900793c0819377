"""Searching published stories by their title, body, photo captions and issue title.

PostgreSQL: full-text search over each story's stored search document, the column
`search_vector` that triggers keep up to date (migration 0008): title weight A, body B,
captions C, issue title D, kept inside the table row (migration 0016), so reading it
costs no TOAST look-up. One statement finds the candidates, ranks them with ts_rank on
the stored column (no vector is rebuilt per query) and returns their ids, best first.
At most RESULT_CAP stories are ranked: when more match, those with the words in their
title are taken first, then the others in id order (the same ones at every request),
and the page says "more than RESULT_CAP" instead of counting, because ranking or
counting every match of a common word costs seconds. For words without a phrase the
title's own index is asked first: when more than RESULT_CAP titles hold the words, the
search document is not read at all. `RankedStories` then reads only the stories of the
page shown, in one written-out statement, with ts_headline snippets marked by private
characters, which `render_snippet` turns into <mark> only after escaping everything else.

Phrase queries ("referral mechanism", or hyphenated words, which websearch_to_tsquery
also turns into phrases) are slow through GIN: it stores no word positions, so every
story holding all the words is read again to check the phrase (about 31,000 rows and
230 ms at 100,000 stories, bench/search.py). Most phrases require pairs of neighbouring
words (newsletters.tsquery), which migration 0008 indexes: that index finds the few
stories holding the pairs, and only those are checked (7 ms). The other phrases (with
an OR, a NOT, or a stop word between the quoted words) are answered by the RUM index
of migration 0007 where the optional `rum` extension made it (33 ms), else by GIN.
Whether the RUM index exists is looked up once per process and database
(`rum_index_exists`).

Other databases (SQLite): every word must appear somewhere (icontains, AND-ed), newest
issues first, and a snippet is cut around the first match in Python.
"""

import re
from collections.abc import Sequence

from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Issue, Photo, Section, Series, Story
from .tsquery import pairs_query, required_pairs

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
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


# The story's title alone: identical to the index expression of migration 0006.
TITLE_VECTOR_SQL = "to_tsvector('english'::regconfig, COALESCE(s.title, ''))"
QUERY_SQL = "websearch_to_tsquery('english'::regconfig, %(q)s)"
LIVE_SQL = "i.status = %(published)s AND (i.go_live_at IS NULL OR i.go_live_at <= %(now)s)"
# What each source gives for a matching live story: its id, its rank on the stored
# search document (computed only for the rows a source returns) and its issue's date.
RANKED_COLUMNS = f"s.id, ts_rank(s.search_vector, {QUERY_SQL}) AS rank, i.publication_date AS day"
# Matching stories through the GIN index of the search document (migrations 0006, 0008),
# or for a common word by reading the stories in id order until `over` match. ORDER BY
# makes the choice the same at every request: a LIMIT on a plain scan of a table this
# large starts wherever the previous scan of it stopped (synchronize_seqscans), so the
# same query ranked other candidates each time and page 2 disagreed with page 1.
GIN_MATCHES_SQL = f"""
  SELECT {RANKED_COLUMNS} FROM newsletters_story s JOIN newsletters_issue i ON i.id = s.issue_id
   WHERE s.search_vector @@ {QUERY_SQL} AND {LIVE_SQL} ORDER BY s.id LIMIT %(over)s"""  # noqa: S608
# Phrases that require word pairs (newsletters.tsquery): the pairs index of migration
# 0008 finds the stories that may hold them, and only those are checked for the phrase.
# OFFSET 0 keeps the inner scan to the pairs index alone: combined with the document's
# index in one bitmap, every row would be rechecked, pairs recomputed (250 ms, not 7).
PAIRS_MATCHES_SQL = f"""
  SELECT {RANKED_COLUMNS} FROM (
    SELECT id, issue_id, search_vector FROM newsletters_story
     WHERE newsletters_word_pairs(search_vector) @@ %(pairs)s::tsquery OFFSET 0) s
    JOIN newsletters_issue i ON i.id = s.issue_id
   WHERE s.search_vector @@ {QUERY_SQL} AND {LIVE_SQL} LIMIT %(over)s"""  # noqa: S608
# Name of the RUM index of migration 0007 (optional: only where the extension exists).
RUM_INDEX = "newsletters_story_search_vector_rum"
# Other phrases, where the RUM index exists: migration 0008's function reads it (and
# gives the same three columns); GIN would read again every story holding the words.
RUM_MATCHES_SQL = f"""
  SELECT * FROM newsletters_story_phrase_matches(
    {QUERY_SQL}, %(published)s::text, %(now)s::timestamptz, %(over)s::integer)"""  # noqa: S608
# The ranked candidates, in one statement. At most `over` (cap + 1) matching stories
# are read, so a word found in half the archive costs no more than a rare one. When
# more than `cap` match, stories with the words in their title are taken first (the
# title branch runs only then: its one-time filter is false otherwise). Each candidate
# keeps its place `n` in that choice; n = cap + 1 only says the cap was reached. The
# candidates come ranked from their source: no vector is rebuilt, no row read twice.
# One row comes back: the ids within the cap, best first, and how many candidates
# there were (1,001 rows cost the client more than one array of 1,000 ids).
TITLED_SQL = f"""
  SELECT {RANKED_COLUMNS} FROM newsletters_story s JOIN newsletters_issue i ON i.id = s.issue_id
   WHERE {TITLE_VECTOR_SQL} @@ {QUERY_SQL} AND {LIVE_SQL}"""  # noqa: S608
CHOICE_SQL = """
found AS (SELECT *, 0 AS tier FROM titled UNION ALL SELECT *, 1 FROM matches),
candidates AS (
  SELECT id, rank, day, row_number() OVER (ORDER BY min(tier), id) AS n
    FROM found GROUP BY id, rank, day ORDER BY min(tier), id LIMIT %(over)s)
SELECT array_agg(id ORDER BY rank DESC, day DESC NULLS LAST, id) FILTER (WHERE n <= %(cap)s),
       count(*)
  FROM candidates
"""
RANKED_TEMPLATE = f"""
WITH matches AS ({{matches}}),
titled AS ({TITLED_SQL}
     AND (SELECT count(*) FROM matches) > %(cap)s LIMIT %(cap)s),{CHOICE_SQL}"""  # noqa: S608
# Words only (no phrase): the title branch first, through the title's own index, since
# checking words there needs no positions. When more than `cap` stories have the words
# in their title, they are the candidates and the search document is not read at all
# (a common word: 1,001 stories fewer to read); otherwise as RANKED_TEMPLATE. A phrase
# keeps the order above: its title branch must rebuild each title's vector to check
# the words' positions, which is worth it only when the cap is reached.
WORDS_RANKED_TEMPLATE = f"""
WITH titled AS ({TITLED_SQL} LIMIT %(over)s),
matches AS (
  SELECT * FROM ({{matches}}) m WHERE (SELECT count(*) FROM titled) <= %(cap)s),{CHOICE_SQL}"""  # noqa: S608
RANKED_SQL = WORDS_RANKED_TEMPLATE.format(matches=GIN_MATCHES_SQL)
PHRASE_RANKED_SQL = RANKED_TEMPLATE.format(matches=GIN_MATCHES_SQL)
PAIRS_RANKED_SQL = RANKED_TEMPLATE.format(matches=PAIRS_MATCHES_SQL)
RUM_RANKED_SQL = RANKED_TEMPLATE.format(matches=RUM_MATCHES_SQL)
# Letters and digits, words separated by one space (clean_query's form): PostgreSQL's
# parser reads each such word as one token, so websearch_to_tsquery makes no phrase of
# them and RANKED_SQL is the statement, chosen without a round trip to ask. Anything
# else (quotes, hyphens, apostrophes, underscores) is read by PostgreSQL first.
PLAIN_WORDS_RE = re.compile(r"[^\W_]+(?: [^\W_]+)*")
# (database alias, database name) -> whether the RUM index exists there. The name is
# part of the key because tests rename the database behind the same alias.
_rum_index_memo: dict[tuple[str, str], bool] = {}


def rum_index_exists(conn=connection) -> bool:
    """Whether migration 0007 built the RUM index here: one catalogue look-up per process.

    Not looked up again: the index comes and goes only with migrations, after which
    the processes restart.
    """
    key = (conn.alias, conn.settings_dict.get("NAME") or "")
    if key not in _rum_index_memo:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
            _rum_index_memo[key] = bool(cursor.fetchone()[0])
    return _rum_index_memo[key]


def search_stories(q: str):
    """Published stories matching `q`, best first, each with `snippet_raw` (markers inside).

    A sequence for Django's Paginator: a queryset on SQLite, `RankedStories` on
    PostgreSQL. Its `more_than` is RESULT_CAP when more stories matched than were
    ranked (PostgreSQL only), else None: the page then says "more than 1,000".
    """
    q = clean_query(q)
    if connection.vendor == "postgresql":
        return _postgres_search(q) if query_words(q) else RankedStories(q, [], None)
    base = (
        Story.objects.published()
        .select_related("issue__series", "section")
        .only(
            "title", "slug", "body", "issue__slug", "issue__title", "issue__number",
            "issue__publication_date", "issue__date_precision", "issue__series__title",
            "section__title",
        )  # fmt: skip
    )
    results = _fallback_search(base, q) if query_words(q) else base.none()
    results.more_than = None
    return results


def ranked_ids(q: str, cap: int) -> tuple[list[int], bool]:
    """Ids of at most `cap` matching live stories, best first, and whether more match."""
    params = {
        "q": q,
        "published": Issue.Status.PUBLISHED,
        "now": timezone.now(),
        "cap": cap,
        "over": cap + 1,
    }
    with connection.cursor() as cursor:
        if PLAIN_WORDS_RE.fullmatch(q):
            sql = RANKED_SQL  # only stop words match nothing there, as below
        else:
            # The query as PostgreSQL reads it says which source answers it best.
            cursor.execute(f"SELECT {QUERY_SQL}::text", {"q": q})
            tsquery = cursor.fetchone()[0]
            if not tsquery:
                return [], False  # only stop words: nothing can match
            sql = _ranked_sql(tsquery, params)
        cursor.execute(sql, params)
        ids, candidates = cursor.fetchone()
    return ids or [], candidates > cap


def _ranked_sql(tsquery: str, params: dict) -> str:
    """The statement for this query: pairs index, RUM or GIN (adds `pairs` to params)."""
    if "<" not in tsquery:  # no phrase operator (<-> or <N>): words only
        return RANKED_SQL
    pairs = required_pairs(tsquery)
    if pairs:
        params["pairs"] = pairs_query(pairs)
        return PAIRS_RANKED_SQL
    return RUM_RANKED_SQL if rum_index_exists() else PHRASE_RANKED_SQL


# The stories of a page, still live, with what the results page shows of them and a
# snippet made by ts_headline (markers START and STOP around the matched words). Written
# out rather than built by the ORM: building that query and its rows took about 2 ms of
# Python per page (bench/search.py), more than the statement itself.
PAGE_SQL = f"""
SELECT s.id, s.title, s.slug, s.body, s.section_id, s.issue_id,
       ts_headline('english'::regconfig, s.body, {QUERY_SQL}, %(options)s),
       sec.title, i.slug, i.title, i.number, i.publication_date, i.date_precision,
       i.series_id, se.title
  FROM newsletters_story s
  JOIN newsletters_issue i ON i.id = s.issue_id
  JOIN newsletters_section sec ON sec.id = s.section_id
  JOIN newsletters_series se ON se.id = i.series_id
 WHERE s.id = ANY(%(ids)s) AND {LIVE_SQL}"""  # noqa: S608
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2, "
    "FragmentDelimiter=' … '"
)


def _instance(model, db: str, values: dict):
    """A model instance as the ORM loads it with only these fields (the others deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def _page_story(row, db: str) -> Story:
    """A Story from a PAGE_SQL row, with its section, issue and series attached."""
    (story_id, title, slug, body, section_id, issue_id, snippet, section_title, issue_slug,
     issue_title, number, day, precision, series_id, series_title) = row  # fmt: skip
    story = _instance(Story, db, {"id": story_id, "title": title, "slug": slug, "body": body,
                                  "section_id": section_id, "issue_id": issue_id})  # fmt: skip
    story.snippet_raw = snippet
    story.section = _instance(Section, db, {"id": section_id, "title": section_title})
    issue = _instance(Issue, db, {"id": issue_id, "slug": issue_slug, "title": issue_title,
                                  "number": number, "publication_date": day,
                                  "date_precision": precision, "series_id": series_id})  # fmt: skip
    issue.series = _instance(Series, db, {"id": series_id, "title": series_title})
    story.issue = issue
    return story


class RankedStories(Sequence):
    """Ranked story ids; slicing fetches those stories, with their snippets, in order.

    Only the page shown is read from the table, so ranking 1,000 candidates never
    loads 1,000 story bodies.
    """

    def __init__(self, q: str, ids: list[int], more_than: int | None):
        self.q, self.ids, self.more_than = q, ids, more_than

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        # One query for them all, not Sequence's one query per item.
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            position = range(len(self))[index]  # IndexError as a list would raise it
            found = self[position : position + 1]
            if not found:
                raise IndexError("the story was unpublished after the search")
            return found[0]
        ids = self.ids[index]
        if not ids:
            return []
        params = {"q": self.q, "ids": ids, "options": HEADLINE_OPTIONS,
                  "published": Issue.Status.PUBLISHED, "now": timezone.now()}  # fmt: skip
        with connection.cursor() as cursor:
            # No ORDER BY: the ranked order is restored below, from `ids`.
            cursor.execute(PAGE_SQL, params)
            rows = cursor.fetchall()
        by_id = {story.pk: story for story in (_page_story(row, connection.alias) for row in rows)}
        # A story unpublished between the two queries is left out, not shown.
        return [by_id[story_id] for story_id in ids if story_id in by_id]


def _postgres_search(q: str) -> RankedStories:
    ids, capped = ranked_ids(q, RESULT_CAP)
    return RankedStories(q, ids, RESULT_CAP if capped else None)


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
    end = min(len(body), start + SNIPPET_CHARS)
    # On word boundaries: start at the beginning of the word `start` falls in, end
    # after the last whole word.
    if start and not body[start - 1].isspace():
        previous = max(body.rfind(c, 0, start) for c in " \n\t")
        start = previous + 1 if previous >= 0 else 0
    if end < len(body) and not body[end].isspace():
        last = max(body.rfind(c, start, end) for c in " \n\t")
        if last > start:
            end = last
    excerpt = body[start:end].strip()
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        excerpt = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    prefix = "… " if start else ""
    suffix = " …" if end < len(body) else ""
    return f"{prefix}{excerpt}{suffix}"


def render_snippet(raw: str) -> SafeString:
    """Escape the whole snippet, then turn balanced private markers into <mark>."""
    escaped = escape(raw)
    marked = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", escaped)
    marked = marked.replace(START, "").replace(STOP, "")
    # Safe: every character of the story text went through escape() above; the only
    # markup is the <mark> pairs added here.
    return mark_safe(marked)  # noqa: S308


# Queries that are looking for someone to call or write to: the directory has them.
CONTACT_WORDS = {
    "hotline", "hotlines", "helpline", "helplines", "contact", "contacts", "phone", "phones",
    "telephone", "call", "number", "numbers", "email", "e-mail", "mission", "office",
}  # fmt: skip


def directory_suggestion(q: str) -> dict | None:
    """Where in the directory a query about contacts or a country should look, or None.

    {"url": ..., "country": name or ""}: a country named in the query points to its
    directory page, a contact word to the whole directory. One query (country names).
    """
    from directory.models import Country

    words = [w.casefold() for w in query_words(clean_query(q))]
    if not words:
        return None
    text = " ".join(words)
    for name, slug in Country.objects.values_list("name", "slug"):
        if name.casefold() in text:
            return {"url": reverse("directory:country", args=[slug]), "country": name}
    if CONTACT_WORDS & set(words):
        return {"url": reverse("directory:index"), "country": ""}
    return None

"""The story's search vector becomes its whole search document, kept by triggers.

Until 0007 `search_vector` held the title (A) and body (B) only; captions (C) and the
issue title (D) were matched through their own expression indexes and turned into
vectors again for every ranked candidate, about two thirds of a broad query's time at
100,000 stories (bench/search.py). A generated column may read only its own row, so
the column becomes a plain one, written by triggers:

- a story's own INSERT, or an UPDATE that changes its title, body or issue, computes it
  (BEFORE trigger, so the row is written once);
- a photo's INSERT, DELETE, or change of caption or story, recomputes its story's;
- an issue's change of title recomputes the vectors of its stories.

Bulk writes (`QuerySet.update`, `bulk_create`, the importer) are covered as well, since
PostgreSQL runs the triggers, not Django. The caption and issue-title expression indexes
of 0002 are dropped: nothing matches them any more.

Quoted phrases: a story holding "referral mechanism" holds the neighbouring pair
"referr mechan", so a GIN index on `newsletters_word_pairs(search_vector)` (one lexeme
per pair of neighbouring words) finds the few stories that may hold a phrase, and only
those are checked for it; newsletters.tsquery says which pairs a query requires. For a
phrase whose words are each in 56% of 100,000 stories, newsletters.search ranks its
matches in 7 ms this way, 33 ms through RUM (below) and 230 ms through the GIN index of
single words, which must read again every story holding both (bench/search.py's data).

For phrases that require no pair for certain (an OR, a NOT, a stop word inside the
quotes), `newsletters_story_phrase_matches` reads the RUM index of 0007 without
ordering by rank: its SET clauses, which apply inside the function only, rule out the
GIN bitmap and the table scan, and the MATERIALIZED step keeps the planner from
starting at the issues, so PostgreSQL takes the one index that stores word positions
(22-26 ms for that scan, against 52 ms when the index also orders by rank).
newsletters.search calls it only where that index exists.

PostgreSQL only; SQLite never sees any of this.
"""

import importlib

from django.db import migrations

# The search document; weights as in 0006, captions in their editorial order.
DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION newsletters_story_document(
    story_id bigint, issue_id bigint, title text, body text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
      || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')
      || setweight(to_tsvector('english'::regconfig, COALESCE(
           (SELECT string_agg(p.caption, ' ' ORDER BY p.position, p.id)
              FROM newsletters_photo p WHERE p.story_id = $1), '')), 'C')
      || setweight(to_tsvector('english'::regconfig, COALESCE(
           (SELECT i.title FROM newsletters_issue i WHERE i.id = $2), '')), 'D')
$$
"""
RECOMPUTE = "search_vector = newsletters_story_document(s.id, s.issue_id, s.title, s.body)"
TRIGGER_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION newsletters_story_document_own() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := newsletters_story_document(NEW.id, NEW.issue_id, NEW.title, NEW.body);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION newsletters_story_document_of_photo() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE newsletters_story s SET {RECOMPUTE}
   WHERE s.id IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.story_id END,
                  CASE WHEN TG_OP <> 'INSERT' THEN OLD.story_id END);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION newsletters_story_document_of_issue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE newsletters_story s SET {RECOMPUTE} WHERE s.issue_id = NEW.id;
  RETURN NULL;
END $$;
"""
# Name -> its CREATE TRIGGER. UPDATE triggers fire only when a column they read changed:
# the admin saves every column of a row on each save.
TRIGGERS = {
    ("newsletters_story_document_insert", "newsletters_story"): """
        BEFORE INSERT ON newsletters_story
        FOR EACH ROW EXECUTE FUNCTION newsletters_story_document_own()""",
    ("newsletters_story_document_update", "newsletters_story"): """
        BEFORE UPDATE OF title, body, issue_id ON newsletters_story FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.body IS DISTINCT FROM NEW.body
              OR OLD.issue_id IS DISTINCT FROM NEW.issue_id)
        EXECUTE FUNCTION newsletters_story_document_own()""",
    ("newsletters_photo_document_write", "newsletters_photo"): """
        AFTER INSERT OR DELETE ON newsletters_photo
        FOR EACH ROW EXECUTE FUNCTION newsletters_story_document_of_photo()""",
    ("newsletters_photo_document_update", "newsletters_photo"): """
        AFTER UPDATE OF caption, story_id ON newsletters_photo FOR EACH ROW
        WHEN (OLD.caption IS DISTINCT FROM NEW.caption OR OLD.story_id IS DISTINCT FROM NEW.story_id)
        EXECUTE FUNCTION newsletters_story_document_of_photo()""",
    ("newsletters_issue_document_update", "newsletters_issue"): """
        AFTER UPDATE OF title ON newsletters_issue FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title)
        EXECUTE FUNCTION newsletters_story_document_of_issue()""",
}
# Live stories matching a tsquery, at most `lim`, read through the RUM index (see
# above), with their rank and issue date as newsletters.search.RANKED_COLUMNS gives them.
PHRASE_FUNCTION = """
CREATE OR REPLACE FUNCTION newsletters_story_phrase_matches(
    q tsquery, published text, now timestamptz, lim integer
) RETURNS TABLE (id bigint, rank real, day date) LANGUAGE sql STABLE
SET enable_bitmapscan = off SET enable_seqscan = off AS $$
  WITH matches AS MATERIALIZED (
    SELECT s.id, s.issue_id, s.search_vector FROM newsletters_story s
     WHERE s.search_vector @@ q)
  SELECT m.id, ts_rank(m.search_vector, q), i.publication_date
    FROM matches m JOIN newsletters_issue i ON i.id = m.issue_id
   WHERE i.status = published AND (i.go_live_at IS NULL OR i.go_live_at <= now)
   LIMIT lim
$$
"""
# Every pair of neighbouring words of a document, as one lexeme "first second" (no
# positions or weights), for newsletters.tsquery.required_pairs. Neighbours are read
# from the document's own positions, so a pair exists wherever a two-word phrase of the
# document's tsquery could match (a stop word leaves a gap, and no pair). A pair longer
# than a lexeme may be (2,047 bytes) is left out, or writing the story would fail;
# newsletters.tsquery.required_pairs never asks for one.
PAIRS_FUNCTION = """
CREATE OR REPLACE FUNCTION newsletters_word_pairs(doc tsvector)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)),
                  ''::tsvector)
    FROM (SELECT u.lexeme, p FROM unnest(doc) u, unnest(u.positions) p) a
    JOIN (SELECT u.lexeme, p FROM unnest(doc) u, unnest(u.positions) p) b ON b.p = a.p + 1
   WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 2047
$$
"""
PAIRS_INDEX = "newsletters_story_word_pairs_gin"
FUNCTIONS = [
    "newsletters_word_pairs(tsvector)",
    "newsletters_story_phrase_matches(tsquery, text, timestamptz, integer)",
    "newsletters_story_document_own()",
    "newsletters_story_document_of_photo()",
    "newsletters_story_document_of_issue()",
    "newsletters_story_document(bigint, bigint, text, text)",
]
# Matched no more: the document holds captions and the issue title (created by 0002).
UNUSED_0002_INDEXES = ["newsletters_issue_title_search_gin", "newsletters_photo_caption_search_gin"]


def make_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE newsletters_story ALTER COLUMN search_vector DROP EXPRESSION")
    schema_editor.execute(DOCUMENT_FUNCTION)
    schema_editor.execute(TRIGGER_FUNCTIONS)
    for (name, table), definition in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {definition}")
    schema_editor.execute(f"UPDATE newsletters_story s SET {RECOMPUTE}")
    schema_editor.execute(PHRASE_FUNCTION)
    schema_editor.execute(PAIRS_FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX {PAIRS_INDEX} ON newsletters_story "
        "USING GIN (newsletters_word_pairs(search_vector))"
    )
    for name in UNUSED_0002_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def back_to_generated_column(apps, schema_editor):
    """Back to 0007: the generated title-and-body column, its indexes, 0002's indexes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {PAIRS_INDEX}")
    for name, table in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for signature in FUNCTIONS:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {signature}")
    # Dropping the column drops its GIN and RUM indexes; 0006 and 0007 make them again.
    schema_editor.execute("ALTER TABLE newsletters_story DROP COLUMN search_vector")
    migrations_module = "newsletters.migrations"
    m0002 = importlib.import_module(f"{migrations_module}.0002_search_index")
    m0006 = importlib.import_module(f"{migrations_module}.0006_story_search_vector")
    m0007 = importlib.import_module(f"{migrations_module}.0007_story_search_rum")
    m0002.create_indexes(apps, schema_editor)  # IF NOT EXISTS: only the two dropped here
    m0006.add_column(apps, schema_editor)
    m0007.add_rum_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0007_story_search_rum")]

    operations = [migrations.RunPython(make_document, back_to_generated_column, elidable=False)]

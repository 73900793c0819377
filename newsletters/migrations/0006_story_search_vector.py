"""A stored search vector for stories, with a GIN index, on PostgreSQL only.

Ranking with the expression indexes of 0002 rebuilt to_tsvector for every matched row:
1.2-4.9 s for a word found in half of 100,000 stories (bench/search.py). A STORED
generated column is computed once, when a row is written, so ranking reads it instead.
PostgreSQL fills it on every INSERT and UPDATE of title or body: the Django model does
not declare it, so SQLite, historical models and inserts are untouched.

A title-only expression index lets a broad query (more matches than the search ranks)
pick stories with the words in their title first. The expression index on stories from
0002 is dropped: the search now matches the column. The issue-title and caption
expression indexes stay; the search still uses them.
"""

from django.db import migrations

STORY_INDEX_0002 = "newsletters_story_search_gin"
# As in 0002: re-created by the reverse so that migrating back restores that state.
STORY_EXPRESSION_0002 = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B'))"
)
# Must stay identical to newsletters.search.TITLE_VECTOR_SQL, or the index is not used.
TITLE_INDEX = "newsletters_story_title_search_gin"
TITLE_EXPRESSION = "to_tsvector('english'::regconfig, COALESCE(title, ''))"


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE newsletters_story ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')"
        ") STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS newsletters_story_search_vector_gin "
        "ON newsletters_story USING GIN (search_vector)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TITLE_INDEX} ON newsletters_story "
        f"USING GIN (({TITLE_EXPRESSION}))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {STORY_INDEX_0002}")


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {STORY_INDEX_0002} ON newsletters_story "
        f"USING GIN (({STORY_EXPRESSION_0002}))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {TITLE_INDEX}")
    # Dropping the column drops its index too.
    schema_editor.execute("ALTER TABLE newsletters_story DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0005_index_import_sources")]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]

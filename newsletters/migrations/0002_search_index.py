"""Full-text search indexes on PostgreSQL (GIN on expressions); nothing on other databases.

The story expression must stay identical to `newsletters.search.story_vector()`, or the
planner will not use the index; tests/newsletters/test_search.py checks with EXPLAIN.
"""

from django.db import migrations

INDEXES = {
    "newsletters_story_search_gin": (
        "newsletters_story",
        "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B'))",
    ),
    "newsletters_issue_title_search_gin": (
        "newsletters_issue",
        "to_tsvector('english'::regconfig, COALESCE(title, ''))",
    ),
    "newsletters_photo_caption_search_gin": (
        "newsletters_photo",
        "to_tsvector('english'::regconfig, COALESCE(caption, ''))",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN (({expression}))")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

"""A RUM index on the stored story search vector, where the `rum` extension exists.

GIN cannot answer a phrase query ("referral mechanism"): it finds the stories holding
both words and PostgreSQL rechecks each of them for the phrase, about 31,000 rows and
120 ms at 100,000 stories (bench/search.py). RUM (Debian package postgresql-15-rum)
stores word positions in the index, so it answers the phrase itself, and it can return
the matches ordered by rank (`search_vector <=> query`). newsletters.search uses this
index for phrase queries when it exists and keeps the GIN path of 0006 otherwise.

Optional by design: where the extension is not installed, or the database user may not
create it (CREATE EXTENSION rum needs a superuser), nothing is done and migrate goes on;
search then keeps the GIN path. PostgreSQL only; SQLite never sees any of this.
"""

from django.db import DatabaseError, migrations, transaction

# newsletters.search looks this name up to choose its candidate query.
RUM_INDEX = "newsletters_story_search_vector_rum"


def add_rum_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
    try:
        # A savepoint: a refused CREATE EXTENSION (insufficient privilege) must not
        # abort the migration's transaction.
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError:
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON newsletters_story "
        "USING rum (search_vector rum_tsvector_ops)"
    )


def drop_rum_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it, and keeping it is harmless.
    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0006_story_search_vector")]

    operations = [migrations.RunPython(add_rum_index, drop_rum_index, elidable=False)]

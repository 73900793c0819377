"""The stored story search document stays inside the table row (PostgreSQL only).

A tsvector column has EXTENDED storage: in a row over about 2 KB, PostgreSQL moves its
largest value out to the TOAST table, and the search document (about 1.2 KB in
bench/search.py's stories, beside body and body_html) was that value. Ranking then
fetched each candidate's document through the TOAST index: four buffer reads per story,
20 ms to rank 1,000 candidates at 100,000 stories, against 1.5 ms with the document in
the row (bench/search.py). MAIN storage keeps it in the row, compressed if need be, and
moves body and body_html out first; only a document too large for any row is still
stored outside.

SET STORAGE applies to rows written afterwards, so every row is written again with an
identical document (`|| ''` makes a new value; the same pointer would be kept as it
is). The story triggers of migration 0008 fire on title, body and issue only: this
UPDATE recomputes nothing.
"""

from django.db import migrations


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE newsletters_story ALTER COLUMN search_vector SET STORAGE MAIN"
    )
    schema_editor.execute(
        "UPDATE newsletters_story SET search_vector = search_vector || ''::tsvector "
        "WHERE search_vector IS NOT NULL"
    )


def back_to_extended(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Rows already written keep their layout; only storage for new rows changes back.
    schema_editor.execute(
        "ALTER TABLE newsletters_story ALTER COLUMN search_vector SET STORAGE EXTENDED"
    )


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0015_safe_publishing")]

    operations = [migrations.RunPython(keep_in_row, back_to_extended, elidable=False)]

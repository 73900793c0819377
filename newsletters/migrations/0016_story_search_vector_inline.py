"""The stored story search document stays inside the table row (PostgreSQL only).

A tsvector column has EXTENDED storage: in a row over about 2 KB, PostgreSQL moves its
largest value out to the TOAST table, and the search document (about 1.2 KB in
bench/search.py's stories, beside body and body_html) was that value. Ranking then
fetched each candidate's document through the TOAST index: four buffer reads per story,
20 ms to rank 1,000 candidates at 100,000 stories, against 1.5 ms with the document in
the row (bench/search.py). MAIN storage keeps it in the row; only a document too large
for any row is still stored outside.

`toast_tuple_target = 128` moves body and body_html out of a row over 2 KB, where they
were compressed inside it: a row is then mostly its search document, and a broad search,
which reads stories until 1,000 match, reads 134 MB of table instead of 215 MB at
100,000 stories (a fifth less CPU for that scan). Pages that show a body read it from
the TOAST table: one more index look-up per story shown.

Both apply to rows written afterwards, so every row is written again with identical
values (`|| ''` makes a new value; the same pointer would be kept as it is). The story
triggers of migration 0008 fire only when title, body or issue differ: this UPDATE
recomputes nothing.
"""

from django.db import migrations


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE newsletters_story ALTER COLUMN search_vector SET STORAGE MAIN"
    )
    schema_editor.execute("ALTER TABLE newsletters_story SET (toast_tuple_target = 128)")
    schema_editor.execute(
        "UPDATE newsletters_story SET search_vector = search_vector || ''::tsvector, "
        "body = body || '', body_html = body_html || ''"
    )


def back_to_extended(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Rows already written keep their layout; only rows written afterwards change back.
    schema_editor.execute("ALTER TABLE newsletters_story RESET (toast_tuple_target)")
    schema_editor.execute(
        "ALTER TABLE newsletters_story ALTER COLUMN search_vector SET STORAGE EXTENDED"
    )


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0015_safe_publishing")]

    operations = [migrations.RunPython(keep_in_row, back_to_extended, elidable=False)]

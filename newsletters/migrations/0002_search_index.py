"""Full-text search index on PostgreSQL (filled in by the public-search work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial")]

    operations = []

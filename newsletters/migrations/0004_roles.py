"""Editor and Publisher groups with their permissions (see newsletters/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from newsletters.roles import ensure_roles

    ensure_roles(apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from newsletters.roles import EDITOR, PUBLISHER

    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PUBLISHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0003_history"),
        ("newsletters", "0003_history_renditions_publish_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

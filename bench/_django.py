"""Django set up in a benchmark's own process, on a fresh SQLite database in a folder.

For the benchmarks that drive the site through Django's test client (admin_editor.py,
admin_import.py): the test settings (plain static storage, no HTTPS redirect for the
test client), media under the same folder, every migration applied.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup_sqlite(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

"""`manage.py load_demo`: the invented demo archive, published, and a demo login.

Imports `sample_archive/` (repo root) through the same importer as
`import_newsletters --publish`, so running it again changes nothing, then creates the
staff superuser `demo` unless a user of that name already exists. `make run` calls it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsletters.importing.loader import import_sources
from newsletters.management.dbready import require_migrated_database

DEMO_SERIES = "Regional Migration Bulletin"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-change-me"  # noqa: S105 - a documented local demo login
ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = "Import the invented demo archive (published) and create the demo staff login."

    def handle(self, *args, **options):
        require_migrated_database()
        archive = settings.BASE_DIR / "sample_archive"
        if not archive.is_dir():
            raise CommandError(f"the demo archive {archive} is missing")
        errors = 0
        for report in import_sources([archive], series=DEMO_SERIES, publish=True):
            name = report.path.removeprefix(str(archive) + "/")
            if report.status == "error":
                errors += 1
                self.stderr.write(f"{name}: {report.error}")
            else:
                self.stdout.write(f"{name}: {report.result.message}")

        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(f"User {DEMO_USERNAME!r} already exists: left as it is.")
        else:
            User.objects.create_superuser(DEMO_USERNAME, "demo@example.org", DEMO_PASSWORD)
            self.stdout.write(f"Created the staff user {DEMO_USERNAME!r}.")
        self.stdout.write(
            f"Log in at {ADMIN_URL} as {DEMO_USERNAME} / {DEMO_PASSWORD} "
            "(a demo login: change the password anywhere but your own machine)."
        )
        if errors:
            raise CommandError(f"{errors} demo file(s) could not be imported")

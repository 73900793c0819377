"""App configuration for the newsletters."""
from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The public page cache follows both apps' models; one place connects them all.
        from .signals import connect_signals

        connect_signals()
        from .revisions import connect_revision_signals

        connect_revision_signals()
        # After the admin's autodiscover: axes has registered its tables by now.
        from .admin_tidy import restrict_axes_admin

        restrict_axes_admin()

"""App configuration for the subscribers and the e-mail edition."""

from django.apps import AppConfig


class SubscribersConfig(AppConfig):
    name = "subscribers"
    verbose_name = "Subscribers and e-mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Bounces and complaints reported by the e-mail provider's webhooks (django-anymail).
        from . import checks  # noqa: F401 - registers the deploy checks
        from .webhooks import connect_tracking

        connect_tracking()

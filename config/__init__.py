"""Project configuration: settings, URL routes, the WSGI entry point and the Celery app."""

# Loaded with Django, so @shared_task binds to this app and its settings.
from .celery import app as celery_app

__all__ = ("celery_app",)

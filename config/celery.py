"""The Celery application: settings from Django's (CELERY_*), tasks from the apps.

`make worker` runs `celery -A config worker`. Without a broker (no REDIS_URL, the `make
run` demo) settings make tasks run in-process (CELERY_TASK_ALWAYS_EAGER).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("newsletters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

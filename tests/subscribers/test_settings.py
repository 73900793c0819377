"""Mail and queue settings from the environment: EMAIL_URL, EMAIL_*, anymail, Celery."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS",
         "EMAIL_TIMEOUT", "ANYMAIL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"]  # fmt: skip
CLEAR = {"EMAIL_URL", "EMAIL_HOST", "EMAIL_BACKEND", "REDIS_URL", "CELERY_BROKER_URL"}


def settings_with(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {NAMES!r}}}, default=str))"
    )
    full = {k: v for k, v in os.environ.items() if k not in CLEAR and not k.startswith("ANYMAIL_")}
    full.update(env, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_defaults_write_files_and_run_tasks_in_process():
    found = settings_with()
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert found["CELERY_TASK_ALWAYS_EAGER"] is True
    assert found["CELERY_BROKER_URL"] == "memory://"


def test_email_url():
    found = settings_with(EMAIL_URL="smtp://mailer:secret@smtp.example.org:587/?tls=True")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_USE_TLS"]) == ("mailer", True)
    assert found["EMAIL_TIMEOUT"] == 30


def test_email_host_variables_and_redis_broker():
    found = settings_with(EMAIL_HOST="relay.example.org", EMAIL_PORT="2525",
                          REDIS_URL="redis://127.0.0.1:6379/3")  # fmt: skip
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("relay.example.org", 2525)
    assert found["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
    assert found["CELERY_TASK_ALWAYS_EAGER"] is False


def test_anymail_backend_and_its_settings():
    found = settings_with(
        EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
        ANYMAIL_MAILGUN_API_KEY="key-123",
        ANYMAIL_WEBHOOK_SECRET="hooks:pw",
    )
    assert found["EMAIL_BACKEND"] == "anymail.backends.mailgun.EmailBackend"
    assert found["ANYMAIL"] == {"MAILGUN_API_KEY": "key-123", "WEBHOOK_SECRET": "hooks:pw"}

"""gunicorn settings for `make serve`, all overridable from the environment.

WEB_CONCURRENCY  workers (default 2 x cores + 1, at most 12: each worker holds a
                 database connection, and PostgreSQL's default limit is 100)
BIND             address (default 127.0.0.1:8000; a proxy in front terminates TLS)
GUNICORN_TIMEOUT seconds before a stuck worker is replaced (default 30)
FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-* (default 127.0.0.1)
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow for ever; the jitter keeps
# them from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request-line and header limits are gunicorn's defaults; bodies are capped by
# MAX_REQUEST_BYTES in config.middleware.
limit_request_line = 4094

"""Settings, read from environment variables with safe defaults for local use.

Variables: DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, MEDIA_ROOT,
CSRF_TRUSTED_ORIGINS, IMPORT_MAX_FILE_BYTES, CACHE_DIR, CACHE_MAX_ENTRIES, SITE_NAME,
API_THROTTLE_RATE, PDF_ON_PUBLISH, PDF_BASE_URL. With DEBUG off the site refuses to start
without a SECRET_KEY, so a forgotten variable cannot ship a guessable key.

A local `.env` beside manage.py (written by `make run`: DEBUG=1 and a generated key) is
read first; variables already set in the environment win over it. ENV_FILE names
another file, or none when empty (the test suite sets it empty).
"""

import os
from pathlib import Path

import dj_database_url
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY to a long random "
            "string for production, or run `make run` once (it writes a local .env with "
            "DEBUG=1 and a generated key) for local development."
        )
    # Local development only: a fixed, obviously insecure key.
    SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "import_export",
    "simple_history",
    # The one-page issue editor's nested, sortable inlines (newsletters/admin_editor.py).
    "nested_admin",
    "directory",
    "newsletters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsletters.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo database. WAL lets pages be read while an import writes; with it,
    # synchronous=NORMAL stops every commit from waiting for the disk (a power cut may
    # lose the last commits, never corrupt the file), which made a commit per imported
    # issue about 20% of the import's time. IMMEDIATE takes the write lock at BEGIN, so
    # two writers queue (up to `timeout` seconds) instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis outage degrades to cache misses (config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsletters",
            # A stalled Redis must fail fast rather than hold every worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Without Redis, a cache on disk that every worker of the machine shares: content
    # versions, validators and stored pages are then the same in every worker, so a
    # publish shows everywhere on the next request (a per-worker local-memory cache kept
    # serving old pages for up to 10 minutes). The page cache is bounded by MAX_ENTRIES.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", 5000))},
        }
    }

# What the public page cache (core/caching.py) asks of the content: when it last
# changed and when the next scheduled issue goes live.
PUBLIC_SCHEDULE = "newsletters.publishing.public_schedule"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Archive import limits (bytes); see newsletters/importing/reader.py.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024))
IMPORT_MAX_ZIP_ENTRIES = int(os.environ.get("IMPORT_MAX_ZIP_ENTRIES", 1000))
IMPORT_MAX_ZIP_BYTES = int(os.environ.get("IMPORT_MAX_ZIP_BYTES", 100 * 1024 * 1024))
# One upload on the admin's import page (previewed, then imported, one request each):
# bounded so each request answers within seconds; bigger batches go through the CLI.
ADMIN_IMPORT_MAX_FILES = int(os.environ.get("ADMIN_IMPORT_MAX_FILES", 300))
ADMIN_IMPORT_MAX_TEXT_BYTES = int(os.environ.get("ADMIN_IMPORT_MAX_TEXT_BYTES", 4 * 1024 * 1024))

# Uploads: a photo is at most this many bytes and pixels (decompression bombs).
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 10 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000))

# Uploaded photos are served by Django (config/media.py), which serves a draft issue's
# images to staff only. SERVE_MEDIA=0 leaves media to a web server or object storage,
# which cannot tell drafts apart: prefer MEDIA_ACCEL_REDIRECT=/protected-media/ (an
# nginx `internal` location aliasing MEDIA_ROOT), so Django checks and nginx sends.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

# The spreadsheet preview keeps the uploaded sheet between preview and confirm: in the
# shared cache when there is one (every worker sees it), else in media storage (never
# served: config/media.py serves only image folders). The local-memory cache would lose
# it whenever the confirm lands on another worker.
IMPORT_EXPORT_TMP_STORAGE_CLASS = (
    "import_export.tmp_storages.CacheStorage"
    if REDIS_URL
    else "import_export.tmp_storages.MediaStorage"
)

ISSUES_PER_PAGE = 12
# The publisher's name in feeds, shared links and structured data.
SITE_NAME = os.environ.get("SITE_NAME", "Newsletter archive")
# PDF editions (newsletters/edition.py): made when staff publish an issue, for links
# under PDF_BASE_URL (the site's public address); otherwise on the first download.
PDF_ON_PUBLISH = env_bool("PDF_ON_PUBLISH", True)
# The public address, as in mails: SITE_URL unless the PDF's links must differ.
PDF_BASE_URL = os.environ.get("PDF_BASE_URL") or os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The public API (config/rest.py, config/throttling.py): read-only JSON, no authentication
# (so no CSRF and no session), one error shape, a request rate per client address.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "300/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["config.throttling.ApiRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.rest.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsletter API",
    "DESCRIPTION": (
        "Read-only JSON of the published issues and the directory. Errors share one "
        "shape; pages send ETag and Last-Modified and answer 304 to a matching request."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from drf-spectacular-sidecar: nothing from another host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Anyone's page may read the API with GET; nothing else crosses origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# ---------------------------------------------------------------------------
# Security and production (issue 6)
# ---------------------------------------------------------------------------
# With DEBUG off every default here is the production-safe one, so that
# `manage.py check --deploy` is clean. Variables:
#   SECURE_SSL_REDIRECT (default on)        redirect http:// to https://
#   SECURE_PROXY_SSL_HEADER (default off)   trust X-Forwarded-Proto: https from the proxy
#   SECURE_HSTS_SECONDS (default 1 year)
#   SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD (default off: opt in, see below)
#   SECURE_COOKIES (default on)             session and CSRF cookies only over HTTPS
#   CSP_EXTRA_IMG_SRC                       more image origins (e.g. an object-storage host)
#   MARKDOWN_IMAGE_HOSTS                    hosts stories may show images from (https only)
#   MAX_REQUEST_BYTES                       larger request bodies get 413 before parsing
# To try production settings over plain HTTP on your own machine:
#   SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
from datetime import timedelta  # noqa: E402

from csp.constants import NONE, SELF, UNSAFE_HASHES  # noqa: E402

INSTALLED_APPS += ["csp", "axes"]

# The 503 middleware sits innermost so it sees a view's database error first;
# axes wants to be last.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")  # fmt: skip
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
                  "config.middleware.SecurityHeadersMiddleware")  # fmt: skip
# Stored public pages are answered right after the HTTPS redirect, before the rest of
# the stack (core/pagecache.py); the stored headers include CSP's.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "core.pagecache.PublicPageCacheMiddleware")  # fmt: skip
MIDDLEWARE += [
    "config.admin_guard.AdminNulGuardMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
SESSION_COOKIE_HTTPONLY = True
# Nothing on the site reads the CSRF cookie from JavaScript; the admin posts the form token.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that always sets (or strips) this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000))
# Opt-in: both bind every subdomain (preload: for months, in the browsers' own lists), which
# a self-hosted deployment on a shared domain cannot undo quickly. check --deploy would
# warn about them being off; that is the choice made here, so those two are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
    *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
]
# A login refused by the admin (?next= dropped) lands here, not on /accounts/profile/ (404).
LOGIN_REDIRECT_URL = "/admin/"
LOGIN_URL = "/admin/login/"

# Stories may show images from these hosts (https), besides the site's own media.
MARKDOWN_IMAGE_HOSTS = env_list("MARKDOWN_IMAGE_HOSTS")

# No 'unsafe-inline' for scripts. The one hash is django-import-export's export page
# "select all" handler: with 'unsafe-hashes' only that exact attribute text may run.
IMPORT_EXPORT_SELECT_ALL_HASH = "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_HASHES, IMPORT_EXPORT_SELECT_ALL_HASH],
        "style-src": [SELF],
        # No "https:": a story's remote image would be a tracking pixel (newsletters/markdown.py).
        "img-src": [
            SELF,
            *(f"https://{host}" for host in MARKDOWN_IMAGE_HOSTS),
            *env_list("CSP_EXTRA_IMG_SRC"),
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin login throttling: five failures for one username from one address lock that
# pair out for 15 minutes (the response is 429, even with the right password).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy: its addresses or networks, comma-separated (e.g. 127.0.0.1 or
# 10.0.0.0/8). Only requests from them have their X-Forwarded-For read (config/client_ip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Request size limits. Django does not cap file parts, so MAX_REQUEST_BYTES (checked on
# Content-Length by config.middleware) is the ceiling for any upload; the photo and
# archive limits above are the finer checks.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", 110 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", 50))
# A load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]


# ---------------------------------------------------------------------------
# E-mail edition: subscribers, sending, providers (issue 13)
# ---------------------------------------------------------------------------
# Variables:
#   SITE_URL                 the public site's address, for links in mails
#   DEFAULT_FROM_EMAIL       the sender of every mail
#   EMAIL_URL                smtp://user:password@host:587/?tls=True (dj-email-url), or
#   EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL
#   EMAIL_BACKEND            e.g. anymail.backends.mailgun.EmailBackend, with its settings
#                            as ANYMAIL_<NAME> variables (ANYMAIL_MAILGUN_API_KEY,
#                            ANYMAIL_WEBHOOK_SECRET, ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY...)
#   CELERY_BROKER_URL        default REDIS_URL; without either, tasks run in-process
#   SUBSCRIBERS_*            rate, batch, lease and retry settings below
# With none of the mail variables, mails are written as files under var/mail/.
import dj_email_url  # noqa: E402

INSTALLED_APPS += ["anymail", "subscribers"]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsletter <newsletter@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A stalled server must not hold a worker past its lease (SUBSCRIBERS_LEASE_SECONDS).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
if os.environ.get("EMAIL_URL"):
    globals().update(dj_email_url.parse(os.environ["EMAIL_URL"]))
    EMAIL_TIMEOUT = EMAIL_TIMEOUT or 30
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
elif os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
# The providers whose tracking webhooks are served under /anymail/ (comma-separated
# anymail names: mailgun, postmark, amazon_ses...); by default the EMAIL_BACKEND's own.
SUBSCRIBERS_WEBHOOKS = env_list("SUBSCRIBERS_WEBHOOKS")
if not SUBSCRIBERS_WEBHOOKS and EMAIL_BACKEND.startswith("anymail.backends."):
    SUBSCRIBERS_WEBHOOKS = [EMAIL_BACKEND.split(".")[2]]
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "memory://"
# No broker: run tasks in the web process (the `make run` demo, the tests).
CELERY_TASK_ALWAYS_EAGER = not (os.environ.get("CELERY_BROKER_URL") or REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when done, and given back to the broker if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than any task runs (SUBSCRIBERS_TASK_BUDGET plus a batch), or Redis would
# hand a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

SUBSCRIBERS_CONFIRM_MAX_AGE = int(os.environ.get("SUBSCRIBERS_CONFIRM_MAX_AGE", 7 * 86400))
SUBSCRIBERS_PREFERENCES_MAX_AGE = int(
    os.environ.get("SUBSCRIBERS_PREFERENCES_MAX_AGE", 400 * 86400)
)
# Subscribe requests per IP address and window (seconds), counted in the cache.
SUBSCRIBERS_RATE_LIMIT = int(os.environ.get("SUBSCRIBERS_RATE_LIMIT", 10))
SUBSCRIBERS_RATE_WINDOW = int(os.environ.get("SUBSCRIBERS_RATE_WINDOW", 3600))
# Sending: chains of tasks per campaign, rows claimed per batch, seconds per task.
SUBSCRIBERS_PARALLEL = int(os.environ.get("SUBSCRIBERS_PARALLEL", 2))
SUBSCRIBERS_BATCH_SIZE = int(os.environ.get("SUBSCRIBERS_BATCH_SIZE", 50))
SUBSCRIBERS_TASK_BUDGET = float(os.environ.get("SUBSCRIBERS_TASK_BUDGET", 30))
# A row claimed this long ago by a worker is taken as abandoned; > EMAIL_TIMEOUT.
SUBSCRIBERS_LEASE_SECONDS = int(os.environ.get("SUBSCRIBERS_LEASE_SECONDS", 120))
# PostgreSQL commits of delivery status do not wait for the disk (subscribers/sending.py).
SUBSCRIBERS_ASYNC_COMMIT = env_bool("SUBSCRIBERS_ASYNC_COMMIT", True)
SUBSCRIBERS_MAX_ATTEMPTS = int(os.environ.get("SUBSCRIBERS_MAX_ATTEMPTS", 5))
SUBSCRIBERS_RETRY_BASE_SECONDS = int(os.environ.get("SUBSCRIBERS_RETRY_BASE_SECONDS", 60))

"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# Never the developer's .env: tests (and the subprocesses they start, which inherit this
# environment) see only the variables they set themselves.
os.environ["ENV_FILE"] = ""

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _throwaway_dir(prefix: str) -> str:
    """A temporary folder removed when the process that made it exits.

    Only that process: a forked child (a server started by a test) inherits the exit
    handler and must not delete the folder under its parent.
    """
    path, owner = tempfile.mkdtemp(prefix=prefix), os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(path, ignore_errors=True))
    return path


# One cache per test process: the file cache of the real settings would be shared by
# the xdist workers. Tests that need several processes set CACHE_DIR themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests write the shared cache directly, as another process would, and expect the next
# request to see it: no reuse of the state read last (core/caching.py).
PUBLIC_STATE_MEMO_SECONDS = 0
MEDIA_ROOT = _throwaway_dir("newsletters-test-media-")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client speaks plain HTTP; production redirects to HTTPS (config/settings.py).
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = _throwaway_dir("newsletters-test-static-")
# PDF editions take about a second each: made on publish only in the tests about them.
PDF_ON_PUBLISH = False

"""Production settings and hardening: deploy checks, headers, CSP, login throttling,
request size ceiling, and the 503 page when the database goes away."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from config.middleware import server_error

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    # What a production site sets for its mails (subscribers/checks.py warns without).
    "SITE_URL": "https://news.example.org",
    "DEFAULT_FROM_EMAIL": "News <news@example.org>",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.org:587/?tls=True",
}


def production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DJANGO_", "DEBUG", "SECRET_KEY"))
    }
    env.update(PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(60), **extra)
    return env


def test_check_deploy_gives_no_warnings_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_secure_cookies_hsts_and_https():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(),
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    # includeSubDomains is opt-in (issue 15): tests/security/test_rendering_limits.py
    assert out.strip() == "[True, True, True, True, True, True, False, False]"
    # Behind a TLS-terminating proxy on plain HTTP, the variables turn them off.
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT,
        env=production_env(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0"),
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == "[True, True, True, True, False, False, False, False]"


@pytest.mark.django_db
def test_security_headers_on_public_pages(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


class InlineScriptFinder(HTMLParser):
    """Collects scripts a CSP without 'unsafe-inline' would block: inline code, on*= handlers."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_inline = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "script" and "src" not in attrs:
            # JSON data blocks are never executed, so the CSP does not concern them.
            self._in_inline = attrs.get("type") not in {"application/json", "application/ld+json"}

    def handle_data(self, data):
        if self._in_inline and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline = False


def inline_scripts(html: str) -> list[str]:
    finder = InlineScriptFinder()
    finder.feed(html)
    return finder.problems


@pytest.mark.django_db
def test_admin_and_public_pages_work_under_the_csp(client, staff_client):
    pages = [(client, "/"), (client, "/issues/"), (client, "/directory/"),
             (client, "/admin/login/"), (staff_client, "/admin/"),
             (staff_client, "/admin/newsletters/issue/"),
             (staff_client, "/admin/newsletters/issue/add/")]  # fmt: skip
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert inline_scripts(response.content.decode()) == [], url


def test_project_templates_have_no_inline_scripts():
    problems = {}
    for path in (ROOT / "templates").rglob("*.html"):
        found = inline_scripts(path.read_text())
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


# --- Admin login throttling (django-axes) -------------------------------------------


def admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.mark.django_db
def test_sixth_login_is_refused_even_with_the_right_password(staff_user):
    client = Client()
    for _ in range(5):
        response = admin_login(client, "editor", "wrong")
        assert "_auth_user_id" not in client.session
    response = admin_login(client, "editor", "pw")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


@pytest.mark.django_db
def test_few_failures_do_not_lock_out_and_lockout_is_per_username(staff_user, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example.org", "pw2")
    client = Client()
    for _ in range(4):
        admin_login(client, "editor", "wrong")
    response = admin_login(client, "editor", "pw")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)

    attacker = Client()
    for _ in range(6):
        admin_login(attacker, "editor", "wrong")
    # The same address may still sign in as someone else.
    assert admin_login(attacker, "other", "pw2").status_code == 302


# --- Request size ---------------------------------------------------------------------


@pytest.mark.django_db
def test_oversized_request_body_is_refused_before_parsing(client, settings):
    from config.middleware import SecurityHeadersMiddleware

    settings.MAX_REQUEST_BYTES = 1000
    middleware = SecurityHeadersMiddleware(lambda request: pytest.fail("view reached"))
    request = RequestFactory().post("/admin/login/", data={"x": "y" * 2000})
    response = middleware(request)
    assert response.status_code == 413
    assert "Permissions-Policy" in response


def test_upload_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 10_000
    assert 0 < settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 100
    assert settings.MAX_REQUEST_BYTES >= settings.IMPORT_MAX_ZIP_BYTES


# --- Database gone: 503, not a traceback ----------------------------------------------


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_error_in_a_view_gives_the_503_page(client, error):
    with mock.patch(
        "newsletters.views.HomeView.get_context_data", side_effect=error("server closed")
    ):
        response = client.get("/")
    assert_unavailable_page(response)


def test_database_error_outside_a_view_gives_the_503_page():
    # handler500 sees errors raised in middleware, after the views' process_exception.
    request = RequestFactory().get("/issues/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert_unavailable_page(response)


def test_other_errors_still_get_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500


def test_503_template_does_not_touch_the_database():
    source = (ROOT / "templates" / "503.html").read_text()
    assert not re.search(r"{%\s*(extends|include|url)", source)


def test_real_postgresql_stopped_and_started_again():
    """A real cluster and a real gunicorn: 200, then 503 while stopped, then 200 again."""
    from bench.fault_db import Unavailable, run_scenario

    try:
        results = run_scenario(log=lambda *_: None)
    except Unavailable as exc:
        pytest.skip(str(exc))
    assert results["up"][0] == 200
    status, headers, body = results["down"]
    assert status == 503
    assert headers.get("Retry-After") == "30"
    assert "Temporarily unavailable" in body and "Traceback" not in body
    assert results["down_health"][0] == 503
    assert '"database": "error"' in results["down_health"][2]
    assert results["recovered"][0] == 200, results["gunicorn_log"][-2000:]

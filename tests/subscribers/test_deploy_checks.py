"""`manage.py check --deploy` warns when mails would link to a local address, come from
a local domain or never leave the machine (subscribers/checks.py)."""

import pytest

from subscribers.checks import check_mail_settings

GOOD = {
    "SITE_URL": "https://news.example.org",
    "PDF_BASE_URL": "https://news.example.org",
    "DEFAULT_FROM_EMAIL": "News <news@example.org>",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def ids(settings, **changed):
    for name, value in {**GOOD, **changed}.items():
        setattr(settings, name, value)
    return [warning.id for warning in check_mail_settings()]


def test_a_configured_site_gets_no_warning(settings):
    assert ids(settings) == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost", "https://news.localhost/", "", "x"]
)
def test_a_local_site_url_is_a_warning(settings, url):
    # A local SITE_URL already says it all: no second warning about PDF links.
    assert ids(settings, SITE_URL=url, PDF_BASE_URL=url) == ["subscribers.W001"]


def test_plain_http_is_a_warning(settings):
    assert ids(settings, SITE_URL="http://news.example.org") == ["subscribers.W002"]


def test_a_local_sender_and_a_local_backend_are_warnings(settings):
    found = ids(
        settings,
        DEFAULT_FROM_EMAIL="Newsletter <newsletter@localhost>",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    assert found == ["subscribers.W003", "subscribers.W004"]


def test_pdf_links_to_a_local_address_are_a_warning(settings):
    assert ids(settings, PDF_BASE_URL="http://127.0.0.1:8000") == ["subscribers.W005"]


def test_the_warning_names_the_variable_and_the_value(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    (warning, *_rest) = check_mail_settings()
    assert "SITE_URL is 'http://127.0.0.1:8000'" in warning.msg
    assert "https://news.example.org" in warning.hint

"""Deploy checks (`manage.py check --deploy`) for the settings mails depend on (and the
PDF edition sent with them).

With their local defaults a production site would mail every subscriber links to
127.0.0.1 from newsletter@localhost, or write its mails to files and send none, and
nothing would say so until readers complained. Each is a warning naming the variable
to set (README: settings table).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}  # noqa: S104 - names, not a bind
# Backends that keep mails on this machine: nothing reaches a subscriber.
LOCAL_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def _is_local_host(host: str) -> bool:
    host = host.lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def is_local_url(url: str) -> bool:
    host = urlsplit(url).hostname
    return not host or _is_local_host(host)


@register(Tags.security, deploy=True)
def check_mail_settings(app_configs=None, **kwargs):
    found = []
    if is_local_url(settings.SITE_URL):
        found.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: every link in the mails (the issue, "
                "unsubscribe, preferences) would point there.",
                hint="Set SITE_URL to the public site's address, e.g. https://news.example.org.",
                id="subscribers.W001",
            )
        )
    elif urlsplit(settings.SITE_URL).scheme != "https":
        found.append(
            Warning(
                f"SITE_URL {settings.SITE_URL!r} is not https: the one-click unsubscribe "
                "links and the preferences page would travel in clear.",
                hint="Use the https address of the site.",
                id="subscribers.W002",
            )
        )
    if _is_local_host(settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")):
        found.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: providers refuse "
                "or junk mail from a local domain.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your organisation's domain.",
                id="subscribers.W003",
            )
        )
    if is_local_url(settings.PDF_BASE_URL) and not is_local_url(settings.SITE_URL):
        found.append(
            Warning(
                f"PDF_BASE_URL is {settings.PDF_BASE_URL!r}: the links of every PDF edition "
                "(sent with the mails) would point there.",
                hint="Leave PDF_BASE_URL unset (it follows SITE_URL) or give the public address.",
                id="subscribers.W005",
            )
        )
    if settings.EMAIL_BACKEND in LOCAL_BACKENDS:
        found.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: mails stay on this machine, "
                "none reaches a subscriber.",
                hint="Set EMAIL_URL (smtp://...) or EMAIL_BACKEND with a provider's "
                "ANYMAIL_* settings.",
                id="subscribers.W004",
            )
        )
    return found

"""Public subscriber pages: subscribe, confirm, preferences and unsubscribe.

None of them is in the public page cache: they carry CSRF tokens or personal data.
Links from mails open a page with a button rather than acting on GET, because mail
scanners fetch every link in a message; only the RFC 8058 one-click POST acts at once.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import subscribing
from .forms import PreferencesForm, SubscribeForm
from .models import Subscriber
from .tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, BadToken, read_token

logger = logging.getLogger(__name__)


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _over_rate_limit(ip) -> bool:
    """Counts this request against the IP's window; True past the limit."""
    key = f"subscribe-rate:{ip}"
    cache.add(key, 0, timeout=settings.SUBSCRIBERS_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.SUBSCRIBERS_RATE_WINDOW)
        count = 1
    return count > settings.SUBSCRIBERS_RATE_LIMIT


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        # The footer form sends only the address here (GET): the cached public pages
        # carry no CSRF token, this page does.
        email = request.GET.get("email", "")[:254]
        form = SubscribeForm(initial={"email": email})
        return render(request, "subscribers/subscribe.html", {"form": form})
    ip = _client_ip(request)
    if _over_rate_limit(ip):
        logger.warning("subscribe rate limit reached for %s", ip)
        return render(request, "subscribers/rate_limited.html", status=429)
    form = SubscribeForm(request.POST)
    if form.is_bot:
        # Same answer as a real request, and nothing written or sent.
        return redirect("subscribers:thanks")
    if not form.is_valid():
        return render(request, "subscribers/subscribe.html", {"form": form}, status=400)
    data = form.cleaned_data
    subscribing.request_subscription(
        email=data["email"],
        name=data["name"],
        language=data["language"],
        series_ids=[s.pk for s in data["series"]],
        source=f"form {request.path}",
        ip=ip,
    )
    return redirect("subscribers:thanks")


def thanks(request):
    return render(request, "subscribers/thanks.html")


def _bad_link(request, exc: BadToken):
    return render(request, "subscribers/bad_link.html", {"expired": exc.expired}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        subscriber, payload = read_token(CONFIRM, token)
    except BadToken as exc:
        return _bad_link(request, exc)
    if request.method == "GET":
        return render(request, "subscribers/confirm.html", {"subscriber": subscriber})
    subscribing.confirm(subscriber, payload, _client_ip(request))
    subscriber.refresh_from_db()
    return render(
        request,
        "subscribers/confirmed.html",
        {
            "subscriber": subscriber,
            "confirmed": subscriber.status == Subscriber.Status.CONFIRMED,
            "preferences_url": subscribing.preferences_url(subscriber),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    try:
        subscriber, _ = read_token(PREFERENCES, token)
    except BadToken as exc:
        return _bad_link(request, exc)
    saved = False
    if request.method == "POST" and "unsubscribe" in request.POST:
        subscribing.unsubscribe(subscriber)
        return render(request, "subscribers/unsubscribed.html", {"subscriber": subscriber})
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            Subscriber.objects.filter(pk=subscriber.pk).update(
                name=form.cleaned_data["name"], language=form.cleaned_data["language"]
            )
            subscriber.series.set(form.cleaned_data["series"])
            saved = True
    else:
        form = PreferencesForm(
            initial={
                "name": subscriber.name,
                "language": subscriber.language,
                "series": list(subscriber.series.all()),
            }
        )
    return render(
        request,
        "subscribers/preferences.html",
        {"form": form, "subscriber": subscriber, "saved": saved, "token": token},
    )


@csrf_exempt  # RFC 8058: mail providers POST here without a session; the token is the check.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber, _ = read_token(UNSUBSCRIBE, token)
    except BadToken as exc:
        return _bad_link(request, exc)
    if request.method == "GET":
        return render(request, "subscribers/unsubscribe.html", {"subscriber": subscriber})
    subscribing.unsubscribe(subscriber)
    return render(request, "subscribers/unsubscribed.html", {"subscriber": subscriber})

"""The site's routes with Mailgun's tracking webhook, as SUBSCRIBERS_WEBHOOKS=mailgun gives."""

from django.urls import include, path

from config.urls import urlpatterns as site
from subscribers.webhooks import tracking_urlpatterns

urlpatterns = [path("anymail/", include(tracking_urlpatterns(["mailgun"]))), *site]

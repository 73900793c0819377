"""Root URL routes."""

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from config.health import healthz
from config.media import serve_media
from directory.api import directory as directory_api
from newsletters.caching import public_page
from newsletters.sitemaps import SITEMAPS
from subscribers.webhooks import tracking_urlpatterns

admin.site.site_header = "Newsletter CMS"
admin.site.site_title = "Newsletter CMS"
admin.site.index_title = "Issues, stories and the directory"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("directory/", include("directory.urls")),
    path("subscribe/", include("subscribers.urls")),
    # The e-mail provider's tracking webhooks (django-anymail): bounces and complaints.
    path("anymail/", include(tracking_urlpatterns(settings.SUBSCRIBERS_WEBHOOKS))),
    path("api/directory/", public_page(directory_api), name="api_directory"),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("newsletters.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(
        0, re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve_media)
    )

# Database errors raised outside a view still get the plain 503 page, not a 500.
handler500 = "config.middleware.server_error"

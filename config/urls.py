"""Root URL routes."""

import re

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.favicon import favicon
from config.health import healthz
from config.media import serve_media
from config.rest import not_found as api_not_found
from core.caching import public_page
from directory.api import directory as directory_api
from newsletters.sitemaps import SITEMAPS
from subscribers.webhooks import tracking_urlpatterns

admin.site.site_header = "Newsletter CMS"
admin.site.site_title = "Newsletter CMS"
admin.site.index_title = "Issues, stories and the directory"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("directory/", include("directory.urls")),
    path("subscribe/", include("subscribers.urls")),
    # The e-mail provider's tracking webhooks (django-anymail): bounces and complaints.
    path("anymail/", include(tracking_urlpatterns(settings.SUBSCRIBERS_WEBHOOKS))),
    path(
        "api/directory/",
        public_page(directory_api, params=("page", "country")),
        name="api_directory",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        # Swagger UI draws its icons as data: SVG images; this page alone allows them.
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema")
        ),
        name="api_docs",
    ),
    path(
        "sitemap.xml",
        public_page(sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("newsletters.urls")),
    # Anything else under /api/ answers the API's JSON 404, not the HTML page.
    re_path(r"^api/(?P<path>[\s\S]*)$", api_not_found),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(
        0, re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve_media)
    )

# Database errors raised outside a view still get the plain 503 page, not a 500.
handler500 = "config.middleware.server_error"

"""Root URL routes."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "Newsletter CMS"
admin.site.site_title = "Newsletter CMS"
admin.site.index_title = "Issues, stories and the directory"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("directory/", include("directory.urls")),
    path("", include("newsletters.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Database errors raised outside a view still get the plain 503 page, not a 500.
handler500 = "config.middleware.server_error"

"""Root URL routes."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Newsletter CMS"
admin.site.site_title = "Newsletter CMS"
admin.site.index_title = "Issues, stories and the directory"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("directory/", include("directory.urls")),
    path("", include("newsletters.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

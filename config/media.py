"""Serving uploaded photos and covers when no web server or object storage does it.

Only the folders that hold public images are served: archive uploads waiting for
confirmation and spreadsheet files staged by the import preview live in the same
storage and must never be reachable by URL.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PUBLIC_MEDIA_DIRS = frozenset({"photos", "covers", "renditions"})


def serve_media(request, path):
    # Normalise first: "photos/../import-uploads/x" must not pass as a photo.
    path = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if path.startswith("..") or path.split("/", 1)[0] not in PUBLIC_MEDIA_DIRS:
        raise Http404("Not a public file.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)

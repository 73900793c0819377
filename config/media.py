"""Serving uploaded photos and covers: only the images of issues the visitor may see.

Every media URL is checked against the row that owns the file: a story's photo (its
original or a rendition) or an issue's cover. A file no row owns any more (a deleted or
replaced photo whose file lingers) is 404; a draft or not-yet-due issue's images are
served to staff only (404 for everyone else, as for the pages), and so is a new photo
file an Editor's pending change brought to a published issue. Archive uploads waiting
for confirmation and spreadsheets staged by the import preview live in the same storage
and are never reachable, since no photo or cover owns them.

The response's Content-Type comes from the stored extension, which is the format the
image was verified to be (newsletters/images.py), never from the uploader's file name,
and browsers are told not to sniff (`X-Content-Type-Options: nosniff`).

With SERVE_MEDIA on, Django reads the file itself. In production, set
MEDIA_ACCEL_REDIRECT to an internal location of the web server (nginx: `internal;`
alias of MEDIA_ROOT): the check still runs here and the server sends the bytes
(X-Accel-Redirect). With SERVE_MEDIA off nothing here runs: whatever serves MEDIA_ROOT
then serves drafts' images to anyone holding their (random, unguessable) URLs.
"""

import posixpath
import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.static import serve

from newsletters.images import CONTENT_TYPES, RENDITION_DIR

# renditions/photos/<stem>-<width>w.webp, as newsletters.images.make_renditions names them
# (storage may add a suffix to the stem when a name is taken).
RENDITION_NAME = re.compile(rf"^{RENDITION_DIR}/(photos/[^/]+)-\d+w(_[A-Za-z0-9]+)?\.webp$")


def _owning_issue(path: str):
    """The issue whose page shows the file at `path`, or None if nothing shows it."""
    from newsletters.models import Issue, Photo

    folder = path.split("/", 1)[0]
    if folder == "photos":
        photo = Photo.objects.select_related("story__issue").filter(image=path).first()
        return photo.story.issue if photo else None
    if folder == RENDITION_DIR:
        if not RENDITION_NAME.match(path):
            return None
        # The stem of a rendition is its original's; the JSON list confirms it is current.
        for photo in Photo.objects.select_related("story__issue").filter(
            image__startswith=RENDITION_NAME.match(path).group(1) + "."
        ):
            if path in {f.get("name") for f in photo.rendition_files}:
                return photo.story.issue
        return None
    if folder == "covers":
        return Issue.objects.filter(cover_image=path).first()
    return None


def serve_media(request, path):
    # Normalise first: "photos/../import-uploads/x" must not pass as a photo.
    path = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    content_type = CONTENT_TYPES.get(posixpath.splitext(path)[1])
    if path.startswith("..") or content_type is None:
        raise Http404("Not a public file.")
    user = request.user
    staff = user.is_active and user.is_staff
    issue = _owning_issue(path)
    if issue is None and staff:
        from newsletters.pending import pending_file_issue

        # A new photo file of a pending change (newsletters/pending.py): no row shows it
        # until a Publisher publishes the change; staff see it in the editor and preview.
        issue = pending_file_issue(path)
        public = False
    else:
        public = issue is not None and issue.is_live
    if issue is None:
        raise Http404("Not a public file.")
    if not public and not staff:
        raise Http404("Not a public file.")
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse()
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{path}"
    else:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    # Caches must ask again before reusing an image (a 304 when unchanged), so one
    # unpublished or deleted afterwards stops being served at once; a draft's image is
    # never stored by a shared cache at all.
    response["Cache-Control"] = "public, no-cache" if public else "private, no-store"
    return response

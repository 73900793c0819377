"""The PDF edition of an issue (WeasyPrint): A4, made once per version of the issue.

The edition is rendered from templates/newsletters/pdf/issue.html: cover (series,
number, date), contents with page numbers, key figures, the stories with their photos
and captions, the directory as the issue printed it and the national hotlines, with
running headers, page numbers and working links (to the site, tel: and mailto:).

Cached per issue version, never made per request: the HTML source is rendered (a few
queries, milliseconds) and hashed, and the PDF is stored as
`editions/<issue id>/<hash>.pdf`. A request finds that file, or makes it once; any change
to what the edition shows changes the hash. Publishing makes it at once (on commit) when
settings.PDF_ON_PUBLISH is on. Older versions of an issue's file are removed.

WeasyPrint fetches nothing from the network: images come from the site's own storage
(photos and renditions under MEDIA_URL, static files), anything else is refused, so an
image link in a story cannot make the server request another host.
"""

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse

from directory.models import Hotline

from .models import Issue
from .snapshot import snapshot_countries

logger = logging.getLogger(__name__)

FOLDER = "editions"
CSS_FILE = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"


@dataclass(frozen=True)
class Edition:
    name: str  # storage name
    size: int


def edition_html(issue, base_url: str) -> str:
    """The edition's HTML source, links absolute under `base_url` (http://host)."""
    stories = [s for section in issue.sections.all() for s in section.stories.all()]
    return render_to_string(
        "newsletters/pdf/issue.html",
        {
            "issue": issue,
            "base_url": base_url.rstrip("/"),
            "site_name": getattr(settings, "SITE_NAME", "Newsletter archive"),
            "has_stories": bool(stories),
            "snapshot": snapshot_countries(issue.directory_snapshot),
            "hotlines": Hotline.objects.public().select_related("country").order_by(
                "country__name", "position", "number"
            ),
        },
    )


class LocalOnlyFetcher:
    """WeasyPrint's url_fetcher: this site's media and static files, nothing else."""

    def __init__(self, base_url: str):
        self.host = urlsplit(base_url).netloc
        self.media = "/" + settings.MEDIA_URL.strip("/") + "/"
        self.static = "/" + settings.STATIC_URL.strip("/") + "/"

    def __call__(self, url: str):
        from weasyprint.urls import URLFetcherResponse

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            raise ValueError(f"not fetched for the PDF (not this site's file): {url[:200]}")
        path = unquote(parts.path)
        body = None
        if path.startswith(self.media):
            name = path.removeprefix(self.media)
            if ".." in name.split("/") or name.split("/", 1)[0] not in {
                "photos", "covers", "renditions"
            }:  # fmt: skip
                raise ValueError(f"not a public image: {path[:200]}")
            with default_storage.open(name) as handle:
                body = handle.read()
        elif path.startswith(self.static):
            found = finders.find(path.removeprefix(self.static))
            if found:
                body = Path(found).read_bytes()
        if body is None:
            raise ValueError(f"no such local file: {path[:200]}")
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def render_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = LocalOnlyFetcher(base_url)
    document = HTML(string=html, base_url=base_url.rstrip("/") + "/", url_fetcher=fetcher)
    # Tagged PDF: headings, lists, tables and figures stay structure for screen readers.
    return document.write_pdf(stylesheets=[CSS(filename=str(CSS_FILE))], pdf_tags=True)


def _folder(issue) -> str:
    return f"{FOLDER}/{issue.pk}"


def issue_edition(issue, base_url: str) -> Edition:
    """The stored edition for the issue's current content, made now if missing."""
    html = edition_html(issue, base_url)
    digest = hashlib.sha256(
        html.encode() + CSS_FILE.read_bytes()
    ).hexdigest()[:24]
    name = f"{_folder(issue)}/{digest}.pdf"
    if default_storage.exists(name):
        return Edition(name, default_storage.size(name))
    data = render_pdf(html, base_url)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # Another request made the same version meanwhile (storage renamed ours): the
        # content is identical, so keep theirs.
        default_storage.delete(saved)
    _remove_other_versions(issue, keep=name)
    return Edition(name, len(data))


def _remove_other_versions(issue, keep: str) -> None:
    folder = _folder(issue)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for filename in files:
        if f"{folder}/{filename}" != keep:
            default_storage.delete(f"{folder}/{filename}")


def pdf_url(issue) -> str:
    return reverse("newsletters:issue_pdf", kwargs={"slug": issue.slug})


def make_on_publish(issue_pk: int) -> None:
    """After a publish is committed: make the edition so the first reader does not wait."""
    issue = Issue.objects.published().with_contents().filter(pk=issue_pk).first()
    if issue is None:  # scheduled for later, or unpublished meanwhile
        issue = Issue.objects.with_contents().filter(pk=issue_pk, status="published").first()
    if issue is None:
        return
    try:
        issue_edition(issue, settings.PDF_BASE_URL)
    except Exception:  # noqa: BLE001 - a failed PDF must never undo or fail a publish
        logger.exception("could not make the PDF edition of issue %s", issue_pk)


def schedule_edition(issue) -> None:
    """Make the issue's edition once the publishing transaction commits.

    Called by the admin's publish paths only: an archive import with --publish leaves the
    edition to its first reader, so a batch of hundreds of files is not slowed by PDFs.
    """
    from django.db import transaction

    if getattr(settings, "PDF_ON_PUBLISH", True) and issue.status == Issue.Status.PUBLISHED:
        transaction.on_commit(lambda pk=issue.pk: make_on_publish(pk))

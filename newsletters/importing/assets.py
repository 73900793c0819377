"""Find the images a Markdown issue refers to (``![alt](../assets/x.jpg "caption")``) in
the same upload (issue 10, item 4). Pure Python, like the reader that uses it.

The reader attaches a finder to each text it reads from a folder or a zip: a ``src`` is
resolved relative to the Markdown file and must stay inside the folder or the archive the
user gave (``..`` past it, absolute paths and URLs are refused), and is read with a size
cap. photos.py validates the bytes and saves them as Photos.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


class AssetError(ValueError):
    """Why an image could not be taken from the upload; one line for a warning."""


def _relative(src: str) -> str:
    """The path part of an image reference, or AssetError for what is not a local file."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc:
        raise AssetError("is not a file of the upload (a web address)")
    path = unquote(parts.path).replace("\\", "/")
    if not path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise AssetError("is not a relative path inside the upload")
    return path


class FolderAssets:
    """Images beside a Markdown file on disk, inside ``root`` (the folder named)."""

    def __init__(self, root: Path, base: Path):
        self.root, self.base = root.resolve(), base

    def read(self, src: str, cap: int) -> tuple[str, bytes]:
        target = (self.base / _relative(src)).resolve()
        if not target.is_relative_to(self.root):
            raise AssetError("points outside the uploaded folder")
        if not target.is_file():
            raise AssetError("is not in the upload")
        if target.stat().st_size > cap:
            raise AssetError("is over the photo limit")
        with target.open("rb") as fh:
            return target.name, fh.read(cap + 1)


class ZipAssets:
    """Images inside the zip archive a Markdown entry came from (the archive is open
    while the batch handles that entry)."""

    def __init__(self, archive: zipfile.ZipFile, entry: str):
        self.archive, self.folder = archive, posixpath.dirname(entry)

    def read(self, src: str, cap: int) -> tuple[str, bytes]:
        name = posixpath.normpath(posixpath.join(self.folder, _relative(src)))
        if name == ".." or name.startswith("../") or name.startswith("/"):
            raise AssetError("points outside the zip archive")
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise AssetError("is not in the upload") from None
        if info.file_size > cap:
            raise AssetError("is over the photo limit")
        try:
            with self.archive.open(info) as fh:
                data = fh.read(cap + 1)  # never trust the declared size
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise AssetError(f"is damaged in the zip ({exc})") from exc
        return PurePosixPath(name).name, data

"""Read newsletter text from files, folders and zip archives, safely.

Everything here guards the importer against bad input before the parser sees it: size
limits, binary files, unknown encodings, zip bombs and zip entries that try to escape
their folder. Problems come back as ``SourceError`` values (one line naming the file and
what is wrong) instead of exceptions, so a batch import can report them and go on.

``iter_sources`` streams: it yields one file at a time and never holds a whole archive's
texts in memory.

Zip entries whose names escape the archive folder (absolute paths, ``..``) give a
``SourceError`` for that entry only and are never read; the rest of the archive is still
read. Too many entries or too much declared data rejects the whole archive up front.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = (".txt", ".md")
# Archives and folders often carry a README or LICENSE beside the issues; those are
# not issues, so a folder or zip walk passes over them (a file named outright is read).
NOT_ISSUE_STEMS = frozenset(
    {"readme", "license", "licence", "changelog", "contributing", "authors"}
)


@dataclass
class SourceText:
    path: str
    text: str
    raw: bytes  # kept so the loader can hash the content (sha256 of raw)


@dataclass
class SourceError:
    path: str
    message: str


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 5 * 1024 * 1024
    max_zip_entries: int = 1000
    max_zip_bytes: int = 100 * 1024 * 1024


class DecodeError(ValueError):
    """Bytes that are not text in any encoding the archive is known to use."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


def _check_controls(text: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    # A stray control character happens in PDF conversions; many mean it is not text.
    if controls > max(3, len(text) // 100):
        raise DecodeError(f"not text: {controls} control characters")
    return text


def decode(raw: bytes) -> str:
    """Bytes -> str: a BOM decides when present, then strict UTF-8, then cp1251 or cp1252,
    chosen by how much of the text the high bytes make up (Cyrillic words are written
    entirely in bytes >= 0xC0, Western European text only has an accent here and there)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return _check_controls(raw[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"cannot decode text as {encoding} despite its BOM") from exc
    try:
        return _check_controls(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    letters = sum(1 for b in raw if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A or b >= 0xC0)
    high_letters = sum(1 for b in raw if b >= 0xC0)
    order = (
        ("cp1251", "cp1252") if letters and high_letters / letters >= 0.3 else ("cp1252", "cp1251")
    )
    for encoding in order:
        try:
            return _check_controls(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise DecodeError("cannot decode text as UTF-8, cp1251 or cp1252")


def read_bytes(path_label: str, raw: bytes, limits: Limits = Limits()) -> SourceText | SourceError:
    """Check and decode the bytes of one file."""
    if not raw.strip():
        return SourceError(path_label, "file is empty")
    if len(raw) > limits.max_file_bytes:
        return SourceError(
            path_label,
            f"file is {_mb(len(raw))}, over the {_mb(limits.max_file_bytes)} limit",
        )
    is_utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in raw and not is_utf16:
        return SourceError(path_label, "binary file (contains NUL bytes)")
    try:
        text = decode(raw)
    except DecodeError as exc:
        return SourceError(path_label, str(exc))
    return SourceText(path_label, text, raw)


def _is_text_name(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES)


def _is_issue_candidate(name: str) -> bool:
    """A text file found in a folder or zip that may hold an issue."""
    return _is_text_name(name) and PurePosixPath(name).stem.lower() not in NOT_ISSUE_STEMS


def _read_file(path: Path, limits: Limits) -> SourceText | SourceError:
    label = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return SourceError(
                label, f"file is {_mb(size)}, over the {_mb(limits.max_file_bytes)} limit"
            )
        with path.open("rb") as fh:
            # Capped read: a file that grows after stat() still cannot exceed the limit.
            raw = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return SourceError(label, f"cannot read file: {exc.strerror or exc}")
    return read_bytes(label, raw, limits)


def _unsafe_member(name: str) -> bool:
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name).parts


def _hidden_member(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


def _iter_zip(path: Path, limits: Limits) -> Iterator[SourceText | SourceError]:
    label = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield SourceError(label, f"not a readable zip archive ({exc})")
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_entries:
            yield SourceError(
                label,
                f"zip has {len(infos)} entries, over the limit of {limits.max_zip_entries}",
            )
            return
        if sum(info.file_size for info in infos) > limits.max_zip_bytes:
            yield SourceError(label, f"zip expands to more than {_mb(limits.max_zip_bytes)}")
            return
        budget = limits.max_zip_bytes
        for info in sorted(infos, key=lambda i: i.filename):
            name = info.filename
            entry = f"{label}:{name}"
            if _unsafe_member(name):
                yield SourceError(entry, f"zip entry '{name}' escapes the archive folder")
                continue
            if info.is_dir() or _hidden_member(name) or not _is_issue_candidate(name):
                continue
            if info.file_size > limits.max_file_bytes:
                yield SourceError(
                    entry,
                    f"file is {_mb(info.file_size)}, over the {_mb(limits.max_file_bytes)} limit",
                )
                continue
            cap = min(limits.max_file_bytes, budget)
            try:
                with archive.open(info) as fh:
                    # Never trust the declared size: read at most one byte over the cap.
                    raw = fh.read(cap + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                yield SourceError(entry, f"zip entry is damaged ({exc})")
                continue
            if len(raw) > budget:
                yield SourceError(label, f"zip expands to more than {_mb(limits.max_zip_bytes)}")
                return
            budget -= len(raw)
            yield read_bytes(entry, raw, limits)


def iter_sources(
    paths: Iterable[str | Path], limits: Limits = Limits()
) -> Iterator[SourceText | SourceError]:
    """Yield the text (or the problem) of every .txt/.md file named, inside a folder
    (recursively, sorted, hidden files and READMEs skipped) or inside a .zip archive."""
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield SourceError(str(path), "no such file or folder")
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if child.is_file() and _is_issue_candidate(child.name):
                    yield _read_file(child, limits)
        elif path.suffix.lower() == ".zip":
            yield from _iter_zip(path, limits)
        elif _is_text_name(path.name):
            yield _read_file(path, limits)
        else:
            yield SourceError(
                str(path),
                f"unsupported file type '{path.suffix or path.name}' "
                "(expected .txt, .md, .zip or a folder)",
            )

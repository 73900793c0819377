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
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import charset_normalizer

from .assets import FolderAssets, ZipAssets

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
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)  # e.g. an unsure encoding guess
    # Finds the images a Markdown file refers to in the same folder or zip (assets.py).
    assets: FolderAssets | ZipAssets | None = None


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
# The encodings archives of newsletters are known to use, for charset-normalizer to choose
# from. A closed list on purpose: left to itself it picks cousins (cp1250 for French,
# cp1125 for CP866 Russian) that decode the same bytes into slightly wrong letters.
CANDIDATE_ENCODINGS = ("utf_8", "cp1251", "koi8_r", "cp866", "cp1252", "latin_1")
# Below this, charset-normalizer's language check did not confirm its pick: a short file
# or one with only a few accented letters. The guess is then a warning.
MIN_COHERENCE = 0.2
WHITESPACE_AND_BOM = " \t\n\r\f\v\ufeff\u00a0\u200b"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


# Unicode's control characters (category Cc: C0, DEL, C1) but the line and page breaks
# and tabs text uses. One regex scan: a loop over unicodedata.category per character
# cost more than decoding (~0.5 ms per issue).
CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_controls(text: str) -> str:
    controls = len(CONTROL_RE.findall(text))
    # A stray control character happens in PDF conversions; many mean it is not text.
    if controls > max(3, len(text) // 100):
        raise DecodeError(f"not text: {controls} control characters")
    return text


def _bomless_utf16(raw: bytes) -> str | None:
    """The UTF-16 codec of text saved without a BOM, else None. In such text every other
    byte is the high byte of a character: zero for spaces, digits and Latin letters, and
    small for the other European scripts and punctuation (0x04 Cyrillic, 0x20 dashes)."""
    if len(raw) % 2 or len(raw) < 4:
        return None
    odd, even = raw[1::2], raw[0::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= max(1, len(high) // 10) and max(high) < 0x30 and 0 not in low:
            return codec
    return None


def _high_share(raw: bytes) -> float:
    """Share of the letters written in bytes >= 0x80: Cyrillic text in any 8-bit code page
    is mostly such bytes, Western European text only has an accent here and there."""
    latin = sum(1 for b in raw if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    high = sum(1 for b in raw if b >= 0x80)
    return high / (latin + high) if latin + high else 0.0


def detect(raw: bytes) -> Decoded:
    """Bytes -> text and the encoding it was read in.

    A BOM decides when present; then strict UTF-8 (a non-ASCII text that decodes as UTF-8
    is UTF-8 in practice); then charset-normalizer chooses among CANDIDATE_ENCODINGS.
    When its language check cannot confirm the choice, the share of high letters decides
    between Cyrillic (cp1251: whole words in high bytes) and Western European
    (cp1252: an accent here and there), and the result carries a warning naming it.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(_check_controls(raw[len(bom) :].decode(encoding)), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"cannot decode text as {encoding} despite its BOM") from exc
    utf16 = _bomless_utf16(raw)
    if utf16 is not None:
        try:
            return Decoded(_check_controls(raw.decode(utf16)), utf16)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(_check_controls(raw.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if best is not None and best.coherence >= MIN_COHERENCE:
        encoding = codecs.lookup(best.encoding).name
        return Decoded(_check_controls(str(best)), encoding)
    # Unconfirmed or no pick: the rule of thumb, said out loud in a warning.
    picked = codecs.lookup(best.encoding).name if best is not None else None
    if _high_share(raw) >= 0.3:
        cyrillic = ("cp1251", "koi8-r", "cp866")
        order = (picked, "cp1251") if picked in cyrillic else ("cp1251",)
    else:
        order = ("cp1252",)
    for encoding in order:
        try:
            text = _check_controls(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
        return Decoded(
            text,
            encoding,
            f"Encoding guessed as {encoding} with low confidence: check that accented and "
            "non-Latin letters read correctly.",
        )
    raise DecodeError("cannot decode text as UTF-8, UTF-16, cp1251, KOI8-R, CP866 or cp1252")


def decode(raw: bytes) -> str:
    """Bytes -> str, see ``detect``."""
    return detect(raw).text


def read_bytes(path_label: str, raw: bytes, limits: Limits = Limits()) -> SourceText | SourceError:
    """Check and decode the bytes of one file."""
    if not raw.strip():
        return SourceError(path_label, "file is empty")
    if len(raw) > limits.max_file_bytes:
        return SourceError(
            path_label,
            f"file is {_mb(len(raw))}, over the {_mb(limits.max_file_bytes)} limit",
        )
    is_utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _bomless_utf16(raw)
    if b"\x00" in raw and not is_utf16:
        return SourceError(path_label, "binary file (contains NUL bytes)")
    try:
        decoded = detect(raw)
    except DecodeError as exc:
        return SourceError(path_label, str(exc))
    if not decoded.text.strip(WHITESPACE_AND_BOM):
        # A BOM alone, or whitespace in UTF-16: nothing to import either.
        return SourceError(path_label, "file is empty (nothing but a byte-order mark or spaces)")
    warnings = [decoded.warning] if decoded.warning else []
    return SourceText(path_label, decoded.text, raw, decoded.encoding, warnings)


def _is_text_name(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES)


def _is_issue_candidate(name: str) -> bool:
    """A text file found in a folder or zip that may hold an issue."""
    return _is_text_name(name) and PurePosixPath(name).stem.lower() not in NOT_ISSUE_STEMS


def _read_file(path: Path, limits: Limits, root: Path) -> SourceText | SourceError:
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
    source = read_bytes(label, raw, limits)
    if isinstance(source, SourceText):
        source.assets = FolderAssets(root, path.parent)
    return source


def _unsafe_member(name: str) -> bool:
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name).parts


def _hidden_member(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


def _issue_member(info: zipfile.ZipInfo) -> bool:
    """A zip entry that may hold an issue: a text file, not a folder or hidden."""
    return not (info.is_dir() or _hidden_member(info.filename)) and _is_issue_candidate(
        info.filename
    )


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
            if not _issue_member(info):
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
            source = read_bytes(entry, raw, limits)
            if isinstance(source, SourceText):
                source.assets = ZipAssets(archive, name)
            yield source


def _folder_files(folder: Path) -> Iterator[Path]:
    """The issue candidates of a folder, recursively and sorted, hidden ones passed over."""
    for child in sorted(folder.rglob("*")):
        relative = child.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if child.is_file() and _is_issue_candidate(child.name):
            yield child


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
            for child in _folder_files(path):
                yield _read_file(child, limits, root=path)
        elif path.suffix.lower() == ".zip":
            yield from _iter_zip(path, limits)
        elif _is_text_name(path.name):
            yield _read_file(path, limits, root=path.parent)
        else:
            yield SourceError(
                str(path),
                f"unsupported file type '{path.suffix or path.name}' "
                "(expected .txt, .md, .zip or a folder)",
            )


def _count_zip(path: Path, limits: Limits) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return 1  # one error report
    if len(infos) > limits.max_zip_entries:
        return 1
    if sum(info.file_size for info in infos) > limits.max_zip_bytes:
        return 1
    return sum(
        1
        for info in infos
        if _unsafe_member(info.filename) or _issue_member(info)  # unsafe: an error each
    )


def zip_contents(fileobj) -> tuple[int, int] | None:
    """(how many issue files, their size uncompressed) of a zip, read from its central
    directory alone (nothing is extracted); None when it is no readable zip (the
    reader reports that file as an error later)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    texts = [info for info in infos if _issue_member(info)]
    return len(texts), sum(info.file_size for info in texts)


def count_sources(paths: Iterable[str | Path], limits: Limits = Limits()) -> int:
    """How many reports iter_sources will yield for these paths (for a progress bar):
    the same walk and filters, without reading any file."""
    total = 0
    for given in paths:
        path = Path(given)
        if path.is_dir():
            total += sum(1 for _ in _folder_files(path))
        elif path.exists() and path.suffix.lower() == ".zip":
            total += _count_zip(path, limits)
        else:
            total += 1
    return total

"""Every bad input of issue 10's acceptance, end to end through `import_newsletters`: the
exact message, a failed run, and nothing written (no row in any importer table, no file
in MEDIA_ROOT)."""

import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsletters.models import Story

from .conftest import issue_text

pytestmark = pytest.mark.django_db

SMALL_LIMITS = {
    "IMPORT_MAX_FILE_BYTES": 20_000,
    "IMPORT_MAX_ZIP_ENTRIES": 5,
    "IMPORT_MAX_ZIP_BYTES": 50_000,
}


@pytest.fixture
def limits(settings, tmp_path):
    for name, value in SMALL_LIMITS.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def command(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_newsletters", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _zip(path, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path, f"{path}: file is empty"


def whitespace(tmp_path):
    path = tmp_path / "blank.md"
    path.write_bytes(b"  \r\n\t\n")
    return path, f"{path}: file is empty"


def bom_only(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf")
    return path, f"{path}: file is empty (nothing but a byte-order mark or spaces)"


def binary(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x00\xff\xd8 binary")
    return path, f"{path}: binary file (contains NUL bytes)"


def undecodable(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    return path, (
        f"{path}: cannot decode text as UTF-8, UTF-16, cp1251, KOI8-R, CP866 or cp1252"
    )


def oversize(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes((issue_text(1) + "More words. " * 3000).encode()[:25_600])
    return path, f"{path}: file is 25.0 KB, over the 19.5 KB limit"


def zip_traversal(tmp_path):
    path = _zip(tmp_path / "evil.zip", [("../../outside.md", issue_text(1))])
    return path, f"{path}:../../outside.md: zip entry '../../outside.md' escapes the archive folder"


def zip_bomb(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.md", b"0" * 2_000_000)
    assert path.stat().st_size < 10_000  # tiny on disk
    return path, f"{path}: zip expands to more than 48.8 KB"


def too_many_entries(tmp_path):
    path = _zip(tmp_path / "many.zip", [(f"{n}.md", issue_text(n)) for n in range(1, 8)])
    return path, f"{path}: zip has 7 entries, over the limit of 5"


@pytest.mark.parametrize(
    "make",
    [empty, whitespace, bom_only, binary, undecodable, oversize, zip_traversal, zip_bomb,
     too_many_entries],
)  # fmt: skip
def test_bad_input_is_named_and_nothing_is_written(limits, tmp_path, counts, make):
    path, message = make(tmp_path)
    before = counts()
    code, out = command(path)
    assert code == 1
    assert f"  {message}\n" in out
    assert "Errors: 1" in out
    assert counts() == before
    assert media_files(limits) == []
    assert not (tmp_path.parent / "outside.md").exists()


def test_destructive_reimport_is_refused_and_nothing_is_written(limits, write_issue, counts):
    command(write_issue("1.md", 1, staff=True))
    bodies = sorted(Story.objects.values_list("body", flat=True))
    before = counts()
    small = write_issue(
        "1-small.md", text="# NORTHWIND MIGRATION DIGEST, ISSUE 1, 15/03/2022\n\n## NEWS\n\nOk.\n"
    )
    code, out = command(small)
    assert code == 0  # nothing failed: the file was refused on purpose
    assert "refused: 1" in out
    assert "would remove more than a third of its words and stories and key figures" in out
    assert "stories 2 → 1, key figures 1 → 0); not replaced without --replace" in out
    assert counts() == before
    assert sorted(Story.objects.values_list("body", flat=True)) == bodies


def test_a_good_file_beside_bad_ones_still_imports(limits, tmp_path, write_issue, counts):
    bad = [make(tmp_path)[0] for make in (empty, bom_only, binary, zip_bomb)]
    good = write_issue("good.md", 3)
    code, out = command(*bad, good)
    assert code == 1 and "Errors: 4" in out and "created: 1" in out
    assert counts()["Issue"] == 1

"""Reader: decoding, limits and zip safety, on real files built in tmp_path."""

import zipfile

import pytest

from newsletters.importing.reader import (
    DecodeError,
    Limits,
    SourceError,
    SourceText,
    decode,
    iter_sources,
    read_bytes,
)

RUSSIAN = "Торговля людьми существует. Останови ее! Горячая линия 11616."
FRENCH = "Le séminaire a réuni des représentants de la société civile à Almaty."


def test_decode_utf8():
    assert decode("Jalal-Abad — №4".encode()) == "Jalal-Abad — №4"


def test_decode_strips_utf8_bom():
    assert decode(b"\xef\xbb\xbfHello") == "Hello"


def test_decode_utf16_boms():
    assert decode("\ufeffПривет".encode("utf-16-le")) == "Привет"
    assert decode("\ufeffПривет".encode("utf-16-be")) == "Привет"


def test_decode_cp1251_is_chosen_for_cyrillic():
    assert decode(RUSSIAN.encode("cp1251")) == RUSSIAN


def test_decode_cp1252_is_chosen_for_western_text():
    assert decode(FRENCH.encode("cp1252")) == FRENCH


def test_decode_refuses_control_characters():
    with pytest.raises(DecodeError):
        decode(b"\x01\x02\x03\x04\x05\x06\x07" * 20)


def test_decode_keeps_crlf_for_the_parser_to_normalise():
    assert decode(b"a\r\nb\rc") == "a\r\nb\rc"


def test_read_bytes_empty_and_whitespace():
    assert read_bytes("x.txt", b"") == SourceError("x.txt", "file is empty")
    assert read_bytes("x.txt", b" \n\r\n") == SourceError("x.txt", "file is empty")


BOM_ONLY = "file is empty (nothing but a byte-order mark or spaces)"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf \r\n\t",
        b"\xff\xfe",
        "\ufeff  \n".encode("utf-16-le"),
        "\ufeff\n\n".encode("utf-16-be"),
        "\u00a0\n".encode(),
    ],
    ids=["utf8-bom", "utf8-bom-spaces", "utf16-bom", "utf16le-spaces", "utf16be-newlines", "nbsp"],
)
def test_bom_only_and_unicode_whitespace_files_are_empty(raw):
    assert read_bytes("x.txt", raw) == SourceError("x.txt", BOM_ONLY)


# Long enough for a language check: what a real archive page holds.
RUSSIAN_PAGE = (
    "Миграционный бюллетень, выпуск 7, март 2021 года. Партнёры провели обучение "
    "пограничников в Оше. Горячая линия 11616 принимает звонки круглосуточно, "
    "консультации бесплатны для всех мигрантов и их семей."
)
FRENCH_PAGE = (
    "Le séminaire a réuni des représentants de la société civile à Almaty. Les bénévoles "
    "ont été formés à l'accueil des familles rapatriées, et un numéro d'écoute gratuit "
    "a été présenté aux élèves des écoles de la région."
)


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (RUSSIAN_PAGE, "utf-8", "utf-8"),
        (RUSSIAN_PAGE, "utf-8-sig", "utf-8"),
        (RUSSIAN_PAGE, "utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        (RUSSIAN_PAGE, "utf-16-le", "utf-16-le"),  # no BOM at all
        (RUSSIAN_PAGE, "utf-16-be", "utf-16-be"),
        (RUSSIAN_PAGE, "cp1251", "cp1251"),
        (RUSSIAN_PAGE, "koi8-r", "koi8-r"),
        (RUSSIAN_PAGE, "cp866", "cp866"),
        (FRENCH_PAGE, "latin-1", "cp1252"),  # cp1252 is a superset of Latin-1's letters
        (FRENCH_PAGE, "cp1252", "cp1252"),
    ],
)
def test_detects_each_encoding_from_real_bytes(text, encoding, detected):
    raw = text.encode(encoding)
    result = read_bytes("page.txt", raw)
    assert isinstance(result, SourceText)
    assert result.text.lstrip("\ufeff") == text
    assert result.encoding == detected
    assert result.warnings == []  # a confident guess says nothing
    assert result.raw == raw


def test_a_low_confidence_guess_is_a_warning_naming_the_encoding():
    # One accented letter: no language check can confirm the code page.
    result = read_bytes("cafe.txt", "Café in Osh".encode("latin-1"))
    assert isinstance(result, SourceText)
    assert result.text == "Café in Osh"
    assert result.warnings == [
        "Encoding guessed as cp1252 with low confidence: check that accented and non-Latin "
        "letters read correctly."
    ]


def test_a_short_cyrillic_line_is_read_as_cyrillic_with_a_warning():
    result = read_bytes("short.txt", "Выпуск 5".encode("cp1251"))
    assert isinstance(result, SourceText)
    assert result.text == "Выпуск 5" and result.encoding == "cp1251"
    assert "cp1251 with low confidence" in result.warnings[0]


def test_undecodable_bytes_are_an_error():
    # High bytes that are undefined in cp1251 and cp1252 alike (0x98, 0x81...).
    result = read_bytes("junk.txt", bytes(range(0x80, 0x100)) * 3)
    assert result == SourceError(
        "junk.txt", "cannot decode text as UTF-8, UTF-16, cp1251, KOI8-R, CP866 or cp1252"
    )


def test_read_bytes_binary():
    result = read_bytes("x.txt", b"%PDF-1.4\x00\x00\x01")
    assert result == SourceError("x.txt", "binary file (contains NUL bytes)")


def test_read_bytes_too_big():
    result = read_bytes("big.txt", b"a" * 2_200_000, Limits(max_file_bytes=2 * 1024 * 1024))
    assert isinstance(result, SourceError)
    assert result.message == "file is 2.1 MB, over the 2.0 MB limit"


def test_read_bytes_keeps_raw_for_hashing():
    raw = RUSSIAN.encode("cp1251")
    result = read_bytes("r.txt", raw)
    assert isinstance(result, SourceText)
    assert result.raw == raw and result.text == RUSSIAN


def test_files_folders_and_unknown_paths(tmp_path):
    (tmp_path / "b.md").write_text("## B\n\nText.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (tmp_path / "sub" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    results = list(iter_sources([tmp_path, tmp_path / "notes.pdf", tmp_path / "missing.txt"]))
    labels = [r.path for r in results]
    assert labels == [
        str(tmp_path / "b.md"),
        str(tmp_path / "sub" / "a.txt"),
        str(tmp_path / "notes.pdf"),
        str(tmp_path / "missing.txt"),
    ]
    assert isinstance(results[1], SourceText) and results[1].text == RUSSIAN
    assert "unsupported file type '.pdf'" in results[2].message
    assert results[3].message == "no such file or folder"


def test_big_file_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 3000)
    (result,) = iter_sources([big], Limits(max_file_bytes=1000))
    assert isinstance(result, SourceError) and "over the" in result.message


def test_iter_sources_is_lazy(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    gen = iter_sources([tmp_path])
    assert next(gen).text == "one"


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def test_zip_entries_are_labelled_and_filtered(tmp_path):
    archive = _zip(
        tmp_path / "archive.zip",
        [
            ("inner/b.txt", "Bee"),
            ("inner/a.md", "Ay"),
            ("inner/image.png", b"\x89PNG"),
            ("__MACOSX/inner/._a.md", b"\x00\x05"),
            ("inner/.DS_Store", b"\x00"),
        ],
    )
    results = list(iter_sources([archive]))
    assert [(r.path, r.text) for r in results] == [
        (f"{archive}:inner/a.md", "Ay"),
        (f"{archive}:inner/b.txt", "Bee"),
    ]


def test_zip_path_traversal_entries_are_refused_not_read(tmp_path):
    archive = _zip(
        tmp_path / "evil.zip",
        [("../evil.txt", "x"), ("/etc/passwd.txt", "x"), ("ok.txt", "fine")],
    )
    results = list(iter_sources([archive]))
    errors = [r for r in results if isinstance(r, SourceError)]
    assert {e.message for e in errors} == {
        "zip entry '../evil.txt' escapes the archive folder",
        "zip entry '/etc/passwd.txt' escapes the archive folder",
    }
    assert [r.text for r in results if isinstance(r, SourceText)] == ["fine"]
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_with_too_many_entries(tmp_path):
    archive = _zip(tmp_path / "many.zip", [(f"{i}.txt", "x") for i in range(12)])
    (result,) = iter_sources([archive], Limits(max_zip_entries=10))
    assert result == SourceError(str(archive), "zip has 12 entries, over the limit of 10")


def test_zip_bomb_of_zeros_is_refused_from_declared_sizes(tmp_path):
    archive = tmp_path / "bomb.zip"
    chunk = b"0" * (1024 * 1024)
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("bomb.txt", "w", force_zip64=True) as fh,
    ):
        for _ in range(101):
            fh.write(chunk)
    assert archive.stat().st_size < 1024 * 1024  # small on disk, 101 MB inside
    (result,) = iter_sources([archive])
    assert result == SourceError(str(archive), "zip expands to more than 100.0 MB")


def test_zip_entry_over_file_limit(tmp_path):
    archive = _zip(tmp_path / "big.zip", [("big.txt", "a" * 5000)])
    (result,) = iter_sources([archive], Limits(max_file_bytes=1000))
    assert isinstance(result, SourceError) and "over the" in result.message


def _lie_about_size(archive, real_size, fake_size):
    # Rewrite the uncompressed size in both the local header and the central directory.
    data = bytearray(archive.read_bytes())
    real = real_size.to_bytes(4, "little")
    fake = fake_size.to_bytes(4, "little")
    count = data.count(real)
    assert count >= 2
    archive.write_bytes(bytes(data).replace(real, fake))


def test_zip_with_lying_sizes_is_capped_while_reading(tmp_path):
    archive = _zip(tmp_path / "liar.zip", [("liar.txt", "z" * 300_000)])
    _lie_about_size(archive, 300_000, 10)
    with zipfile.ZipFile(archive) as zf:
        assert zf.infolist()[0].file_size == 10  # the header now lies
    (result,) = iter_sources([archive], Limits(max_file_bytes=1000, max_zip_bytes=2000))
    # Never more than the declared 10 bytes are trusted: the CRC check then fails.
    assert isinstance(result, SourceError)
    assert result.path == f"{archive}:liar.txt"


def test_zip_total_budget_enforced_while_reading(tmp_path):
    archive = _zip(tmp_path / "two.zip", [("a.txt", "a" * 800), ("b.txt", "b" * 800)])
    results = list(iter_sources([archive], Limits(max_zip_bytes=1200)))
    # The declared total (1600) is already over the limit: refused before reading anything.
    assert results == [SourceError(str(archive), "zip expands to more than 1.2 KB")]


def test_not_a_zip(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"this is not a zip")
    (result,) = iter_sources([archive])
    assert isinstance(result, SourceError) and "not a readable zip" in result.message


def test_readme_and_licence_beside_issues_are_not_issues(tmp_path):
    (tmp_path / "README.md").write_text("# About this archive\n\nFive issues.\n")
    (tmp_path / "LICENSE.txt").write_text("CC BY 4.0\n")
    (tmp_path / "issue-1.md").write_text("# Bulletin, Issue 1, 01/02/2021\n\nText.\n")
    zipped = tmp_path / "archive.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("issues/readme.md", "About")
        archive.writestr("issues/issue-2.txt", "Bulletin, Issue 2, 01/03/2021")
    labels = [source.path for source in iter_sources([tmp_path])]
    assert labels == [str(tmp_path / "issue-1.md")]
    assert [s.path for s in iter_sources([zipped])] == [f"{zipped}:issues/issue-2.txt"]
    # A README named outright is read like any file.
    assert [s.path for s in iter_sources([tmp_path / "README.md"])] == [
        str(tmp_path / "README.md")
    ]


@pytest.mark.parametrize(
    "raw",
    [b"\x00\x01binary", b"%PDF-1.4\x00\x00\x01", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"],
    ids=["nul-then-letters", "pdf", "zip-header"],
)
def test_binary_with_nul_bytes_is_not_taken_for_bomless_utf16(raw):
    assert read_bytes("x.txt", raw) == SourceError("x.txt", "binary file (contains NUL bytes)")

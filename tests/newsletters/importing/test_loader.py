"""The loader and the batch service on invented issues: every rule of issue 3."""

import datetime
import io
import zipfile

import pytest

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from newsletters.importing.loader import import_sources, load_issue, source_hash
from newsletters.importing.parser import parse
from newsletters.models import Issue, KeyFigure, Photo, Section, Story

from .conftest import SERIES, issue_text

pytestmark = pytest.mark.django_db


def run(*paths, **kwargs):
    return list(import_sources(paths, **kwargs))


def test_creates_a_draft_issue_with_its_contents(write_issue):
    (report,) = run(write_issue("digest-1.md", 1, staff=True))
    assert report.status == "ok" and report.outcome == "created"
    issue = Issue.objects.get()
    assert issue.series.title == SERIES
    assert (issue.number, issue.publication_date) == (1, datetime.date(2022, 3, 15))
    assert issue.title == report.parsed.title
    assert issue.slug
    assert issue.status == Issue.Status.DRAFT
    assert issue.source_name.endswith("digest-1.md")
    assert issue.source_hash == source_hash(write_issue("again.md", 1, staff=True).read_bytes())
    assert [s.title for s in issue.sections.all()] == ["Direct Assistance"]
    stories = list(Story.objects.filter(issue=issue).order_by("position"))
    assert [s.title for s in stories] == ["", "A training for border officers"]
    assert len({s.slug for s in stories}) == 2
    assert [c.code for c in stories[1].countries.all()] == ["KG"]
    assert Photo.objects.get().caption == "Photo of a workshop in Almaty"
    assert list(issue.key_figures.values_list("value", "position")) == [(1234, 0)]
    assert issue.directory_snapshot == report.parsed.to_dict()["directory"]
    assert set(issue.directory_snapshot) == {"offices", "hotlines", "people"}
    assert issue.import_warnings == report.parsed.warnings


def test_publish_option_publishes(write_issue):
    run(write_issue("digest-1.md", 1), publish=True)
    issue = Issue.objects.get()
    assert issue.status == Issue.Status.PUBLISHED and issue.first_published_at


def test_same_file_again_is_unchanged_and_writes_nothing(
    write_issue, counts, django_assert_num_queries
):
    path = write_issue("digest-1.md", 1, staff=True)
    run(path)
    before, updated_at = counts(), Issue.objects.get().updated_at
    with django_assert_num_queries(1):  # the hash look-up, nothing else
        (report,) = run(path)
    assert report.outcome == "unchanged"
    assert counts() == before
    assert Issue.objects.get().updated_at == updated_at


def test_new_version_of_an_unedited_draft_replaces_its_contents(write_issue, counts):
    run(write_issue("digest-1.md", 1, story="First wording of the story in Kazakhstan."))
    issue = Issue.objects.get()
    (report,) = run(
        write_issue("renamed.md", 1, story="Second wording of the story in Kazakhstan.", figure=99)
    )
    assert report.outcome == "updated"
    issue.refresh_from_db()
    assert Issue.objects.get().pk == issue.pk
    assert issue.source_name.endswith("renamed.md")
    assert Story.objects.filter(body__contains="Second wording").count() == 1
    assert not Story.objects.filter(body__contains="First wording").exists()
    assert list(KeyFigure.objects.values_list("value", flat=True)) == [99]
    assert Section.objects.count() == 1 and Photo.objects.count() == 1


def test_new_version_matched_by_source_name(write_issue):
    text = issue_text(1, series=None).replace("# \n", "# Issue №7, 7 August 2020\n", 1)
    path = write_issue("undated.md", text=text)
    run(path, series="Invented Series")
    path.write_text(text.replace("returning workers", "returning families"), "utf-8")
    (report,) = run(path, series="Invented Series")
    assert report.outcome == "updated"
    assert Issue.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "why"),
    [({"edited_in_admin": True}, "edited in the admin"), ({"status": "published"}, "published")],
)
def test_edited_or_published_issue_is_skipped_not_overwritten(write_issue, counts, change, why):
    run(write_issue("digest-1.md", 1, story="Original words about Kazakhstan."))
    Issue.objects.update(**change)
    before = counts()
    (report,) = run(write_issue("digest-1-v2.md", 1, story="New words about Kazakhstan."))
    assert report.status == "ok" and report.outcome == "skipped"
    assert why in report.result.message and "not overwritten" in report.result.message
    assert counts() == before
    assert Story.objects.filter(body__contains="Original words").exists()


def test_directory_is_merged_across_issues_and_remembers_the_newest(write_issue):
    emails = (("KAZAKHSTAN", "northwind-kz@example.org"), ("KYRGYZSTAN", "nw-kg@example.org"))
    newest = write_issue("3.md", 3, date=datetime.date(2022, 5, 1), emails=emails, staff=True)
    older = write_issue("2.md", 2, date=datetime.date(2022, 4, 1), emails=emails, staff=True)
    # Published: a draft only proposes its entries (tests/newsletters/test_publishing.py).
    first = write_issue("1.md", 1, date=datetime.date(2022, 3, 1), staff=True)
    run(first, newest, older, publish=True)
    undated = issue_text(9, series=None, staff=True).replace("# \n", "# Northwind news\n", 1)
    run(write_issue("undated.md", text=undated), series=SERIES, publish=True)

    issue3 = Issue.objects.get(number=3)
    assert Country.objects.filter(code__in=["KZ", "KG"]).count() == 2
    assert Country.objects.get(code="KZ").name == "Kazakhstan"
    assert Office.objects.filter(country__code="KZ").count() == 1
    assert OfficeEmail.objects.filter(address="northwind-kz@example.org").count() == 1
    assert Office.objects.get(country__code="KZ").last_seen_in == issue3
    hotline = Hotline.objects.get(digits="11616")
    assert hotline.last_seen_in == issue3 and hotline.note == "national hotline"
    assert Hotline.objects.get(digits="88000111122").note == "landlines"
    assert Hotline.objects.count() == 4
    person = Person.objects.get()
    assert person.email == "atestova@example.org"
    assert person.role == "Programme Assistant" and person.country.code == "KZ"
    assert person.last_seen_in == issue3


def test_person_matched_by_name_and_country_without_email(write_issue):
    link = "[atestova@example.org](mailto:atestova@example.org)"
    text = issue_text(1, staff=True).replace(link, "")
    run(write_issue("1.md", text=text), publish=True)
    run(write_issue("2.md", 2, date=datetime.date(2023, 1, 1), staff=True), publish=True)
    person = Person.objects.get()
    assert person.email == "atestova@example.org"
    assert person.last_seen_in.number == 2


def test_dry_run_writes_nothing_and_predicts(write_issue, counts):
    before = counts()
    (report,) = run(write_issue("1.md", 1, staff=True), dry_run=True, preview_directory=True)
    assert report.outcome == "created" and report.result.message.startswith("would be created")
    assert "northwind-kz@example.org" in " ".join(report.directory_changes["offices"]["new"])
    assert counts() == before


def test_missing_series_is_a_file_error(write_issue, counts):
    text = issue_text(1, series=None).replace("# \n", "# Issue №7, 7 August 2020\n", 1)
    reports = run(write_issue("no-series.md", text=text), write_issue("ok.md", 1))
    assert reports[0].status == "error" and reports[0].error
    assert reports[1].outcome == "created"


# --- bad input: one line naming the file, nothing of it written, the batch goes on ----


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


BAD_INPUTS = {  # kind: (file name, bytes, a word the error must contain)
    "empty": ("empty.txt", b"", "empty"),
    "blank": ("blank.txt", b"  \n\n \r\n", "empty"),
    "binary": ("binary.txt", bytes(range(256)), "binary"),
    "no issue": ("note.txt", b"Shopping list: bread, milk.\n", ""),
    # 0x98 is undefined in cp1251 and 0x81 in cp1252, and neither is valid UTF-8 here.
    "undecodable": ("bad.txt", b"Issue \x98\x81 text " * 50, "decode"),
    "too big": ("big.txt", issue_text(1).encode() + b"x" * 400, "limit"),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_file_is_one_error_and_the_batch_goes_on(kind, tmp_path, settings, counts):
    settings.IMPORT_MAX_FILE_BYTES = len(issue_text(1).encode()) + 200
    name, data, word = BAD_INPUTS[kind]
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "good.md"
    good.write_text(issue_text(1), "utf-8")
    before = counts()
    bad_report, good_report = run(path, good)
    assert bad_report.status == "error"
    assert bad_report.path == str(path)
    assert bad_report.error and "\n" not in bad_report.error
    assert word in bad_report.error
    assert good_report.outcome == "created"
    after = counts()
    assert after["Issue"] == before["Issue"] + 1
    assert after["Story"] == before["Story"] + 2  # the good file's stories only


def test_zip_with_escaping_path_imports_only_the_safe_entries(tmp_path, counts):
    archive = _zip(
        tmp_path / "a.zip",
        {"../evil.md": issue_text(7), "/abs.md": issue_text(8), "ok/1.md": issue_text(1)},
    )
    reports = run(archive)
    errors = [r for r in reports if r.status == "error"]
    assert len(errors) == 2 and all("escapes" in r.error for r in errors)
    assert [r.path for r in reports if r.status == "ok"] == [f"{archive}:ok/1.md"]
    assert list(Issue.objects.values_list("number", flat=True)) == [1]


def test_zip_with_too_many_entries_writes_nothing(tmp_path, settings, counts):
    settings.IMPORT_MAX_ZIP_ENTRIES = 3
    archive = _zip(tmp_path / "many.zip", {f"{n}.md": issue_text(n) for n in range(1, 6)})
    good = tmp_path / "good.md"
    good.write_text(issue_text(20), "utf-8")
    before = counts()
    reports = run(archive, good)
    assert reports[0].status == "error" and "entries" in reports[0].error
    assert reports[1].outcome == "created"
    assert counts()["Issue"] == before["Issue"] + 1


def test_zip_with_too_much_data_writes_nothing(tmp_path, settings, counts):
    settings.IMPORT_MAX_ZIP_BYTES = 10_000
    archive = _zip(tmp_path / "bomb.zip", {"big.md": issue_text(1) + " " * 50_000})
    before = counts()
    (report,) = run(archive)
    assert report.status == "error" and "expands" in report.error
    assert counts() == before


def test_unsupported_and_missing_paths_are_file_errors(tmp_path, counts):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    before = counts()
    reports = run(tmp_path / "photo.jpg", tmp_path / "nowhere.txt")
    assert [r.status for r in reports] == ["error", "error"]
    assert counts() == before


def test_database_error_rolls_the_whole_file_back(write_issue, counts, monkeypatch):
    from newsletters.importing import loader

    def boom(*args, **kwargs):
        from django.db import IntegrityError

        raise IntegrityError("simulated failure half-way")

    monkeypatch.setattr(loader, "merge_directory", boom)
    before = counts()
    (report,) = run(write_issue("1.md", 1, staff=True))
    assert report.status == "error" and "simulated failure" in report.error
    assert counts() == before


def test_load_issue_api(write_issue):
    text = issue_text(4)
    parsed = parse(text)
    result = load_issue(parsed, source_name="x.md", source_hash="a" * 64)
    assert result.outcome == "created" and result.issue.number == 4
    again = load_issue(parsed, source_name="x.md", source_hash="a" * 64)
    assert again.outcome == "unchanged" and again.issue == result.issue


def test_query_count_per_file_is_bounded(write_issue, django_assert_max_num_queries):
    run(write_issue("0.md", 10, staff=True))  # countries and offices exist from here on
    for n in range(1, 4):
        path = write_issue(f"{n}.md", n, date=datetime.date(2022, n, 1), staff=True)
        with django_assert_max_num_queries(25):
            (report,) = run(path)
        assert report.outcome == "created"


def test_reads_folders_recursively_and_streams(tmp_path):
    for n in range(1, 4):
        (tmp_path / "a" / "b").mkdir(parents=True, exist_ok=True)
        (tmp_path / "a" / "b" / f"{n}.md").write_text(issue_text(n), "utf-8")
    reports = import_sources([tmp_path])
    assert not isinstance(reports, list)
    assert sum(1 for r in reports if r.outcome == "created") == 3


def test_legacy_encodings_and_crlf(tmp_path):
    text = issue_text(1, story="Café workers in Kazakhstan got help.").replace("\n", "\r\n")
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.replace("● ●", "").encode("cp1252"))
    (report,) = run(path)
    assert report.outcome == "created"
    assert Story.objects.filter(body__contains="Café").exists()


def test_zip_bytes_in_memory_are_not_needed(tmp_path):
    # The admin copies an uploaded zip to disk; here a zip made in memory, written once.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("1.md", issue_text(1))
    path = tmp_path / "mem.zip"
    path.write_bytes(buffer.getvalue())
    assert run(path)[0].outcome == "created"


def test_a_windows_1251_file_imports_cyrillic_text_not_mojibake(tmp_path):
    story = "Партнёры провели обучение пограничников в Оше, Кыргызстан, по безопасной миграции."
    path = tmp_path / "ru.txt"
    # The running header's bullets (●) exist in no 8-bit code page.
    path.write_bytes(issue_text(3, story=story).replace(" ● ●", "").encode("cp1251"))
    (report,) = run(path)
    assert report.outcome == "created", report.error
    assert Story.objects.filter(body__contains=story).count() == 1
    assert not any("Encoding" in w for w in Issue.objects.get().import_warnings)


def test_an_unsure_encoding_guess_is_kept_among_the_issue_warnings(tmp_path):
    path = tmp_path / "latin.txt"
    # Short, with one accented letter: charset-normalizer cannot confirm its pick.
    text = "# Bulletin, Issue 4, 15/04/2023\n\n## News\n\nCaf\xe9 owners met."
    path.write_bytes(text.encode("latin-1"))
    (report,) = run(path)
    assert report.outcome == "created"
    assert Story.objects.filter(body="Café owners met.").count() == 1
    expected = (
        "Encoding guessed as cp1252 with low confidence: check that accented and non-Latin "
        "letters read correctly."
    )
    assert report.warnings[0] == expected
    assert Issue.objects.get().import_warnings[0] == expected

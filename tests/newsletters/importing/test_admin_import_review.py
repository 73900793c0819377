"""The admin import preview of issue 10: needs-review files in red with their reasons,
dropped lines by reason, the before/after comparison, the layout choice, and metadata
edited per file before confirming."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletters.admin_import import SESSION_KEY
from newsletters.importing.parser import DroppedLine
from newsletters.models import Issue, Story

from .conftest import issue_text

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:newsletters_issue_import")
CONFIRM_URL = reverse("admin:newsletters_issue_import_confirm")


@pytest.fixture
def editor(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    return client




def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def preview(client, *files, **data):
    return client.post(IMPORT_URL, {"files": list(files), "series": "", **data})


def section(html, number):
    """The HTML of the preview's n-th file."""
    match = re.search(
        rf'<section class="import-file([^"]*)" id="import-file-{number}">(.*?)</section>',
        html,
        re.S,
    )
    return match.group(1).strip(), match.group(2)


def test_needs_review_file_is_red_with_its_reasons_and_not_imported(editor, parse_spy):
    _, adjust = parse_spy

    def unsure(parsed):
        if parsed.number == 2:
            parsed.confidence = 0.3
            parsed.confidence_reasons = ["one-word titles: 4", "<b>empty</b> sections: 2"]

    adjust.append(unsure)
    response = preview(editor, upload("1.md", issue_text(1)), upload("2.md", issue_text(2)))
    html = response.content.decode()
    assert "1 needs review</strong> (they will not be imported)" in html
    first_class, _ = section(html, 1)
    second_class, second = section(html, 2)
    assert first_class == "" and second_class == "needs-review"
    assert "confidence 0.30" in second
    assert "<li>one-word titles: 4</li>" in second
    assert "<li>&lt;b&gt;empty&lt;/b&gt; sections: 2</li>" in second  # escaped, never |safe
    assert "Needs review: confidence 0.30 is below 0.60" in second
    assert ".import-file.needs-review { border: 2px solid var(--error-fg); }" in html
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    assert list(Issue.objects.values_list("number", flat=True)) == [1]


def test_accepting_files_that_need_review_imports_them(editor, parse_spy):
    _, adjust = parse_spy
    adjust.append(lambda p: setattr(p, "confidence", 0.3))
    html = preview(editor, upload("2.md", issue_text(2)), accept_low_confidence="on")
    assert "(they will be imported all the same)" in html.content.decode()
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    assert Issue.objects.get().number == 2


def test_dropped_lines_are_grouped_by_reason(editor, parse_spy):
    _, adjust = parse_spy
    adjust.append(
        lambda p: setattr(p, "dropped", [
            DroppedLine(1, "DIGEST 1 <script>", "running header"),
            DroppedLine(40, "DIGEST 1 <script>", "running header"),
            DroppedLine(12, "In this issue ... 7", "contents list"),
        ])  # fmt: skip
    )
    html = preview(editor, upload("1.md", issue_text(1))).content.decode()
    assert "<summary>Running header: 2 lines</summary>" in html
    assert "<summary>Contents list: 1 line</summary>" in html
    assert "line 40: <code>DIGEST 1 &lt;script&gt;</code>" in html
    assert "<script>" not in html.split("Lines left out")[1]


def test_preview_shows_the_comparison_of_a_destructive_version(editor):
    preview(editor, upload("1.md", issue_text(1, staff=True)))
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    small = "# NORTHWIND MIGRATION DIGEST, ISSUE 1, 15/03/2022\n\n## NEWS\n\nTwo words.\n"
    html = preview(editor, upload("1-small.md", small)).content.decode()
    _, body = section(html, 1)
    assert "Refused: the new version of" in body
    assert "<tr><th scope=\"row\">Words</th><td>" in body
    assert "<tr><th scope=\"row\">Stories</th><td>2</td><td>1</td></tr>" in body
    assert "<tr><th scope=\"row\">Key figures</th><td>1</td><td>0</td></tr>" in body
    assert 'value="Confirm import" disabled' in html
    stories = Story.objects.count()
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    assert Story.objects.count() == stories


def test_layout_choice_reaches_the_parser(editor, parse_spy):
    calls, _ = parse_spy
    preview(editor, upload("1.md", issue_text(1)), layout="one-story")
    assert calls[-1]["layout"] == "one-story"
    editor.post(CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"]})
    assert calls[-1]["layout"] == "one-story"


def test_unknown_layout_is_a_form_error(editor):
    response = preview(editor, upload("1.md", issue_text(1)), layout="columns")
    assert "Select a valid choice. columns is not one of the available choices." in (
        response.content.decode()
    )
    assert SESSION_KEY not in editor.session


def test_metadata_is_editable_per_file_before_confirming(editor):
    html = preview(
        editor, upload("1.md", issue_text(1)), upload("2.md", issue_text(2))
    ).content.decode()
    assert 'name="file-0-series" value="Northwind Migration Digest"' in html
    assert 'name="file-1-number" value="2"' in html
    assert 'name="file-0-date" value="2022-03-15"' in html
    response = editor.post(CONFIRM_URL, {
        "token": editor.session[SESSION_KEY]["token"],
        "file-0-series": "Northwind Migration Digest", "file-0-number": "1",
        "file-0-date": "2022-03-15", "file-0-title": "Spring news",
        "file-1-series": "Steppe Bulletin", "file-1-number": "20",
        "file-1-date": "2014-Q2", "file-1-title": "Northwind Migration Digest — Issue 2",
    })  # fmt: skip
    assert response.status_code == 302
    one = Issue.objects.get(number=1)
    assert (one.title, one.series.title, one.publication_date) == (
        "Spring news", "Northwind Migration Digest", datetime.date(2022, 3, 15)
    )
    two = Issue.objects.get(number=20)
    assert two.series.title == "Steppe Bulletin"
    assert (two.publication_date, two.date_precision) == (datetime.date(2014, 4, 1), "quarter")


def test_a_bad_edited_value_shows_the_preview_again_and_writes_nothing(editor, counts):
    preview(editor, upload("1.md", issue_text(1)))
    token = editor.session[SESSION_KEY]["token"]
    before = counts()
    response = editor.post(
        CONFIRM_URL, {"token": token, "file-0-date": "2022-02-30", "file-0-number": "x1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "date &#x27;2022-02-30&#x27; does not exist" in html
    assert 'name="file-0-date" value="2022-02-30"' in html  # what was typed stays
    assert counts() == before
    assert editor.session[SESSION_KEY]["token"] == token  # still waiting: fix and confirm
    response = editor.post(CONFIRM_URL, {"token": token, "file-0-date": "2022-02"})
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert (issue.publication_date, issue.date_precision) == (datetime.date(2022, 2, 1), "month")


def test_the_volume_is_editable_before_confirming(editor):
    # Two files of one series, both "Issue 1": only their volumes tell them apart.
    other = issue_text(1, story="Forty families found housing in Osh this spring.")
    html = preview(editor, upload("a.md", issue_text(1)), upload("b.md", other)).content.decode()
    assert 'name="file-0-volume"' in html and 'name="file-0-volume" value=' not in html
    response = editor.post(CONFIRM_URL, {
        "token": editor.session[SESSION_KEY]["token"],
        "file-0-volume": "I", "file-1-volume": "2",
    })  # fmt: skip
    assert response.status_code == 302
    assert sorted(Issue.objects.values_list("volume", "number", "title")) == [
        ("1", 1, "Northwind Migration Digest — Vol. I, Issue 1"),
        ("2", 1, "Northwind Migration Digest — Vol. 2, Issue 1"),
    ]


def test_a_volume_that_is_no_number_is_a_form_error(editor, counts):
    preview(editor, upload("a.md", issue_text(1)))
    before = counts()
    response = editor.post(
        CONFIRM_URL, {"token": editor.session[SESSION_KEY]["token"], "file-0-volume": "four"}
    )
    assert response.status_code == 400
    assert "volume &#x27;four&#x27; is not a number (4) or a roman numeral (IV)" in (
        response.content.decode()
    )
    assert counts() == before


def test_key_figures_in_the_preview_read_as_printed(editor):
    html = preview(editor, upload("a.md", issue_text(1, figure=2340))).content.decode()
    items = re.findall(r"<h3>Key figures</h3>\s*<ul>(.*?)</ul>", html, re.S)
    assert items and "2,340" in items[0] and "2340" not in items[0], items

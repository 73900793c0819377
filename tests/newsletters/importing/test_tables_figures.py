"""Tables in imported newsletters (issue 10): a table is never joined into one line, and a
table of label and value under a key-figures heading becomes the issue's key figures.
All text is invented."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from newsletters.figures import parse_figure
from newsletters.importing import parser as p
from newsletters.importing.parser.figures import is_key_figure_heading, table_figures
from newsletters.importing.parser.text import aligned_row, figure_line, parse_figure_value
from newsletters.markdown import render_markdown
from newsletters.models import Issue, KeyFigure, Story
from tests.fixtures.archive_styles.expected import EXPECTED
from tests.newsletters.importing.parsing import HEADER, STORY

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles"
HEAD = "# Crossroads Digest — Issue 8 (October 2022)\n\n"
PROSE = "The national helpline answered its ten-thousandth call in September this year.\n\n"
TABLE = ("| Indicator | Value |\n|---|---|\n| Calls to the helpline | 10,000 |\n"
         "| Victims assisted | 212 |")


def _stories(issue):
    return {st.title: st for s in issue.sections for st in s.stories}


@pytest.mark.parametrize("name", [n for n in EXPECTED if "figures" in EXPECTED[n]])
def test_corpus_key_figures(name):
    issue = p.parse((CORPUS / name).read_text("utf-8"), filename=name)
    got = [(f.label, f.value, f.unit) for f in issue.key_figures]
    assert got == EXPECTED[name]["figures"]
    # Exact: an integral value is an int, a fraction a Decimal, never a float.
    assert all(isinstance(f.value, int | Decimal) for f in issue.key_figures)


def test_corpus_hotlines():
    issue = p.parse((CORPUS / "ru_bulletin.txt").read_text("utf-8"), filename="ru_bulletin.txt")
    got = [(h.country, h.number, h.note) for h in issue.directory.hotlines]
    assert got == EXPECTED["ru_bulletin.txt"]["hotlines"]


def test_the_table_figures_file_keeps_every_line_accounted():
    text = (CORPUS / "table_figures.md").read_text("utf-8")
    issue = p.parse(text, filename="table_figures.md")
    lines = text.splitlines()
    figure_lines = [d.line for d in issue.dropped if d.reason == "key figure"]
    assert figure_lines == [10, 12, 13, 14, 15, 16]
    assert [lines[n - 1] for n in figure_lines][0] == "## In numbers"
    bodies = " ".join(st.body for s in issue.sections for st in s.stories)
    assert "|" not in bodies and "10,000 |" not in bodies
    assert [s.title for s in issue.sections] == ["Highlights", "Partners"]


def test_a_table_that_is_story_text_keeps_its_lines():
    text = (HEAD + "## News\n\n### Consultation days\n\nThe lawyers visit the districts on "
            "these days:\n\n| Town | Date | Place |\n|---|---|---|\n| Naryn | 5 April | "
            "House of culture |\n| Talas | 12 April | District library |\n\n"
            "No appointment is needed for any of the consultations.\n")
    issue = p.parse(text)
    body = _stories(issue)["Consultation days"].body
    assert body == (
        "The lawyers visit the districts on these days:\n\n"
        "| Town | Date | Place |\n|---|---|---|\n| Naryn | 5 April | House of culture |\n"
        "| Talas | 12 April | District library |\n\n"
        "No appointment is needed for any of the consultations."
    )
    assert issue.key_figures == []
    html = render_markdown(body)
    assert html.count("<table>") == 1 and html.count("<tr>") == 3
    assert "<th>Town</th>" in html and "<td>House of culture</td>" in html


def test_a_label_value_table_under_an_ordinary_heading_stays_a_table():
    issue = p.parse(HEAD + "## News\n\n### Helpline\n\n" + PROSE + TABLE + "\n")
    body = _stories(issue)["Helpline"].body
    assert body.endswith(TABLE)
    assert issue.key_figures == []


def test_a_table_of_three_columns_under_in_numbers_is_kept_in_a_story():
    table = "| Indicator | 2021 | 2022 |\n|---|---|---|\n| Calls | 8,000 | 10,000 |"
    issue = p.parse(HEAD + "## Highlights\n\n### Helpline\n\n" + PROSE + "## In numbers\n\n"
                    + table + "\n")
    assert issue.key_figures == []
    (section,) = [s for s in issue.sections if s.title == "In numbers"]
    assert section.stories[0].body == table
    assert not [d for d in issue.dropped if d.reason == "key figure"]


def test_under_in_numbers_a_table_is_taken_and_a_paragraph_stays():
    issue = p.parse(HEAD + "## Highlights\n\n### Helpline\n\n" + PROSE + "## In numbers\n\n"
                    + TABLE + "\n\nThe figures are for the first nine months of the year.\n")
    assert [(f.label, f.value) for f in issue.key_figures] == [
        ("Calls to the helpline", 10000), ("Victims assisted", 212)
    ]
    (section,) = [s for s in issue.sections if s.title == "In numbers"]
    assert section.stories[0].body == "The figures are for the first nine months of the year."
    assert len([d for d in issue.dropped if d.reason == "key figure"]) == 4


def test_in_numbers_as_a_story_heading_leaves_no_empty_story():
    issue = p.parse(HEAD + "## Highlights\n\n### Helpline\n\n" + PROSE + "### In numbers\n\n"
                    + TABLE + "\n\n### Partners meet\n\n" + PROSE)
    assert [st.title for s in issue.sections for st in s.stories] == ["Helpline", "Partners meet"]
    assert len(issue.key_figures) == 2


def test_aligned_rows_in_story_text_keep_their_lines():
    text = ("Harbour News\nIssue 3, May 2023\n\nNEWS\n\n\nOpening hours\n\n"
            "The centre is open on these days:\n\n"
            "Monday ........ 10\nWednesday ..... 12\nFriday ........ 14\n")
    issue = p.parse(text)
    bodies = [st.body for s in issue.sections for st in s.stories]
    assert bodies == ["The centre is open on these days:\n\n"
                      "Monday........ 10\nWednesday..... 12\nFriday........ 14"]
    assert issue.key_figures == []


@pytest.mark.parametrize("heading", [
    "Key figures", "KEY FIGURES", "In numbers", "Figures", "В цифрах", "Ключевые показатели",
    "НЕГИЗГИ КӨРСӨТКҮЧТӨР / КЛЮЧЕВЫЕ ПОКАЗАТЕЛИ", "**Facts and figures:**",
])  # fmt: skip
def test_key_figure_headings(heading):
    assert is_key_figure_heading(heading)


@pytest.mark.parametrize("heading", ["News", "Figures of speech in the press", "Цифровые услуги"])
def test_other_headings_are_not_key_figure_headings(heading):
    assert not is_key_figure_heading(heading)


@pytest.mark.parametrize("value", [
    "10,000", "212", "61%", "57 %", "1 340", "12.5", "0.25", "1,650", "37%", "1\u00a0250",
])  # fmt: skip
def test_values_read_as_newsletters_figures_reads_them(value):
    number, unit = parse_figure_value(value)
    assert (number, unit) == tuple(parse_figure(value))


@pytest.mark.parametrize("value", ["ten", "10-12", "5 April", "1,2,3", "about 40"])
def test_what_is_no_figure_value(value):
    assert parse_figure_value(value) is None


@pytest.mark.parametrize(("line", "row"), [
    ("Calls to the helpline ............ 10,000", ("Calls to the helpline", "10,000")),
    ("Average wait (days)      2.5", ("Average wait (days)", "2.5")),
    ("Доля женщин .......... 64%", ("Доля женщин", "64%")),
    ("Консультаций проведено … 1 340", ("Консультаций проведено", "1 340")),
    ("He said  hello", None),
    ("Calls to the helpline 10,000", None),  # no leader: a sentence's words
])  # fmt: skip
def test_aligned_rows(line, row):
    assert aligned_row(line) == row


def test_table_figures_needs_every_row_to_be_a_figure():
    assert table_figures(TABLE) is not None
    assert table_figures(TABLE + "\n| Partners | many |") is None
    assert table_figures("| a | b |\n| 1 | 2 |") is None  # no delimiter row: no table


@pytest.mark.django_db
def test_import_stores_table_figures_and_the_story_page_shows_a_table(tmp_path, client):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "table_figures.md").write_text(
        (CORPUS / "table_figures.md").read_text("utf-8").replace(
            "in September. Most callers asked about legal work abroad.",
            "in September.\n\n| Month | Calls |\n|---|---|\n| August | 880 |\n"
            "| September | 1,020 |",
        ), "utf-8",
    )
    (folder / "harbour_aligned_figures.txt").write_text(
        (CORPUS / "harbour_aligned_figures.txt").read_text("utf-8"), "utf-8"
    )
    call_command("import_newsletters", str(folder), "--publish", stdout=StringIO(),
                 stderr=StringIO())
    crossroads = Issue.objects.get(series__title="Crossroads Digest")
    assert [(f.label, f.value, f.unit) for f in KeyFigure.objects.filter(issue=crossroads)
            .order_by("position")] == [
        ("Calls to the helpline", Decimal(10000), ""),
        ("Victims assisted", Decimal(212), ""),
        ("Share of women among callers", Decimal(61), "%"),
    ]
    harbour = Issue.objects.get(series__title="Harbour Town Migrant Centre Newsletter")
    assert KeyFigure.objects.get(issue=harbour, label__startswith="Average").value == Decimal(
        "2.5"
    )
    story = Story.objects.get(title="Helpline answers its 10,000th call")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<table>") == 1
    assert "<th>Month</th>" in html and "<td>1,020</td>" in html


@pytest.mark.django_db
def test_dry_run_json_gives_a_decimal_figure_as_an_exact_string(tmp_path):
    path = tmp_path / "harbour_aligned_figures.txt"
    path.write_text((CORPUS / "harbour_aligned_figures.txt").read_text("utf-8"), "utf-8")
    out = StringIO()
    call_command("import_newsletters", str(path), "--dry-run", "--json", stdout=out,
                 stderr=StringIO())
    (entry,) = json.loads(out.getvalue())["files"]
    figures = entry["issue"]["key_figures"]
    assert [f["value"] for f in figures] == [10000, 486, 61, "2.5"]
    assert [(d["line"], d["text"][:12]) for d in entry["dropped"]["key figure"]] == [
        (18, "KEY FIGURES"), (21, "Calls to the"), (22, "People given"), (23, "Share of wom"),
        (24, "Average wait"),
    ]
    assert Issue.objects.count() == 0


def test_figure_lines_under_a_russian_heading_leave_no_empty_section():
    text = ("ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
            "В Оше прошёл тренинг для тридцати социальных работников из трёх районов.\n\n\n"
            "В ЦИФРАХ\n\n\n140 консультаций\n27 направлений в приюты\n")
    issue = p.parse(text)
    assert [(f.label, f.value) for f in issue.key_figures] == [
        ("Консультаций", 140), ("Направлений в приюты", 27)
    ]
    assert [(s.title, [st.title for st in s.stories]) for s in issue.sections] == [
        ("Новости", ["Тренинг в Оше"])
    ]
    assert [d.line for d in issue.dropped if d.reason == "key figure"] == [12, 15, 16]


def test_a_key_figures_section_with_stories_under_it_stays():
    issue = p.parse(HEAD + "## Highlights\n\n### Helpline\n\n" + PROSE + "## In numbers\n\n"
                    + TABLE + "\n\n### How we count\n\n" + PROSE)
    assert len(issue.key_figures) == 2
    assert [(s.title, [st.title for st in s.stories]) for s in issue.sections] == [
        ("Highlights", ["Helpline"]), ("In numbers", ["How we count"])
    ]


def test_a_pipe_table_without_outer_pipes_is_a_table_too():
    table = "Town | Date\n--- | ---\nNaryn | 5 April\nTalas | 12 April"
    issue = p.parse(HEAD + "## News\n\n### Consultation days\n\n" + PROSE + table
                    + "\n\nand more dates will follow in the summer months.\n")
    assert _stories(issue)["Consultation days"].body.split("\n\n")[1:] == [
        table, "and more dates will follow in the summer months."
    ]
    figures = p.parse(HEAD + "## Highlights\n\n### Helpline\n\n" + PROSE + "## Key figures\n\n"
                      "Indicator | Value\n:--- | ---:\nCalls | 10,000\nShare of women | 61%\n")
    assert [(f.label, f.value, f.unit) for f in figures.key_figures] == [
        ("Calls", 10000, ""), ("Share of women", 61, "%")
    ]


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", " "])
def test_thousands_parted_by_a_space_are_one_figure(space):
    issue = p.parse(
        f"{HEADER}\n\nNews\n\n{STORY}\n\nВ цифрах\n\n- 1{space}200 мигрантов получили помощь\n"
        f"- 3{space}450 консультаций\n- 37 школ\n"
    )
    assert [(f.label, f.value) for f in issue.key_figures] == [
        ("Мигрантов получили помощь", 1200), ("Консультаций", 3450), ("Школ", 37),
    ]


def test_digit_groups_of_other_lengths_are_no_thousands():
    # "12 2024 people" or "1 20 people": not one number, so no figure line either.
    assert figure_line("1 20 people") is None
    assert figure_line("12 2024 people") is None
    assert figure_line("12 204 people").group(1) == "12 204"


@pytest.mark.parametrize(("label", "unit"), [
    ("Drivers trained", "people"),
    ("Travellers informed at crossings", "people"),
    ("Мигрантов получили помощь", "people"),
    ("Учеников на занятиях", "people"),
    ("Calls to the hotline", "calls"),
    ("Звонков на горячую линию", "calls"),
    ("Консультаций по телефону", "consultations"),
    ("Cases referred to the police", "cases"),
    # Counts of things: no unit rather than "people" beside them.
    ("Школ", ""),
    ("Schools visited", ""),
    ("Leaflets handed out", ""),
    ("Referrals to shelters", ""),
])
def test_a_counted_labels_unit_is_what_it_counts(label, unit):
    from newsletters.importing.parser.figures import canonical_label

    assert canonical_label(label) == (label, unit)

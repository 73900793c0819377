"""Bylines with a label ("Автор: …", "Дайындаған: …", "Мәтін: …", "Author: …") and a
single ALL-CAPS heading over one, two or three titles with one blank line between
(parser/shapes.py). Invented text only."""

import pytest

from newsletters.importing import parser as p
from newsletters.importing.parser.contacts import is_person_line
from newsletters.importing.parser.shapes import is_byline

MAST = "NORTHWIND BULLETIN\nIssue 3, May 2021\n\n"
BODY = (
    "The shelter opened on Monday in the city centre and will host twenty women and "
    "children for up to three months."
)
KZ_MAST = "№ 8 · Қазан 2023\n\n"
KZ_BODY = (
    "Өскемен қаласында шетелге жұмысқа баратын азаматтарға арналған кеңес беру орталығы "
    "ашылды. Орталықта заңгер апта сайын тегін кеңес береді."
)


@pytest.mark.parametrize(
    "line",
    [
        "Автор: Әсел Нұрланқызы",
        "Дайындаған: Қайрат Өмірбеков",
        "Мәтін: Ләззат Әбдірова",
        "Даярдаган: Үмүт Асанова",
        "Текст: Ёлкин Давлатов",
        "Подготовила: Һәдия Іңкәрова",
        "Author: Mira Tal",
        "By Ғалия Сәрсенбаева",
        "by Mira Tal",
    ],
)
def test_labelled_bylines(line):
    assert is_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "Фото: Айгүл Сейітова",  # a photo credit: a caption
        "Автор: жоқ",  # no name
        "Мәтін: орталық жаңа ғимаратқа көшті.",  # a sentence
        "Author: the team of the Osh shelter and partners",
    ],
)
def test_not_bylines(line):
    assert not is_byline(line)


def test_person_line_with_any_capital():
    for name in (
        "Ms. Әсел Нұрланқызы",
        "Dr Өмір Қасымов",
        "г-жа Ұлжан Ғалиева",
        "Mr. Ёсиф Ибрагимов",
        "Ms Іңкәр Һәкімова",
    ):
        assert is_person_line(name), name
    assert not is_person_line("Ms. әсел")


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_kazakh_byline_under_a_glued_title(gap):
    """Title, byline, (blank line or not), text: the byline is its own paragraph."""
    title = "Өскемендегі кеңес беру орталығы"
    text = f"{KZ_MAST}{title}\nАвтор: Әсел Нұрланқызы{gap}{KZ_BODY}\n"
    issue = p.parse(text, series="Қауіпсіз жол")
    [story] = issue.sections[0].stories
    assert story.title == "Өскемендегі кеңес беру орталығы"
    assert story.body.startswith("Автор: Әсел Нұрланқызы\n\nӨскемен қаласында")


def test_english_byline_glued_to_its_text_is_its_own_paragraph():
    issue = p.parse(f"{MAST}A clinic on wheels\nBy Mira Tal\n{BODY}\n")
    [story] = issue.sections[0].stories
    assert story.title == "A clinic on wheels"
    assert story.body == f"By Mira Tal\n\n{BODY}"


def test_photo_credit_under_kazakh_text_is_a_caption():
    text = f"{KZ_MAST}Орталық ашылды\nМәтін: Ләззат Әбдірова\n\n{KZ_BODY}\nФото: Айгүл Сейітова\n"
    [story] = p.parse(text, series="Қауіпсіз жол").sections[0].stories
    assert [ph.caption for ph in story.photos] == ["Фото: Айгүл Сейітова"]
    assert "Айгүл" not in story.body


TITLES = ["Shelter opens in Osh", "Legal clinic in Naryn", "Bus drivers trained in Khujand"]


@pytest.mark.parametrize("count", [1, 2, 3])
@pytest.mark.parametrize("glued", [False, True])
def test_one_capital_heading_over_titles_is_a_section(count, glued):
    gap = "\n" if glued else "\n\n"
    stories = "\n\n".join(f"{t}{gap}{BODY}" for t in TITLES[:count])
    issue = p.parse(f"{MAST}FIELD NEWS\n\n{stories}\n")
    assert [(s.title, [x.title for x in s.stories]) for s in issue.sections] == [
        ("Field News", TITLES[:count])
    ]
    assert all(x.body == BODY for x in issue.sections[0].stories)
    assert not any("empty" in r for r in issue.confidence_reasons)


def test_capital_story_title_over_a_subtitle_is_no_empty_story():
    """An ALL-CAPS line over a one-line title reads as its section; no story is empty."""
    issue = p.parse(f"{MAST}SHELTER OPENS IN OSH\n\nA new home for twenty women\n\n{BODY}\n")
    stories = [x for s in issue.sections for x in s.stories]
    assert [x.title for x in stories] == ["A new home for twenty women"]
    assert stories[0].body == BODY


@pytest.mark.parametrize("byline", ["", "Автор: Қайрат Өмірбеков\n"])
def test_photo_credit_right_under_a_title_is_a_caption_not_the_title(byline):
    text = f"{KZ_MAST}Ұлытаудағы тренинг\n{byline}Фото: Айгүл Сейітова\n\n{KZ_BODY}\n"
    [story] = p.parse(text, series="Қауіпсіз жол").sections[0].stories
    assert story.title == "Ұлытаудағы тренинг"
    assert [ph.caption for ph in story.photos] == ["Фото: Айгүл Сейітова"]
    assert story.body == (f"{byline}\n" if byline else "") + KZ_BODY

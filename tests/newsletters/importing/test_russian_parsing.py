"""Russian-language newsletters (issue 10): dates, numbers, mastheads, headings and the
directory's words, as the Central Asian archives print them. All text is invented."""

import datetime

import pytest

from newsletters.importing import parser as p
from newsletters.importing.countries import country_code, find_countries
from newsletters.importing.parser.blocks import join_lines
from newsletters.importing.parser.dates import find_date, find_number, when_label
from newsletters.importing.parser.directory import labelled_contact, place_country
from newsletters.importing.parser.text import _is_capital, smart_title

D = datetime.date
RU_MONTHS = [
    ("январь", "января", "январе"), ("февраль", "февраля", "феврале"),
    ("март", "марта", "марте"), ("апрель", "апреля", "апреле"), ("май", "мая", "мае"),
    ("июнь", "июня", "июне"), ("июль", "июля", "июле"), ("август", "августа", "августе"),
    ("сентябрь", "сентября", "сентябре"), ("октябрь", "октября", "октябре"),
    ("ноябрь", "ноября", "ноябре"), ("декабрь", "декабря", "декабре"),
]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_every_russian_month_in_every_case_a_date_uses(month):
    nominative, genitive, prepositional = RU_MONTHS[month - 1]
    assert find_date(f"{nominative.capitalize()} 2019 г.") == (D(2019, month, 1), "month")
    assert find_date(f"в {prepositional} 2019 года") == (D(2019, month, 1), "month")
    assert find_date(f"15 {genitive} 2019 года") == (D(2019, month, 15), "day")
    assert find_date(f"{nominative.upper()} 2019") == (D(2019, month, 1), "month")


@pytest.mark.parametrize(("text", "expected"), [
    ("Проект «Безопасная дорога» № 5, май 2019 г.", (D(2019, 5, 1), "month")),
    ("I квартал 2020", (D(2020, 1, 1), "quarter")),
    ("Вып. 3 · I квартал 2020 года", (D(2020, 1, 1), "quarter")),
    ("II квартал 2021 г.", (D(2021, 4, 1), "quarter")),
    ("III кв. 2019", (D(2019, 7, 1), "quarter")),
    ("IV квартал 2020", (D(2020, 10, 1), "quarter")),
    ("2-й квартал 2021 г.", (D(2021, 4, 1), "quarter")),
    ("первый квартал 2020 года", (D(2020, 1, 1), "quarter")),
    ("четвёртый квартал 2018", (D(2018, 10, 1), "quarter")),
    ("апрель – июнь 2014", (D(2014, 4, 1), "quarter")),
    ("Апрель-июнь 2014 г.", (D(2014, 4, 1), "quarter")),
    ("с апреля по июнь 2014 года", (D(2014, 4, 1), "quarter")),
    ("май – июнь 2014", (D(2014, 5, 1), "month")),  # two months: no quarter
    ("дек. 2020", (D(2020, 12, 1), "month")),
    ("15.05.2019", (D(2019, 5, 15), "day")),
    ("С 10 по 14 февраля", None),  # no year: a story's dates, never an issue's
    ("Нарын, 25 пограничников", None),
])  # fmt: skip
def test_russian_dates_and_quarters(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(("text", "number"), [
    ("Выпуск 3", 3), ("ВЫПУСК 12", 12), ("Вып. 3", 3), ("№ 5, май 2019 г.", 5), ("№5", 5),
    ("Том 2, № 6", 6), ("Т. 2, вып. 7", 7), ("Номер 4", 4), ("Чыгарылыш 2", 2),
    ("Выпускники 2019 года", None), ("25 пограничников", None),
])  # fmt: skip
def test_russian_issue_numbers(text, number):
    assert find_number(text) == number


def test_russian_date_labels():
    assert when_label(D(2019, 5, 1), "month", "ru") == "май 2019"
    assert when_label(D(2014, 4, 1), "quarter", "ru") == "апрель–июнь 2014"
    assert when_label(D(2021, 3, 15), "day", "ru") == "15 марта 2021"
    assert when_label(D(2021, 3, 15), "day") == "15 March 2021"  # English unchanged


def test_a_russian_masthead_gives_series_number_month_and_a_russian_title():
    issue = p.parse(
        "ИНФОРМАЦИОННЫЙ БЮЛЛЕТЕНЬ\nПроект «Безопасная дорога» № 5, май 2019 г.\n\n"
        "Тренинг в Нарыне\n\nВ Нарыне прошёл трёхдневный тренинг для 25 пограничников, "
        "его провели 15 мая 2018 года.\n"
    )
    assert (issue.series, issue.number, issue.date, issue.date_precision) == (
        "Безопасная дорога", 5, D(2019, 5, 1), "month"
    )
    assert issue.title == "Безопасная дорога — № 5"
    assert [d.reason for d in issue.dropped] == ["masthead", "masthead"]


def test_a_generic_banner_alone_is_the_series_when_nothing_else_names_one():
    issue = p.parse("ИНФОРМАЦИОННЫЙ БЮЛЛЕТЕНЬ\nВыпуск 3, март 2020 г.\n\nНовости\n\n"
                    "Текст новости о работе проекта в селах области за весь месяц.\n")
    assert (issue.series, issue.number, issue.date) == (
        "Информационный бюллетень", 3, D(2020, 3, 1)
    )
    assert issue.title == "Информационный бюллетень — № 3"


def test_a_date_in_russian_story_text_never_becomes_the_issue_date():
    issue = p.parse(
        "ВЕСТНИК ГОРНЫХ СЕЛ\n\nНОВОСТИ\n\n\nШкола открылась\n\n"
        "Школа открылась 1 сентября 2021 года, к ней ведёт новая дорога.\n",
        filename="vestnik.txt",
    )
    assert issue.series == "Вестник горных сел"
    assert issue.date is None and issue.number is None
    assert issue.title == "Вестник горных сел"
    assert "1 сентября 2021 года" in issue.sections[0].stories[0].body


@pytest.mark.parametrize(("text", "title"), [
    ("НОВОСТИ ПРОЕКТА", "Новости проекта"),
    ("ТРЕНИНГ МОМ И ОБСЕ ДЛЯ НПО", "Тренинг МОМ и ОБСЕ для НПО"),
    ("ЖАҢЫЛЫКТАР / НОВОСТИ", "Жаңылыктар / Новости"),
    ("ҮЙ-БҮЛӨ ЖАНА ӨМҮР", "Үй-бүлө жана өмүр"),
    ("Тренинг для пограничников в Нарыне", "Тренинг для пограничников в Нарыне"),
    ("MOBILE CLINICS REACH THE VALLEYS", "Mobile Clinics Reach the Valleys"),
])  # fmt: skip
def test_cyrillic_headings_take_sentence_case_mixed_case_is_kept(text, title):
    assert smart_title(text) == title


def test_cyrillic_capitals_are_capitals():
    # Ё, Ң, Ө, Ү are outside [А-Я]; str.isupper knows them.
    assert _is_capital("ЁЛКА ҮЧҮН ӨНӨР")
    assert not _is_capital("Ёлка үчүн өнөр")


def test_cyrillic_section_headings_and_stories_in_plain_text():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nЁлочный базар в Оше\n\n"
        "В Оше волонтёры провели ярмарку и собрали деньги для приюта на весь год вперёд.\n"
    )
    assert [(s.title, [st.title for st in s.stories]) for s in issue.sections] == [
        ("Новости", ["Ёлочный базар в Оше"])
    ]


def test_a_cyrillic_word_cut_by_a_line_end_hyphen_is_mended_a_real_hyphen_stays():
    assert join_lines(["Участники тре-", "нинга из Жалал-", "Абада."]) == (
        "Участники тренинга из Жалал-Абада."
    )
    assert join_lines(["в Ёл-", "ке"]) == "в Ёлке"


def test_russian_country_names_in_their_cases():
    assert find_countries("работа в Казахстане, из Кыргызстана, по Таджикистану") == [
        "KZ", "KG", "TJ",
    ]
    assert country_code("КАЗАХСТАН") == "KZ" and country_code("Узбекистан") == "UZ"
    assert p.split_country_heading("КАЗАХСТАН: Семинар для инспекторов") == (
        "KZ", "Семинар для инспекторов"
    )


def test_a_russian_story_is_tagged_with_the_country_it_names():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nКонсультации\n\n"
        "Юристы провели консультации для 140 человек, которые едут на работу в Казахстане.\n"
    )
    assert issue.sections[0].stories[0].countries == ["KZ"]


def test_a_cyrillic_caption_is_cut_at_its_sentence_end():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
        "Фото: участники тренинга в Оше. Ёлочный базар прошёл в субботу и собрал много гостей.\n"
    )
    story = issue.sections[0].stories[0]
    assert [ph.caption for ph in story.photos] == ["Фото: участники тренинга в Оше."]
    assert story.body == "Ёлочный базар прошёл в субботу и собрал много гостей."


@pytest.mark.parametrize(("line", "kind", "country", "number", "note", "emails"), [
    ("Горячая линия: 189 (бесплатно)", "hotline", None, "189", "бесплатно", []),
    ("Национальная горячая линия: 1899", "hotline", None, "1899", "", []),
    ("Телефон доверия: +996 312 333 444 (круглосуточно)", "hotline", None,
     "+996 312 333 444", "круглосуточно", []),
    ("Горячая линия в Казахстане: 11616", "hotline", "KZ", "11616", "", []),
    ("Hotline: 1899 (free)", "hotline", None, "1899", "free", []),
    ("Офис проекта: г. Бишкек, ул. Токтогула 1, info@saferoad.example.kg", "office", "KG",
     "", "", ["info@saferoad.example.kg"]),
    ("Эл. почта: almaty@example.kz (офис в Алматы)", "office", "KZ", "", "",
     ["almaty@example.kz"]),
    ("Офис: Душанбе, tj@example.org", "office", "TJ", "", "", ["tj@example.org"]),
])  # fmt: skip
def test_labelled_contact_lines(line, kind, country, number, note, emails):
    found = labelled_contact(line)
    assert found is not None
    assert (found.kind, found.country, found.number, found.note, found.emails) == (
        kind, country, number, note, emails
    )


@pytest.mark.parametrize("line", [
    "Горячая линия работает круглосуточно",  # no number
    "Офис проекта: г. Бишкек, ул. Токтогула 1",  # no e-mail: an office needs one
    "Горячая линия: 12",  # too short for a number
    "Тренинг для пограничников в Нарыне",
])  # fmt: skip
def test_lines_that_are_no_labelled_contact(line):
    assert labelled_contact(line) is None


def test_cities_name_the_country():
    assert place_country("г. Бишкек, ул. Токтогула 1") == "KG"
    assert place_country("в Ташкенте") == "UZ"
    assert place_country("Ошибка") is None  # "Ош" inside a word is no city


def test_a_russian_contacts_block_goes_to_the_directory():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
        "В Оше прошёл тренинг для тридцати социальных работников из трёх районов.\n\n"
        "КОНТАКТЫ\n\nТелефон доверия: 189 (бесплатно)\n"
        "Офис проекта: г. Ош, ул. Ленина 5, osh@example.kg\n"
        "Эл. почта: almaty@example.kz (офис в Алматы)\n"
    )
    assert [(o.country, o.emails) for o in issue.directory.offices] == [
        ("KG", ["osh@example.kg"]), ("KZ", ["almaty@example.kz"]),
    ]
    assert [(h.country, h.number, h.note) for h in issue.directory.hotlines] == [
        ("KG", "189", "бесплатно")
    ]
    assert [st.title for s in issue.sections for st in s.stories] == ["Тренинг в Оше"]
    assert [(d.line, d.reason) for d in issue.dropped] == [
        (1, "masthead"), (2, "masthead"), (11, "directory heading"),
    ]


def test_a_russian_hotline_sentence_goes_to_the_directory():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
        "В Оше прошёл тренинг для тридцати социальных работников из трёх районов.\n\n"
        "Горячая линия в Кыргызстане 189 принимает звонки круглосуточно.\n"
    )
    assert [(h.country, h.number, h.note) for h in issue.directory.hotlines] == [
        ("KG", "189", "горячая линия")
    ]


def test_russian_person_line_in_a_staff_list():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
        "В Оше прошёл тренинг для тридцати социальных работников из трёх районов.\n\n"
        "КОМАНДА\n\nг-жа Ёлдошева Айгуль\nКоординатор проекта\nТел.: +996 555 123 456\n"
        "aigul@example.kg\n"
    )
    (person,) = issue.directory.people
    assert (person.name, person.role, person.phones, person.email) == (
        "г-жа Ёлдошева Айгуль", "Координатор проекта", ["+996 555 123 456"], "aigul@example.kg"
    )


def test_a_russian_contents_list_and_imprint_are_dropped_with_their_reasons():
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nВ ЭТОМ НОМЕРЕ\n\nТренинг в Оше ..... 2\n"
        "Новый приют ..... 3\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
        "В Оше прошёл тренинг для тридцати социальных работников из трёх районов.\n\n"
        "Учредитель: ОО «Безопасная дорога»\nГлавный редактор: А. Иванова\nТираж 500 экз.\n"
    )
    assert [st.title for s in issue.sections for st in s.stories] == ["Тренинг в Оше"]
    assert [(d.line, d.reason) for d in issue.dropped] == [
        (1, "masthead"), (2, "masthead"), (4, "contents list"), (6, "contents list"),
        (7, "contents list"), (16, "colophon"), (17, "colophon"), (18, "colophon"),
    ]


def test_russian_page_numbers_and_running_headers_are_dropped():
    para = "В Оше прошёл тренинг для тридцати социальных работников из трёх районов"
    issue = p.parse(
        "ВЕСТНИК ПРОЕКТА\nВыпуск 2, апрель 2021 г.\n\nНОВОСТИ\n\n\nТренинг в Оше\n\n"
        f"{para},\n\nСтраница 1 из 2\n\nВестник проекта · Выпуск 2 · стр. 2\n\n"
        "и все они получили сертификаты.\n\nВестник проекта · Выпуск 2 · стр. 3\n"
    )
    assert [(d.line, d.reason) for d in issue.dropped] == [
        (1, "masthead"), (2, "masthead"), (11, "page number"), (13, "running header"),
        (17, "running header"),
    ]
    assert issue.sections[0].stories[0].body == f"{para}, и все они получили сертификаты."


@pytest.mark.django_db
def test_import_of_the_russian_bulletin_stores_its_metadata_and_directory(tmp_path):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from directory.models import Hotline, OfficeEmail
    from newsletters.models import Issue

    corpus = Path(__file__).resolve().parents[2] / "fixtures" / "archive_styles"
    path = tmp_path / "ru_bulletin.txt"
    path.write_bytes((corpus / "ru_bulletin.txt").read_bytes())
    call_command("import_newsletters", str(path), stdout=StringIO(), stderr=StringIO())
    issue = Issue.objects.get()
    assert (issue.series.title, issue.number, issue.title) == (
        "Безопасная дорога", 5, "Безопасная дорога — № 5"
    )
    assert (issue.publication_date, issue.date_precision) == (D(2019, 5, 1), "month")
    assert [(h.country.code, h.number, h.note) for h in Hotline.objects.all()] == [
        ("KG", "189", "бесплатно")
    ]
    assert [(e.office.country.code, e.address) for e in OfficeEmail.objects.all()] == [
        ("KG", "info@saferoad.example.kg")
    ]

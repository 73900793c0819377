"""Uzbek (Latin and Cyrillic), Tajik, Turkmen and Kyrgyz newsletters: every word table of
parser/languages.py and countries.LOCAL_NAMES tried on short strings. All text invented."""

import datetime

import pytest

from newsletters.importing import parser as p
from newsletters.importing.countries import country_code, find_countries
from newsletters.importing.parser.dates import find_date, find_number
from newsletters.importing.parser.directory import labelled_contact
from newsletters.importing.parser.listings import is_hotline_sentence, parse_hotline_sentence
from newsletters.importing.parser.text import _is_capital, is_uzbek_or_turkmen_latin, smart_title

D = datetime.date

UZ_LATIN = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr",
            "oktabr", "noyabr", "dekabr")
UZ_CYRILLIC = ("январ", "феврал", "март", "апрел", "май", "июн", "июл", "август", "сентябр",
               "октябр", "ноябр", "декабр")
TJ_GENITIVE = ("январи", "феврали", "марти", "апрели", "майи", "июни", "июли", "августи",
               "сентябри", "октябри", "ноябри", "декабри")
TURKMEN = ("ýanwar", "fewral", "mart", "aprel", "maý", "iýun", "iýul", "awgust", "sentýabr",
           "oktýabr", "noýabr", "dekabr")
TM_POSSESSIVE = ("ýanwary", "fewraly", "marty", "apreli", "maýy", "iýuny", "iýuly", "awgusty",
                 "sentýabry", "oktýabry", "noýabry", "dekabry")
KY_POSSESSIVE = ("январы", "февралы", "марты", "апрели", "майы", "июну", "июлу", "августу",
                 "сентябры", "октябры", "ноябры", "декабры")


# ------------------------------------------------------------------------------ months


@pytest.mark.parametrize("month", range(1, 13))
def test_uzbek_latin_months(month):
    name = UZ_LATIN[month - 1]
    assert find_date(f"2022-yil, {name}") == (D(2022, month, 1), "month")
    assert find_date(f"2022-yil 15-{name}") == (D(2022, month, 15), "day")
    assert find_date(f"15-{name}, 2022-yil") == (D(2022, month, 15), "day")
    assert find_date(f"{name.capitalize()} oyi, 2022") == (D(2022, month, 1), "month")
    assert find_date(f"{name.upper()} 2022") == (D(2022, month, 1), "month")


@pytest.mark.parametrize("month", range(1, 13))
def test_uzbek_cyrillic_months(month):
    name = UZ_CYRILLIC[month - 1]
    assert find_date(f"2021 йил, {name}") == (D(2021, month, 1), "month")
    assert find_date(f"2021 йил 3 {name}") == (D(2021, month, 3), "day")
    assert find_date(f"{name.capitalize()} 2021") == (D(2021, month, 1), "month")


@pytest.mark.parametrize("month", range(1, 13))
def test_tajik_months_in_the_genitive_with_soli(month):
    name = TJ_GENITIVE[month - 1]
    assert find_date(f"№ 7, {name} соли 2021") == (D(2021, month, 1), "month")
    assert find_date(f"15 {name} соли 2021") == (D(2021, month, 15), "day")
    assert find_date(f"{name.upper()} 2021") == (D(2021, month, 1), "month")


@pytest.mark.parametrize("month", range(1, 13))
def test_turkmen_months(month):
    name = TURKMEN[month - 1]
    assert find_date(f"{name.capitalize()}, 2021") == (D(2021, month, 1), "month")
    assert find_date(f"{name.upper()} 2021") == (D(2021, month, 1), "month")
    assert find_date(f"2021-nji ýylyň 5-nji {TM_POSSESSIVE[month - 1]}") == (
        D(2021, month, 5), "day"
    )
    assert find_date(f"2021-nji ýylyň {name} aýy") == (D(2021, month, 1), "month")


@pytest.mark.parametrize("month", range(1, 13))
def test_kyrgyz_months_year_first_and_with_ayy(month):
    name = KY_POSSESSIVE[month - 1]
    assert find_date(f"2024-жылдын 10-{name}") == (D(2024, month, 10), "day")
    assert find_date("2024-жылдын март айы") == (D(2024, 3, 1), "month")
    assert find_date("Март айы, 2024") == (D(2024, 3, 1), "month")
    assert find_date("2024-жылдын 15-январь") == (D(2024, 1, 15), "day")


@pytest.mark.parametrize("text", [
    "iyun 2022", "iyunda 2022",  # June, and "in June": never July ("iyu" is both)
])
def test_uzbek_june_is_not_july(text):
    assert find_date(text) == (D(2022, 6, 1), "month")


def test_a_year_word_alone_or_a_month_without_a_year_is_no_date():
    assert find_date("2022-yil") is None
    assert find_date("15-mart kuni") is None
    assert find_date("соли 2021") is None


@pytest.mark.parametrize("body", [
    "Kurslar 2023-yil 15-mayda tugaydi, keyingi kurs iyun 2023 boshlanadi.",
    "Курс то 15 марти соли 2022 давом мекунад.",
    "Duşuşyk 2021-nji ýylyň mart aýy geçirildi.",
])
def test_a_month_in_story_text_never_dates_the_issue(body):
    issue = p.parse(f"XAVFSIZ YO‘L AXBOROTNOMASI\n\nYANGILIKLAR\n\n\nKurslar\n\n{body}\n",
                    filename="yol.txt")
    assert issue.series == "Xavfsiz yo‘l axborotnomasi"
    assert issue.date is None and issue.number is None
    assert body in issue.sections[0].stories[0].body


# ----------------------------------------------------------------------- issue numbers


@pytest.mark.parametrize(("text", "number"), [
    ("2022-yil, mart | 5-son", 5),
    ("5-SON", 5),
    ("2021 йил, декабр · 9-сон", 9),
    ("Шумораи 4 · 15 марти соли 2022", 4),
    ("шумора 7", 7),
    ("Sany 3 · Sentýabr, 2021", 3),
    ("3-nji sany", 3),
    ("6-чыгарылыш · 2024-жылдын 10-апрели", 6),
    ("№ 7, июни соли 2021", 7),
])  # fmt: skip
def test_issue_number_words(text, number):
    assert find_number(text) == number


@pytest.mark.parametrize("text", ["2022-yil", "2024-жылдын 10-апрели", "15-mart", "5 son"])
def test_a_year_or_a_day_is_no_issue_number(text):
    assert find_number(text) is None


# ---------------------------------------------------------------------- country names


@pytest.mark.parametrize(("text", "codes"), [
    # Uzbek Latin, every apostrophe, and case endings; the apostrophe lost by OCR.
    ("O'zbekiston va Qozog‘iston", ["UZ", "KZ"]),
    ("Oʻzbekistonda, Qirgʻizistondan, Tojikistonga", ["UZ", "KG", "TJ"]),
    ("O’zbekistonning Turkmanistondagi elchixonasi", ["UZ", "TM"]),
    ("Ozbekiston", ["UZ"]),
    # Uzbek Cyrillic.
    ("Ўзбекистон ва Қозоғистонда", ["UZ", "KZ"]),
    ("Тожикистондан Туркманистонга", ["TJ", "TM"]),
    # Tajik.
    ("Тоҷикистон, Қазоқистон, Қирғизистон, Ӯзбекистон ва Туркманистон",
     ["TJ", "KZ", "KG", "UZ", "TM"]),
    ("Тоҷикистонро", ["TJ"]),
    # Turkmen.
    ("Türkmenistan, Gazagystanda, Gyrgyzystanyň, Täjigistana, Özbegistandan",
     ["TM", "KZ", "KG", "TJ", "UZ"]),
    ("TÜRKMENISTAN", ["TM"]),
    # Kyrgyz.
    ("Кыргызстандан Казакстанга, Тажикстанда, Өзбекстандын, Түркмөнстан",
     ["KG", "KZ", "TJ", "UZ", "TM"]),
    # English text is read as before, and a word merely ending the same way is no country.
    ("Kazakhstan and Uzbekistan", ["KZ", "UZ"]),
    ("Gazagystanly", []),
])  # fmt: skip
def test_country_names_in_the_regions_languages(text, codes):
    assert find_countries(text) == codes


@pytest.mark.parametrize(("name", "code"), [
    ("O‘zbekiston", "UZ"), ("QOZOG'ISTON", "KZ"), ("Тоҷикистон:", "TJ"), ("Ӯзбекистон", "UZ"),
    ("Gyrgyzystan", "KG"), ("Тажикстан", "TJ"), ("Туркманистон", "TM"),
])  # fmt: skip
def test_a_country_heading_in_the_regions_languages(name, code):
    assert country_code(name) == code


# ---------------------------------------------------------------------- hotline lines


@pytest.mark.parametrize(("heading", "lines", "want"), [
    ("ISHONCH TELEFONLARI", "O‘zbekiston: 1176 (bepul)\nQozog'iston: 11616",
     [("UZ", "1176", "bepul"), ("KZ", "11616", "")]),
    ("ИШОНЧ ТЕЛЕФОНЛАРИ", "Ўзбекистон: 1176", [("UZ", "1176", "")]),
    ("ТЕЛЕФОНИ БОВАРӢ", "Тоҷикистон: 511", [("TJ", "511", "")]),
    ("ХАТТИ БОВАРӢ", "Телефони боварӣ дар Ӯзбекистон: 1176", [("UZ", "1176", "")]),
    ("YNAM TELEFONLARY", "Türkmenistan: 8 800 222 3333 (mugt)",
     [("TM", "8 800 222 3333", "mugt")]),
    ("ИШЕНИМ ТЕЛЕФОНДОРУ", "Кыргызстан: 1899 (акысыз)", [("KG", "1899", "акысыз")]),
    ("QAYNOQ LINIYALAR", "Tojikiston: 511", [("TJ", "511", "")]),
    # A country named in two languages.
    ("ISHONCH TELEFONLARI / ТЕЛЕФОНЫ ДОВЕРИЯ", "O'zbekiston / Узбекистан: 1176",
     [("UZ", "1176", "")]),
    # English, read the same way now: a "country: number" line under a hotline heading.
    ("HOTLINES", "Tajikistan: 511", [("TJ", "511", "")]),
])  # fmt: skip
def test_a_hotline_heading_over_country_lines_gives_each_countrys_hotline(heading, lines,
                                                                           want):
    issue = p.parse(
        "XABARNOMA\n№ 2, 2022-yil, mart\n\n\nYANGILIKLAR\n\n\nMarkaz ochildi\n\n"
        "Markaz chet elga ketayotgan fuqarolarga bepul huquqiy maslahat beradi va "
        "har kuni ishlaydi.\n\n\n"
        f"{heading}\n\n{lines}\n",
        filename="x.txt",
    )
    assert [(h.country, h.number, h.note) for h in issue.directory.hotlines] == want
    assert [d.text for d in issue.dropped if d.reason == "directory heading"] == [heading]
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


@pytest.mark.parametrize(("line", "code", "number", "note"), [
    ("O‘zbekiston ishonch telefoni: 1176 (bepul)", "UZ", "1176", "bepul"),
    ("Ishonch telefoni (Qozog'iston): 11616", "KZ", "11616", ""),
    ("Телефони боварӣ дар Тоҷикистон: 511 (ройгон)", "TJ", "511", "ройгон"),
    ("Türkmenistanyň ynam telefony: 8 800 222 3333", "TM", "8 800 222 3333", ""),
    ("Кыргызстандагы ишеним телефону: 1899", "KG", "1899", ""),
])  # fmt: skip
def test_hotline_label_lines(line, code, number, note):
    found = labelled_contact(line)
    assert found is not None and found.kind == "hotline"
    assert (found.country, found.number, found.note) == (code, number, note)


@pytest.mark.parametrize(("sentence", "code", "number"), [
    ("Qozog‘istonda ishonch telefoni 11616 raqamiga bepul qo‘ng‘iroq qiling.", "KZ", "11616"),
    ("Дар Тоҷикистон ба телефони боварӣ 511 ройгон занг занед.", "TJ", "511"),
    ("Türkmenistanda ynam telefony 8 800 222 3333 belgisine mugt jaň ediň.", "TM",
     "8 800 222 3333"),
    ("Кыргызстанда ишеним телефону 1899 номерине акысыз чалыңыз.", "KG", "1899"),
])  # fmt: skip
def test_hotline_sentences(sentence, code, number):
    assert is_hotline_sentence(sentence)
    assert [(h.country, h.number) for h in parse_hotline_sentence(sentence)] == [(code, number)]


def test_a_sentence_with_a_telephone_word_but_no_hotline_is_no_hotline():
    assert not is_hotline_sentence("O'zbekistonda 2022-yilda 1176 ta telefon sotildi.")


# ------------------------------------------------------- capitals, sections, mastheads


@pytest.mark.parametrize("text", ["ХАБАРҲО", "ТЕЛЕФОНИ БОВАРӢ", "ӮЗБЕКИСТОН", "ÝAŞLAR ÜÇIN",
                                  "TÄZELIKLER", "ЖАҢЫЛЫКТАР", "ҚОЗОҒИСТОН", "ƏLAQƏ"])
def test_capitals_of_the_regions_alphabets_are_capitals(text):
    assert _is_capital(text)


@pytest.mark.parametrize(("text", "title"), [
    ("ÝAŞLAR ÜÇIN HABARNAMA", "Ýaşlar üçin habarnama"),
    ("XAVFSIZ YO‘L AXBOROTNOMASI", "Xavfsiz yo‘l axborotnomasi"),
    ("O'ZBEKISTON VA QOZOG'ISTON YANGILIKLARI", "O'zbekiston va Qozog'iston yangiliklari"),
    ("АХБОРОТНОМАИ МУҲОҶИРАТИ БЕХАТАР", "Ахборотномаи муҳоҷирати бехатар"),
    ("НОВОСТИ ИЗ КАЗАХСТАНА", "Новости из Казахстана"),
    # Their acronyms stay in capitals (IOM, UN, NGO).
    ("XMT VA NNT BILAN TRENING", "XMT va NNT bilan trening"),
    ("ЭМУ ЖАНА БУУ ЖАҢЫЛЫКТАРЫ", "ЭМУ жана БУУ жаңылыктары"),
    ("ҲАМКОРИИ СБМ ВА ТҒД", "Ҳамкории СБМ ва ТҒД"),
    ("HGG BILEN DUŞUŞYK", "HGG bilen duşuşyk"),
    # No letter of theirs, but a bulletin word or "for" of theirs.
    ("XAVFSIZ MIGRATSIYA AXBOROTNOMASI", "Xavfsiz migratsiya axborotnomasi"),
    ("YOSHLAR UCHUN MASLAHAT", "Yoshlar uchun maslahat"),
    ("ISHONCH TELEFONLARI / ТЕЛЕФОНЫ ДОВЕРИЯ", "Ishonch telefonlari / Телефоны доверия"),
    # English lines as before: title case.
    ("O'BRIEN FUND NEWS", "O'brien Fund News"),
    ("SAFE MIGRATION BULLETIN", "Safe Migration Bulletin"),
])  # fmt: skip
def test_uzbek_and_turkmen_capitals_take_sentence_case(text, title):
    assert smart_title(text) == title


def test_what_reads_as_uzbek_or_turkmen_latin():
    assert is_uzbek_or_turkmen_latin("BO'YICHA")
    assert is_uzbek_or_turkmen_latin("Ýaşlar")
    assert not is_uzbek_or_turkmen_latin("O'BRIEN")
    assert is_uzbek_or_turkmen_latin("Xavfsiz migratsiya axborotnomasi")
    assert not is_uzbek_or_turkmen_latin("Safe migration")


@pytest.mark.parametrize(("section", "want"), [
    ("YANGILIKLAR", "Yangiliklar"), ("ЯНГИЛИКЛАР", "Янгиликлар"), ("ХАБАРҲО", "Хабарҳо"),
    ("TÄZELIKLER", "Täzelikler"), ("ИШ-ЧАРАЛАР", "Иш-чаралар"),
])  # fmt: skip
def test_section_words_are_sections_over_one_blank_line(section, want):
    issue = p.parse(
        f"AXBOROTNOMA\n5-son\n\n{section}\n\nMarkaz ochildi\n\n"
        "Markaz chet elga ketayotgan fuqarolarga bepul huquqiy maslahat beradi va har kuni "
        "ishlaydi.\n",
        filename="x.txt",
    )
    assert [(s.title, [st.title for st in s.stories]) for s in issue.sections] == [
        (want, ["Markaz ochildi"])
    ]


@pytest.mark.parametrize(("banner", "series"), [
    ("АХБОРОТНОМАИ «РОҲИ БЕХАТАР»", "Роҳи бехатар"),
    ("«XAVFSIZ YO‘L» AXBOROTNOMASI", "Xavfsiz yo‘l"),
    ("«ÝAGTY ÝOL» HABARNAMASY", "Ýagty ýol"),
])  # fmt: skip
def test_a_name_in_quotes_beside_a_generic_bulletin_word_is_the_series(banner, series):
    issue = p.parse(f"{banner}\n№ 4, 2022\n\nXABARLAR\n\n\nMarkaz\n\nMatn.\n", filename="x.txt")
    assert issue.series == series


@pytest.mark.parametrize(("heading", "office", "hotline", "code"), [
    ("ALOQA", "O‘zbekiston: info@example.uz", "Ishonch telefoni: 1176 (bepul)", "UZ"),
    ("Biz bilan bog‘laning", "O'zbekiston: info@example.uz", "Qaynoq liniya: 1176 (bepul)",
     "UZ"),
    ("АЛОҚА", "Ўзбекистон: info@example.uz", "Ишонч телефони: 1176 (bepul)", "UZ"),
    ("ТАМОС", "Тоҷикистон: info@example.tj", "Телефони боварӣ: 1176 (bepul)", "TJ"),
    ("Habarlaşmak üçin", "Türkmenistan: info@example.tm", "Ynam telefony: 1176 (bepul)", "TM"),
])  # fmt: skip
def test_a_contacts_heading_files_the_office_and_hotline_under_it(heading, office, hotline,
                                                                  code):
    issue = p.parse(
        "AXBOROTNOMA\n3-son\n\n\nYANGILIKLAR\n\n\nMarkaz ochildi\n\n"
        "Markaz chet elga ketayotgan fuqarolarga bepul huquqiy maslahat beradi va har kuni "
        f"ishlaydi.\n\n\n{heading}\n\n\n{office}\n{hotline}\n",
        filename="x.txt",
    )
    assert [(o.country, o.emails) for o in issue.directory.offices] == [
        (code, [office.split(": ")[1]])
    ]
    assert [(h.country, h.number, h.note) for h in issue.directory.hotlines] == [
        (code, "1176", "bepul")
    ]
    assert [d.text for d in issue.dropped if d.reason == "directory heading"] == [heading]


@pytest.mark.parametrize(("series", "title"), [
    ("Xavfsiz yo‘l axborotnomasi", "Xavfsiz yo‘l axborotnomasi — № 12"),
    ("Ýaşlar üçin habarnama", "Ýaşlar üçin habarnama — № 12"),
    ("Роҳи бехатар", "Роҳи бехатар — № 12"),
    ("Safe Roads Bulletin", "Safe Roads Bulletin — Issue 12"),
])  # fmt: skip
def test_an_uzbek_or_turkmen_series_titles_its_number_with_the_number_sign(series, title):
    assert p.make_title(series, 12, None) == title


@pytest.mark.parametrize(("masthead", "number", "year"), [
    ("5-son · 2022-yil", 5, 2022),
    ("Шумораи 2, соли 2021", 2, 2021),
    ("6-чыгарылыш, 2024-жыл", 6, 2024),
    ("Sany 3 · 2021-nji ýyl", 3, 2021),
])  # fmt: skip
def test_a_masthead_year_with_its_word_dates_the_issue_by_its_year(masthead, number, year):
    issue = p.parse(f"AXBOROTNOMA\n{masthead}\n\nYANGILIKLAR\n\n\nMarkaz\n\nMatn.\n",
                    filename="x.txt")
    assert (issue.number, issue.date, issue.date_precision) == (number, D(year, 1, 1), "year")


# ------------------------------------------------------------------------------ captions


def _items(text: str) -> list[tuple[str, str]]:
    blocks = p.split_blocks(p.normalise(text).split("\n"))
    return [(i.kind, i.text) for i in p.join_paragraphs(p.classify_blocks(blocks))]


@pytest.mark.parametrize(("text", "expected"), [
    ("Surat: Namangandagi maslahat kuni", [("caption", "Surat: Namangandagi maslahat kuni")]),
    ("Сурат: Маркази нав дар Бохтар. Дар моҳи аввал 96 нафар омаданд.",
     [("caption", "Сурат: Маркази нав дар Бохтар."),
      ("para", "Дар моҳи аввал 96 нафар омаданд.")]),
    ("Сүрөт 2: Таластагы жолугушуу", [("caption", "Сүрөт 2: Таластагы жолугушуу")]),
    # A Tajik initial ends no sentence: the credit stays in the caption.
    ("Акс: Маркази нав, муаллиф Ҳ. Раҳимов",
     [("caption", "Акс: Маркази нав, муаллиф Ҳ. Раҳимов")]),
    # Without a colon the word is a story's first word, not a caption.
    ("Surat chizish to‘garagi ochildi va unga 30 bola qatnashmoqda.",
     [("para", "Surat chizish to‘garagi ochildi va unga 30 bola qatnashmoqda.")]),
])  # fmt: skip
def test_captions_in_the_regions_languages(text, expected):
    assert _items(text) == expected


@pytest.mark.parametrize("page", ["3-bet", "Sahifa 3", "саҳифаи 3", "Sahypa 3", "3-nji sahypa",
                                  "3-бет", "- 3-bet -"])
def test_page_numbers_in_the_regions_languages_are_dropped(page):
    text = ("AXBOROTNOMA\n5-son\n\nYANGILIKLAR\n\n\nMarkaz ochildi\n\n"
            f"Markaz chet elga ketayotgan fuqarolarga\n\n{page}\n\nbepul maslahat beradi.\n")
    issue = p.parse(text, filename="x.txt")
    assert [(d.text, d.reason) for d in issue.dropped if d.reason == "page number"] == [
        (page, "page number")
    ]
    assert "bepul maslahat beradi." in issue.sections[0].stories[0].body


def test_bet_inside_a_word_names_no_page():
    from newsletters.importing.parser.headers import _names_page

    assert not _names_page("between # and #")
    assert _names_page("xavfsiz yo'l · #-bet")

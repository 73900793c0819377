"""Word tables for the region's other languages: Uzbek (Latin and Cyrillic), Tajik,
Turkmen and Kyrgyz, as the missions' newsletters print them. English, Russian and Kazakh
words stay where they were (dates.py, text.py, directory.py ...); the stages that read
those import these tables beside them.

Pure data and small regex fragments, importing nothing from the parser, so any stage may
use them. Country names are in countries.py (LOCAL_NAMES), which the parser imports.
Each fragment is a fixed alternation of words, so nothing here can backtrack.

Uzbek Latin writes o‘ and g‘ with whatever apostrophe the keyboard gives: ' ’ ‘ ʻ ʼ `.
APOSTROPHE_CLASS matches any of them in the patterns here; countries.py folds them all
into "'" before it looks a name up."""

from __future__ import annotations

import re

APOSTROPHE_CLASS = "['’‘ʻʼ`]"


def _months(*rows: tuple[str, ...]) -> dict[str, int]:
    """{form: month number} from twelve rows of forms, January first."""
    assert len(rows) == 12
    return {form: n for n, forms in enumerate(rows, start=1) for form in forms}


# Month names written without Russian endings, and with the endings these languages add.
# Uzbek Latin: "mart", "2022-yil 15-mart", "martda", "mart oyi" (oyi: "month of").
UZ_LATIN_MONTHS = _months(
    ("yanvar", "yanvarda"), ("fevral", "fevralda"), ("mart", "martda"),
    ("aprel", "aprelda"), ("may", "mayda"), ("iyun", "iyunda"), ("iyul", "iyulda"),
    ("avgust", "avgustda"), ("sentabr", "sentyabr", "sentabrda", "sentyabrda"),
    ("oktabr", "oktyabr", "oktabrda", "oktyabrda"), ("noyabr", "noyabrda"),
    ("dekabr", "dekabrda"),
)
# Uzbek Cyrillic ("январ", "декабр": no soft sign), Tajik (the same stems, and the
# genitive "-и": "июни соли 2021", "15 марти"), Kyrgyz possessive ("10-апрели", "марты",
# "июну"). Russian forms ("января", "мае") are dates.py's RU_MONTH_RE.
CYRILLIC_MONTHS = _months(
    ("январ", "январи", "январы", "январда"),
    ("феврал", "феврали", "февралы", "февралда"),
    ("марти", "марты", "мартда", "мартта"),
    ("апрел", "апрели", "апрелда"),
    ("майи", "майы", "майда"),
    ("июн", "июни", "июну", "июнда"),
    ("июл", "июли", "июлу", "июлда"),
    ("августи", "августу", "августда"),
    ("сентябр", "сентябри", "сентябры", "сентябрда"),
    ("октябр", "октябри", "октябры", "октябрда"),
    ("ноябр", "ноябри", "ноябры", "ноябрда"),
    ("декабр", "декабри", "декабры", "декабрда"),
)
# Turkmen Latin, and the possessive "-y/-i" a date puts on them ("15-nji marty").
TM_MONTHS = _months(
    ("ýanwar", "ýanwary"), ("fewral", "fewraly"), ("mart", "marty"), ("aprel", "apreli"),
    ("maý", "maýy"), ("iýun", "iýuny"), ("iýul", "iýuly"), ("awgust", "awgusty"),
    ("sentýabr", "sentýabry"), ("oktýabr", "oktýabry"), ("noýabr", "noýabry"),
    ("dekabr", "dekabry"),
)
LOCAL_MONTHS: dict[str, int] = {**UZ_LATIN_MONTHS, **CYRILLIC_MONTHS, **TM_MONTHS}
# Longest first, so "марти" is tried before "март" would stop short of a \b.
LOCAL_MONTH_RE = "|".join(sorted(LOCAL_MONTHS, key=len, reverse=True))
# "mart oyi", "март ойи" (Uzbek), "март айы" (Kyrgyz), "mart aýy" (Turkmen), "моҳи март"
# (Tajik, before the month): the word "month" printed with the name.
MONTH_WORD_AFTER = "oyi|ойи|айы|aýy|айында|aýynda|oyida|ойида"
# The word "year" after the year: Uzbek "2022-yil", "2022 йил"; Turkmen "2022-nji ýyl",
# "ýylyň"; Kyrgyz "2024-жыл", "жылдын", "жылы". (Kazakh "жылғы" has its own forms.)
YEAR_WORD_AFTER = "yil|yili|yilning|йил|йили|йилнинг|ýyl|ýylyň|ýyly|жыл|жылы|жылдын"
# Tajik puts "year" before it: "соли 2021" ("of the year 2021").
YEAR_WORD_BEFORE = "соли"
# Ordinal endings after a numeral: Turkmen "15-nji", "3-nji"; Kyrgyz "10-чу" rarely.
ORDINAL_SUFFIX = "nji|njy|nju|njü|чи|чы|чу|чү"

# The issue number: a word before it ("Шумораи 4", "Sany 3") or after it ("12-son",
# "9-сон", "6-чыгарылыш", "3-nji sany").
NUMBER_WORDS_BEFORE = "шумора|шумораи|sany|sanı|сон"
NUMBER_WORDS_AFTER = "son|soni|сон|сони|sany|чыгарылыш|шумора"

# Section names these bulletins print, compared whole and in lower case (text.py's
# KNOWN_SECTIONS takes them).
SECTION_NAMES = frozenset({
    # Uzbek Latin and Cyrillic: news, events, announcements.
    "yangiliklar", "tadbirlar", "e'lonlar", "янгиликлар", "тадбирлар", "эълонлар",
    # Tajik: news, events, announcements.
    "хабарҳо", "навигариҳо", "чорабиниҳо", "эълонҳо",
    # Turkmen: news, events.
    "täzelikler", "habarlar", "çäreler",
    # Kyrgyz: events, announcements ("жаңылыктар", "кабарлар" are in text.py).
    "иш-чаралар", "кулактандыруулар",
})
# Words that say a line is a publication's banner: "bulletin", "newsletter" (MASTHEAD_WORDS
# in text.py), and those that say only that, naming no series (GENERIC_PUBLICATION_WORDS).
MASTHEAD_WORDS_RE = (
    "axborotnoma|axborotnomasi|xabarnoma|xabarnomasi|byulleten|byulleteni"
    "|ахборотнома|ахборотномаси|ахборотномаи|хабарнома|хабарномаси|бюллетен"
    "|habarnama|habarnamasy|býulleten|býulleteni"
)
GENERIC_PUBLICATION_WORDS = frozenset({
    "axborotnoma", "axborotnomasi", "xabarnoma", "xabarnomasi", "axborot", "byulleten",
    "byulleteni", "ахборотнома", "ахборотномаси", "ахборотномаи", "ахборот", "хабарнома",
    "хабарномаси", "ахборотӣ", "бюллетен", "habarnama", "habarnamasy", "maglumat",
    "býulleten", "býulleteni",
})

# Acronyms kept in capitals when a heading is put in sentence case (text.py): IOM, UN,
# NGO and the interior ministry in Uzbek (XMT, BMT, NNT, IIV; ХМТ ...), Tajik (СБМ, СММ,
# ТҒД, ВКД), Kyrgyz (ЭМУ, БУУ, ӨЭУ, ИИМ) and Turkmen (HGG, BMG).
ACRONYMS = frozenset({
    "XMT", "BMT", "NNT", "IIV", "ХМТ", "БМТ", "ННТ", "ИИВ", "СБМ", "СММ", "ТҒД", "ВКД",
    "ЭМУ", "БУУ", "ӨЭУ", "ИИМ", "HGG", "BMG",
})

# Words that mark a Latin line as Uzbek or Turkmen when no letter does ("XAVFSIZ
# MIGRATSIYA AXBOROTNOMASI"): the bulletin and section words above, "for"/"with", and
# the words of the bulletins' themes ("xavfsiz migratsiya": safe migration; "ishonch",
# "ynam": trust, as in a helpline's name).
UZ_TM_LATIN_WORDS = frozenset({
    "axborotnoma", "axborotnomasi", "xabarnoma", "xabarnomasi", "byulleteni", "yangiliklar",
    "tadbirlar", "uchun", "bilan", "xavfsiz", "migratsiya", "ishonch", "habarnama",
    "habarnamasy", "täzelikler", "habarlar", "üçin", "bilen", "howpsuz", "ynam",
})

# Hotline phrases, singular and plural, as regex fragments (lower case; searched with
# re.IGNORECASE). Uzbek "ishonch telefoni" (trust line), "qaynoq liniya" (hot line);
# Tajik "телефони боварӣ", "хатти боварӣ" (Ӣ often printed И); Turkmen "ynam telefony",
# "gyzgyn liniýa"; Kyrgyz "ишеним телефону", "ысык линия".
HOTLINE_PHRASES = (
    r"ishonch\s+telefon(?:i|lari)",
    r"ishonch\s+liniya(?:si|lari)?",
    r"qaynoq\s+liniya(?:si|lar|lari)?",
    r"ишонч\s+телефон(?:и|лари)",
    r"қайноқ\s+линия(?:си|лар|лари)?",
    r"телефон(?:и|ҳои)\s+бовар[ӣи]",
    r"хат(?:т)?(?:и|ҳои)\s+бовар[ӣи]",
    r"ynam\s+telefon(?:y|lary)",
    r"ynam\s+liniýa(?:sy|lary)?",
    r"gyzgyn\s+liniýa(?:sy|lary)?",
    r"ишеним\s+телефон(?:у|дору)",
    r"ысык\s+линия(?:сы|лар|лары)?",
)
HOTLINE_PHRASE_RE = "|".join(HOTLINE_PHRASES)
# Substrings one of HOTLINE_PHRASES holds (in lower case): a cheap test before the regex.
HOTLINE_SUBSTRINGS = ("telefon", "liniya", "liniý", "бовар", "ишонч", "ишеним", "ысык")
# One search for all of them: asked of every block of a file (a generator over the tuple
# made long files a third slower).
may_name_hotline = re.compile("|".join(HOTLINE_SUBSTRINGS)).search
# "Page" in a page number or a running footer: Uzbek "3-bet", "sahifa 3"; Tajik "саҳифаи
# 3"; Turkmen "sahypa 3", "3-nji sahypa"; Kyrgyz and Kazakh "3-бет" (headers.py).
PAGE_WORDS_RE = r"bet|sahifa|саҳифаи|саҳифа|sahypa|бет"

# "Photo" at the start of a caption: Uzbek and Turkmen "Surat", "Foto"; Uzbek Cyrillic
# and Tajik "Сурат", Tajik "Акс"; Kyrgyz "Сүрөт" (text.py's CAPTION_RE, before a colon).
PHOTO_WORDS = ("Surat", "Foto", "Сурат", "Акс", "Сүрөт")
PHOTO_WORDS_RE = "|".join(PHOTO_WORDS)

# A contacts heading, the whole line (contacts.py's RU_CONTACT_START_RE takes it): Uzbek
# "Aloqa" / "Алоқа" (contact), "Biz bilan bog‘laning" (contact us), "Kontaktlar"; Tajik
# "Тамос" (contact), "Тамос бо мо", "Барои тамос"; Turkmen "Habarlaşmak üçin" (to get
# in touch), "Aragatnaşyk" (contact), "Kontaktlar".
CONTACT_HEADING_RE = (
    rf"aloqa(?:\s+uchun)?|biz\s+bilan\s+bog{APOSTROPHE_CLASS}?laning|kontaktlar|алоқа"
    r"(?:\s+учун)?|биз\s+билан\s+боғланинг|контактлар|тамос(?:\s+бо\s+мо)?|барои\s+тамос"
    r"|habarlaşmak\s+üçin|aragatnaşyk"
)
# Substrings of those (lower case), tested before the pattern on every block.
CONTACT_HEADING_SUBSTRINGS = ("aloqa", "bog", "kontakt", "алоқа", "боғлан", "контакт",
                              "тамос", "habarlaş", "aragatnaşyk")
may_name_contacts = re.compile("|".join(CONTACT_HEADING_SUBSTRINGS)).search

# "in" before a place in a hotline label: Tajik "Телефони боварӣ дар Тоҷикистон: 511".
PLACE_PREPOSITIONS = "дар"
# Words of a sentence that invites a call: Uzbek "qo‘ng‘iroq" (call), "bepul" (free);
# Tajik "занг" (call), "ройгон" (free); Turkmen "jaň" (call), "mugt" (free); Kyrgyz
# "чалыңыз" (call), "акысыз" (free).
CALL_WORDS_RE = (
    rf"qo{APOSTROPHE_CLASS}?ng{APOSTROPHE_CLASS}?iroq|bepul|қўнғироқ|бепул|\bзанг|ройгон"
    r"|\bjaň|\bmugt|\bчал[ыу]|акысыз"
)
# The phrases a hotline's note quotes from its sentence (listings.py's _HOTLINE_NOTES).
HOTLINES_IN_NOTES = (
    "ishonch telefoni", "qaynoq liniya", "ишонч телефони", "телефони боварӣ",
    "хатти боварӣ", "ynam telefony", "ишеним телефону",
)

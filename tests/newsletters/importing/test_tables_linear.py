"""The patterns added for tables and Russian text run in linear time (issue 10, item 8).

Shapes aimed at each new pattern (table rows and delimiter rows, dot leaders and runs of
spaces, Russian month names, quarters, hotline labels, city names, Cyrillic capitals),
up to 256 KB each, and random mixes of their pieces: each parse must take less than
LIMIT_SECONDS of CPU time, as in test_parser_linear.py (whose timing helpers are used).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_parser_linear import LIMIT_SECONDS, SIZE, _fill, _timed_parse, assert_linear

# CPU-time bounds: run alone, in make pytest's serial pass (see pyproject.toml).
pytestmark = pytest.mark.timing

SHAPES = {
    "one huge table row": lambda: _fill("| a ", head="|", tail="|"),
    "a huge table": lambda: _fill("| a | 1 |\n", head="| h | v |\n|---|---|\n"),
    "a huge figure table under In numbers": lambda: _fill(
        "| label | 10,000 |\n", head="## In numbers\n\n| h | v |\n|---|---:|\n"
    ),
    "delimiter cells": lambda: _fill("|---", head="| a |\n", tail="|"),
    "delimiter colons and spaces": lambda: _fill(": -- ", head="| a |\n|"),
    "dot leaders": lambda: _fill(".", head="Calls ", tail=" 10,000"),
    "dot leaders per line": lambda: _fill("a" * 40 + " " + "." * 100 + " 1\n"),
    "aligned rows under KEY FIGURES": lambda: _fill(
        "Calls to the helpline ......... 10,000\n", head="KEY FIGURES\n\n\n"
    ),
    "runs of spaces per line": lambda: _fill("a" + " " * 150 + "x\n"),
    "spaces then a digit per line": lambda: _fill("a " * 60 + " " * 30 + "1 2 3\n"),
    "ellipses": lambda: _fill("…"),
    "Russian month names": lambda: _fill("мая ", tail="2019"),
    "Russian months and dashes": lambda: _fill("апрель – ", tail="июнь 2014"),
    "Roman numerals before a quarter": lambda: _fill("I ", tail="квартал 2020"),
    "ordinals before a quarter": lambda: _fill("1-й ", tail="кв. 2020"),
    "Выпуск and numbers": lambda: _fill("Выпуск ", tail="3"),
    "hotline label and digits": lambda: _fill("1 ", head="Горячая линия: "),
    "hotline words and spaces": lambda: _fill(" ", head="горячая", tail="линия 189"),
    "contacts block of cities": lambda: "КОНТАКТЫ\n\n" + _fill(
        "Офис: г. Бишкек, osh@example.kg\n"
    ),
    "one huge Cyrillic word": lambda: _fill("ы"),
    "Cyrillic capital lines": lambda: _fill("ҮЙ-БҮЛӨ ЖАНА ӨМҮР\n"),
    "IOM and hyphens": lambda: _fill("-", head="МОМ ", tail="Казахстан"),
    "full stop then spaces": lambda: _fill(" ", head="Фото: a.", tail="Я"),
    "Russian persons": lambda: _fill("г-жа Ёлдошева\n", head="КОМАНДА\n\n"),
}


@pytest.mark.parametrize("name", SHAPES)
def test_table_and_russian_shapes_parse_in_linear_time(name):
    assert_linear(name, SHAPES[name]())


PIECES = [
    " ", "  ", "\n", "\n\n", "|", "| ", " |", "---", ":--", "--:", ".", "...", "…", "·", "%",
    "10,000", "1 340", "2.5", "61%", "## In numbers", "KEY FIGURES", "В цифрах", "мая",
    "май 2019 г.", "I квартал 2020", "апрель – июнь", "Вып. 3", "№ 5", "КОНТАКТЫ",
    "Горячая линия: ", "189 (бесплатно)", "Офис проекта: ", "г. Бишкек", "info@example.kg",
    "г-жа ", "Ёлка", "ҮЙ", "Казахстане", "МОМ ", "Тел.: ", "Фото: ",
]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
    size=st.integers(min_value=1, max_value=SIZE),
)
def test_random_table_and_russian_text_parses_in_linear_time(unit, size):
    text = _fill(unit, size=size)[:SIZE]
    seconds = _timed_parse(text)
    assert seconds < LIMIT_SECONDS, f"{seconds:.2f} s for {len(text):,} characters: {unit!r}"

"""Linear time for the shapes the figures-and-contacts work reads (brief "parser2"):
bulleted figures, tables headed by a period, contact lines of pieces, "Useful contacts"
lists, footers, and the account of the lines the directory took. Run with the other
timing tests (pytest -m timing)."""

import pytest

from tests.newsletters.importing.test_parser_linear import SIZE, _fill, assert_linear

pytestmark = pytest.mark.timing

FOOTER = "Contact: a@example.org | Hotline (Tajikistan): 8 800 100 2020 (free)\n"

SHAPES = {
    "bulleted figures under a figures heading": lambda: _fill(
        "• 1,234 people reached at crossings\n", head="KEY FIGURES\n\n"
    ),
    "bulleted figures, one per paragraph": lambda: _fill(
        "- 118 referrals to shelters\n\n", head="## Key figures\n\n"
    ),
    "a figures table headed by a period": lambda: _fill(
        "| Calls to hotlines | 1,203 |\n",
        head="## Numbers of the month\n\n| Indicator | March 2024 |\n|---|---|\n",
    ),
    # Headings over a line each: 8,000 headings cost about 1 s before this work too,
    # whatever they say, so each here has a paragraph of ordinary length under it.
    "figures headings": lambda: _fill(
        "## Numbers of the month 2024\n\n- 1 a\n" + "Some story text of a paragraph. " * 8
        + "\n\n"
    ),
    # "1 200 мигрантов": thousands parted by spaces; a line of digit groups is no figure.
    "space-parted figures under a figures heading": lambda: _fill(
        "- 1 200 мигрантов получили помощь\n", head="В цифрах\n\n"
    ),
    "one line of space-parted digit groups": lambda: _fill("200 ", head="В цифрах\n\n- 1 "),
    "contact footers in one block": lambda: _fill(FOOTER),
    "contact footers, one per paragraph": lambda: _fill(FOOTER + "\n"),
    "distinct contact footers": lambda: "".join(
        f"Contact: user{i}@example.org | Hotline (Kazakhstan): 8 800 {i:06d}\n"
        for i in range(SIZE // 70)
    ),
    "pieces without a country": lambda: _fill("Contact: a@example.org | Hotline: 1409 (free)\n"),
    "pipes and hotline words": lambda: _fill(" | hotline (a a): 1", head="x"),
    "useful contacts list": lambda: _fill(
        "- Kazakhstan hotline: **1409** (free, 24/7)\n- Network office: a@example.org\n",
        head="## Useful contacts\n\n",
    ),
    "digit groups in a directory part": lambda: _fill("1 ", head="## Contacts\n\nKazakhstan: "),
    "unsubscribe lines": lambda: _fill(
        "*You receive this digest because you asked. [Unsubscribe](https://x.org/u).*\n\n"
    ),
    "disclaimer lines": lambda: _fill("Disclaimer: the views expressed are the authors'.\n\n"),
}


@pytest.mark.parametrize("name", SHAPES)
def test_shape_parses_in_linear_time(name):
    assert_linear(name, SHAPES[name]())

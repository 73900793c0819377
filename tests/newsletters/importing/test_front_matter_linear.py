"""An issue export is read in linear time too (issue 10, item 8, for issue 11's format):
the shapes below aim at the export reader's line tests and at a long front matter."""

import pytest

from .test_parser_linear import _fill, assert_linear

# CPU-time bounds: run alone, in make pytest's serial pass (see pyproject.toml).
pytestmark = pytest.mark.timing

HEAD = "---\nformat: newsletter-issue/1\nseries: Letter\n---\n\n"

SHAPES = {
    "section heading, long run of spaces": lambda: _fill(" ", head=HEAD + "## a", tail="b"),
    "story heading, long run of spaces": lambda: _fill(" ", head=HEAD + "### a", tail="b\n"),
    "countries line of many names": lambda: _fill("Narnia, ", head=HEAD + "<!-- countries: ",
                                                  tail="-->\n"),
    "unclosed images": lambda: _fill("![a](b ", head=HEAD),
    "image lines": lambda: _fill('![a \\" b](photos/x.jpg "c \\" d")\n', head=HEAD),
    "caption lines": lambda: _fill("Photo: a caption\n", head=HEAD),
    "untitled stories": lambda: _fill("###\n", head=HEAD),
    "escaped lines": lambda: _fill("\\\\\\## a\n", head=HEAD),
    "comment openings": lambda: _fill("<!-- ", head=HEAD),
    "long front matter": lambda: HEAD[:-5] + "key_figures:\n" + "".join(
        f"- {{label: Figure {n} {'x' * 75}, value: '{n},000', unit: people}}\n"
        for n in range(1990)
    ) + "---\n\n## A\n\n### B\n\nText.\n",
}


@pytest.mark.parametrize("name", SHAPES)
def test_export_shape_parses_in_linear_time(name):
    assert_linear(name, SHAPES[name]())

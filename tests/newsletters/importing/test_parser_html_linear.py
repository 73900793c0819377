"""The HTML reader (parser/html.py, parser/htmltable.py) runs in linear time.

One shape per tag handler, up to 256 KB each, and random mixes of HTML pieces: each
parse must take less than LIMIT_SECONDS of CPU time, as in test_parser_linear.py (whose
timing helpers are used). The standard library's html.parser is not used because it
fails this: "<a " repeated 10,000 times took it 9 s on Python 3.11.7.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_parser_linear import LIMIT_SECONDS, SIZE, _fill, _timed_parse, assert_linear

# CPU-time bounds: run alone, in make pytest's serial pass (see pyproject.toml).
pytestmark = pytest.mark.timing

HTML = "<p>a</p>\n<p>b</p>\n<p>c</p>\n"  # enough block tags to be read as HTML
TABLE = HTML + "<table>\n"

SHAPES = {
    "100k <br>": lambda: _fill("<br>", head=HTML, tail="</p>"),
    "<br> and a word per line": lambda: _fill("a<br>\n", head=HTML),
    "50k unclosed <td>": lambda: _fill("<td>", head=TABLE),
    "unclosed <td> with text": lambda: _fill("<td>x", head=TABLE),
    "a table of 10k rows": lambda: _fill("<tr><td>a</td><td>1</td></tr>\n", head=TABLE),
    "a figures table of 8k rows": lambda: _fill(
        "<tr><td>Calls</td><td>1,000</td></tr>\n", head=HTML + "<h2>Key figures</h2>\n<table>"
    ),
    "nested tables never closed": lambda: _fill("<table><tr><td>", head=HTML),
    "a 256 KB attribute value": lambda: _fill(
        "a", head=HTML + '<img alt="x" src="data:image/png;base64,', tail='">'
    ),
    "a 256 KB attribute never closed": lambda: _fill("a", head=HTML + '<img src="'),
    "src= repeated in one tag": lambda: _fill(' src="a', head=HTML + "<img ", tail=">"),
    "unclosed tags": lambda: _fill("<a ", head=HTML),
    "a tag over many lines": lambda: _fill('\n x="1"', head=HTML + "<td", tail=">"),
    "<style> never closed, repeated": lambda: _fill("<style>x", head=HTML),
    "</style without > in a style block": lambda: _fill("</style ", head=HTML + "<style>"),
    "<script> blocks": lambda: _fill("<script>\nvar a = 1;\n</script>\n", head=HTML),
    "comments never closed": lambda: _fill("<!--", head=HTML),
    "short comments": lambda: _fill("<!-- x -->\n", head=HTML),
    "doctype never closed": lambda: _fill("<!x", head=HTML),
    "list items": lambda: _fill("<li>a\n", head=HTML + "<ul>\n"),
    "nested lists never closed": lambda: _fill("<ul><li>a", head=HTML),
    "nested ordered lists": lambda: _fill("<ol><li>a</li>", head=HTML),
    "blockquotes never closed": lambda: _fill("<blockquote>a\n", head=HTML),
    "entities": lambda: _fill("&nbsp;&amp;&#1040;&mdash;", head=HTML),
    "bold title lines": lambda: _fill("<p><b>Title</b></p>\n", head=HTML),
    "one line of bold words": lambda: _fill("<b>a</b>", head=HTML),
    "links never closed": lambda: _fill('<a href="x">y', head=HTML),
    "lone <": lambda: _fill("<", head=HTML),
    "headings with <br>": lambda: _fill("<h3>a<br>b</h3>\n", head=HTML),
}


@pytest.mark.parametrize("name", SHAPES)
def test_html_shape_parses_in_linear_time(name):
    assert_linear(name, SHAPES[name]())


PIECES = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th>",
    "<ul>",
    "<ol>",
    "<li>",
    "</li>",
    "<blockquote>",
    "</blockquote>",
    "<h2>",
    "</h2>",
    "<b>",
    "</b>",
    "<style>",
    "</style>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<!x",
    '<img src="a.jpg" alt="b">',
    '<img src="data:',
    '<a href="x">',
    "</a>",
    "&amp;",
    "&#1040;",
    "&nbsp;",
    "<",
    ">",
    '"',
    "\n",
    "\n\n",
    " ",
    "a",
    "1,000",
    "Key figures",
    "|",
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
    size=st.integers(min_value=1, max_value=SIZE),
)
def test_random_html_parses_in_linear_time(unit, size):
    text = _fill(unit, size=size, head=HTML)[:SIZE]
    seconds = _timed_parse(text)
    assert seconds < LIMIT_SECONDS, f"{seconds:.2f} s for {len(text):,} characters: {unit!r}"

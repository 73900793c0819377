"""The one rendering path sanitises whatever Markdown or HTML it is given."""

from html.parser import HTMLParser

import pytest

from newsletters.markdown import render_markdown


def test_renders_markdown():
    html = render_markdown("Some **bold** text and a [link](https://example.org).")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html


class ElementCollector(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def active_markup(html):
    collector = ElementCollector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "![x](javascript:alert(1))",
        '<svg onload="alert(1)"></svg>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(x)">x</p>',
        "[x](vbscript:msgbox(1))",
    ],
)
def test_dangerous_input_does_not_survive(source):
    found = active_markup(render_markdown(source))
    assert not {"script", "iframe", "svg", "img", "style"} & set(found.tags)
    for name, value in found.attrs:
        assert not name.startswith("on"), (name, value)
        assert name != "style"
        if name in {"href", "src"}:
            assert value.split(":", 1)[0].lower() in {"http", "https", "mailto", "tel"}, value


def test_allow_list_removes_raw_html_even_when_renderer_lets_it_through():
    from newsletters.markdown import sanitise_html

    cleaned = sanitise_html(
        '<p onclick="x()">ok</p><script>alert(1)</script><a href="javascript:x">y</a>'
    )
    found = active_markup(cleaned)
    assert found.tags == ["p", "a"]
    assert ("onclick", "x()") not in found.attrs
    assert "alert" not in cleaned
    assert all(name != "href" for name, _ in found.attrs)


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<b>not bold</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html


def test_allowed_schemes_survive():
    html = render_markdown("[call](tel:+992900800800) [mail](mailto:a@example.org)")
    assert 'href="tel:+992900800800"' in html
    assert 'href="mailto:a@example.org"' in html


def test_empty_body():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""

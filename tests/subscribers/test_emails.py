"""The issue as an e-mail: layout, inlined CSS, absolute links, text part, escaping."""

import re

import pytest

from newsletters.models import Story
from subscribers.emails import build_message, html_to_text, render_issue
from tests.security.htmlcheck import html_problems

pytestmark = pytest.mark.django_db


def test_html_is_a_600px_table_with_inlined_css_and_absolute_links(issue):
    rendered = render_issue(issue)
    html = rendered.html
    assert rendered.subject == "Steppe Partners Bulletin No. 7"
    assert re.search(r'<table class="container"[^>]* width="600"[^>]* style="width: 600px;', html)
    assert 'role="presentation"' in html
    # Inlined: the rules are on the elements, only the @media rule stays in <style>.
    assert re.search(r'<td class="masthead" style="[^"]*background: #0b4f8a', html)
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL)[1]
    assert "@media" in style and ".masthead {" not in style
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(
        h.startswith(("http://127.0.0.1:8000/", "tel:", "%%")) for h in hrefs
    ), hrefs
    assert "http://127.0.0.1:8000/directory/" in hrefs  # a link inside a story body


def test_content_preheader_figures_stories_read_more_and_hotlines(issue):
    html = render_issue(issue).html
    assert '<div class="preheader"' in html and "Spring news." in html
    assert "People assisted" in html and "12,345" in html
    assert html.count(">Read more →</a>") == 2
    # Only the first paragraph by default.
    assert "A new shelter opened" in html and "Second paragraph" not in html
    assert "Trafficking hotlines" in html and "tel:" in html


def test_full_text_option(issue):
    html = render_issue(issue, full_text=True).html
    assert "Second paragraph" in html and "More detail here." in html
    assert "Read more →" not in html


def test_text_part_from_the_same_content(issue):
    text = render_issue(issue).text
    assert text.startswith("Steppe Partners Bulletin No. 7\n")
    assert "- People assisted: 12,345 people" in text
    assert "DIRECT ASSISTANCE" in text
    assert "A new shelter opened in Tarvin (http://127.0.0.1:8000/directory/) this month." in text
    assert "Read more: http://127.0.0.1:8000/issues/" in text
    assert "<" not in text.replace("<>", "")


def test_story_text_is_sanitised_as_on_the_site(issue):
    story = Story.objects.get(title="Border training")
    story.body = (
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> '
        "[click](javascript:alert(3)) **bold** & <b>raw</b>"
    )
    story.title = '<img src=x onerror="alert(4)">'
    story.save()
    rendered = render_issue(issue, full_text=True)
    # The mail's own <style> (the @media rule) is the one element allowed beyond the site's.
    body = re.sub(r"<style>.*?</style>", "", rendered.html, flags=re.DOTALL)
    assert html_problems(body) == []
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', rendered.html))
    assert "<strong>bold</strong>" in rendered.html
    assert "&lt;img src=x" in rendered.html  # the title, escaped
    assert "&lt;b&gt;raw&lt;/b&gt;" in rendered.html  # raw HTML in Markdown stays text


def test_html_to_text():
    assert html_to_text('<p>See <a href="https://e.org/x">the <em>list</em></a>.</p>') == (
        "See the list (https://e.org/x)."
    )
    assert html_to_text("<ul><li>one</li><li>two &amp; three</li></ul>") == (
        "- one\n- two & three"
    )


def test_message_headers_and_both_parts(issue):
    rendered = render_issue(issue)
    message = build_message(
        rendered,
        "ana@example.org",
        preferences_url="https://news.example/p/TOKEN1/",
        unsubscribe_url="https://news.example/u/TOKEN2/",
        message_id="<c1.d1@news.example>",
    )
    parsed = message.message()
    assert parsed["List-Unsubscribe"] == "<https://news.example/u/TOKEN2/>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Message-ID"] == "<c1.d1@news.example>"
    assert parsed["To"] == "ana@example.org"
    text, (html, mimetype) = message.body, message.alternatives[0]
    assert mimetype == "text/html"
    for part in (text, html):
        assert "https://news.example/u/TOKEN2/" in part
        assert "https://news.example/p/TOKEN1/" in part
        assert "%%" not in part

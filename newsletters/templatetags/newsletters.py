"""Template filters: `markdown` renders authored text through the one sanitising path;
`jsonld` writes structured data as an escaped script block; `figure` writes a key
figure's value and unit as printed."""

import json

from django import template

from newsletters.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="jsonld")
def jsonld_filter(data):
    """`data` as a <script type="application/ld+json"> block.

    Escaped as json_script escapes (<, > and & become \\u003C…), so no text in it can
    close the script element; the markup around it is a fixed string.
    """
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.html import _json_script_escapes
    from django.utils.safestring import mark_safe

    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    payload = payload.translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.filter(name="figure")
def figure_filter(figure) -> str:
    """A key figure (stored or parsed) as printed: "2,340 people", "37%"."""
    from newsletters.figures import figure_with_unit

    return figure_with_unit(figure.value, figure.unit or "")


@register.filter(name="period_datetime")
def period_datetime(issue) -> str:
    """An issue's date for <time datetime>, at its precision: 2014-04-05, 2014-04, 2014."""
    from newsletters.sharing import schema_date

    return schema_date(issue)


@register.filter(name="story_heading")
def story_heading(body) -> str:
    """A heading for an untitled story: its first words, as plain text."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    text = " ".join(strip_tags(str(render_markdown(body))).split())
    return Truncator(text).words(8, truncate="…") or "Untitled story"

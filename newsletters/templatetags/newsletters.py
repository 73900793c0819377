"""Template filters: `markdown` renders authored text through the one sanitising path."""

from django import template

from newsletters.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)

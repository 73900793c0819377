"""The one-page editor's nested inlines rendered by Jinja2 instead of Django's templates.

django-nested-admin renders every section, story and photo row through its Django
templates (nesting/admin/inlines/stacked.html, tabular.html and includes/inline.html).
On the page of a 30-story issue those templates cost more than the forms and widgets they
show: about 14,000 variable lookups per page. The same templates written in Jinja2
(templates/admin/newsletters/editor/*.jinja) give the same markup, which nested_admin.js
reads (tests/newsletters/test_issue_editor.py compares the two), in a fraction of it.

An inline's `template` is a `JinjaInlineTemplate`: Django's `{% include %}` (in the admin's
change_form.html) renders any object that has a `render(context)` method, and the Jinja2
templates render nested inlines themselves.
"""

import re
from functools import cache

import jinja2
from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname, admin_urlquote
from django.template.defaultfilters import capfirst, slugify, striptags, title
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from nested_admin.templatetags.nested_admin import cell_count, formsetsort

from .admin_pending import pending_added_html, pending_note

_INDEX = re.compile(r"-(\d+)$")


def form_index(form) -> int:
    """nested_admin's `form_index` filter: the row's number at the end of its prefix."""
    return int(_INDEX.search(form.prefix).group(1))


def change_link(inline_admin_formset, inline_admin_form) -> str:
    """The row's "Change"/"View" link, as nested_admin writes it when the inline asks for
    one (`show_change_link`); the editor's inlines do not."""
    model_admin = inline_admin_form.model_admin
    if not (model_admin.show_change_link and model_admin.has_registered_model):
        return ""
    original = inline_admin_form.original
    url = reverse(admin_urlname(model_admin.opts, "change"), args=[admin_urlquote(original.pk)])
    can_change = inline_admin_formset.has_change_permission
    return format_html(
        ' <a href="{}" class="{}">{}</a>',
        url,
        "inlinechangelink" if can_change else "inlineviewlink",
        gettext("Change") if can_change else gettext("View"),
    )


def _finalize(value):
    # Escaped the way Django's templates escape (&quot; and &#x27;, not &#34; and &#39;),
    # so both engines write the same bytes; already-safe values (widgets) stay as they are.
    return conditional_escape(value)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(  # noqa: S701 - autoescape is on; _finalize escapes first
        loader=jinja2.FileSystemLoader(settings.BASE_DIR / "templates"),
        autoescape=True,
        finalize=_finalize,
        auto_reload=settings.DEBUG,
        undefined=jinja2.Undefined,
    )
    env.filters.update(capfirst=capfirst, slugify=slugify, striptags=striptags, title=title)
    env.globals.update(
        _=gettext,
        static=static,
        formsetsort=formsetsort,
        form_index=form_index,
        cell_count=cell_count,
        change_link=change_link,
        render_inline=render_inline,
        pending_note=pending_note,
        pending_added=pending_added_html,
    )
    return env


def render_jinja(name: str, context: dict) -> str:
    """The editor's Jinja2 template `name` rendered with `context`."""
    # Every value in the templates is escaped by _finalize or is already safe HTML.
    return mark_safe(environment().get_template(name).render(context))  # noqa: S308


def render_inline(inline_admin_formset, last_in_loop=True) -> str:
    """One inline (and the inlines nested in its rows) as its Jinja2 template writes it."""
    return render_jinja(
        inline_admin_formset.opts.template.name,
        {"inline_admin_formset": inline_admin_formset, "last_in_loop": last_in_loop},
    )


class JinjaInlineTemplate:
    """An inline's template for Django's `{% include %}`: renders `inline_admin_formset`
    from the including template's context with the Jinja2 template `name`."""

    def __init__(self, name: str):
        self.name = name

    def render(self, context):
        forloop = context.get("forloop") or {}
        return render_inline(context["inline_admin_formset"], bool(forloop.get("last", True)))


STACKED = JinjaInlineTemplate("admin/newsletters/editor/stacked.jinja")
TABULAR = JinjaInlineTemplate("admin/newsletters/editor/tabular.jinja")

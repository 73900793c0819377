"""A form renderer for pages of a thousand widgets (the one-page issue editor).

Rendering a widget through a template costs a template context and an include per
attribute list; on the editor's page for 30 stories that was most of its time. Plain
inputs (text, hidden, number...) and empty error lists are therefore written here in
Python, producing what Django's own templates produce, byte for byte (tested in
tests/newsletters/test_form_rendering.py); every other template is rendered by Jinja2,
which renders Django's form templates faster than the Django template language.
"""

from django.forms.renderers import Jinja2
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "hidden", "number", "email", "url", "password", "search")
)
ERROR_TEMPLATES = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes
    # its name alone, anything else name="value" (escaped unless already safe).
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(widget: dict) -> str:
    """django/forms/widgets/input.html, in Python."""
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    # Safe: every value above went through conditional_escape().
    return mark_safe(  # noqa: S308
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'
    )


class FastFormRenderer(Jinja2):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name in ERROR_TEMPLATES and not context.get("errors"):
            return ""
        return super().render(template_name, context, request)

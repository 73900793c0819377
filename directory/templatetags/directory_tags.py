"""Template filters for the directory: `tel:` values from printed numbers."""

from django import template

from directory.phones import dial_href

register = template.Library()


@register.filter
def tel(number, country_code=""):
    """E.164 when the number can be dialled as such in `country_code`, else its digits."""
    return dial_href(number, country_code)

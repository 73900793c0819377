"""Template filters for the directory: `tel:` values from printed numbers."""

from django import template

from directory.phones import tel_href, to_e164

register = template.Library()


@register.filter
def tel(number, country_code=""):
    """E.164 when the number can be dialled as such in `country_code`, else its digits."""
    return tel_href(number, to_e164(number, country_code or None))

"""Phone numbers: E.164 normalisation and the digits key that makes a number unique."""

import re

import phonenumbers


def digits_key(number: str) -> str:
    """The digits of a number as printed: '+992 900-800-800' and '+992900800800' match."""
    return re.sub(r"\D", "", number or "")


def to_e164(number: str, country_code: str | None) -> str:
    """E.164 form ('+992900800800') where the number can be dialled as such, else ''.

    Short national hotlines (11616, 1899) are not E.164 numbers and stay blank, so the
    `tel:` link uses them as printed.
    """
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, (country_code or "").upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def dial_href(number: str, country_code: str | None) -> str:
    """The `tel:` value of a number as printed, in `country_code`'s numbering plan."""
    return tel_href(number, to_e164(number, country_code or None))


def tel_href(number: str, e164: str = "") -> str:
    """The value of a `tel:` link: E.164 when known, else the printed digits."""
    if e164:
        return e164
    return re.sub(r"[^\d+]", "", number or "")

"""Key-figure values as printed: "1,650", "12.5", "37%".

A value is a Decimal (exact: trends and the API never round it through a float) or None
for a figure still to be filled in. `parse_figure` reads what staff type or a sheet
holds; `format_figure` writes it back the way it is printed, grouped by thousands and
without the trailing zeros of the database column ("12.5", not "12.5000").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError

# The column: DecimalField(max_digits=20, decimal_places=4).
MAX_DIGITS, DECIMAL_PLACES = 20, 4
PERCENT = "%"

# Digits with optional thousands separators (comma, thin or no-break space, apostrophe)
# and an optional decimal point; bounded, anchored, no nested quantifiers.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:[,\u00a0\u202f' ]\d{3})+|\d{1,20})(?:\.\d{1,10})?$")


class FigureInput(NamedTuple):
    value: Decimal | None
    unit: str  # "%" when the text ended with one, else ""


def parse_figure(text) -> FigureInput:
    """"1,650" -> 1650, "12.5" -> 12.5, "37%" -> (37, "%"), "" -> None.

    Raises ValueError with a message for staff on anything else, including more digits
    or decimals than the column keeps (a value is never rounded silently).
    """
    if text is None:
        return FigureInput(None, "")
    if isinstance(text, Decimal | int):
        return FigureInput(_checked(Decimal(text), str(text)), "")
    if isinstance(text, float):
        text = repr(text)  # a spreadsheet cell: its shortest exact form, not a binary tail
    raw = str(text).strip()
    if not raw:
        return FigureInput(None, "")
    unit = ""
    if raw.endswith(PERCENT):
        raw, unit = raw[:-1].rstrip(), PERCENT
    if not _NUMBER.match(raw):
        raise ValueError(f"“{text}” is not a number such as 1,650, 12.5 or 37%.")
    digits = re.sub(r"[,\u00a0\u202f' ]", "", raw)
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"“{text}” is not a number.") from None
    return FigureInput(_checked(number, text), unit)


def _checked(number: Decimal, text) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"“{text}” is not a number.")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > DECIMAL_PLACES:
        raise ValueError(f"“{text}” has more than {DECIMAL_PLACES} decimal places.")
    if abs(number) >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
        raise ValueError(f"“{text}” is too large.")
    return number


def format_figure(value) -> str:
    """A value as printed: thousands grouped, no trailing zeros; "" for an empty one."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    # normalize() drops trailing zeros; "f" never switches to exponent notation.
    return f"{number.normalize():,f}"


def exact_figure(value) -> str | None:
    """The exact value for machines: "1650", "12.5" (never an exponent, never a float)."""
    return None if value is None else f"{Decimal(value).normalize():f}"


def figure_with_unit(value, unit: str) -> str:
    """"1,650 calls", "37%" (a percent sign goes right after the number)."""
    text = format_figure(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == PERCENT else f"{text} {unit}"


class FigureValueField(forms.CharField):
    """A form field for a key-figure value typed as printed; it cleans to FigureInput."""

    default_error_messages = {"invalid": "Enter a number such as 1,650, 12.5 or 37%."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", "As printed: 1,650 or 12.5 or 37%. Leave empty until it is known."
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return format_figure(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_figure(text)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            new = parse_figure(data)
        except ValueError:
            return True
        old = None if initial in (None, "") else parse_figure(initial).value
        return new.value != old or bool(new.unit)


class KeyFigureForm(forms.ModelForm):
    """The admin's key-figure form: "37%" puts 37 in the value and "%" in the unit."""

    value = FigureValueField()

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("value")
        if isinstance(typed, FigureInput):
            cleaned["value"] = typed.value
            if typed.unit and not (cleaned.get("unit") or "").strip():
                cleaned["unit"] = typed.unit
            elif typed.unit and cleaned.get("unit", "").strip() != typed.unit:
                self.add_error("unit", "The value ends with % : leave the unit empty or put %.")
        return cleaned

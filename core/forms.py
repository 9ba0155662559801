"""Form fields that read numbers as the reader writes them (docs/i18n.md).

`LocalizedDecimalField` is every decimal input of every HTML form: `4,20` in a Dutch rate box is
4.20, `1.234,50` is 1234.50, `1,234.50` in English too; a value the reader's language cannot read
is refused with the form it expected ("write it like 1.234,50"), never silently emptied. It shows
its value with the reader's decimal mark and no grouping, in a text box with a decimal keyboard
(`type="number"` refuses a comma in some browsers). The API stays JSON with a decimal point.
"""

from decimal import Decimal
from typing import Any

from babel import numbers as babel_numbers
from django import forms
from django.core.exceptions import ValidationError

from core.formatting import UnreadableNumber, locale_of, parse_number

# Attributes of a number box that mean nothing on a text box.
_NUMBER_ONLY = ("step", "min", "max")


def decimal_text(value: Any, *, language: str | None = None) -> str:
    """A number as a form shows it: the reader's decimal mark, no grouping (`4,2`, `1234,5`)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value  # what the reader typed, shown back as typed
    if not isinstance(value, Decimal | int | float):
        return str(value)
    text = f"{Decimal(str(value)):f}"
    mark = babel_numbers.get_decimal_symbol(locale_of(language))
    return text.replace(".", mark)


class LocalizedDecimalInput(forms.TextInput):
    """A text box with a decimal keyboard that shows its value in the reader's format."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        attrs = {k: v for k, v in (attrs or {}).items() if k not in _NUMBER_ONLY}
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **attrs})

    def format_value(self, value: Any) -> str | None:
        text = decimal_text(value)
        return text or None


class LocalizedDecimalField(forms.DecimalField):
    """A DecimalField that reads the reader's format (core.formatting.parse_number)."""

    widget = LocalizedDecimalInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        widget = kwargs.get("widget")
        if isinstance(widget, forms.NumberInput) or widget is forms.NumberInput:
            kwargs["widget"] = LocalizedDecimalInput(getattr(widget, "attrs", None))
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField adds min/max/step for a number box; a text box takes none of them.
        attrs = super().widget_attrs(widget)
        if isinstance(widget, LocalizedDecimalInput):
            for name in _NUMBER_ONLY:
                attrs.pop(name, None)
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return super().to_python(value)
        try:
            number = parse_number(str(value))
        except UnreadableNumber as error:
            raise ValidationError(str(error), code="invalid") from error
        return number


def localized_formfield(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: a model's DecimalField becomes a
    LocalizedDecimalField, every other field what Django makes of it."""
    from django.db import models

    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(form_class=LocalizedDecimalField, **kwargs)
    return db_field.formfield(**kwargs)

"""Reference-data checks shared by every write: countries, currencies, language tags, decimals.

Each helper returns the canonical form of a valid value (`nl-be` -> `nl-BE`, `eur` -> `EUR`)
or raises `InvalidValue` with a message fit to show next to the field.
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import langcodes
import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy, ngettext

from core.money import NON_MONEY_CURRENCIES


class InvalidValue(ValueError):
    """A value that is not valid reference data; the message names what is wrong."""


class LanguageLevel(models.TextChoices):
    """How well staff speak a language: native, or a CEFR level."""

    NATIVE = "native", gettext_lazy("Native")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


# Levels for people, lowest first (CEFR descriptors), as the forms' selects and pages show them.
LEVEL_LABELS = {
    "A1": gettext_lazy("A1 (beginner)"),
    "A2": gettext_lazy("A2 (elementary)"),
    "B1": gettext_lazy("B1 (intermediate)"),
    "B2": gettext_lazy("B2 (upper intermediate)"),
    "C1": gettext_lazy("C1 (advanced)"),
    "C2": gettext_lazy("C2 (proficient)"),
    "native": gettext_lazy("native speaker"),
}


def country_code(value: object) -> str:
    """An ISO 3166-1 alpha-2 country code, upper case (`nl` -> `NL`)."""
    code = str(value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidValue(
            gettext("%(value)s is not an ISO 3166-1 alpha-2 country code (e.g. NL).")
            % {"value": repr(value)}
        )
    return code


def currency_code(value: object) -> str:
    """An ISO 4217 currency code, upper case (`eur` -> `EUR`)."""
    code = str(value or "").strip().upper()
    if (
        len(code) != 3
        or code in NON_MONEY_CURRENCIES
        or pycountry.currencies.get(alpha_3=code) is None
    ):
        raise InvalidValue(
            gettext("%(value)s is not an ISO 4217 currency code (e.g. EUR).")
            % {"value": repr(value)}
        )
    return code


def language_tag(value: object) -> str:
    """A BCP 47 language tag in its standard form (`EN_us` -> `en-US`, `iw` -> `he`)."""
    raw = str(value or "").strip()
    message = gettext("%(value)s is not a BCP 47 language tag (e.g. nl, en-GB, de-CH).") % {
        "value": repr(value)
    }
    if not raw or not langcodes.tag_is_valid(raw.replace("_", "-")):
        raise InvalidValue(message)
    try:
        tag = langcodes.standardize_tag(raw)
    except (langcodes.LanguageTagError, ValueError) as error:
        raise InvalidValue(message) from error
    subtag = langcodes.Language.get(tag).language
    # Private-use (qaa-qtz, x-...) and "und" pass the syntax check but name no language.
    if not subtag or subtag == "und" or not _iso_639(subtag):
        raise InvalidValue(message)
    return tag


def language_subtag(tag: str) -> str:
    """The language part of a valid tag: `nl-BE` -> `nl`, so regions compare equal."""
    return langcodes.Language.get(tag).language or ""


def _iso_639(subtag: str) -> bool:
    """Whether a language subtag is an ISO 639 language."""
    if len(subtag) == 2:
        return pycountry.languages.get(alpha_2=subtag) is not None
    return pycountry.languages.get(alpha_3=subtag) is not None


def language_level(value: object) -> str:
    """A proficiency level: `native` or a CEFR level A1..C2 (any case)."""
    raw = str(value or "").strip()
    level = "native" if raw.lower() == "native" else raw.upper()
    if level not in LanguageLevel.values:
        raise InvalidValue(
            gettext("%(value)s is not a level; use native or A1, A2, B1, B2, C1, C2.")
            % {"value": repr(value)}
        )
    return level


def certification_key(name: str) -> str:
    """A certification name compared case- and space-insensitively (`ISO 27001` = `iso27001`)."""
    return "".join(name.split()).casefold()


def decimal_value(
    value: object,
    *,
    places: int,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    exclusive_minimum: bool = False,
    exclusive_maximum: bool = False,
) -> Decimal:
    """A finite Decimal with at most `places` decimals inside the given bounds."""
    if isinstance(value, bool) or value is None:
        raise InvalidValue(gettext("A number is required."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise InvalidValue(
            gettext("%(value)s is not a number.") % {"value": repr(value)}
        ) from error
    if not number.is_finite():
        raise InvalidValue(gettext("%(value)s is not a number.") % {"value": repr(value)})
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise InvalidValue(
            ngettext(
                "Use at most %(n)s decimal place.", "Use at most %(n)s decimal places.", places
            )
            % {"n": places}
        )
    if minimum is not None and (number <= minimum if exclusive_minimum else number < minimum):
        text = (
            gettext("Must be greater than %(n)s.")
            if exclusive_minimum
            else gettext("Must be at least %(n)s.")
        )
        raise InvalidValue(text % {"n": minimum})
    if maximum is not None and (number >= maximum if exclusive_maximum else number > maximum):
        text = (
            gettext("Must be less than %(n)s.")
            if exclusive_maximum
            else gettext("Must be at most %(n)s.")
        )
        raise InvalidValue(text % {"n": maximum})
    try:
        return number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation as error:
        raise InvalidValue(gettext("%(value)s is too large.") % {"value": repr(value)}) from error


def whole_number(value: object, *, minimum: int, maximum: int | None = None) -> int:
    """An integer (not a bool, not a fraction) within the bounds."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise InvalidValue(gettext("A whole number is required."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise InvalidValue(gettext("A whole number is required.")) from error
    if not number.is_finite() or number != number.to_integral_value():
        raise InvalidValue(gettext("A whole number is required."))
    if number < minimum or (maximum is not None and number > maximum):
        if maximum is not None:
            text = gettext("Must be from %(minimum)s to %(maximum)s.")
        else:
            text = gettext("Must be %(minimum)s or more.")
        raise InvalidValue(text % {"minimum": minimum, "maximum": maximum})
    return int(number)


class Problems:
    """Collects (field, message) pairs and raises them as one field-keyed ValidationError."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        """Record a problem of a field."""
        self.errors.setdefault(field, []).append(message)

    def check(self, field: str, parse: Callable[[], Any]) -> Any:
        """Run a parser; an InvalidValue becomes a problem of `field` and None is returned."""
        try:
            return parse()
        except InvalidValue as error:
            self.add(field, str(error))
            return None

    def raise_if_any(self) -> None:
        """Raise the collected problems, if there are any."""
        if self.errors:
            raise ValidationError(self.errors)


def text_value(value: object, *, max_length: int) -> str:
    """A non-blank single string, stripped."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise InvalidValue(gettext("This field may not be blank."))
    if len(text) > max_length:
        raise InvalidValue(
            ngettext("Use at most %(n)s character.", "Use at most %(n)s characters.", max_length)
            % {"n": max_length}
        )
    return text


def date_value(value: object) -> date | None:
    """A date, an ISO `YYYY-MM-DD` string, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidValue(
            gettext("%(value)s is not a date (YYYY-MM-DD).") % {"value": repr(value)}
        ) from error


def object_list(problems: Problems, field: str, value: object) -> list[Mapping[str, Any]]:
    """A list of objects, or a problem."""
    if not isinstance(value, list | tuple) or not all(isinstance(i, Mapping) for i in value):
        problems.add(field, gettext("Expected a list of objects."))
        return []
    return list(value)


def scalar_list(problems: Problems, field: str, value: object) -> list[object]:
    """A list of scalars, or a problem."""
    if not isinstance(value, list | tuple) or any(isinstance(i, list | dict) for i in value):
        problems.add(field, gettext("Expected a list."))
        return []
    return list(value)

"""Template filters of the sourcing pages: stored decimals shown without padding zeros, with
the decimal mark of the user's language (`0,6` in Dutch) and no thousands separator."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

from vendors.services.validation import LEVEL_LABELS

register = template.Library()


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _localized(text: str) -> str:
    """A plain decimal text (`-1234.50`) with the active language's decimal mark, digits kept."""
    whole, _, fraction = text.partition(".")
    if not fraction:
        return whole
    return f"{whole}{formats.get_format('DECIMAL_SEPARATOR')}{fraction}"


@register.filter
def number(value) -> str:
    """A stored decimal as written (`0.6000` -> `0.6`, `260.00` -> `260`); other values as is."""
    if value is None or value == "":
        return ""
    parsed = _decimal(value)
    if parsed is None:
        return str(value)
    text = f"{parsed.normalize():f}"
    return "0" if text in ("-0", "") else _localized(text)


@register.filter
def rate(value) -> str:
    """A rate with its significant decimals, at least two (`61.3700` -> `61.37`, `4` -> `4.00`)."""
    parsed = _decimal(value)
    if parsed is None:
        return "" if value is None else str(value)
    normalized = parsed.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        normalized = normalized.quantize(Decimal("0.01"))
    return _localized(f"{normalized:f}")


@register.filter
def percent(value) -> str:
    """A stored 0-1 fraction as a percentage (`0.8` -> `80%`, `1` -> `100%`)."""
    parsed = _decimal(value)
    if parsed is None:
        return "" if value is None else str(value)
    return number(parsed * 100) + "%"


@register.filter
def level_label(value) -> str:
    """A language level for people: `C1 (advanced)`, `native speaker`."""
    return str(LEVEL_LABELS.get(str(value or ""), value or ""))


@register.filter
def channel_profile(need) -> str:
    """A channel need's seasons, time bands and callers' patience in words ("" when flat)."""
    from vendors.web.channel_text import describe_profile

    return describe_profile(need) if isinstance(need, dict) else ""

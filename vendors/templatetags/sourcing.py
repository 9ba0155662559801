"""Template filters of the sourcing pages: stored decimals shown without padding zeros, as the
reader writes numbers (`1.234,5` in Dutch). They delegate to core.formatting, so one rule formats
pages, e-mails and PDFs; the names stay for the templates that use them."""

from decimal import Decimal, InvalidOperation

from django import template

from core import formatting
from vendors.services.validation import LEVEL_LABELS

register = template.Library()


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def number(value) -> str:
    """A stored decimal as written (`0.6000` -> `0.6`, `1260.00` -> `1,260`); other values as is."""
    return formatting.number(value)


@register.filter
def rate(value) -> str:
    """A rate with its significant decimals, at least two (`61.3700` -> `61.37`, `4` -> `4.00`)."""
    parsed = _decimal(value)
    if parsed is None:
        return "" if value is None else str(value)
    exponent = parsed.normalize().as_tuple().exponent
    return formatting.number(parsed, 2 if isinstance(exponent, int) and exponent > -2 else None)


@register.filter
def percent(value) -> str:
    """A stored 0-1 fraction as a percentage (`0.8` -> `80%`, `1` -> `100%`)."""
    return formatting.fraction_percent(value)


@register.filter
def language_name(tag) -> str:
    """A language tag for people: `Dutch (nl)`, `Nederlands (nl)` for a Dutch reader."""
    from vendors.ranking.figures import language_name as named

    return named(str(tag)) if tag else ""


@register.filter
def level_label(value) -> str:
    """A language level for people: `C1 (advanced)`, `native speaker`."""
    return str(LEVEL_LABELS.get(str(value or ""), value or ""))


@register.filter
def channel_profile(need) -> str:
    """A channel need's seasons, time bands and callers' patience in words ("" when flat)."""
    from vendors.web.channel_text import describe_profile

    return describe_profile(need) if isinstance(need, dict) else ""

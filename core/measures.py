"""A metric's value with its unit, and a target as the bound it is ("min 80%", "max 8%"), in
the reader's language (core.formatting), from the metric catalogue's unit and direction.

One rule for pages, e-mails and PDFs: `{% load display %}{{ value|measure:metric }}`,
`{{ value|bound:metric }}`; in Python `measure(metric, value)`, `bound(metric, value)`.
"""

from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import formatting
from core.catalogue import METRICS, Direction

# Catalogue unit code -> the unit in words, for a column header or a legend.
UNIT_NAMES = {
    "%": _("%"),
    "s": _("seconds"),
    "min": _("minutes"),
    "h": _("hours"),
    "count": _("count"),
    "": _("score"),
}


def unit_name(metric: str) -> str:
    """The unit of a catalogue metric in words ("seconds", "%", "count", "score")."""
    entry = METRICS.get(str(metric))
    return "" if entry is None else str(UNIT_NAMES.get(entry.unit, entry.unit))


def _count(value: Decimal) -> int:
    """The integer that picks a plural form (1 second, 1.5 seconds, 2 seconds)."""
    return 1 if value == 1 else 2


def measure(metric: str, value, places: int | None = None, *, language: str | None = None) -> str:
    """A metric's value with its unit: `80%`, `30 seconds`, `18,5 hours`, `5,700`, `score 12`.
    An unknown metric shows the number alone; no value shows ""."""
    if language:
        with translation.override(language):
            return measure(metric, value, places)
    if value is None or value == "":
        return ""
    try:
        parsed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    entry = METRICS.get(str(metric))
    unit = entry.unit if entry else "count"
    if unit == "%":
        return formatting.percent(parsed, places)
    shown = formatting.number(parsed, places)
    if unit == "s":
        return ngettext("%(value)s second", "%(value)s seconds", _count(parsed)) % {"value": shown}
    if unit == "min":
        return ngettext("%(value)s minute", "%(value)s minutes", _count(parsed)) % {"value": shown}
    if unit == "h":
        return ngettext("%(value)s hour", "%(value)s hours", _count(parsed)) % {"value": shown}
    if unit == "":
        return gettext("score %(value)s") % {"value": shown}
    return shown


def bound(metric: str, value, places: int | None = None, *, language: str | None = None) -> str:
    """A target value as the bound it is: `min 80%` for a higher-is-better metric, `max 8%` for
    a lower-is-better one; a metric without a direction shows the value with its unit."""
    if language:
        with translation.override(language):
            return bound(metric, value, places)
    shown = measure(metric, value, places)
    if not shown:
        return ""
    entry = METRICS.get(str(metric))
    direction = entry.direction if entry else Direction.NONE
    if direction is Direction.HIGHER:
        return gettext("min %(value)s") % {"value": shown}
    if direction is Direction.LOWER:
        return gettext("max %(value)s") % {"value": shown}
    return shown


def direction_name(metric: str) -> str:
    """ "minimum" for a higher-is-better metric, "maximum" for a lower-is-better one, else ""."""
    entry = METRICS.get(str(metric))
    if entry is None or entry.direction is Direction.NONE:
        return ""
    return gettext("minimum") if entry.direction is Direction.HIGHER else gettext("maximum")

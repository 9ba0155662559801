"""Template filters that show numbers as the reader writes them (core.formatting):

{% load display %}
{{ contract.minimum_charge|money:contract.currency }}   € 1.486.572,80
{{ fte|num }}  {{ hours|num:1 }}                         34,78  /  1.234,5
{{ contract.at_risk_percent|pct }}                      12%
{{ share|fraction_pct }}                                55%
{{ period|month }}                                      maart 2026
{{ code|label }}                                        per contact
{{ value|measure:"abandonment_rate" }}                  8%
{{ target.expected|bound:target.metric }}               max 8%
"""

from django import template

from core import formatting, measures
from core.labels import label_of, readable

register = template.Library()


@register.filter
def money(amount, currency=None) -> str:
    """An amount with its currency and cents in the reader's format."""
    return formatting.money(amount, currency or None)


@register.filter
def num(value, places=None) -> str:
    """A number with thousands separators and the reader's decimal mark; `places` fixes the
    decimals, else the value's own are shown."""
    return formatting.number(value, None if places in (None, "") else int(places))


@register.filter
def pct(points, places=None) -> str:
    """Percentage points (12.5) as a percentage (`12,5%`)."""
    return formatting.percent(points, None if places in (None, "") else int(places))


@register.filter
def fraction_pct(fraction, places=None) -> str:
    """A 0-1 fraction (0.55) as a percentage (`55%`)."""
    return formatting.fraction_percent(fraction, None if places in (None, "") else int(places))


@register.filter
def month(value) -> str:
    """A month (a date or `YYYY-MM`) as the reader names it: `March 2026`, `maart 2026`."""
    return formatting.month(value)


@register.filter
def short_month(value) -> str:
    """A month in a narrow column or on an axis: `Mar 2026`, `mrt 2026`, `mar. 2026`."""
    return formatting.short_month(value)


@register.filter
def label(code) -> str:
    """The human label of a code (core.labels); an unknown code is shown as it is."""
    return label_of(code)


@register.filter
def measure(value, metric) -> str:
    """A metric's value with its unit (`80%`, `30 seconds`, `5,700`)."""
    return measures.measure(metric, value)


@register.filter
def bound(value, metric) -> str:
    """A target value as its bound: `min 80%` (higher is better), `max 8%` (lower is better)."""
    return measures.bound(metric, value)


@register.filter
def unit(metric) -> str:
    """The unit of a catalogue metric in words (`%`, `seconds`, `count`, `score`)."""
    return measures.unit_name(metric)


@register.filter(name="readable")
def readable_filter(value) -> str:
    """A stored JSON value as `Field: value` lines (use with `|linebreaksbr`)."""
    return readable(value)


@register.filter
def aria_labelled(bound_field) -> str:
    """A form field's input named by its label for screen readers, where a table column header
    stands in for a visible label (formset rows)."""
    if not hasattr(bound_field, "as_widget"):
        return bound_field
    return bound_field.as_widget(attrs={"aria-label": str(bound_field.label or "")})

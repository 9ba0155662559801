"""Template filters that show numbers as the reader writes them (core.formatting):

{% load display %}
{{ contract.minimum_charge|money:contract.currency }}   € 1.486.572,80
{{ fte|num }}  {{ hours|num:1 }}                         34,78  /  1.234,5
{{ contract.at_risk_percent|pct }}                      12%
{{ share|fraction_pct }}                                55%
"""

from django import template

from core import formatting

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

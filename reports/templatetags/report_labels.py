"""Human labels for the codes a report prints: the one registry of core.labels (channels,
pricing models, fees, usage, triggers), kept under this name for the report templates."""

from django import template

from core.labels import label_of

register = template.Library()


@register.filter
def label(code) -> str:
    """The human label of a code; an unknown code is shown as it is, never hidden."""
    return label_of(code)

"""`{% load marked %}` then `{{ line.label|marked }}`: text that pure code marked with
gettext_noop (core.texts), shown in the reader's language."""

from django import template

from core.texts import rendered

register = template.Library()


@register.filter
def marked(text: object) -> str:
    """The marked English text, translated (unchanged when no catalog knows it)."""
    return rendered(str(text)) if text not in (None, "") else ""

"""`{% load marked %}` then `{{ line.label|marked }}`: text that pure code marked with
gettext_noop (core.texts), shown in the reader's language; `{{ row.history_type|history_kind }}`:
a history record's type as a translated word."""

from django import template

from core.history import history_kind_label
from core.texts import rendered

register = template.Library()


@register.filter
def marked(text: object) -> str:
    """The marked English text, translated (unchanged when no catalog knows it)."""
    return rendered(str(text)) if text not in (None, "") else ""


@register.filter
def history_kind(sign: object) -> str:
    """A history record's type ("+", "~", "-") as Created, Changed or Deleted, translated
    (core.history.HistoryKind; simple_history's own labels have no nl, ro or es catalog)."""
    return history_kind_label(str(sign)) if sign not in (None, "") else ""

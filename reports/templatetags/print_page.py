"""The page furniture of a printed report (running header and page counter) in the report's
language. WeasyPrint reads them from CSS `content`, where a translated sentence has to be cut
around its counters and quoted as CSS strings."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (backslashes, quotes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


@register.simple_tag
def page_counter() -> SafeString:
    """CSS `content` for "page 2 of 4" in the active language, e.g. `"pagina " counter(page)
    " din " counter(pages)`."""
    sentence = gettext("page %(page)s of %(pages)s")
    parts: list[str] = []
    last = 0
    for found in _PLACEHOLDER.finditer(sentence):
        if found.start() > last:
            parts.append(css_string(sentence[last : found.start()]))
        parts.append(f"counter({found.group(1)})")
        last = found.end()
    if last < len(sentence):
        parts.append(css_string(sentence[last:]))
    return mark_safe(" ".join(parts))  # noqa: S308 (quoted by css_string, counters are fixed)


@register.simple_tag
def running_header(report_id: int) -> SafeString:
    """CSS `content` for the running header's report number ("Report #12", "Raport nr. 12")."""
    text = gettext("Report #%(id)s") % {"id": report_id}
    return mark_safe(css_string(text))  # noqa: S308 (quoted by css_string)

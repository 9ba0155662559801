"""KPI file and row messages in the reader's language (docs/i18n.md, "Writing strings").

Upload rows keep their messages in English, as the ingestion wrote them from the table in
kpis.ingestion.texts (the API answers them so). A page translates one by matching it against
that table: the template it was filled from is translated, and its filled-in values too where
they are themselves entries (a list such as "comma, semicolon" entry by entry). A message that
matches no entry (written before the table, or by hand) is shown as stored.
"""

import re
from functools import lru_cache

from django.utils.translation import gettext

from kpis.evaluation import texts as evaluation_texts
from kpis.ingestion import texts

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _pattern(template: str) -> re.Pattern[str]:
    parts, last, seen = [], 0, set()
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        name = match[1]
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.+?)")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.S)


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(template, pattern), the most literal text first, so the most specific entry wins."""
    entries = set(texts.ALL) | set(evaluation_texts.ALL)
    ordered = sorted(entries, key=lambda t: len(_PLACEHOLDER.sub("", t)), reverse=True)
    return tuple((template, _pattern(template)) for template in ordered)


def _value(text: str) -> str:
    return ", ".join(shown(part, depth=1) for part in text.split(", "))


def shown(message: str, depth: int = 0) -> str:
    """The stored English message in the active language."""
    if not message:
        return message
    for template, pattern in _table():
        match = pattern.fullmatch(message)
        if match is not None:
            params = match.groupdict()
            if depth == 0:
                params = {name: _value(value) for name, value in params.items()}
            translated = gettext(template)  # noqa: INT001 (every entry is marked in the table)
            return translated % params if "%" in template else translated
    return message


def shown_problems(problems: list[dict]) -> list[dict]:
    """An upload's stored problems with their messages in the active language."""
    return [{**p, "message": shown(p.get("message") or "")} for p in problems]

"""Text for people written in pure code (no Django): marked for the catalogs, translated where
it is shown.

Pure modules (domain/, kpis.ingestion, core.catalogue, core.errors) write
`gettext_noop("... %(name)s ...")` and keep the params apart: makemessages collects the msgid
(gettext_noop is one of its keywords) and the English stays the value. `rendered()` turns it
into the reader's language through the translator Django registers at start-up
(core.i18n.translator_install, called from an AppConfig.ready); without one it is English.
"""

from collections.abc import Callable, Mapping
from typing import Any


def gettext_noop(message: str) -> str:
    """`message` unchanged, marked for translation (translated where it is shown)."""
    return message


def _english(message: str) -> str:
    return message


_translate: Callable[[str], str] = _english


def translator_set(translate: Callable[[str], str]) -> None:
    """Registers how a marked message becomes the reader's language (Django's gettext)."""
    global _translate
    _translate = translate


def rendered(message: str, params: Mapping[str, Any] | None = None) -> str:
    """The message in the reader's language, its named placeholders filled."""
    text = _translate(str(message))
    return text % dict(params) if params else text

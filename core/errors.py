"""Errors the domain raises, with no web framework in them: the API's exception handler
(config/api.py) answers them with their HTTP status, and the pages show their message.

A message is an English msgid with named placeholders (`gettext_noop("... %(name)s ...")`) and
its `params`; `str()` is the message in the reader's language (core.texts.rendered;
docs/i18n.md, "Writing strings")."""

from collections.abc import Mapping
from typing import Any

from core.texts import rendered


class DomainError(Exception):
    """A rule of the domain refused a request; the message is written for people."""

    def __init__(self, message: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return rendered(self.message, self.params)


class Conflict(DomainError):
    """A request that the object's state does not allow (frozen proposal, awarding twice): 409.

    `fields` names the fields sent that the state refuses, each with its message."""

    def __init__(
        self,
        message: str,
        fields: dict[str, list[str]] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, params)
        self.fields = dict(fields or {})

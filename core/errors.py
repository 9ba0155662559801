"""Errors the domain raises, with no web framework in them: the API's exception handler
(config/api.py) answers them with their HTTP status, and the pages show their message."""


class DomainError(Exception):
    """A rule of the domain refused a request; the message is written for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class Conflict(DomainError):
    """A request that the object's state does not allow (frozen proposal, awarding twice): 409.

    `fields` names the fields sent that the state refuses, each with its message."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})

"""Frozen is refused, not ignored (STYLE.md 14), once for every API serializer that writes.

DRF drops what a serializer cannot write: a key it does not know, a read-only field
(`status`, `proposal`), and nothing says so; a client then believes a change was made. A
serializer with `RefuseDroppedInputMixin` instead answers 400 naming every such key, and asks
`frozen_fields(instance)` which writable fields the object's state has frozen (an awarded
contract's vendor and terms): 400 naming them, or 409 (with the names) where the whole object is
frozen by its state (`Frozen(..., conflict=True)`).

A key sent with the value the object already has is accepted: a client may send back what it
read (`GET`, change one field, `PATCH` the lot) without tripping over the read-only ones.

Nested serializers use the mixin too: an unknown key inside a row (`pricing[0].foo`,
`weights.foo`) is a 400 in DRF's nested shape (`{"pricing": [{}, {"foo": [...]}]}`). A nested
row has no instance of its own; one that has read-only keys (`sla_targets[].id`) says which
stored row a sent row is with `row_instance(data)`, and its read-only keys are accepted when
they are that row's values as read (an `id` naming no such row is refused by name).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.errors import Conflict


@dataclass(frozen=True)
class Frozen:
    """Why a field cannot be written now; `conflict`: the object's state (409), not the field."""

    reason: str
    conflict: bool = False


def _same(sent: Any, current: Any) -> bool:
    """Whether a sent value is the value the object already has (numbers compared as numbers)."""
    if sent == current:
        return True
    if isinstance(sent, Mapping | list) or isinstance(current, Mapping | list):
        return False
    try:
        return Decimal(str(sent)) == Decimal(str(current))
    except (InvalidOperation, ValueError):
        return str(sent) == str(current)


# Keys of the transport, not of the object: a browser form's CSRF token.
TRANSPORT_KEYS = frozenset({"csrfmiddlewaretoken"})


class RefuseDroppedInputMixin:
    """Refuse (never drop) input keys that are unknown, read-only, or frozen in this state."""

    def row_instance(self, data: Mapping[str, Any]) -> Any:
        """The stored row a nested row of input stands for (None: a new row, or none kept)."""
        return None

    def frozen_fields(self, instance: Any) -> dict[str, Frozen]:
        """The writable fields that `instance`'s state freezes, with why (none by default)."""
        return {}

    def shown_fields(self) -> set[str]:
        """The fields a client reads back (and may send back unchanged)."""
        return set(self.fields)  # type: ignore[attr-defined]

    def current_values(self, instance: Any) -> dict[str, Any]:
        """The object as a client read it, to accept a key sent back unchanged."""
        return dict(self.to_representation(instance))  # type: ignore[attr-defined]

    def refused_input(self, data: Mapping[str, Any]) -> None:
        """Raise a 400 (or 409) naming each key of `data` that would not be applied."""
        instance = getattr(self, "instance", None)
        if instance is None and getattr(self, "parent", None) is not None:
            instance = self.row_instance(data)
        writable = {name for name, f in self.fields.items() if not f.read_only}  # type: ignore[attr-defined]
        frozen = self.frozen_fields(instance) if instance is not None else {}
        current: dict[str, Any] | None = None
        errors: dict[str, list[str]] = {}
        conflicts: dict[str, list[str]] = {}
        for key in data:
            if key in TRANSPORT_KEYS or (key in writable and key not in frozen):
                continue
            if instance is not None and key in self.shown_fields():
                current = self.current_values(instance) if current is None else current
                if key in current and _same(data[key], current[key]):
                    continue  # sent back as read: nothing to apply, nothing dropped
            if key in frozen:
                target = conflicts if frozen[key].conflict else errors
                target[key] = [frozen[key].reason]
            elif key in self.shown_fields():
                errors[key] = [_("This field is read-only; it cannot be set or changed here.")]
            else:
                errors[key] = [_("Unknown field.")]
        if errors:
            raise serializers.ValidationError(errors)
        if conflicts:
            first = next(iter(conflicts.values()))[0]
            raise Conflict(first, fields=conflicts)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            self.refused_input(data)
        return super().to_internal_value(data)  # type: ignore[misc]


class NoInputSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """The body of an action that takes none (open, activate, withdraw): any key is refused."""


def refuse_input(data: Any) -> None:
    """400 naming each key sent to an action that takes no input (an empty body is fine)."""
    if isinstance(data, Mapping) and data:
        NoInputSerializer(data=data).is_valid(raise_exception=True)

"""What every report's recomputation shares: the difference it names, the document it cannot
read, and the comparison of a stated figure with a recomputed one. No Django, no I/O."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

SCHEMA = "bposla-report-inputs/1"


@dataclass(frozen=True, kw_only=True)
class Difference:
    """A figure the report states that its inputs do not give."""

    figure: str  # e.g. "results.months[2026-02].savings"
    stated: str
    recomputed: str
    inputs: str  # the inputs the figure is computed from

    def __str__(self) -> str:
        return (
            f"{self.figure}: the report states {self.stated}, its inputs give {self.recomputed}"
            f" (computed from {self.inputs})"
        )


class UnreadableInputs(ValueError):
    """The attached JSON is not a report inputs document this version can read."""


def number(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise UnreadableInputs(f"{where}: {value!r} is not a number") from None


def required(value: Any, where: str) -> Decimal:
    found = number(value, where)
    if found is None:
        raise UnreadableInputs(f"{where}: a number is required")
    return found


class Check:
    """Collects the differences of one document."""

    def __init__(self) -> None:
        self.differences: list[Difference] = []

    def same(self, figure: str, stated: Any, recomputed: Any, inputs: str) -> None:
        a = stated if isinstance(stated, str | None) else str(stated)
        b = recomputed if isinstance(recomputed, str | None) else str(recomputed)
        try:
            equal = (a is None and b is None) or (
                a is not None and b is not None and Decimal(a) == Decimal(b)
            )
        except InvalidOperation:
            equal = a == b
        if not equal:
            self.differences.append(
                Difference(figure=figure, stated=str(a), recomputed=str(b), inputs=inputs)
            )

"""Invoice reconciliation (DOMAIN.md "Invoice reconciliation"). Pure arithmetic, no Django.

The expected invoice of a contract month, line by line, from the month's evaluation:

    usage (per channel) = the channel's priced lines; the minimum charge's top-up, when it
                          applies, is a usage line of its own without a channel
    fixed_fee           = the month's fixed fees (one line, their sum)
    one_off_fee         = the one-off fees (setup, training, project management), due in the
                          contract's first month; zero in every other month
    credit              = -(the month's credit total net of earn-back): waived credits left
                          out, earlier credits earned back added back
    expected total      = the sum of the lines

The invoice's lines are summed by (kind, channel) and compared with the expected ones; a line
the vendor did not itemise counts as 0 for it. Tolerance = max(tolerance % of the expected
total, 1.00), rounded to the cent:

    difference = invoiced total - expected total
    status     = matched when |difference| <= tolerance, else over (> 0) or under (< 0)

A line differs when |its difference| > 0.00; those lines are named (the total decides the
status, the lines say where the difference sits). An invoice given without lines is compared on
its total only.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.money import cents

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
MINIMUM_TOLERANCE = Decimal("1.00")


class LineKind(StrEnum):
    """What an invoice line bills."""

    USAGE = "usage"
    FIXED_FEE = "fixed_fee"
    ONE_OFF_FEE = "one_off_fee"
    CREDIT = "credit"


class Match(StrEnum):
    """How an invoice compares with the expected one."""

    MATCHED = "matched"
    OVER = "over"
    UNDER = "under"


@dataclass(frozen=True, kw_only=True)
class Line:
    """An amount of one kind (and channel, for usage; "" otherwise)."""

    kind: LineKind
    channel: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class ComparedLine:
    """An invoiced line beside the expected one."""

    kind: LineKind
    channel: str
    amount: Decimal | None  # None: the invoice gave no lines
    expected: Decimal
    difference: Decimal | None


@dataclass(frozen=True, kw_only=True)
class Reconciliation:
    """The comparison of an invoice with the expected invoice."""

    total: Decimal
    expected_total: Decimal
    difference: Decimal
    tolerance: Decimal
    status: Match
    lines: tuple[ComparedLine, ...]

    @property
    def differing(self) -> tuple[ComparedLine, ...]:
        """The lines whose amount differs from the expected one."""
        return tuple(line for line in self.lines if line.difference)


def expected_lines(
    *,
    usage_by_channel: Mapping[str, Decimal],
    minimum_top_up: Decimal,
    fixed_fees: Decimal,
    one_off_fees: Decimal,
    credit_net: Decimal,
) -> tuple[Line, ...]:
    """The expected invoice's lines (see the module); credits as a negative line."""
    lines = [
        Line(kind=LineKind.USAGE, channel=channel, amount=cents(amount))
        for channel, amount in sorted(usage_by_channel.items())
    ]
    if minimum_top_up:
        lines.append(Line(kind=LineKind.USAGE, channel="", amount=cents(minimum_top_up)))
    lines += [
        Line(kind=LineKind.FIXED_FEE, channel="", amount=cents(fixed_fees)),
        Line(kind=LineKind.ONE_OFF_FEE, channel="", amount=cents(one_off_fees)),
        Line(kind=LineKind.CREDIT, channel="", amount=-cents(credit_net)),
    ]
    return tuple(lines)


def expected_from_pricing(
    *,
    pricing: Mapping[str, Any],
    one_off_fees: Decimal,
    first_month: bool,
    credit_net: Decimal,
) -> tuple[Line, ...]:
    """The expected lines of a month priced as `pricing` says (the shape an evaluation stores
    and a report attaches: `lines[] {channel, amount}`, `minimum_applied`, `monthly_charge`,
    `fixed_fees`): usage per channel to the cent, the minimum's top-up = monthly charge - those,
    the one-off fees only in the contract's first month."""
    per_channel: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    for line in pricing.get("lines") or ():
        per_channel[str(line["channel"])] += Decimal(str(line["amount"]))
    usage = {channel: cents(amount) for channel, amount in per_channel.items()}
    top_up = _ZERO
    if pricing.get("minimum_applied"):
        top_up = cents(Decimal(str(pricing["monthly_charge"]))) - sum(usage.values(), _ZERO)
    return expected_lines(
        usage_by_channel=usage,
        minimum_top_up=top_up,
        fixed_fees=Decimal(str(pricing.get("fixed_fees") or 0)),
        one_off_fees=one_off_fees if first_month else _ZERO,
        credit_net=credit_net,
    )


def tolerance_of(*, expected_total: Decimal, tolerance_percent: Decimal) -> Decimal:
    """max(tolerance % of the expected total, 1.00), to the cent."""
    return max(cents(abs(expected_total) * tolerance_percent / _HUNDRED), MINIMUM_TOLERANCE)


def reconcile(
    *,
    total: Decimal,
    lines: Sequence[Line],
    expected: Sequence[Line],
    tolerance_percent: Decimal,
) -> Reconciliation:
    """Compare an invoice (total and optional lines) with the expected lines."""
    expected_by = _summed(expected)
    expected_total = sum(expected_by.values(), _ZERO)
    difference = cents(total) - expected_total
    tolerance = tolerance_of(expected_total=expected_total, tolerance_percent=tolerance_percent)
    if abs(difference) <= tolerance:
        status = Match.MATCHED
    else:
        status = Match.OVER if difference > 0 else Match.UNDER
    invoiced = _summed(lines) if lines else None
    keys = sorted(set(expected_by) | set(invoiced or {}), key=_order)
    compared = []
    for key in keys:
        want = expected_by.get(key, _ZERO)
        got = None if invoiced is None else invoiced.get(key, _ZERO)
        compared.append(
            ComparedLine(
                kind=key[0], channel=key[1], amount=got, expected=want,
                difference=None if got is None else got - want,
            )
        )  # fmt: skip
    return Reconciliation(
        total=cents(total), expected_total=expected_total, difference=difference,
        tolerance=tolerance, status=status, lines=tuple(compared),
    )  # fmt: skip


def _summed(lines: Iterable[Line]) -> dict[tuple[LineKind, str], Decimal]:
    found: dict[tuple[LineKind, str], Decimal] = defaultdict(lambda: _ZERO)
    for line in lines:
        found[(LineKind(line.kind), line.channel or "")] += cents(line.amount)
    return dict(found)


_KIND_ORDER = {kind: n for n, kind in enumerate(LineKind)}


def _order(key: tuple[LineKind, str]) -> tuple[int, str]:
    return _KIND_ORDER[key[0]], key[1]

"""Earn-back of service credits (DOMAIN.md "Earn-back"). Pure arithmetic, no Django.

With `earn_back_months` K > 0, a target's credit of month m is earned back when that target
(its lineage, so an amended target keeps its history) is `met` in each of the K months after m.
The amount returned shows as a negative line in month m + K; month m stays as it was judged.

    deducted(m, t) = credit(t)                                       no cap in month m
                   = cents(credit(t) x credit total / credit before cap)  cap applied: pro rata
    earn-back line = -deducted(m, t)   when met in m+1 .. m+K, not chronic in m, not waived
    credit net     = credit total + sum of the earn-back lines   (of the month m + K)

So what is returned is what was actually deducted in month m: under the cap each credit is
returned in proportion to the share of it that survived the cap. A waived credit was never
deducted and returns nothing; a target flagged chronic in month m earns nothing back; a month
m that could not be priced has no credit to return. A month without an evaluation, or with the
target `warning`, `breach` or `missing`, is not `met`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.money import cents

_ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class CreditSource:
    """A target's result in month m, as stored: its credit and whether it was waived/chronic."""

    target_id: int
    lineage_id: int
    metric: str
    channel: str
    credit: Decimal | None
    waived: bool
    chronic: bool


@dataclass(frozen=True, kw_only=True)
class EarnBackLine:
    """A credit of month `source_period` returned in a later month (`amount` is negative)."""

    target_id: int
    lineage_id: int
    metric: str
    channel: str
    source_period: str  # YYYY-MM
    credit: Decimal  # as judged in month m
    deducted: Decimal  # after month m's cap
    amount: Decimal  # -deducted


def deducted_after_cap(
    *, credit: Decimal, credit_before_cap: Decimal, credit_total: Decimal
) -> Decimal:
    """The part of one credit actually deducted in its month: pro rata under the cap."""
    if credit_before_cap <= 0 or credit_total >= credit_before_cap:
        return credit
    return cents(credit * credit_total / credit_before_cap)


def earn_back_lines(
    *,
    months: int,
    source_period: str,
    sources: Sequence[CreditSource],
    credit_before_cap: Decimal | None,
    credit_total: Decimal | None,
    later_met: Mapping[int, Sequence[bool]],
) -> tuple[EarnBackLine, ...]:
    """The earn-back lines of month m + K for month m's credits.

    `later_met[lineage]`: for each of the K months after m (oldest first), whether the target
    was `met`; fewer than K entries means a month was not evaluated, so nothing is earned.
    """
    if months <= 0 or credit_before_cap is None or credit_total is None:
        return ()
    lines = []
    for s in sources:
        if s.credit is None or s.credit <= 0 or s.waived or s.chronic:
            continue
        met = later_met.get(s.lineage_id, ())
        if len(met) != months or not all(met):
            continue
        deducted = deducted_after_cap(
            credit=s.credit, credit_before_cap=credit_before_cap, credit_total=credit_total
        )
        if deducted <= 0:
            continue
        lines.append(
            EarnBackLine(
                target_id=s.target_id, lineage_id=s.lineage_id, metric=s.metric,
                channel=s.channel, source_period=source_period, credit=s.credit,
                deducted=deducted, amount=-deducted,
            )
        )  # fmt: skip
    return tuple(lines)


def earn_back_total(lines: Sequence[EarnBackLine]) -> Decimal:
    """The month's earn-back: zero, or negative."""
    return sum((line.amount for line in lines), _ZERO)

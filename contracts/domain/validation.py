"""Rules on contract terms and SLA targets, as (field, message) problems."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from core.catalogue import METRICS, TARGETABLE_METRICS, Direction
from core.channels import Channel
from vendors.domain.terms import TermsError, price_list_from_terms

ZERO = Decimal(0)


def target_problems(target: Mapping[str, Any], field: str = "") -> list[tuple[str, str]]:
    """Problems of one target: metric, channel, levels in range and order, allocation."""
    prefix = f"{field}." if field else ""
    metric = METRICS.get(target.get("metric", ""))
    if metric is None or metric.code not in TARGETABLE_METRICS:
        return [(f"{prefix}metric", f"choose one of {', '.join(TARGETABLE_METRICS)}")]
    problems: list[tuple[str, str]] = []
    channel = target.get("channel") or ""
    if channel and channel not in {c.value for c in Channel}:
        problems.append((f"{prefix}channel", f"{channel!r} is not a channel"))
    expected, minimum = target["expected"], target["minimum"]
    for name, value in (("expected", expected), ("minimum", minimum)):
        if not metric.in_range(value):
            problems.append((f"{prefix}{name}", f"{value} is outside the range of {metric.label}"))
    stricter = minimum > expected if metric.direction is Direction.HIGHER else minimum < expected
    if stricter:
        problems.append(
            (f"{prefix}minimum", f"the minimum may not be stricter than expected ({expected})")
        )
    allocation = target.get("allocation_percent") or ZERO
    if target.get("critical", True) and allocation <= 0:
        problems.append((f"{prefix}allocation_percent", "a critical target needs an allocation"))
    if not target.get("critical", True) and allocation != 0:
        problems.append(
            (f"{prefix}allocation_percent", "a key measurement carries no credit allocation")
        )
    return problems


def pool_problems(
    targets: Iterable[Mapping[str, Any]], pool_percent: Decimal
) -> list[tuple[str, str]]:
    """The allocations of all critical targets must not exceed the pool."""
    total = sum(
        (t.get("allocation_percent") or ZERO for t in targets if t.get("critical", True)), ZERO
    )
    if total > pool_percent:
        return [
            (
                "sla_targets",
                f"critical allocations sum to {total}%, more than the pool of {pool_percent}%",
            )
        ]
    return []


def terms_problems(
    *,
    currency: str,
    pricing: Sequence[Mapping[str, Any]],
    one_off_fees: Mapping[str, Any] | None,
    monthly_fees: Sequence[Mapping[str, Any]],
    minimum_monthly_charge: Any,
) -> list[tuple[str, str]]:
    """Problems of a pricing document (same rules as a proposal's)."""
    try:
        price_list_from_terms(
            currency=currency,
            pricing=pricing,
            one_off_fees=one_off_fees,
            monthly_fees=monthly_fees,
            minimum_monthly_charge=minimum_monthly_charge,
        )
    except TermsError as error:
        return error.problems
    return []

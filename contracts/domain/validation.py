"""Rules on contract terms and SLA targets, as (field, message) problems."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

from core.catalogue import METRICS, TARGETABLE_METRICS, Direction
from core.channels import Channel
from core.money import NON_MONEY_CURRENCIES
from vendors.domain.terms import TermsError, price_list_from_terms

ZERO = Decimal(0)


def shown(value: Any) -> str:
    """A number as a message shows it, whatever decimals it was sent with (`80.00` -> `80`)."""
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value.normalize():f}"
    return str(value)


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
            problems.append(
                (f"{prefix}{name}", f"{shown(value)} is outside the range of {metric.label}")
            )
    stricter = minimum > expected if metric.direction is Direction.HIGHER else minimum < expected
    if stricter:
        problems.append(
            (
                f"{prefix}minimum",
                f"the minimum may not be stricter than expected ({shown(expected)})",
            )
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
                f"critical allocations sum to {shown(total)}%, "
                f"more than the pool of {shown(pool_percent)}%",
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


# Digits the stored columns and the signed terms take: (decimal places, exclusive maximum).
TERM_NUMBERS = {
    "rate": (4, Decimal(10) ** 8),
    "share": (4, Decimal(100)),
    "stated_hours": (2, Decimal(10) ** 10),
    "stated_fte": (2, Decimal(10) ** 6),
    "amount": (2, Decimal(10) ** 12),
}
TARGET_NUMBERS = {
    "expected": (4, Decimal(10) ** 8),
    "minimum": (4, Decimal(10) ** 8),
    "allocation_percent": (2, Decimal(10) ** 4),
}
FEE_NAME_LENGTH = 100


def digits_problem(value: Any, places: int, below: Decimal) -> str | None:
    """Whether a number fits its column: at most `places` decimals, less than `below`."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None  # not a number: the terms' own check names it
    if not number.is_finite():
        return None
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        return f"use at most {places} decimal places"
    if abs(number) >= below:
        return f"must be less than {below:,f}".replace(",", "")
    return None


def currency_problems(currency: Any) -> list[tuple[str, str]]:
    """The currency must be an ISO 4217 code of money (the same rule as an event's or a bid's)."""
    code = str(currency or "").upper()
    if (
        len(code) != 3
        or code in NON_MONEY_CURRENCIES
        or pycountry.currencies.get(alpha_3=code) is None
    ):
        return [("currency", f"{currency!r} is not an ISO 4217 currency")]
    return []


def _numbers(
    item: Mapping[str, Any], field: str, names: Mapping[str, tuple[int, Decimal]]
) -> list[tuple[str, str]]:
    problems = []
    for name, (places, below) in names.items():
        value = item.get(name)
        message = None if value in (None, "") else digits_problem(value, places, below)
        if message:
            problems.append((f"{field}.{name}", message))
    return problems


def digits_problems(
    *,
    pricing: Sequence[Mapping[str, Any]] | None,
    one_off_fees: Mapping[str, Any] | None,
    monthly_fees: Sequence[Mapping[str, Any]] | None,
    minimum_monthly_charge: Any,
) -> list[tuple[str, str]]:
    """Every amount, rate and share of a terms document within its decimals and size."""
    problems: list[tuple[str, str]] = []
    for i, price in enumerate(pricing or []):
        if not isinstance(price, Mapping):
            continue
        problems += _numbers(price, f"pricing[{i}]", TERM_NUMBERS)
        for j, part in enumerate(price.get("components") or []):
            if isinstance(part, Mapping):
                problems += _numbers(part, f"pricing[{i}].components[{j}]", TERM_NUMBERS)
    for i, fee in enumerate(monthly_fees or []):
        if not isinstance(fee, Mapping):
            continue
        problems += _numbers(fee, f"monthly_fees[{i}]", TERM_NUMBERS)
        if len(str(fee.get("name") or "").strip()) > FEE_NAME_LENGTH:
            problems.append(
                (f"monthly_fees[{i}].name", f"use at most {FEE_NAME_LENGTH} characters")
            )
    money = {"amount": TERM_NUMBERS["amount"]}
    for name, value in dict(one_off_fees or {}).items():
        problems += [(f"one_off_fees.{name}", m) for _, m in _numbers({"amount": value}, "", money)]
    problems += [
        ("minimum_monthly_charge", m)
        for _, m in _numbers({"amount": minimum_monthly_charge}, "", money)
    ]
    return problems


def contract_terms_problems(
    *,
    currency: str,
    pricing: Sequence[Mapping[str, Any]],
    one_off_fees: Mapping[str, Any] | None,
    monthly_fees: Sequence[Mapping[str, Any]],
    minimum_monthly_charge: Any,
    targets: Iterable[Mapping[str, Any]],
    pool_percent: Decimal,
    targets_field: str,
) -> list[tuple[str, str]]:
    """Every rule on a contract's terms and targets: what a new or edited draft and an amendment
    both must satisfy (`targets_field` names the target list in the caller's input)."""
    targets = list(targets)
    terms = {
        "pricing": pricing,
        "one_off_fees": one_off_fees,
        "monthly_fees": monthly_fees,
        "minimum_monthly_charge": minimum_monthly_charge,
    }
    problems = currency_problems(currency)
    problems += digits_problems(**terms)
    known = {field for field, _ in problems}
    problems += [
        (field, message)
        for field, message in terms_problems(currency=currency, **terms)
        if field not in known and not (field == "currency" and "currency" in known)
    ]
    for i, target in enumerate(targets):
        field = f"{targets_field}[{i}]"
        numbers = _numbers(target, field, TARGET_NUMBERS)
        problems += numbers or target_problems(target, field)
    problems += pool_problems(targets, pool_percent)
    return problems

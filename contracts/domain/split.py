"""Award arithmetic (DOMAIN.md "Award, split awards and scenarios"): pure, no Django, no I/O.

A split gives each event channel to one qualified proposal; each awarded proposal becomes one
contract holding its pricing lines for its channels (an all-channels price is copied onto each
of them), its fixed monthly fees and one-off fees in full, and its minimum charge applied to
those channels together. The draft contract starts with the event's service levels as critical
`service_level` targets: expected = `sl_percent`, minimum = expected - 5 points, allocations
equal (100 % of the at-risk amount shared evenly, so always within a pool of 100 % or more).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from typing import Any

from core.channels import Channel
from vendors.domain.pricing import PriceList
from vendors.domain.scoring import (
    EventSpec,
    event_monthly_staffing,
    forecast_usage,
    price_forecast,
)

ZERO = Decimal(0)
SL_MARGIN = Decimal(5)  # minimum = expected - 5 points
ALLOCATION_TOTAL = Decimal(100)


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class SplitPart:
    """One contract of an award: a proposal, the channels it gets, the contract's reference."""

    proposal: int
    channels: tuple[str, ...]
    reference: str


def split_problems(
    *,
    event_channels: Sequence[str],
    parts: Sequence[SplitPart],
    qualified: set[int],
    priced: Mapping[int, set[str]],
    translate: Callable[[str], str] = _same,
) -> list[tuple[str, str]]:
    """Every problem of a split as (field, message): each event channel assigned exactly once,
    qualified proposals only, each pricing its channels, one part per proposal, distinct
    references. `priced` maps a proposal to the channels its price list covers; `translate`
    turns each English template into the reader's language."""
    t = translate
    problems: list[tuple[str, str]] = []
    if not parts:
        return [("split", t("Assign every channel of the event to a proposal."))]
    seen: dict[str, int] = {}
    proposals: set[int] = set()
    references: set[str] = set()
    for n, part in enumerate(parts):
        field = f"split[{n}]"
        if part.proposal in proposals:
            problems.append(
                (f"{field}.proposal", t("Give each proposal once, with all its channels."))
            )
        proposals.add(part.proposal)
        if part.proposal not in qualified:
            problems.append(
                (f"{field}.proposal", t("Only a qualified live proposal can be awarded."))
            )
        if not part.channels:
            problems.append((f"{field}.channels", t("Give the channels this proposal gets.")))
        for channel in part.channels:
            named = {"channel": channel}
            if channel not in event_channels:
                message = t("%(channel)s is not a channel of the event.") % named
            elif channel in seen:
                message = t("%(channel)s is already assigned.") % named
            elif part.proposal in qualified and channel not in priced.get(part.proposal, set()):
                message = t("This proposal does not price %(channel)s.") % named
            else:
                message = ""
            if message:
                problems.append((f"{field}.channels", message))
            seen.setdefault(channel, n)
        if part.reference in references:
            problems.append((f"{field}.reference", t("Each contract needs its own reference.")))
        references.add(part.reference)
    missing = [c for c in event_channels if c not in seen]
    if missing:
        problems.append(
            ("split", t("Not assigned: %(channels)s.") % {"channels": ", ".join(missing)})
        )
    return problems


def terms_for_channels(terms: Mapping[str, Any], channels: Sequence[str]) -> dict[str, Any]:
    """A proposal's terms (API shape) restricted to `channels`: the channel's own price line,
    else the all-channels line copied onto it; fees and minimum in full."""
    own = {p["channel"]: p for p in terms["pricing"] if p.get("channel")}
    fallback = next((p for p in terms["pricing"] if not p.get("channel")), None)
    pricing = []
    for channel in channels:
        line = own.get(channel) or fallback
        if line is not None:
            pricing.append({**line, "channel": channel})
    return {**terms, "pricing": pricing}


def channels_priced(price_list: PriceList, channels: Sequence[str]) -> set[str]:
    """The channels among `channels` that a price list prices (own or all-channels line)."""
    return {c for c in channels if price_list.price_for(Channel(c)) is not None}


def restricted_tco(*, event: EventSpec, price_list: PriceList, channels: Sequence[str]) -> Decimal:
    """TCO over the term of `price_list` serving only `channels` of the event (event currency):
    one-off fees + the sum over the term's months of (max(usage, minimum) + fixed fees).
    Raises ValueError when a month cannot be priced."""
    wanted = {Channel(c) for c in channels}
    spec = replace(event, channels=tuple(c for c in event.channels if c.channel in wanted))
    total, one_off = ZERO, None
    for staffing_month in event_monthly_staffing(event=spec):
        flat = all(r.month is None for r in staffing_month.staffing)
        forecast = forecast_usage(
            event=spec,
            staffing=staffing_month.staffing,
            price_list=price_list,
            month=None if flat else staffing_month.month,
        )
        breakdown = price_forecast(
            event=spec, price_list=price_list, forecast=forecast, month=staffing_month.month
        )
        if breakdown is None or len(forecast) != len(staffing_month.staffing):
            raise ValueError("the restricted price list cannot price every month")
        total += breakdown.converted.monthly_total * len(staffing_month.term_months)
        one_off = breakdown.converted.one_off_fees
    return total + (one_off or ZERO)


def service_level_targets(
    *, sl_percents: Sequence[tuple[str, Decimal | None]]
) -> list[dict[str, Any]]:
    """Critical `service_level` targets from the event's per-channel `sl_percent` (channels
    without one get none): minimum 5 points below, allocations equal, summing to at most 100."""
    levels = [(c, Decimal(str(p))) for c, p in sl_percents if p not in (None, "")]
    if not levels:
        return []
    share = (ALLOCATION_TOTAL / len(levels)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [
        {
            "metric": "service_level",
            "channel": channel,
            "expected": expected,
            "minimum": max(expected - SL_MARGIN, ZERO),
            "critical": True,
            "allocation_percent": share,
        }
        for channel, expected in levels
    ]

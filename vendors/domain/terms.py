"""Agreed terms in their API shape (plain dicts) <-> the pricing module's price list.

Proposals and contracts both store and show terms in API.md's shape (`pricing[]`,
`one_off_fees{}`, `monthly_fees[]`, `minimum_monthly_charge`); this turns such a document into
a `PriceList` so one function prices a bid and a contract month alike.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from core.channels import Channel
from vendors.domain.pricing import (
    ChannelPrice,
    MonthlyFee,
    OneOffFees,
    PriceComponent,
    PriceList,
    PricingModel,
    validate_price_list,
)

ZERO = Decimal(0)


class TermsError(ValueError):
    """A terms document that cannot be read; `problems` lists (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def _decimal(value: Any, field: str, problems: list[tuple[str, str]]) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        problems.append((field, f"{value!r} is not a number"))
        return ZERO
    if not number.is_finite():
        problems.append((field, f"{value!r} is not a number"))
        return ZERO
    return number


def _optional(value: Any, field: str, problems: list[tuple[str, str]]) -> Decimal | None:
    return None if value in (None, "") else _decimal(value, field, problems)


def _enum(
    enum: type[Channel] | type[PricingModel],
    value: Any,
    field: str,
    problems: list[tuple[str, str]],
) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        problems.append((field, f"{value!r} is not one of {allowed}"))
        return None


def _channel_price(
    item: Mapping[str, Any], field: str, problems: list[tuple[str, str]]
) -> ChannelPrice | None:
    channel = item.get("channel")
    channel = (
        None if channel in (None, "") else _enum(Channel, channel, f"{field}.channel", problems)
    )
    model = _enum(PricingModel, item.get("model"), f"{field}.model", problems)
    components = []
    for i, comp in enumerate(item.get("components") or []):
        sub = f"{field}.components[{i}]"
        comp_model = _enum(PricingModel, comp.get("model"), f"{sub}.model", problems)
        rate = _decimal(comp.get("rate"), f"{sub}.rate", problems)
        scope_bands = tuple(str(b) for b in comp.get("bands") or ())
        scope_months = tuple(int(m) for m in comp.get("months") or ())
        share = (
            None
            if comp.get("share") is None and (scope_bands or scope_months)
            else _decimal(comp.get("share"), f"{sub}.share", problems)
        )
        if comp_model is not None:
            components.append(
                PriceComponent(
                    model=comp_model,
                    rate=rate,
                    share=share,
                    bands=scope_bands,
                    months=scope_months,
                )
            )
    rate = _decimal(item.get("rate", 0) or 0, f"{field}.rate", problems)
    stated_hours = _optional(item.get("stated_hours"), f"{field}.stated_hours", problems)
    stated_fte = _optional(item.get("stated_fte"), f"{field}.stated_fte", problems)
    if model is None:
        return None
    return ChannelPrice(
        channel=channel,
        model=model,
        rate=rate,
        components=tuple(components),
        stated_hours=stated_hours,
        stated_fte=stated_fte,
    )


def price_list_from_terms(
    *,
    currency: str,
    pricing: Sequence[Mapping[str, Any]],
    one_off_fees: Mapping[str, Any] | None = None,
    monthly_fees: Sequence[Mapping[str, Any]] = (),
    minimum_monthly_charge: Any = 0,
) -> PriceList:
    """Read a terms document into a validated PriceList; TermsError lists every problem."""
    problems: list[tuple[str, str]] = []
    prices = [_channel_price(item, f"pricing[{i}]", problems) for i, item in enumerate(pricing)]
    one_off = one_off_fees or {}
    fees = tuple(
        MonthlyFee(
            name=str(fee.get("name", "")),
            amount=_decimal(fee.get("amount"), f"monthly_fees[{i}].amount", problems),
        )
        for i, fee in enumerate(monthly_fees)
    )
    price_list = PriceList(
        currency=currency,
        channel_prices=tuple(p for p in prices if p is not None),
        monthly_fees=fees,
        minimum_monthly_charge=_decimal(
            minimum_monthly_charge or 0, "minimum_monthly_charge", problems
        ),
        one_off_fees=OneOffFees(
            **{
                name: _decimal(one_off.get(name, 0) or 0, f"one_off_fees.{name}", problems)
                for name in ("setup", "training", "project_management")
            }
        ),
    )
    if problems:
        raise TermsError(problems)
    problems = validate_price_list(price_list=price_list)
    if problems:
        raise TermsError(problems)
    return price_list

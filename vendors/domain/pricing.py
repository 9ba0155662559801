"""Pricing of DOMAIN.md: one function prices a month of usage, for a bid or a contract month.

A bid passes the event's forecast usage, a contract month the month's KPI usage; the
arithmetic is the same so a bid's price and an invoice can never disagree on a rule.
Amounts carry full Decimal precision and are never rounded here: callers round with
`core.money.cents` when they show or store a figure.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from functools import cached_property

from core.channels import Channel

ZERO = Decimal(0)
DEFAULT_FTE_HOURS = Decimal(160)


class PricingModel(StrEnum):
    """How a channel is billed; the dedicated models bill hours or FTE, the blended ones units."""

    PER_PRODUCTION_HOUR = "per_production_hour"
    PER_FTE_MONTH = "per_fte_month"
    PER_HANDLED_MINUTE = "per_handled_minute"
    PER_CONTACT = "per_contact"
    HYBRID = "hybrid"


DEDICATED_MODELS = frozenset({PricingModel.PER_PRODUCTION_HOUR, PricingModel.PER_FTE_MONTH})


class PricingError(ValueError):
    """A month cannot be priced from this price list and usage."""


class UnpricedChannelError(PricingError):
    """A channel has usage but the price list has no price for it (nor one for all channels)."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(f"channel {channel} has usage but no price")
        self.channel = channel


class MissingFxRateError(PricingError):
    """Amounts must be converted to another currency and no rate was given."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"no FX rate from {source} to {target}")
        self.source, self.target = source, target


class InvalidPriceListError(PricingError):
    """The price list fails `validate_price_list`; `problems` lists every (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class PriceComponent:
    """One part of a hybrid price: a non-hybrid model, its rate and what it prices.

    Either a `share` of the channel's usage, or a scope: the usage of its `bands` (names) in
    its calendar `months` (1-12); an empty tuple means every band, or every month.
    """

    model: PricingModel
    rate: Decimal
    share: Decimal | None = None
    bands: tuple[str, ...] = ()
    months: tuple[int, ...] = ()

    @property
    def scoped(self) -> bool:
        """Whether the component prices a scope (bands and/or months) instead of a share."""
        return bool(self.bands or self.months)

    @cached_property
    def band_keys(self) -> frozenset[str]:
        """The scope's band names compared case- and space-insensitively."""
        return frozenset(b.strip().casefold() for b in self.bands)

    def covers(self, *, band: str, month: int) -> bool:
        """Whether this scoped component prices the band in the calendar month."""
        in_band = not self.bands or band.strip().casefold() in self.band_keys
        return in_band and (not self.months or month in self.months)


@dataclass(frozen=True)
class ChannelPrice:
    """The price of one channel, or of every channel without its own price (channel None)."""

    channel: Channel | None
    model: PricingModel
    # Ignored for hybrid prices: each component carries its own rate.
    rate: Decimal = ZERO
    components: tuple[PriceComponent, ...] = ()
    stated_hours: Decimal | None = None
    stated_fte: Decimal | None = None

    @property
    def scoped(self) -> bool:
        """Whether this is a hybrid whose components are scoped by bands and/or months."""
        return any(c.scoped for c in self.components)

    @property
    def dedicated(self) -> bool:
        """Whether any part of this price bills hours or FTE (so staffing levels matter)."""
        if self.model is PricingModel.HYBRID:
            return any(c.model in DEDICATED_MODELS for c in self.components)
        return self.model in DEDICATED_MODELS


@dataclass(frozen=True)
class MonthlyFee:
    """A fixed monthly fee (management, numbers, licences), charged on top of the minimum."""

    name: str
    amount: Decimal


@dataclass(frozen=True)
class OneOffFees:
    """Fees charged once per contract."""

    setup: Decimal = ZERO
    training: Decimal = ZERO
    project_management: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """Sum of the one-off fees."""
        return self.setup + self.training + self.project_management


@dataclass(frozen=True)
class PriceList:
    """Everything a proposal (or a contract) charges, in one currency."""

    currency: str
    channel_prices: tuple[ChannelPrice, ...]
    monthly_fees: tuple[MonthlyFee, ...] = ()
    minimum_monthly_charge: Decimal = ZERO
    one_off_fees: OneOffFees = OneOffFees()

    def price_for(self, channel: Channel) -> ChannelPrice | None:
        """The channel's own price, else the all-channels price, else None."""
        fallback = None
        for price in self.channel_prices:
            if price.channel == channel:
                return price
            if price.channel is None:
                fallback = price
        return fallback


@dataclass(frozen=True)
class BandUsage:
    """A month's usage of one time band of a channel (what scoped hybrid components price)."""

    band: str
    contacts: Decimal = ZERO
    handled_minutes: Decimal = ZERO
    production_hours: Decimal = ZERO
    paid_hours: Decimal = ZERO
    # A contract's FTE apportioned to the band (None: bill from paid hours, as a bid does).
    fte: Decimal | None = None


@dataclass(frozen=True)
class ChannelUsage:
    """A month's usage of one channel: forecast for a bid, measured for a contract month.

    `fte` is the FTE to bill when known (a bid's or a contract's FTE); without it
    per_fte_month bills ceil(paid_hours / fte_hours).
    """

    channel: Channel
    contacts: Decimal = ZERO
    handled_minutes: Decimal = ZERO
    production_hours: Decimal = ZERO
    paid_hours: Decimal = ZERO
    fte: Decimal | None = None
    # The same usage band by band; needed only by hybrid components scoped by bands.
    bands: tuple[BandUsage, ...] = ()

    @property
    def has_usage(self) -> bool:
        """Whether there is any usage to bill."""
        quantities = (self.contacts, self.handled_minutes, self.production_hours, self.paid_hours)
        return any(quantities) or bool(self.fte)

    def share(self, share: Decimal) -> "ChannelUsage":
        """This usage scaled to a hybrid component's share."""
        return replace(
            self,
            contacts=self.contacts * share,
            handled_minutes=self.handled_minutes * share,
            production_hours=self.production_hours * share,
            paid_hours=self.paid_hours * share,
            fte=None if self.fte is None else self.fte * share,
            bands=(),
        )

    def scope(self, component: PriceComponent, month: int | None) -> "ChannelUsage":
        """The usage of a scoped component's bands (FTE from their paid hours); month checked."""
        if component.months and month is not None and month not in component.months:
            return ChannelUsage(channel=self.channel)
        if not component.bands:
            return self
        if not self.bands:
            raise PricingError(f"channel {self.channel} has no usage by band to price bands")
        parts = [b for b in self.bands if component.covers(band=b.band, month=month or 1)]
        ftes = [b.fte for b in parts]
        fte = None if not parts or None in ftes else sum((f or ZERO for f in ftes), ZERO)
        return ChannelUsage(
            channel=self.channel,
            contacts=sum((b.contacts for b in parts), ZERO),
            handled_minutes=sum((b.handled_minutes for b in parts), ZERO),
            production_hours=sum((b.production_hours for b in parts), ZERO),
            paid_hours=sum((b.paid_hours for b in parts), ZERO),
            fte=fte,
            bands=tuple(parts),
        )


@dataclass(frozen=True)
class PricedLine:
    """One billed line: a channel's model (or a hybrid component), rate x quantity = amount."""

    channel: Channel
    model: PricingModel
    rate: Decimal
    quantity: Decimal
    amount: Decimal
    # The hybrid component's share, None for a single-model price or a scoped component.
    share: Decimal | None
    # Which price applied: the channel's own, or None for the all-channels price.
    price_channel: Channel | None
    # A scoped hybrid component's bands and months (empty: every band, every month).
    bands: tuple[str, ...] = ()
    months: tuple[int, ...] = ()


@dataclass(frozen=True)
class PriceTotals:
    """A month's totals in one currency; one-off fees ride along to convert at the same rate."""

    currency: str
    usage_charge: Decimal
    monthly_charge: Decimal  # max(usage charge, minimum), before fixed fees
    fixed_fees: Decimal
    monthly_total: Decimal  # monthly charge + fixed fees
    one_off_fees: Decimal


@dataclass(frozen=True)
class PriceBreakdown:
    """How a month was priced: lines, minimum, fees, totals as quoted and converted."""

    lines: tuple[PricedLine, ...]
    minimum_monthly_charge: Decimal
    minimum_applied: bool
    monthly_fees: tuple[MonthlyFee, ...]
    # Target-currency units per one unit of the price list's currency (1 when unconverted).
    fx_rate: Decimal
    quoted: PriceTotals
    converted: PriceTotals


def validate_price_list(*, price_list: PriceList) -> list[tuple[str, str]]:
    """Every problem of a price list as (field, message); an empty list means it can be used."""
    problems: list[tuple[str, str]] = []
    currency = price_list.currency
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        problems.append(("currency", "must be a three-letter ISO 4217 code"))
    if not price_list.channel_prices:
        problems.append(("pricing", "at least one price is needed"))
    seen: set[Channel | None] = set()
    for index, price in enumerate(price_list.channel_prices):
        field = f"pricing[{index}]"
        if price.channel in seen:
            priced = "all channels are" if price.channel is None else f"{price.channel} is"
            problems.append((f"{field}.channel", f"{priced} priced more than once"))
        seen.add(price.channel)
        problems.extend(_channel_price_problems(price=price, field=field))
    for index, fee in enumerate(price_list.monthly_fees):
        if not fee.name.strip():
            problems.append((f"monthly_fees[{index}].name", "must not be blank"))
        if fee.amount < 0:
            problems.append((f"monthly_fees[{index}].amount", "must not be negative"))
    if price_list.minimum_monthly_charge < 0:
        problems.append(("minimum_monthly_charge", "must not be negative"))
    for name in ("setup", "training", "project_management"):
        if getattr(price_list.one_off_fees, name) < 0:
            problems.append((f"one_off_fees.{name}", "must not be negative"))
    return problems


def _channel_price_problems(*, price: ChannelPrice, field: str) -> list[tuple[str, str]]:
    """Problems of one channel price: rates, stated figures and hybrid components."""
    problems: list[tuple[str, str]] = []
    if price.rate < 0:
        problems.append((f"{field}.rate", "must not be negative"))
    for name in ("stated_hours", "stated_fte"):
        stated = getattr(price, name)
        if stated is not None and stated < 0:
            problems.append((f"{field}.{name}", "must not be negative"))
    if price.model is not PricingModel.HYBRID:
        if price.components:
            problems.append((f"{field}.components", "only a hybrid price has components"))
        return problems
    if not price.components:
        problems.append((f"{field}.components", "a hybrid price needs components"))
        return problems
    scoped = price.scoped
    for index, component in enumerate(price.components):
        sub = f"{field}.components[{index}]"
        if component.model is PricingModel.HYBRID:
            problems.append((f"{sub}.model", "a component cannot itself be hybrid"))
        if component.rate < 0:
            problems.append((f"{sub}.rate", "must not be negative"))
        problems.extend(_component_scope_problems(component=component, field=sub, scoped=scoped))
    if not scoped:
        total = sum((c.share or ZERO for c in price.components), ZERO)
        if total != 1:
            problems.append((f"{field}.components", f"shares must sum to 1, they sum to {total}"))
    return problems


def _component_scope_problems(
    *, component: PriceComponent, field: str, scoped: bool
) -> list[tuple[str, str]]:
    """A component has a share or a scope (bands, months), never both nor a mix of the two."""
    problems: list[tuple[str, str]] = []
    if not scoped:
        if component.share is None:
            problems.append((f"{field}.share", "a component needs a share, or bands or months"))
        elif not ZERO < component.share <= 1:
            problems.append((f"{field}.share", "must be greater than 0 and at most 1"))
        return problems
    if component.share is not None:
        problems.append((f"{field}.share", "components scoped by bands or months take no share"))
    elif not component.scoped:
        problems.append(
            (f"{field}.bands", "name its bands or months: the other components are scoped")
        )
    bad = [m for m in component.months if not 1 <= m <= 12]
    if bad:
        problems.append((f"{field}.months", f"months are 1-12, not {', '.join(map(str, bad))}"))
    if len(set(component.months)) != len(component.months):
        problems.append((f"{field}.months", "a month is listed more than once"))
    names = [b.strip().casefold() for b in component.bands]
    if any(not name for name in names):
        problems.append((f"{field}.bands", "a band name must not be blank"))
    if len(set(names)) != len(names):
        problems.append((f"{field}.bands", "a band is listed more than once"))
    return problems


def _same(message: str) -> str:
    return message


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it); callers translate it."""
    return message


def coverage_problems(
    *, price: ChannelPrice, bands: Sequence[str], translate: Callable[[str], str] = _same
) -> list[str]:
    """Where a scoped hybrid fails to cover every band and month exactly once (DOMAIN.md).

    `bands` are the channel's band names. Each message names the band, the months and the
    components (numbered from 1) involved; an empty list means the coverage is exact.
    `translate` turns each English template (and month name) into the reader's language.
    """
    if not price.scoped:
        return []
    t = translate
    known = {b.strip().casefold() for b in bands}
    messages = [
        t(gettext_noop("component %(number)s names band %(band)s, which the channel does not have"))
        % {"number": n, "band": name}
        for n, c in enumerate(price.components, start=1)
        for name in c.bands
        if name.strip().casefold() not in known
    ]
    for band in bands:
        gaps: list[int] = []
        overlaps: dict[tuple[int, ...], list[int]] = {}
        for month in range(1, 13):
            covering = tuple(
                n
                for n, c in enumerate(price.components, start=1)
                if c.covers(band=band, month=month)
            )
            if not covering:
                gaps.append(month)
            elif len(covering) > 1:
                overlaps.setdefault(covering, []).append(month)
        if gaps:
            message = gettext_noop("band %(band)s is priced by no component in %(months)s")
            messages.append(t(message) % {"band": band, "months": _month_list(gaps, t)})
        for numbers, months in overlaps.items():
            message = gettext_noop(
                "band %(band)s is priced twice in %(months)s (components %(components)s)"
            )
            values = {
                "band": band,
                "months": _month_list(months, t),
                "components": t(gettext_noop(" and ")).join(str(n) for n in numbers),
            }
            messages.append(t(message) % values)
    return messages


MONTH_NAMES = (
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"),
    gettext_noop("April"), gettext_noop("May"), gettext_noop("June"),
    gettext_noop("July"), gettext_noop("August"), gettext_noop("September"),
    gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
)  # fmt: skip


def _month_list(months: Sequence[int], translate: Callable[[str], str]) -> str:
    """`every month`, or the months' names in the reader's language."""
    if len(months) == 12:
        return translate(gettext_noop("every month"))
    return ", ".join(translate(MONTH_NAMES[m - 1]) for m in months)


def billed_quantity(*, model: PricingModel, usage: ChannelUsage, fte_hours: Decimal) -> Decimal:
    """The quantity a non-hybrid model bills for a usage (hours, FTE, minutes or contacts)."""
    if model is PricingModel.PER_PRODUCTION_HOUR:
        return usage.production_hours
    if model is PricingModel.PER_FTE_MONTH:
        if usage.fte is not None:
            return usage.fte
        # Whole FTE are hired: a part-time remainder is still a head to pay.
        return (usage.paid_hours / fte_hours).to_integral_value(rounding=ROUND_CEILING)
    if model is PricingModel.PER_HANDLED_MINUTE:
        return usage.handled_minutes
    if model is PricingModel.PER_CONTACT:
        return usage.contacts
    raise ValueError(f"{model} has no single billed quantity")


def _price_channel(
    *, price: ChannelPrice, usage: ChannelUsage, fte_hours: Decimal, month: int | None
) -> list[PricedLine]:
    """The lines of one channel: one for a single model, one per component for a hybrid.

    A scoped component prices its bands' usage and only in its months (no line otherwise).
    """
    lines = []
    components: tuple[PriceComponent, ...] = price.components
    if price.model is not PricingModel.HYBRID:
        components = (PriceComponent(model=price.model, rate=price.rate),)
    for component in components:
        if component.scoped:
            if component.months and month is None:
                raise PricingError("a component scoped by months needs the calendar month")
            if component.months and month not in component.months:
                continue
            part = usage.scope(component, month)
        elif component.share is not None and price.model is PricingModel.HYBRID:
            part = usage.share(component.share)
        else:
            part = usage
        quantity = billed_quantity(model=component.model, usage=part, fte_hours=fte_hours)
        lines.append(
            PricedLine(
                channel=usage.channel,
                model=component.model,
                rate=component.rate,
                quantity=quantity,
                amount=component.rate * quantity,
                share=component.share if price.model is PricingModel.HYBRID else None,
                price_channel=price.channel,
                bands=component.bands,
                months=component.months,
            )
        )
    return lines


def _fx_rate(*, source: str, target: str | None, fx_rate: Decimal | None) -> Decimal:
    """The conversion rate to use: 1 within a currency, else the stated positive rate."""
    if target is None or target.upper() == source.upper():
        if fx_rate not in (None, 1):
            raise PricingError(f"an FX rate of {fx_rate} was given for {source} to {source}")
        return Decimal(1)
    if fx_rate is None:
        raise MissingFxRateError(source, target)
    if fx_rate <= 0:
        raise PricingError(f"the FX rate from {source} to {target} must be positive")
    return fx_rate


def price_usage(
    *,
    price_list: PriceList,
    usage: Sequence[ChannelUsage],
    fte_hours: Decimal = DEFAULT_FTE_HOURS,
    currency: str | None = None,
    fx_rate: Decimal | None = None,
    month: int | None = None,
    validated: bool = False,
) -> PriceBreakdown:
    """Price a month of usage, converted to `currency` at `fx_rate` (target units per unit).

    `month` is the calendar month (1-12) priced; hybrid components scoped by months need it.
    `validated`: the caller has checked the price list with `validate_price_list` already
    (a bid priced month by month checks it once, not twelve times).

    Raises InvalidPriceListError, UnpricedChannelError (a channel with usage and no price)
    or MissingFxRateError; all are ValueErrors. Nothing is rounded.
    """
    problems = [] if validated else validate_price_list(price_list=price_list)
    if problems:
        raise InvalidPriceListError(problems)
    if fte_hours <= 0:
        raise PricingError("fte_hours must be positive")
    rate = _fx_rate(source=price_list.currency, target=currency, fx_rate=fx_rate)
    if len({u.channel for u in usage}) != len(usage):
        raise PricingError("usage lists a channel more than once")
    lines: list[PricedLine] = []
    for channel_usage in usage:
        price = price_list.price_for(channel_usage.channel)
        if price is None:
            if channel_usage.has_usage:
                raise UnpricedChannelError(channel_usage.channel)
            continue
        lines.extend(
            _price_channel(price=price, usage=channel_usage, fte_hours=fte_hours, month=month)
        )
    usage_charge = sum((line.amount for line in lines), ZERO)
    quoted = _totals(price_list=price_list, usage_charge=usage_charge)
    return PriceBreakdown(
        lines=tuple(lines),
        minimum_monthly_charge=price_list.minimum_monthly_charge,
        minimum_applied=price_list.minimum_monthly_charge > usage_charge,
        monthly_fees=price_list.monthly_fees,
        fx_rate=rate,
        quoted=quoted,
        converted=_converted(totals=quoted, currency=currency or quoted.currency, rate=rate),
    )


def _totals(*, price_list: PriceList, usage_charge: Decimal) -> PriceTotals:
    """Totals in the price list's currency: the minimum applies before the fixed fees."""
    monthly_charge = max(usage_charge, price_list.minimum_monthly_charge)
    fixed_fees = sum((fee.amount for fee in price_list.monthly_fees), ZERO)
    return PriceTotals(
        currency=price_list.currency,
        usage_charge=usage_charge,
        monthly_charge=monthly_charge,
        fixed_fees=fixed_fees,
        monthly_total=monthly_charge + fixed_fees,
        one_off_fees=price_list.one_off_fees.total,
    )


def _converted(*, totals: PriceTotals, currency: str, rate: Decimal) -> PriceTotals:
    """The same totals in another currency, each amount times the rate."""
    return PriceTotals(
        currency=currency,
        usage_charge=totals.usage_charge * rate,
        monthly_charge=totals.monthly_charge * rate,
        fixed_fees=totals.fixed_fees * rate,
        monthly_total=totals.monthly_total * rate,
        one_off_fees=totals.one_off_fees * rate,
    )

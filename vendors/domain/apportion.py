"""A contract month's actual usage apportioned to the event's time bands (docs/volume-profiles.md).

KPI files report usage per channel, not per band, yet a hybrid component scoped by bands prices
exactly its bands' usage. Where DOMAIN.md is silent the product reads it this way, with shares
frozen into the contract at award (so later event edits never change a signed contract):

- contacts and handled minutes go to the bands by the event's band volume shares;
- production hours go to the bands by their share of the channel's forecast production hours in
  that calendar month, N x band hours / sum over bands (deferred channels: the volume shares);
- contracted FTE, for a per-FTE component scoped by bands, by the same hours shares.

Pure: plain values in and out, nothing rounded.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.channels import Channel
from vendors.domain.pricing import (
    BandUsage,
    ChannelPrice,
    ChannelUsage,
    PriceBreakdown,
    PriceList,
    PricingError,
    price_usage,
)
from vendors.domain.scoring import EventSpec
from vendors.domain.staffing import DEFAULT_BAND, MONTHS, channel_staffing

ZERO = Decimal(0)


@dataclass(frozen=True)
class BandSplit:
    """How one channel's actual usage is split over its bands (frozen at award).

    `agents[m]` holds each band's forecast agents in calendar month m (real-time channels);
    empty for deferred channels, whose hours follow the volume shares.
    """

    channel: Channel
    bands: tuple[str, ...]
    hours: tuple[Decimal, ...]
    shares: tuple[Decimal, ...]
    agents: Mapping[int, tuple[int, ...]]

    def forecast_hours(self, month: int) -> tuple[Decimal, ...] | None:
        """Each band's forecast production hours (N x band hours) in a month; None: deferred."""
        agents = self.agents.get(month)
        if agents is None:
            return None
        return tuple(n * h for n, h in zip(agents, self.hours, strict=True))

    def hours_shares(self, month: int) -> tuple[Decimal, ...]:
        """Each band's share of the channel's production hours in a month."""
        hours = self.forecast_hours(month)
        total = sum(hours, ZERO) if hours else ZERO
        if not hours or not total:
            return self.shares
        return tuple(h / total for h in hours)


def _default_split(channel: Channel) -> BandSplit:
    return BandSplit(channel=channel, bands=(DEFAULT_BAND,), hours=(ZERO,), shares=(Decimal(1),),
                     agents={})  # fmt: skip


def band_splits_at_award(*, event: EventSpec) -> dict[str, Any]:
    """The split of every event channel with stated bands, as stored on the contract (JSON).

    Months with the same volume factor share one staffing computation.
    """
    frozen: dict[str, Any] = {}
    for need in event.channels:
        if not need.profile.bands:
            continue
        entry: dict[str, Any] = {
            "bands": [
                {"name": b.name, "hours": str(b.hours), "share": str(b.share)}
                for b in need.profile.bands
            ],
            "months": [str(f) for f in need.profile.months],
        }
        if need.channel.realtime:
            by_factor: dict[Decimal, list[int]] = {}
            agents: dict[str, list[int]] = {}
            for month in range(1, MONTHS + 1):
                factor = need.profile.factor(month)
                if factor not in by_factor:
                    result = channel_staffing(
                        channel=need.channel, monthly_volume=need.monthly_volume,
                        aht_seconds=need.aht_seconds, opening_hours=need.opening_hours,
                        shrinkage=event.shrinkage, max_occupancy=event.max_occupancy,
                        sl_percent=need.sl_percent, sl_seconds=need.sl_seconds,
                        patience_seconds=need.patience_seconds, profile=need.profile, month=month,
                    )  # fmt: skip
                    by_factor[factor] = [b.agents for b in result.bands]
                agents[str(month)] = by_factor[factor]
            entry["agents"] = agents
        frozen[need.channel.value] = entry
    return frozen


def band_splits_from_json(data: Mapping[str, Any] | None) -> dict[Channel, BandSplit]:
    """The contract's stored splits as BandSplits, by channel."""
    splits = {}
    for channel, entry in (data or {}).items():
        bands = entry.get("bands") or []
        splits[Channel(channel)] = BandSplit(
            channel=Channel(channel),
            bands=tuple(str(b["name"]) for b in bands),
            hours=tuple(Decimal(str(b["hours"])) for b in bands),
            shares=tuple(Decimal(str(b["share"])) for b in bands),
            agents={int(m): tuple(map(int, v)) for m, v in (entry.get("agents") or {}).items()},
        )  # fmt: skip
    return splits


def needs_bands(price: ChannelPrice | None) -> bool:
    """Whether a price has a component scoped by bands (so usage must be split by band)."""
    return price is not None and any(c.bands for c in price.components)


def apportion_usage(
    *, usage: ChannelUsage, price: ChannelPrice, split: BandSplit | None, month: int
) -> ChannelUsage:
    """The channel's actual usage with its split by band, for a price scoped by bands.

    A channel without stated bands has the one band `all`. PricingError when a component names
    a band the contract's split does not know (nothing is silently left unbilled).
    """
    split = split or _default_split(usage.channel)
    known = {b.strip().casefold() for b in split.bands}
    unknown = sorted(
        {b for c in price.components for b in c.bands if b.strip().casefold() not in known}
    )
    if unknown:
        raise PricingError(
            f"channel {usage.channel.value}: band(s) {', '.join(unknown)} are priced but the "
            f"contract splits its usage over {', '.join(split.bands)} only"
        )
    hours_shares = split.hours_shares(month)
    parts = tuple(
        BandUsage(
            band=band,
            contacts=usage.contacts * share,
            handled_minutes=usage.handled_minutes * share,
            production_hours=usage.production_hours * hours_share,
            fte=None if usage.fte is None else usage.fte * hours_share,
        )
        for band, share, hours_share in zip(split.bands, split.shares, hours_shares, strict=True)
    )
    return ChannelUsage(
        channel=usage.channel,
        contacts=usage.contacts,
        handled_minutes=usage.handled_minutes,
        production_hours=usage.production_hours,
        fte=usage.fte,
        bands=parts,
    )


def band_usage_json(
    *, usage: ChannelUsage, split: BandSplit | None, month: int
) -> list[dict[str, Any]]:
    """The apportioned usage with the shares behind it, as stored with the evaluation."""
    split = split or _default_split(usage.channel)
    forecast = split.forecast_hours(month)
    hours_shares = split.hours_shares(month)
    agents = split.agents.get(month)
    rows = []
    for index, part in enumerate(usage.bands):
        rows.append({
            "channel": usage.channel.value, "band": part.band,
            "volume_share": str(split.shares[index]),
            "agents": None if agents is None else agents[index],
            "band_hours": str(split.hours[index]),
            "forecast_hours": None if forecast is None else str(forecast[index]),
            "hours_share": str(hours_shares[index]),
            "contacts": str(part.contacts), "handled_minutes": str(part.handled_minutes),
            "production_hours": str(part.production_hours),
            "fte": None if part.fte is None else str(part.fte),
        })  # fmt: skip
    return rows


@dataclass(frozen=True)
class ContractMonthPrice:
    """A contract month priced: the breakdown and, where a component is scoped by bands, the
    usage split by band with the shares behind it (band_usage_json's rows)."""

    breakdown: PriceBreakdown
    band_usage: tuple[dict[str, Any], ...]


def price_contract_month(
    *,
    price_list: PriceList,
    usage: Sequence[ChannelUsage],
    splits: Mapping[Channel, BandSplit],
    fte_hours: Decimal,
    month: int,
) -> ContractMonthPrice:
    """Price a contract month's actual usage in its calendar month (1-12).

    Where a channel's price has a component scoped by bands, its usage is first split over the
    bands by the shares frozen at award (`splits`); components scoped by months price only
    their months. The one computation behind an evaluation's charges and report_verify's
    recomputation of them. Raises what price_usage and apportion_usage raise (ValueErrors).
    """
    split_usage, rows = [], []
    for u in usage:
        price = price_list.price_for(u.channel)
        if price is not None and needs_bands(price):
            split = splits.get(u.channel)
            u = apportion_usage(usage=u, price=price, split=split, month=month)
            rows += band_usage_json(usage=u, split=split, month=month)
        split_usage.append(u)
    breakdown = price_usage(
        price_list=price_list, usage=split_usage, fte_hours=fte_hours, month=month
    )
    return ContractMonthPrice(breakdown=breakdown, band_usage=tuple(rows))

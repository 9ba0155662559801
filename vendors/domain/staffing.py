"""Staffing of DOMAIN.md: the hours a channel really needs, by Erlang C for real-time channels.

Money-free arithmetic over plain values. Traffic, hours and occupancy are Decimal at full
precision; nothing here rounds, callers round with `core.money` when they show a figure.
Erlang C itself is computed in floats (the one place floats are allowed): it needs exp() and
a recurrence whose intermediate values Decimal cannot carry any better.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from core.channels import Channel

Amount = Decimal | int

SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True)
class StaffingResult:
    """Every figure behind one channel's required hours, so an auditor can recompute them."""

    channel: Channel
    realtime: bool
    monthly_volume: Decimal
    aht_seconds: Decimal
    opening_hours: Decimal
    shrinkage: Decimal
    max_occupancy: Decimal
    # Real-time channels only (None for deferred ones): the Erlang C inputs and outputs.
    sl_target: Decimal | None
    sl_seconds: Decimal | None
    arrivals_per_hour: Decimal | None
    traffic_erlangs: Decimal | None
    agents: int | None
    service_level: Decimal | None
    # Real-time: traffic / agents; deferred: the assumed maximum occupancy.
    occupancy: Decimal
    workload_hours: Decimal
    production_hours: Decimal
    paid_hours: Decimal


def traffic_erlangs(*, volume: Amount, opening_hours: Amount, aht_seconds: Amount) -> Decimal:
    """Offered traffic A in Erlangs: (volume / opening hours) x AHT / 3600."""
    volume, opening_hours = Decimal(volume), Decimal(opening_hours)
    if volume < 0 or opening_hours < 0 or Decimal(aht_seconds) < 0:
        raise ValueError("volume, opening hours and AHT must not be negative")
    if volume == 0:
        return Decimal(0)
    if opening_hours == 0:
        raise ValueError("a channel with volume needs opening hours")
    # One division, so A carries no intermediate rounding of the arrival rate.
    return volume * Decimal(aht_seconds) / (opening_hours * SECONDS_PER_HOUR)


def _erlang_b_step(*, erlang_b: float, agents: int, traffic: float) -> float:
    """One step of the Erlang B recurrence: B(n) from B(n - 1)."""
    return traffic * erlang_b / (agents + traffic * erlang_b)


def _erlang_b(*, agents: int, traffic: float) -> float:
    """Erlang B by the recurrence from B(0) = 1: stable where factorials would overflow."""
    erlang_b = 1.0
    for n in range(1, agents + 1):
        erlang_b = _erlang_b_step(erlang_b=erlang_b, agents=n, traffic=traffic)
    return erlang_b


def _erlang_c_from_b(*, erlang_b: float, agents: int, traffic: float) -> float:
    """Erlang C from Erlang B for the same N and A (N > A)."""
    return agents * erlang_b / (agents - traffic * (1.0 - erlang_b))


def _service_level_from_b(
    *, erlang_b: float, agents: int, traffic: float, sl_seconds: float, aht_seconds: float
) -> float:
    """SL(N) = 1 - P_wait x exp(-(N - A) x sl_seconds / AHT), given B(N)."""
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        # The queue grows without bound: (almost) nobody is answered in time.
        return 0.0
    p_wait = _erlang_c_from_b(erlang_b=erlang_b, agents=agents, traffic=traffic)
    return 1.0 - p_wait * math.exp(-(agents - traffic) * sl_seconds / aht_seconds)


def erlang_c(*, agents: int, traffic: Amount | float) -> float:
    """Probability that a contact waits (Erlang C) with N agents and A Erlangs; 1 when N <= A."""
    a = float(traffic)
    if agents < 0 or a < 0:
        raise ValueError("agents and traffic must not be negative")
    if a == 0:
        return 0.0
    if agents <= a:
        return 1.0
    return _erlang_c_from_b(erlang_b=_erlang_b(agents=agents, traffic=a), agents=agents, traffic=a)


def service_level(
    *, agents: int, traffic: Amount | float, sl_seconds: Amount, aht_seconds: Amount
) -> float:
    """Fraction of contacts answered within sl_seconds with N agents (a float in 0..1)."""
    a = float(traffic)
    if agents < 0 or a < 0:
        raise ValueError("agents and traffic must not be negative")
    if a > 0 and Decimal(aht_seconds) <= 0:
        raise ValueError("AHT must be positive when there is traffic")
    return _service_level_from_b(
        erlang_b=_erlang_b(agents=agents, traffic=a),
        agents=agents,
        traffic=a,
        sl_seconds=float(sl_seconds),
        aht_seconds=float(aht_seconds),
    )


def _occupancy_floor(*, traffic: Decimal, max_occupancy: Decimal) -> int:
    """Smallest N with N > A and A / N <= max occupancy (exact, in Decimal)."""
    agents = int(traffic / max_occupancy)  # A / max_occupancy >= A, so at most one short
    while not (agents > traffic and traffic <= max_occupancy * agents):
        agents += 1
    return agents


def required_agents(
    *,
    traffic: Amount,
    sl_target: Decimal,
    sl_seconds: Amount,
    aht_seconds: Amount,
    max_occupancy: Decimal,
) -> int:
    """Smallest N with N > A, SL(N) >= sl_target and A / N <= max occupancy; 0 without traffic.

    sl_target is a fraction in [0, 1) (0.8 for "80/20"), not a percent.
    """
    traffic = Decimal(traffic)
    if not Decimal(0) <= sl_target < 1:
        raise ValueError(f"sl_target must be a fraction in [0, 1), got {sl_target}")
    if not Decimal(0) < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy}")
    if traffic < 0:
        raise ValueError("traffic must not be negative")
    if traffic == 0:
        return 0
    if Decimal(aht_seconds) <= 0:
        raise ValueError("AHT must be positive when there is traffic")
    a, target = float(traffic), float(sl_target)
    agents = _occupancy_floor(traffic=traffic, max_occupancy=max_occupancy)
    # SL rises with N, so the first N that meets the target is the answer; B(N) is carried
    # forward one step per candidate instead of being recomputed from B(0) each time.
    erlang_b = _erlang_b(agents=agents, traffic=a)
    threshold, aht = float(sl_seconds), float(aht_seconds)
    while True:
        achieved = _service_level_from_b(
            erlang_b=erlang_b, agents=agents, traffic=a, sl_seconds=threshold, aht_seconds=aht
        )
        if achieved >= target:
            return agents
        agents += 1
        erlang_b = _erlang_b_step(erlang_b=erlang_b, agents=agents, traffic=a)


def channel_staffing(
    *,
    channel: Channel,
    monthly_volume: Amount,
    aht_seconds: Amount,
    opening_hours: Amount,
    shrinkage: Decimal,
    max_occupancy: Decimal,
    sl_percent: Amount | None = None,
    sl_seconds: Amount | None = None,
) -> StaffingResult:
    """Required production and paid hours of one channel for a month (Erlang C if real-time).

    sl_percent is a percent (80 for "80/20"); deferred channels ignore it and sl_seconds.
    """
    if not Decimal(0) <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage}")
    if not Decimal(0) < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy}")
    volume, aht, hours = Decimal(monthly_volume), Decimal(aht_seconds), Decimal(opening_hours)
    if volume < 0 or aht < 0 or hours < 0:
        raise ValueError("volume, AHT and opening hours must not be negative")
    workload_hours = volume * aht / SECONDS_PER_HOUR
    erlang = None
    if channel.realtime:
        if sl_percent is None or sl_seconds is None:
            raise ValueError(f"real-time channel {channel} needs sl_percent and sl_seconds")
        erlang = _erlang_figures(
            volume=volume,
            aht=aht,
            hours=hours,
            sl_target=Decimal(sl_percent) / 100,
            sl_seconds=Decimal(sl_seconds),
            max_occupancy=max_occupancy,
        )
        production_hours = erlang.agents * hours
    else:
        production_hours = workload_hours / max_occupancy
    return StaffingResult(
        channel=channel,
        realtime=channel.realtime,
        monthly_volume=volume,
        aht_seconds=aht,
        opening_hours=hours,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        sl_target=erlang.sl_target if erlang else None,
        sl_seconds=erlang.sl_seconds if erlang else None,
        arrivals_per_hour=erlang.arrivals_per_hour if erlang else None,
        traffic_erlangs=erlang.traffic if erlang else None,
        agents=erlang.agents if erlang else None,
        service_level=erlang.service_level if erlang else None,
        occupancy=erlang.occupancy if erlang else max_occupancy,
        workload_hours=workload_hours,
        production_hours=production_hours,
        paid_hours=production_hours / (1 - shrinkage),
    )


@dataclass(frozen=True)
class _ErlangFigures:
    """The Erlang C part of a real-time channel's staffing."""

    sl_target: Decimal
    sl_seconds: Decimal
    arrivals_per_hour: Decimal
    traffic: Decimal
    agents: int
    service_level: Decimal
    occupancy: Decimal


def _erlang_figures(
    *,
    volume: Decimal,
    aht: Decimal,
    hours: Decimal,
    sl_target: Decimal,
    sl_seconds: Decimal,
    max_occupancy: Decimal,
) -> _ErlangFigures:
    """Traffic, agents, achieved SL and occupancy of a real-time channel."""
    traffic = traffic_erlangs(volume=volume, opening_hours=hours, aht_seconds=aht)
    agents = required_agents(
        traffic=traffic,
        sl_target=sl_target,
        sl_seconds=sl_seconds,
        aht_seconds=aht,
        max_occupancy=max_occupancy,
    )
    achieved = service_level(agents=agents, traffic=traffic, sl_seconds=sl_seconds, aht_seconds=aht)
    return _ErlangFigures(
        sl_target=sl_target,
        sl_seconds=sl_seconds,
        arrivals_per_hour=volume / hours if hours else Decimal(0),
        traffic=traffic,
        agents=agents,
        # repr() is the shortest decimal that round-trips the float, not its binary expansion.
        service_level=Decimal(repr(achieved)),
        occupancy=traffic / agents if agents else Decimal(0),
    )

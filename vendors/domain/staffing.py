"""Staffing of DOMAIN.md: the hours a channel really needs, by Erlang C (or Erlang A) for
real-time channels, per time band and calendar month when the event states a volume profile.

Money-free arithmetic over plain values. Traffic, hours and occupancy are Decimal at full
precision; nothing here rounds, callers round with `core.money` when they show a figure.
Erlang C and Erlang A are computed in floats (the one place floats are allowed): they need
exp() and recurrences whose intermediate values Decimal cannot carry any better.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.channels import Channel

Amount = Decimal | int

SECONDS_PER_HOUR = Decimal(3600)
ONE = Decimal(1)
MONTHS = 12
DEFAULT_BAND = "all"
# DOMAIN.md: the Erlang A chain is cut where the probability still to come is below this.
TRUNCATION = 1e-12


@dataclass(frozen=True)
class Band:
    """A named part of a channel's opening hours (`day`, `evening`) and its share of the volume."""

    name: str
    hours: Decimal
    share: Decimal


@dataclass(frozen=True)
class VolumeProfile:
    """A channel's seasons (twelve calendar-month factors) and time bands; defaults are flat.

    No bands means one band `all` with every opening hour and the whole volume.
    """

    months: tuple[Decimal, ...] = (ONE,) * MONTHS
    bands: tuple[Band, ...] = ()

    def factor(self, month: int | None) -> Decimal:
        """The volume factor of a calendar month (1-12); 1 when no month is given."""
        return ONE if month is None else self.months[month - 1]

    def bands_for(self, opening_hours: Decimal) -> tuple[Band, ...]:
        """The stated bands, or the one default band over every opening hour."""
        return self.bands or (Band(name=DEFAULT_BAND, hours=opening_hours, share=ONE),)

    @property
    def flat(self) -> bool:
        """Whether this profile changes nothing: every factor 1 and no bands."""
        return not self.bands and all(f == 1 for f in self.months)


FLAT = VolumeProfile()


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it); callers translate it."""
    return message


def _same(message: str) -> str:
    return message


def profile_problems(
    *,
    profile: VolumeProfile,
    opening_hours: Decimal,
    translate: Callable[[str], str] = _same,
) -> list[tuple[str, str]]:
    """Every problem of a profile as (field, message) against DOMAIN.md's rules; empty if fine.

    Factors: twelve, none negative, summing to 12 to four decimals. Bands: unique non-blank
    names, positive hours summing to the opening hours, shares in [0, 1] summing to 1.
    `translate` turns each English template into the reader's language before it is filled.
    """
    t = translate
    problems: list[tuple[str, str]] = []
    total = sum(profile.months, Decimal(0))
    if len(profile.months) != MONTHS:
        message = gettext_noop("Give 12 factors (January to December), not %(count)s.")
        problems.append(("profile.months", t(message) % {"count": len(profile.months)}))
    elif any(f < 0 for f in profile.months):
        problems.append(("profile.months", t(gettext_noop("Factors must not be negative."))))
    elif round(total, 4) != MONTHS:
        message = gettext_noop("Factors must sum to 12 (an average of 1); they sum to %(total)s.")
        problems.append(("profile.months", t(message) % {"total": _plain(total)}))
    if not profile.bands:
        return problems
    names = [band.name.strip().casefold() for band in profile.bands]
    for index, band in enumerate(profile.bands):
        field = f"profile.bands[{index}]"
        if not band.name.strip():
            problems.append((f"{field}.name", t(gettext_noop("A band needs a name."))))
        elif names.count(band.name.strip().casefold()) > 1:
            message = gettext_noop("Band %(name)s is named more than once.")
            problems.append((f"{field}.name", t(message) % {"name": band.name}))
        if band.hours <= 0:
            problems.append((f"{field}.hours", t(gettext_noop("Must be greater than 0."))))
        if not Decimal(0) <= band.share <= 1:
            problems.append((f"{field}.share", t(gettext_noop("Must be from 0 to 1."))))
    hours = sum((band.hours for band in profile.bands), Decimal(0))
    if hours != opening_hours:
        message = gettext_noop(
            "Band hours must sum to the opening hours (%(opening)s); they sum to %(hours)s."
        )
        values = {"opening": _plain(opening_hours), "hours": _plain(hours)}
        problems.append(("profile.bands", t(message) % values))
    shares = sum((band.share for band in profile.bands), Decimal(0))
    if shares != 1:
        message = gettext_noop("Band shares must sum to 1; they sum to %(total)s.")
        problems.append(("profile.bands", t(message) % {"total": _plain(shares)}))
    return problems


def _plain(number: Decimal) -> str:
    """A number without trailing zeros or exponent (`176.00` -> `176`)."""
    text = f"{number.normalize():f}"
    return text


@dataclass(frozen=True)
class BandStaffing:
    """One band of one channel in one calendar month: every figure behind its agents."""

    band: str
    month: int | None
    hours: Decimal
    share: Decimal
    volume: Decimal
    arrivals_per_hour: Decimal
    traffic: Decimal
    agents: int
    service_level: Decimal
    occupancy: Decimal
    # Erlang A only (the channel states a patience): the share of offered callers who hang up.
    p_abandon: Decimal | None
    production_hours: Decimal  # agents x band hours


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
    # The calendar month (1-12) these figures are for; None for the flat, month-less forecast.
    month: int | None = None
    # Real-time channels: the bands behind the figures (one band `all` without a profile).
    bands: tuple[BandStaffing, ...] = ()
    patience_seconds: Decimal | None = None
    # Erlang A: abandoned share of all offered contacts (volume-weighted over the bands).
    p_abandon: Decimal | None = None


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


def average_speed_of_answer(*, agents: int, traffic: Amount | float, aht_seconds: Amount) -> float:
    """Erlang C's mean wait of all offered contacts in seconds: P_wait x AHT / (N - A)."""
    a = float(traffic)
    if a == 0:
        return 0.0
    if agents <= a:
        return math.inf
    return erlang_c(agents=agents, traffic=a) * float(aht_seconds) / (agents - a)


@dataclass(frozen=True)
class ErlangA:
    """Erlang A (M/M/N+M) figures for N agents: every share is of all offered contacts."""

    p_wait: float
    p_abandon: float
    service_level: float
    occupancy: float
    mean_queue: float


def _erlang_a_chain(*, agents: int, lam: float, mu: float, theta: float) -> list[float]:
    """Stationary probabilities of the birth-death chain, cut where the rest is below 1e-12."""
    weights = [1.0]
    total = 1.0
    for k in range(1, agents + 1):
        weights.append(weights[-1] * lam / (k * mu))
        total += weights[-1]
    k = agents
    while True:
        ratio = lam / (agents * mu + (k + 1 - agents) * theta)
        weights.append(weights[-1] * ratio)
        total += weights[-1]
        k += 1
        # Past the point where ratio < 1 the rest is bounded by a geometric series.
        if ratio < 1 and weights[-1] * ratio / (1 - ratio) < TRUNCATION * total:
            break
        if total > 1e280:  # keep far from overflow; only the proportions matter
            weights = [w / 1e280 for w in weights]
            total /= 1e280
    return [w / total for w in weights]


def erlang_a(
    *,
    agents: int,
    arrivals_per_hour: Amount | float,
    aht_seconds: Amount | float,
    patience_seconds: Amount | float,
    sl_seconds: Amount | float,
) -> ErlangA:
    """Erlang A of DOMAIN.md, computed exactly on the birth-death chain.

    lambda arrivals per second, mu = 1 / AHT per agent, theta = 1 / patience per waiting
    caller. A caller who finds j callers waiting ahead is answered within t unless it
    abandons first: the time to reach an agent is a sum of exponentials with rates
    N mu + i theta, so P(answered, within t) = N mu / (N mu + (j + 1) theta) x
    (1 - I_x(N mu / theta + 1, j + 1)) with x = exp(-theta t) and I the regularized
    incomplete beta function, whose terms are all positive and are summed as j grows.
    """
    lam = float(arrivals_per_hour) / 3600
    aht, patience = float(aht_seconds), float(patience_seconds)
    if agents < 0 or lam < 0 or aht <= 0 or patience <= 0 or float(sl_seconds) < 0:
        raise ValueError("agents, arrivals, AHT, patience and sl_seconds must be sensible")
    if lam == 0:
        return ErlangA(p_wait=0.0, p_abandon=0.0, service_level=1.0, occupancy=0.0, mean_queue=0.0)
    mu, theta = 1 / aht, 1 / patience
    pi = _erlang_a_chain(agents=agents, lam=lam, mu=mu, theta=theta)
    waiting = pi[agents:]
    mean_queue = sum(j * p for j, p in enumerate(waiting))
    p_abandon = theta * mean_queue / lam
    served_rate, x = agents * mu, math.exp(-theta * float(sl_seconds))
    b = served_rate / theta
    in_time = sum(pi[:agents])
    term = cumulative = 0.0
    for j, p in enumerate(waiting):
        # term_j of I_x(b + 1, j + 1) = x^(b+1) sum_k Gamma(b+1+k) / (Gamma(b+1) k!) (1-x)^k
        term = x ** (b + 1) if j == 0 else term * (b + j) / j * (1 - x)
        cumulative += term
        reached = served_rate / (served_rate + (j + 1) * theta) if served_rate else 0.0
        in_time += p * reached * max(0.0, 1 - cumulative)
    occupancy = lam * (1 - p_abandon) * aht / agents if agents else 0.0
    return ErlangA(
        p_wait=sum(waiting),
        p_abandon=p_abandon,
        service_level=in_time,
        occupancy=occupancy,
        mean_queue=mean_queue,
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
    patience_seconds: Amount | None = None,
) -> int:
    """Smallest N with N > A, SL(N) >= sl_target and A / N <= max occupancy; 0 without traffic.

    sl_target is a fraction in [0, 1) (0.8 for "80/20"), not a percent. With a patience the
    service level is Erlang A's (of all offered contacts), else Erlang C's.
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
    if patience_seconds is not None:
        rate = a * 3600 / float(aht_seconds)
        while True:
            figures = erlang_a(
                agents=agents,
                arrivals_per_hour=rate,
                aht_seconds=aht_seconds,
                patience_seconds=patience_seconds,
                sl_seconds=sl_seconds,
            )
            if figures.service_level >= target:
                return agents
            agents += 1
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
    patience_seconds: Amount | None = None,
    profile: VolumeProfile | None = None,
    month: int | None = None,
) -> StaffingResult:
    """Required production and paid hours of one channel for a month (Erlang C or A if real-time).

    sl_percent is a percent (80 for "80/20"); deferred channels ignore it, sl_seconds and the
    patience. With a profile and a calendar month, the month's volume is the monthly volume x
    that month's factor and a real-time channel is staffed band by band:
    production hours = sum over bands of agents x band hours.
    """
    if not Decimal(0) <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage}")
    if not Decimal(0) < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy}")
    if month is not None and not 1 <= month <= MONTHS:
        raise ValueError(f"month must be 1-12, got {month}")
    profile = profile or FLAT
    volume, aht, hours = Decimal(monthly_volume), Decimal(aht_seconds), Decimal(opening_hours)
    if volume < 0 or aht < 0 or hours < 0:
        raise ValueError("volume, AHT and opening hours must not be negative")
    factor = profile.factor(month)
    if factor != 1:
        volume = volume * factor
    workload_hours = volume * aht / SECONDS_PER_HOUR
    patience = None if patience_seconds is None else Decimal(patience_seconds)
    if not channel.realtime:
        production_hours = workload_hours / max_occupancy
        return StaffingResult(
            channel=channel,
            realtime=False,
            monthly_volume=volume,
            aht_seconds=aht,
            opening_hours=hours,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
            sl_target=None,
            sl_seconds=None,
            arrivals_per_hour=None,
            traffic_erlangs=None,
            agents=None,
            service_level=None,
            occupancy=max_occupancy,
            workload_hours=workload_hours,
            production_hours=production_hours,
            paid_hours=production_hours / (1 - shrinkage),
            month=month,
        )
    if sl_percent is None or sl_seconds is None:
        raise ValueError(f"real-time channel {channel} needs sl_percent and sl_seconds")
    patience = None if patience_seconds is None else Decimal(patience_seconds)
    bands = tuple(
        _band_staffing(
            band=band,
            month=month,
            volume=volume if band.share == 1 else volume * band.share,
            aht=aht,
            sl_target=Decimal(sl_percent) / 100,
            sl_seconds=Decimal(sl_seconds),
            max_occupancy=max_occupancy,
            patience=patience,
        )
        for band in profile.bands_for(hours)
    )
    production_hours = sum((band.production_hours for band in bands), Decimal(0))
    summary = _channel_figures(bands=bands, volume=volume, hours=hours, workload=workload_hours)
    return StaffingResult(
        channel=channel,
        realtime=True,
        monthly_volume=volume,
        aht_seconds=aht,
        opening_hours=hours,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        sl_target=Decimal(sl_percent) / 100,
        sl_seconds=Decimal(sl_seconds),
        arrivals_per_hour=summary.arrivals_per_hour,
        traffic_erlangs=summary.traffic,
        agents=summary.agents,
        service_level=summary.service_level,
        occupancy=summary.occupancy,
        workload_hours=workload_hours,
        production_hours=production_hours,
        paid_hours=production_hours / (1 - shrinkage),
        month=month,
        bands=bands,
        patience_seconds=patience,
        p_abandon=summary.p_abandon,
    )


@dataclass(frozen=True)
class _Summary:
    """A real-time channel's figures summed up from its bands."""

    arrivals_per_hour: Decimal
    traffic: Decimal
    agents: int
    service_level: Decimal
    occupancy: Decimal
    p_abandon: Decimal | None


def _channel_figures(
    *, bands: tuple[BandStaffing, ...], volume: Decimal, hours: Decimal, workload: Decimal
) -> _Summary:
    """A real-time channel's figures from its bands: the band's own when there is one band.

    Several bands: arrivals and traffic averaged over the opening hours, the busiest band's
    agents, service level and abandonment weighted by volume, occupancy by production hours.
    """
    if len(bands) == 1:
        band = bands[0]
        return _Summary(
            arrivals_per_hour=band.arrivals_per_hour,
            traffic=band.traffic,
            agents=band.agents,
            service_level=band.service_level,
            occupancy=band.occupancy,
            p_abandon=band.p_abandon,
        )
    production = sum((band.production_hours for band in bands), Decimal(0))
    patient = any(band.p_abandon is not None for band in bands)

    def by_volume(values: list[Decimal]) -> Decimal:
        if not volume:
            return values[0] if values else Decimal(1)
        return (
            sum((v * band.volume for v, band in zip(values, bands, strict=True)), Decimal(0))
            / volume
        )

    return _Summary(
        arrivals_per_hour=volume / hours if hours else Decimal(0),
        traffic=workload / hours if hours else Decimal(0),
        agents=max(band.agents for band in bands),
        service_level=by_volume([band.service_level for band in bands]),
        occupancy=(
            sum((b.occupancy * b.production_hours for b in bands), Decimal(0)) / production
            if production
            else Decimal(0)
        ),
        p_abandon=by_volume([b.p_abandon or Decimal(0) for b in bands]) if patient else None,
    )


def _band_staffing(
    *,
    band: Band,
    month: int | None,
    volume: Decimal,
    aht: Decimal,
    sl_target: Decimal,
    sl_seconds: Decimal,
    max_occupancy: Decimal,
    patience: Decimal | None,
) -> BandStaffing:
    """Traffic, agents, achieved SL, occupancy (and abandonment) of one band in one month."""
    traffic = traffic_erlangs(volume=volume, opening_hours=band.hours, aht_seconds=aht)
    agents = required_agents(
        traffic=traffic,
        sl_target=sl_target,
        sl_seconds=sl_seconds,
        aht_seconds=aht,
        max_occupancy=max_occupancy,
        patience_seconds=patience,
    )
    arrivals = volume / band.hours if band.hours else Decimal(0)
    p_abandon: Decimal | None = None
    if patience is None or traffic == 0:
        achieved = service_level(
            agents=agents, traffic=traffic, sl_seconds=sl_seconds, aht_seconds=aht
        )
        occupancy = traffic / agents if agents else Decimal(0)
        if patience is not None:
            p_abandon = Decimal(0)
    else:
        figures = erlang_a(
            agents=agents,
            arrivals_per_hour=arrivals,
            aht_seconds=aht,
            patience_seconds=patience,
            sl_seconds=sl_seconds,
        )
        achieved = figures.service_level
        occupancy = Decimal(repr(figures.occupancy))
        p_abandon = Decimal(repr(figures.p_abandon))
    return BandStaffing(
        band=band.name,
        month=month,
        hours=band.hours,
        share=band.share,
        volume=volume,
        arrivals_per_hour=arrivals,
        traffic=traffic,
        agents=agents,
        # repr() is the shortest decimal that round-trips the float, not its binary expansion.
        service_level=Decimal(repr(achieved)),
        occupancy=occupancy,
        p_abandon=p_abandon,
        production_hours=agents * band.hours,
    )

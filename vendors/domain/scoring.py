"""Scoring of DOMAIN.md: a sourcing event's forecast, costs, scores, ranking and sensitivity.

Pure functions over plain dataclasses; the API, the pages and the comparison report all show
what `rank_event` returns. Nothing is rounded except the sensitivity flip weights (DOMAIN.md
reports them as weights, to two places): scores, totals, monthly costs and TCO carry full
Decimal precision and callers round them with `core.money.two_places` / `cents` when shown.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_CEILING, Context, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from core.channels import Channel
from core.money import two_places
from vendors.domain.pricing import (
    DEFAULT_FTE_HOURS,
    BandUsage,
    ChannelPrice,
    ChannelUsage,
    PriceBreakdown,
    PriceList,
    PricingError,
    PricingModel,
    coverage_problems,
    price_usage,
    validate_price_list,
)
from vendors.domain.staffing import FLAT, StaffingResult, VolumeProfile, channel_staffing
from vendors.domain.track_record import TrackRecord, performance_score, track_record_of

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
# Totals and sensitivity add 28-digit scores times integer weights; at this precision those
# sums are exact, so ties and crossings are decided exactly rather than by the last digit.
_EXACT = Context(prec=100)
PROFICIENCY = {
    "native": Decimal(1),
    "c2": Decimal("0.95"),
    "c1": Decimal("0.85"),
    "b2": Decimal("0.5"),
}
# CEFR levels in order, then native: a required minimum level is met by it or anything above.
LEVEL_ORDER = {"a1": 1, "a2": 2, "b1": 3, "b2": 4, "c1": 5, "c2": 6, "native": 7}
# Language coverage counts the volume a proposal can serve at this level or better.
COVERAGE_LEVEL = "b2"
MAX_INDUSTRY_YEARS = Decimal(10)

ProposalId = int | str
VendorId = int | str
NO_TRACK_RECORD = track_record_of(met=0, warning=0, breach=0, missing=0)


class Criterion(StrEnum):
    """A ranking criterion; each has a weight and a 0-100 score."""

    COST = "cost"
    EXPERTISE = "expertise"
    SECURITY = "security"
    LANGUAGE = "language"
    PERFORMANCE = "performance"


# The criteria that existed before the track record: when a moved criterion's rivals all weigh
# 0, they share the rest equally, and performance joins them only when it is the one moved
# (so an event that does not weigh track record ranks, rescales and flips exactly as before).
_CLASSIC = (Criterion.COST, Criterion.EXPERTISE, Criterion.SECURITY, Criterion.LANGUAGE)


def equal_share_criteria(criterion: Criterion) -> list[Criterion]:
    """The criteria that share the rest equally when every other criterion weighs 0."""
    if criterion is Criterion.PERFORMANCE:
        return list(_CLASSIC)
    return [c for c in _CLASSIC if c is not criterion]


@dataclass(frozen=True)
class Weights:
    """Integer criterion weights summing to 100."""

    cost: int
    expertise: int
    security: int
    language: int
    performance: int = 0

    def of(self, criterion: Criterion) -> int:
        """The weight of one criterion."""
        return {
            Criterion.COST: self.cost,
            Criterion.EXPERTISE: self.expertise,
            Criterion.SECURITY: self.security,
            Criterion.LANGUAGE: self.language,
            Criterion.PERFORMANCE: self.performance,
        }[criterion]


@dataclass(frozen=True)
class Scores:
    """A proposal's 0-100 scores at full precision."""

    cost: Decimal
    expertise: Decimal
    security: Decimal
    language: Decimal
    performance: Decimal = ZERO

    def of(self, criterion: Criterion) -> Decimal:
        """The score of one criterion."""
        return {
            Criterion.COST: self.cost,
            Criterion.EXPERTISE: self.expertise,
            Criterion.SECURITY: self.security,
            Criterion.LANGUAGE: self.language,
            Criterion.PERFORMANCE: self.performance,
        }[criterion]


@dataclass(frozen=True)
class Flip:
    """Where the first-ranked proposal changes: the criterion's weight and who then ranks first."""

    weight: Decimal  # two places, the crossing nearest today's weight
    new_winner: "ProposalId"


@dataclass(frozen=True)
class Sensitivity:
    """Per criterion, where the first-ranked proposal changes; None is robust."""

    cost: Flip | None
    expertise: Flip | None
    security: Flip | None
    language: Flip | None
    performance: Flip | None = None


# Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventChannel:
    """What the buyer needs on one channel per month; SL fields only for real-time channels."""

    channel: Channel
    monthly_volume: int
    aht_seconds: int
    opening_hours: Decimal
    sl_percent: Decimal | None = None
    sl_seconds: int | None = None
    # Seasons and time bands (flat by default) and callers' mean patience (None: Erlang C).
    profile: VolumeProfile = FLAT
    patience_seconds: int | None = None

    def band_names(self) -> tuple[str, ...]:
        """The channel's band names (`all` without stated bands)."""
        return tuple(b.name for b in self.profile.bands_for(self.opening_hours))


@dataclass(frozen=True)
class RequiredLanguage:
    """A language of the event (BCP 47 tag), its share of the volume and any knock-out rule.

    `required`: a proposal must offer it at `minimum_level` or better (CEFR A1..C2, native) for
    at least `minimum_hours_coverage` (0-1) of the opening hours, or it is disqualified.
    """

    tag: str
    share: Decimal
    required: bool = False
    minimum_level: str | None = None
    minimum_hours_coverage: Decimal = Decimal(1)


@dataclass(frozen=True)
class DesiredCertification:
    """A certification that earns security points when held on the start date."""

    name: str
    points: int


@dataclass(frozen=True)
class EventSpec:
    """A sourcing event as the scoring rules need it."""

    currency: str
    term_months: int
    start_date: date
    industry: str
    weights: Weights
    channels: tuple[EventChannel, ...]
    languages: tuple[RequiredLanguage, ...] = ()
    must_have_certifications: tuple[str, ...] = ()
    desired_certifications: tuple[DesiredCertification, ...] = ()
    # Event-currency units per one unit of the keyed currency.
    fx_rates: Mapping[str, Decimal] = field(default_factory=dict)
    shrinkage: Decimal = Decimal("0.30")
    max_occupancy: Decimal = Decimal("0.85")
    fte_hours: Decimal = DEFAULT_FTE_HOURS
    # The performance score of a vendor without a track record (DOMAIN.md), 0-100.
    newcomer_performance: Decimal = Decimal(50)
    # The months whose target-months the track records count (first days), when known.
    track_record_months: tuple[date, date] | None = None


@dataclass(frozen=True)
class VendorLanguage:
    """A language a vendor's staff speak, at a CEFR level or "native"."""

    tag: str
    level: str


@dataclass(frozen=True)
class Certification:
    """A certification a vendor holds; valid_until None means it does not expire."""

    name: str
    valid_until: date | None = None


@dataclass(frozen=True)
class VendorProfile:
    """The vendor facts the scores use."""

    id: VendorId
    name: str
    channels: frozenset[Channel] = frozenset()
    languages: tuple[VendorLanguage, ...] = ()
    certifications: tuple[Certification, ...] = ()
    industries: Mapping[str, Decimal | int] = field(default_factory=dict)


@dataclass(frozen=True)
class OfferedLanguage:
    """A language a proposal staffs, its level and the fraction of opening hours covered."""

    tag: str
    level: str
    hours_coverage: Decimal = ONE


@dataclass(frozen=True)
class ProposalSpec:
    """A vendor's bid; stated hours and FTE live in the price list's channel prices."""

    id: ProposalId
    vendor: VendorProfile
    submitted_at: datetime
    price_list: PriceList
    languages: tuple[OfferedLanguage, ...] = ()
    ratings: tuple[int, ...] = ()
    # The vendor's target-months in the 12 months before the deadline (None: none known).
    track_record: TrackRecord | None = None


# Outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelForecast:
    """A bid's forecast usage of one channel, from the event's staffing and its stated figures."""

    channel: Channel
    model: PricingModel
    price_channel: Channel | None  # None: the all-channels price applied
    staffing: StaffingResult
    contacts: Decimal
    handled_minutes: Decimal
    required_production_hours: Decimal
    stated_hours: Decimal | None
    production_hours: Decimal  # max(stated, required)
    required_fte: Decimal  # ceil(required paid hours / fte_hours)
    stated_fte: Decimal | None
    fte: Decimal  # max(stated, required)
    understaffed: bool
    # The calendar month forecast (None: the flat, month-less forecast) and, when
    # understaffed, the bands whose agents an even spread of the stated hours would not give.
    month: int | None = None
    short_bands: tuple["BandShortfall", ...] = ()


@dataclass(frozen=True)
class BandShortfall:
    """A band the stated total leaves short: agents needed vs stated hours spread evenly."""

    band: str
    agents_needed: int
    agents_stated: Decimal  # stated production hours / opening hours


@dataclass(frozen=True)
class MonthCost:
    """One calendar month of a bid: its forecast, its price, and how often the term has it."""

    month: int  # calendar month 1-12
    term_months: tuple[int, ...]  # 1-based positions in the term that fall in this month
    forecast: tuple[ChannelForecast, ...]
    pricing: PriceBreakdown | None

    @property
    def total(self) -> Decimal | None:
        """The month's charge with minimum + fixed fees, in the event's currency."""
        return None if self.pricing is None else self.pricing.converted.monthly_total


@dataclass(frozen=True)
class LanguageTerm:
    """One required language's contribution: share x proficiency x hours coverage."""

    tag: str
    share: Decimal
    matched_tag: str | None
    level: str | None
    proficiency: Decimal
    hours_coverage: Decimal
    value: Decimal


@dataclass(frozen=True)
class LanguageShortfall:
    """A required language a proposal does not offer at the level and coverage asked.

    `offered` holds the proposal's offers of that language (any region), best first; empty when
    the language is not offered at all.
    """

    tag: str
    minimum_level: str
    minimum_hours_coverage: Decimal
    offered: tuple["OfferedLanguage", ...]

    def sentence(self) -> str:
        """The reason in English (the pages translate the same facts)."""
        asked = (
            f"{self.tag} is required at {level_label(self.minimum_level)} or better for "
            f"{percent_text(self.minimum_hours_coverage)} of opening hours"
        )
        if not self.offered:
            return f"{asked}; offered: not at all"
        offers = ", ".join(
            f"{o.tag} {level_label(o.level)} for {percent_text(o.hours_coverage)}"
            for o in self.offered
        )
        return f"{asked}; offered: {offers}"


@dataclass(frozen=True)
class CertificationTerm:
    """A desired certification, its points, and whether it counts (valid on the start date)."""

    name: str
    points: int
    held: bool


@dataclass(frozen=True)
class ExpertiseTerms:
    """The inputs of the expertise score; median_rating None means provisional."""

    industry_years: Decimal  # capped at 10
    channel_share: Decimal
    median_rating: Decimal | None


@dataclass(frozen=True)
class Explanation:
    """How every figure of one proposal was computed, for the pages and the PDF."""

    forecast: tuple[ChannelForecast, ...]
    pricing: PriceBreakdown | None  # None when the month could not be priced
    fx_rate: Decimal | None
    term_months: int
    languages_from: str  # "proposal", or "vendor profile" when the proposal lists none
    languages: tuple[LanguageTerm, ...]
    # Share of volume (0-1) served at B2 or better; None when the event states no language.
    language_coverage: Decimal | None
    language_shortfalls: tuple[LanguageShortfall, ...]
    certifications: tuple[CertificationTerm, ...]
    expertise: ExpertiseTerms
    # Every calendar month of the term (term order); `forecast` and `pricing` are the peak's.
    months: tuple[MonthCost, ...] = ()
    # The performance criterion's inputs (a newcomer with no target-month when none is known).
    track_record: TrackRecord = NO_TRACK_RECORD


@dataclass(frozen=True)
class RankedProposal:
    """One row of the ranking (API.md `results[]`) with its explanation."""

    proposal: ProposalId
    vendor: VendorId
    vendor_name: str
    rank: int
    qualified: bool
    disqualification_reasons: tuple[str, ...]
    tco: Decimal | None
    monthly_cost: Decimal | None
    understaffed: tuple[Channel, ...]
    scores: Scores | None
    total: Decimal | None
    provisional: bool
    explanation: Explanation
    # Term months' costs in term order (event currency), and the peak and the low month.
    monthly_costs: tuple[Decimal, ...] = ()
    peak_month: int | None = None
    peak_month_cost: Decimal | None = None
    low_month: int | None = None
    low_month_cost: Decimal | None = None

    @property
    def language_coverage(self) -> Decimal | None:
        """Share of volume (0-1) the proposal serves at B2 or better (see `language_coverage`)."""
        return self.explanation.language_coverage


@dataclass(frozen=True)
class Ranking:
    """An event's ranking (API.md `events/{id}/ranking/`), amounts in the event's currency."""

    currency: str
    provisional: bool
    weights: Weights
    results: tuple[RankedProposal, ...]
    sensitivity: Sensitivity
    staffing: tuple[StaffingResult, ...]
    # The staffing of every distinct calendar month of the term, in term order.
    monthly_staffing: tuple["StaffingMonth", ...] = ()


class WeightsError(ValueError):
    """What-if weights are unusable; `problems` lists every (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))
        self.problems = problems


# Weights ------------------------------------------------------------------------------------


def parse_weights(*, raw: Mapping[str, object]) -> Weights:
    """Weights from a what-if mapping {criterion: whole number 0-100}; they must sum to 100."""
    problems = [(str(key), "is not a criterion") for key in raw if key not in set(Criterion)]
    values: dict[Criterion, int] = {}
    for criterion in Criterion:
        given = raw.get(criterion.value)
        if criterion is Criterion.PERFORMANCE and given in (None, ""):
            given = 0  # optional: what-ifs written before the criterion existed stay valid
        value = _whole_weight(given)
        if value is None:
            problems.append((criterion.value, "must be a whole number from 0 to 100"))
        else:
            values[criterion] = value
    if not problems and sum(values.values()) != 100:
        problems.append(("weights", f"must sum to 100, they sum to {sum(values.values())}"))
    if problems:
        raise WeightsError(problems)
    return Weights(**{criterion.value: value for criterion, value in values.items()})


def parse_weights_query(*, text: str) -> Weights:
    """Weights from the API's `cost:40,expertise:20,security:20,language:20` query value."""
    raw: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    for item in text.split(","):
        name, sep, value = item.partition(":")
        name = name.strip()
        if not sep:
            problems.append(("weights", f"{item.strip()!r} is not criterion:weight"))
        elif name in raw:
            problems.append((name, "is given more than once"))
        else:
            raw[name] = value
    if problems:
        raise WeightsError(problems)
    return parse_weights(raw=raw)


def _whole_weight(value: object) -> int | None:
    """An integer weight in 0..100 from an int or a digit string, else None."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return value
    return None


# Forecast and cost --------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingMonth:
    """The event's staffing in one calendar month of the term, and where the term has it."""

    month: int  # calendar month 1-12
    term_months: tuple[int, ...]  # 1-based positions in the term
    staffing: tuple[StaffingResult, ...]
    # Months with the same key have the same figures (the same volume factor per channel).
    key: tuple[object, ...] = ()


def term_calendar_months(*, event: EventSpec) -> tuple[int, ...]:
    """The calendar month (1-12) of each month of the term, which starts at the start date."""
    first = event.start_date.month - 1
    return tuple((first + n) % 12 + 1 for n in range(event.term_months))


def _channel_staffing(*, event: EventSpec, need: EventChannel, month: int | None) -> StaffingResult:
    """One channel's staffing in a calendar month (None: flat, month-less)."""
    return channel_staffing(
        channel=need.channel,
        monthly_volume=need.monthly_volume,
        aht_seconds=need.aht_seconds,
        opening_hours=need.opening_hours,
        shrinkage=event.shrinkage,
        max_occupancy=event.max_occupancy,
        sl_percent=need.sl_percent,
        sl_seconds=need.sl_seconds,
        patience_seconds=need.patience_seconds,
        profile=need.profile,
        month=month,
    )


def event_staffing(*, event: EventSpec, month: int | None = None) -> tuple[StaffingResult, ...]:
    """Required hours per event channel in a calendar month (None: the flat, month-less one)."""
    return tuple(_channel_staffing(event=event, need=need, month=month) for need in event.channels)


def event_monthly_staffing(*, event: EventSpec) -> tuple[StaffingMonth, ...]:
    """Staffing per channel, band and calendar month of the term: it depends on the event only.

    A channel without a profile is computed once (month None, exactly today's figures);
    months with the same volume factor share one computation, relabelled with their month.
    """
    calendar = term_calendar_months(event=event)
    cache: dict[tuple[int, Decimal], StaffingResult] = {}
    months = []
    for month in dict.fromkeys(calendar):
        row, keys = [], []
        for index, need in enumerate(event.channels):
            if need.profile.flat:
                key = (index, Decimal(-1))
                if key not in cache:
                    cache[key] = _channel_staffing(event=event, need=need, month=None)
                row.append(cache[key])
                keys.append(key)
                continue
            key = (index, need.profile.factor(month))
            if key not in cache:
                cache[key] = _channel_staffing(event=event, need=need, month=month)
            row.append(_relabelled(cache[key], month))
            keys.append(key)
        positions = tuple(n for n, m in enumerate(calendar, start=1) if m == month)
        months.append(
            StaffingMonth(month=month, term_months=positions, staffing=tuple(row), key=tuple(keys))
        )
    return tuple(months)


def _relabelled(result: StaffingResult, month: int) -> StaffingResult:
    """The same figures labelled with another calendar month of the same volume factor."""
    if result.month == month:
        return result
    bands = tuple(replace(band, month=month) for band in result.bands)
    return replace(result, month=month, bands=bands)


def _stated_production_hours(
    *, event: EventSpec, hours: Decimal | None, fte: Decimal | None, short_by_hours: bool
) -> Decimal:
    """The production hours a short stated figure gives (FTE x fte_hours x (1 - shrinkage))."""
    if short_by_hours and hours is not None:
        return hours
    return (fte or ZERO) * event.fte_hours * (1 - event.shrinkage)


def _short_bands(
    *, event: EventSpec, need: StaffingResult, stated_hours: Decimal
) -> tuple[BandShortfall, ...]:
    """Bands needing more agents than the stated hours give when spread over the open hours.

    The stated figure is a monthly total for the channel; where that total is short, some band
    necessarily needs more agents than the total spread evenly gives: those bands are named.
    """
    if not need.bands or not need.opening_hours:
        return ()
    even = stated_hours / need.opening_hours
    return tuple(
        BandShortfall(band=band.band, agents_needed=band.agents, agents_stated=even)
        for band in need.bands
        if band.agents > even
    )


def forecast_usage(
    *,
    event: EventSpec,
    staffing: Sequence[StaffingResult],
    price_list: PriceList,
    month: int | None = None,
) -> tuple[ChannelForecast, ...]:
    """A bid's forecast per priced event channel: dedicated figures are max(stated, required).

    Stated hours and FTE are monthly totals of the channel, judged against the month's
    required total (the sum over its bands).
    """
    forecasts = []
    for need in staffing:
        price = price_list.price_for(need.channel)
        if price is None:
            continue  # unpriced: a disqualification reason, not a forecast
        required_fte = (need.paid_hours / event.fte_hours).to_integral_value(ROUND_CEILING)
        hours, fte = price.stated_hours, price.stated_fte
        short_hours = hours is not None and hours < need.production_hours
        short = short_hours or (fte is not None and fte < required_fte)
        understaffed = price.dedicated and short
        billed_hours = need.production_hours if hours is None else max(hours, need.production_hours)
        short_bands: tuple[BandShortfall, ...] = ()
        if understaffed:
            stated = _stated_production_hours(
                event=event, hours=hours, fte=fte, short_by_hours=short_hours
            )
            short_bands = _short_bands(event=event, need=need, stated_hours=stated)
        forecasts.append(
            ChannelForecast(
                channel=need.channel,
                model=price.model,
                price_channel=price.channel,
                staffing=need,
                contacts=need.monthly_volume,
                handled_minutes=need.monthly_volume * need.aht_seconds / 60,
                required_production_hours=need.production_hours,
                stated_hours=hours,
                production_hours=billed_hours,
                required_fte=required_fte,
                stated_fte=fte,
                fte=required_fte if fte is None else max(fte, required_fte),
                understaffed=understaffed,
                month=month,
                short_bands=short_bands,
            )
        )
    return tuple(forecasts)


def fx_rate_for(*, event: EventSpec, currency: str) -> Decimal | None:
    """Event-currency units per unit of `currency`: 1 for the event's own, None when unknown."""
    if currency.upper() == event.currency.upper():
        return ONE
    rates = {code.upper(): rate for code, rate in event.fx_rates.items()}
    return rates.get(currency.upper())


def _band_usage(
    *, event: EventSpec, forecast: ChannelForecast, price: ChannelPrice | None
) -> tuple[BandUsage, ...]:
    """A forecast's usage band by band, for hybrids scoped by bands; empty when not needed.

    Real-time: each band's volume and its agents x hours (scaled up like the channel when the
    stated figures exceed the requirement). Deferred: the channel's usage by band share.
    """
    if price is None or not any(c.bands for c in price.components):
        return ()
    need, spec = forecast.staffing, _event_channel(event=event, channel=forecast.channel)
    scale = ONE
    if forecast.required_production_hours:
        scale = forecast.production_hours / forecast.required_production_hours
    if forecast.required_fte and forecast.fte > forecast.required_fte:
        scale = max(scale, forecast.fte / forecast.required_fte)
    parts = []
    if need.bands:
        for band in need.bands:
            hours = band.production_hours * scale
            parts.append(
                BandUsage(
                    band=band.band,
                    contacts=band.volume,
                    handled_minutes=band.volume * need.aht_seconds / 60,
                    production_hours=hours,
                    paid_hours=hours / (1 - event.shrinkage),
                )
            )
        return tuple(parts)
    bands = spec.profile.bands_for(spec.opening_hours) if spec else ()
    for share_band in bands:
        hours = forecast.production_hours * share_band.share
        parts.append(
            BandUsage(
                band=share_band.name,
                contacts=forecast.contacts * share_band.share,
                handled_minutes=forecast.handled_minutes * share_band.share,
                production_hours=hours,
                paid_hours=hours / (1 - event.shrinkage),
            )
        )
    return tuple(parts)


def _event_channel(*, event: EventSpec, channel: Channel) -> EventChannel | None:
    """The event's requirement for a channel."""
    return next((c for c in event.channels if c.channel == channel), None)


def price_forecast(
    *,
    event: EventSpec,
    price_list: PriceList,
    forecast: Sequence[ChannelForecast],
    month: int | None = None,
    validated: bool = False,
) -> PriceBreakdown | None:
    """A bid's price for a month in the event's currency, or None when it cannot be priced."""
    rate = fx_rate_for(event=event, currency=price_list.currency)
    if rate is None:
        return None
    usage = [
        ChannelUsage(
            channel=f.channel,
            contacts=f.contacts,
            handled_minutes=f.handled_minutes,
            production_hours=f.production_hours,
            paid_hours=f.production_hours / (1 - event.shrinkage),
            fte=f.fte,
            bands=_band_usage(event=event, forecast=f, price=price_list.price_for(f.channel)),
        )
        for f in forecast
    ]
    try:
        return price_usage(
            price_list=price_list,
            usage=usage,
            fte_hours=event.fte_hours,
            currency=event.currency,
            fx_rate=rate,
            month=month,
            validated=validated,
        )
    except PricingError:
        return None  # the reasons are reported by disqualification_reasons


def tco(*, breakdown: PriceBreakdown, term_months: int) -> Decimal:
    """Total cost of ownership: one-off fees + term x (monthly charge + fixed fees), converted."""
    return breakdown.converted.one_off_fees + term_months * breakdown.converted.monthly_total


def term_tco(*, months: Sequence[MonthCost]) -> Decimal | None:
    """One-off fees + the sum over the term's months of (charge with minimum + fixed fees).

    Equal monthly totals are multiplied by their count, so a flat profile gives exactly
    one-off fees + term x monthly total; None when a month could not be priced.
    """
    counts: dict[Decimal, int] = {}
    for month in months:
        if month.pricing is None:
            return None
        total = month.pricing.converted.monthly_total
        counts[total] = counts.get(total, 0) + len(month.term_months)
    if not months or months[0].pricing is None:
        return None
    one_off = months[0].pricing.converted.one_off_fees
    return one_off + sum((total * count for total, count in counts.items()), ZERO)


def peak_month(*, months: Sequence[MonthCost]) -> MonthCost | None:
    """The month with the highest total (earliest in the term on a tie); None if unpriced."""
    priced = [m for m in months if m.total is not None]
    if not priced:
        return None
    return min(priced, key=lambda m: (-(m.total or ZERO), m.term_months[0]))


def low_month(*, months: Sequence[MonthCost]) -> MonthCost | None:
    """The month with the lowest total (earliest in the term on a tie); None if unpriced."""
    priced = [m for m in months if m.total is not None]
    if not priced:
        return None
    return min(priced, key=lambda m: (m.total or ZERO, m.term_months[0]))


def monthly_costs(*, months: Sequence[MonthCost], term_months: int) -> tuple[Decimal, ...]:
    """Each term month's total in term order (empty when a month is unpriced)."""
    by_position: dict[int, Decimal] = {}
    for month in months:
        if month.total is None:
            return ()
        for position in month.term_months:
            by_position[position] = month.total
    return tuple(by_position[n] for n in range(1, term_months + 1) if n in by_position)


# Qualification and scores -------------------------------------------------------------------


def certification_key(*, name: str) -> str:
    """Certification names compare case- and space-insensitively (`ISO 27001` = `iso27001`)."""
    return "".join(name.split()).casefold()


def _valid_on(*, certification: Certification, day: date) -> bool:
    """Whether a certificate is valid on a day (no expiry date: always)."""
    return certification.valid_until is None or certification.valid_until >= day


def coverage_reasons(*, event: EventSpec, price_list: PriceList) -> tuple[str, ...]:
    """Per event channel, where a scoped hybrid does not cover its bands and months once."""
    reasons: list[str] = []
    checked: dict[tuple[int, tuple[str, ...]], list[str]] = {}
    for need in event.channels:
        price = price_list.price_for(need.channel)
        if price is None or not price.scoped:
            continue
        key = (id(price), need.band_names())
        if key not in checked:
            checked[key] = coverage_problems(price=price, bands=key[1])
        reasons.extend(f"channel {need.channel}: {message}" for message in checked[key])
    return tuple(reasons)


def disqualification_reasons(
    *,
    event: EventSpec,
    proposal: ProposalSpec,
    coverage: tuple[str, ...] | None = None,
    price_problems: list[tuple[str, str]] | None = None,
) -> tuple[str, ...]:
    """Every knock-out reason of a proposal; empty when it qualifies.

    `coverage` and `price_problems` may pass what the caller computed already.
    """
    reasons: list[str] = []
    held: dict[str, list[Certification]] = {}
    for cert in proposal.vendor.certifications:
        held.setdefault(certification_key(name=cert.name), []).append(cert)
    for name in event.must_have_certifications:
        certs = held.get(certification_key(name=name), [])
        if not certs:
            reasons.append(f"must-have certification {name} is missing")
        elif not any(_valid_on(certification=c, day=event.start_date) for c in certs):
            expiry = max(c.valid_until for c in certs if c.valid_until is not None)
            reasons.append(
                f"must-have certification {name} expired on {expiry.isoformat()}, "
                f"before the start date {event.start_date.isoformat()}"
            )
    offered, _ = offered_languages(proposal=proposal)
    shortfalls = language_shortfalls(required=event.languages, offered=offered)
    reasons += [shortfall.sentence() for shortfall in shortfalls]
    for need in event.channels:
        price = proposal.price_list.price_for(need.channel)
        if price is None:
            reasons.append(f"channel {need.channel} is not priced")
            continue
    if coverage is None:
        coverage = coverage_reasons(event=event, price_list=proposal.price_list)
    reasons.extend(coverage)
    currency = proposal.price_list.currency
    if fx_rate_for(event=event, currency=currency) is None:
        reasons.append(f"no FX rate from {currency} to {event.currency}")
    if price_problems is None:
        price_problems = validate_price_list(price_list=proposal.price_list)
    for name, message in price_problems:
        reasons.append(f"invalid price list: {name} {message}")
    return tuple(reasons)


def cost_score(*, tco: Decimal, lowest_tco: Decimal) -> Decimal:
    """100 x lowest TCO among qualified proposals / this TCO (100 for a free proposal)."""
    return HUNDRED if tco == 0 else HUNDRED * lowest_tco / tco


def _language_key(tag: str) -> str:
    """The language subtag: `en-GB` and `EN-us` are both `en` (callers validate the tags)."""
    return tag.strip().split("-")[0].lower()


def level_rank(level: str | None) -> int:
    """A level's place in A1 < A2 < B1 < B2 < C1 < C2 < native; 0 for anything else."""
    return LEVEL_ORDER.get((level or "").strip().lower(), 0)


def level_label(level: str) -> str:
    """A level as people write it: `C1`, `native`."""
    key = level.strip().lower()
    return key if key == "native" else key.upper()


def percent_text(fraction: Decimal) -> str:
    """A 0-1 fraction as a percentage without trailing zeros: 0.6 -> `60%`, 0.125 -> `12.5%`."""
    value = two_places(fraction * HUNDRED).normalize()
    return f"{value:f}%"


def offered_languages(*, proposal: ProposalSpec) -> tuple[tuple[OfferedLanguage, ...], str]:
    """The languages a proposal is judged on and where they come from.

    A proposal that restates no languages is judged on its vendor's profile, every hour covered.
    """
    if proposal.languages:
        return proposal.languages, "proposal"
    profile = tuple(OfferedLanguage(tag=x.tag, level=x.level) for x in proposal.vendor.languages)
    return profile, "vendor profile"


def meets_requirement(*, need: RequiredLanguage, offer: OfferedLanguage) -> bool:
    """Whether one offer meets a required language: same language, level and coverage enough."""
    return (
        _language_key(offer.tag) == _language_key(need.tag)
        and level_rank(offer.level) >= level_rank(need.minimum_level)
        and offer.hours_coverage >= need.minimum_hours_coverage
    )


def language_shortfalls(
    *, required: Sequence[RequiredLanguage], offered: Sequence[OfferedLanguage]
) -> tuple[LanguageShortfall, ...]:
    """Each required language that no single offer meets at its minimum level and coverage.

    One offer must meet both: two offers of the same language may cover the same hours, so
    their coverages are not added.
    """
    shortfalls = []
    for need in required:
        if not need.required or need.minimum_level is None:
            continue
        if any(meets_requirement(need=need, offer=offer) for offer in offered):
            continue
        same = [o for o in offered if _language_key(o.tag) == _language_key(need.tag)]
        same.sort(key=lambda o: (-level_rank(o.level), -o.hours_coverage, o.tag))
        shortfalls.append(
            LanguageShortfall(
                tag=need.tag,
                minimum_level=need.minimum_level,
                minimum_hours_coverage=need.minimum_hours_coverage,
                offered=tuple(same),
            )
        )
    return tuple(shortfalls)


def language_coverage(
    *, required: Sequence[RequiredLanguage], offered: Sequence[OfferedLanguage]
) -> Decimal | None:
    """Share of the volume (0-1) a proposal can serve at B2 or better.

    Sum over the event's languages of share x the largest hours coverage among the offers of
    that language (any region) at B2, C1, C2 or native; a language offered only below B2, or
    not at all, adds 0. None when the event states no language.
    """
    if not required:
        return None
    total = ZERO
    for need in required:
        covered = [
            offer.hours_coverage
            for offer in offered
            if _language_key(offer.tag) == _language_key(need.tag)
            and level_rank(offer.level) >= LEVEL_ORDER[COVERAGE_LEVEL]
        ]
        total += need.share * max(covered, default=ZERO)
    return total


def language_terms(
    *, required: Sequence[RequiredLanguage], offered: Sequence[OfferedLanguage]
) -> tuple[LanguageTerm, ...]:
    """Per required language, the best offered match by proficiency x hours coverage."""
    terms = []
    for need in required:
        best: tuple[Decimal, OfferedLanguage | None] = (ZERO, None)
        for offer in offered:
            if _language_key(offer.tag) == _language_key(need.tag):
                proficiency = PROFICIENCY.get(offer.level.strip().lower(), ZERO)
                value = proficiency * offer.hours_coverage
                if best[1] is None or value > best[0]:
                    best = (value, offer)
        match = best[1]
        proficiency = PROFICIENCY.get(match.level.strip().lower(), ZERO) if match else ZERO
        terms.append(
            LanguageTerm(
                tag=need.tag,
                share=need.share,
                matched_tag=match.tag if match else None,
                level=match.level if match else None,
                proficiency=proficiency,
                hours_coverage=match.hours_coverage if match else ZERO,
                value=need.share * best[0],
            )
        )
    return tuple(terms)


def language_score(*, terms: Sequence[LanguageTerm]) -> Decimal:
    """100 x sum of share x proficiency x hours coverage; 100 when no language is required."""
    if not terms:
        return HUNDRED
    return HUNDRED * sum((term.value for term in terms), ZERO)


def certification_terms(
    *, event: EventSpec, vendor: VendorProfile
) -> tuple[CertificationTerm, ...]:
    """Each desired certification and whether the vendor holds it valid on the start date."""
    valid = {
        certification_key(name=c.name)
        for c in vendor.certifications
        if _valid_on(certification=c, day=event.start_date)
    }
    return tuple(
        CertificationTerm(
            name=d.name, points=d.points, held=certification_key(name=d.name) in valid
        )
        for d in event.desired_certifications
    )


def security_score(*, terms: Sequence[CertificationTerm]) -> Decimal:
    """100 x points held / points available; 100 when no points are available."""
    available = sum(term.points for term in terms)
    if available == 0:
        return HUNDRED
    return HUNDRED * sum(term.points for term in terms if term.held) / available


def median_rating(*, ratings: Sequence[int]) -> Decimal | None:
    """The median of 0-5 ratings as a Decimal (mean of the middle two); None without ratings."""
    if any(isinstance(r, bool) or not 0 <= r <= 5 for r in ratings):
        raise ValueError(f"ratings must be whole numbers 0-5, got {list(ratings)}")
    ordered = sorted(ratings)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return Decimal(ordered[middle - 1] + ordered[middle]) / 2


def expertise_terms(
    *, event: EventSpec, vendor: VendorProfile, ratings: Sequence[int]
) -> ExpertiseTerms:
    """Industry years (capped), share of event channels served, median rating."""
    wanted = " ".join(event.industry.split()).casefold()
    years = ZERO
    for industry, value in vendor.industries.items():
        if " ".join(industry.split()).casefold() == wanted:
            years = max(years, Decimal(value))
    channels = {need.channel for need in event.channels}
    served = len(channels & vendor.channels)
    return ExpertiseTerms(
        industry_years=min(years, MAX_INDUSTRY_YEARS),
        channel_share=Decimal(served) / len(channels) if channels else ONE,
        median_rating=median_rating(ratings=ratings),
    )


def expertise_score(*, terms: ExpertiseTerms) -> Decimal:
    """100 x (0.4 x years/10 + 0.3 x channel share + 0.3 x rating/5), rescaled without ratings."""
    known = (
        Decimal("0.4") * terms.industry_years / MAX_INDUSTRY_YEARS
        + Decimal("0.3") * terms.channel_share
    )
    if terms.median_rating is None:
        # DOMAIN.md: drop the rating term and rescale 0.4 and 0.3 to sum to 1.
        return HUNDRED * known / Decimal("0.7")
    return HUNDRED * (known + Decimal("0.3") * terms.median_rating / 5)


def total_score(*, weights: Weights, scores: Scores) -> Decimal:
    """Sum of weight x score / 100, exact for the given scores."""
    with localcontext(_EXACT):
        return sum((weights.of(c) * scores.of(c) for c in Criterion), ZERO) / 100


# Ranking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contender:
    """A qualified proposal as the ranking compares it: scores, then TCO, then submission."""

    proposal: ProposalId
    scores: Scores
    tco: Decimal
    submitted_at: datetime

    @property
    def tie_key(self) -> tuple[Decimal, datetime, str]:
        """Ties on total go to the lower TCO, then the earlier submission (then the id)."""
        return (self.tco, self.submitted_at, str(self.proposal))


def rank_key(*, weights: Weights, contender: Contender) -> tuple[Decimal, Decimal, datetime, str]:
    """Sort key putting the best first: total descending, then the tie key ascending."""
    # copy_negate() is exact; unary minus would round the exact total to 28 digits.
    return (total_score(weights=weights, scores=contender.scores).copy_negate(), *contender.tie_key)


def rank_order(*, weights: Weights, contenders: Sequence[Contender]) -> list[Contender]:
    """Contenders best first: total descending, then lower TCO, then earlier submission."""
    return sorted(contenders, key=lambda c: rank_key(weights=weights, contender=c))


def flip(*, criterion: Criterion, weights: Weights, contenders: Sequence[Contender]) -> Flip | None:
    """Where the leader changes as `criterion`'s weight moves, nearest today's, or None (robust).

    The criterion's weight x moves over 0..100 and the other weights share 100 - x in their
    current proportions (equally when they are all 0). Every total is then linear in x, so
    each rival's crossing with the leader is solved exactly (in fractions) instead of scanned
    for. The new winner is whoever ranks first just past that crossing (at it, when it is 0 or
    100 and the tie-break already favours them).
    """
    if len(contenders) < 2:
        return None
    today = Fraction(weights.of(criterion))
    others = [c for c in Criterion if c is not criterion]
    spread = {c: weights.of(c) for c in others}
    if sum(spread.values()) == 0:
        spread = dict.fromkeys(equal_share_criteria(criterion), 1)
    room = sum(spread.values())
    with localcontext(_EXACT):  # sums of 28-digit scores times integers: exact at 100 digits

        def line(c: Contender) -> tuple[Decimal, Decimal]:
            """100 x room x total(x) = a + b x, exactly."""
            rest = sum((n * c.scores.of(k) for k, n in spread.items()), ZERO)
            return 100 * rest, c.scores.of(criterion) * room - rest

        lines = {id(c): line(c) for c in contenders}
        leader = min(contenders, key=lambda c: rank_key(weights=weights, contender=c))
        lead_a, lead_b = lines[id(leader)]
        ups: list[tuple[Fraction, Contender]] = []
        downs: list[tuple[Fraction, Contender]] = []
        for rival in (c for c in contenders if c is not leader):
            alpha, beta = lines[id(rival)][0] - lead_a, lines[id(rival)][1] - lead_b
            wins_tie = rival.tie_key < leader.tie_key
            if beta > 0:
                at_100 = alpha + 100 * beta
                if at_100 > 0 or (at_100 == 0 and wins_tie):
                    ups.append((Fraction(-alpha) / Fraction(beta), rival))
            elif beta < 0 and (alpha > 0 or (alpha == 0 and wins_tie)):
                downs.append((Fraction(-alpha) / Fraction(beta), rival))
    crossings = []
    if downs:
        crossings.append((max(x for x, _ in downs), -1, downs))
    if ups:
        crossings.append((min(x for x, _ in ups), 1, ups))
    if not crossings:
        return None
    x, step, side = min(crossings, key=lambda found: (abs(found[0] - today), found[0]))
    beyond = 0 if x in (0, 100) else step  # at a bound there is no "just past"
    # At x the rivals crossing there tie the leader and every other one is behind it.
    candidates = [leader, *(rival for at, rival in side if at == x)]

    def key_at_x(c: Contender) -> tuple[Fraction, Fraction, tuple[Decimal, datetime, str]]:
        a, b = (Fraction(v) for v in lines[id(c)])
        return (-(a + b * x), -beyond * b, c.tie_key)

    winner = min(candidates, key=key_at_x)
    with localcontext(_EXACT):
        weight = two_places(Decimal(x.numerator) / Decimal(x.denominator))
    return Flip(weight=weight, new_winner=winner.proposal)


def flip_weight(
    *, criterion: Criterion, weights: Weights, contenders: Sequence[Contender]
) -> Decimal | None:
    """The weight of `criterion` nearest today's at which the leader changes, or None."""
    found = flip(criterion=criterion, weights=weights, contenders=contenders)
    return None if found is None else found.weight


def sensitivity(*, weights: Weights, contenders: Sequence[Contender]) -> Sensitivity:
    """Where the leader changes for every criterion (see `flip`)."""
    flips = {c.value: flip(criterion=c, weights=weights, contenders=contenders) for c in Criterion}
    return Sensitivity(**flips)


def rescale_weights(*, weights: Weights, criterion: Criterion, value: int) -> Weights:
    """What-if weights with `criterion` set to `value`, the others sharing 100 - value.

    The others keep their proportions in `weights` (equal shares when they are all 0), as in
    the sensitivity. To stay whole numbers summing to exactly 100, each gets the floor of its
    exact share and the points left over go one each to the largest remainders (ties: in the
    order cost, expertise, security, language). The comparison page's sliders do the same.
    """
    if not 0 <= value <= 100:
        raise WeightsError([(criterion.value, "must be a whole number from 0 to 100")])
    others = [c for c in Criterion if c is not criterion]
    base = {c: weights.of(c) for c in others}
    if sum(base.values()) == 0:
        base = dict.fromkeys(others, 0) | dict.fromkeys(equal_share_criteria(criterion), 1)
    room, total = 100 - value, sum(base.values())
    exact = {c: Fraction(room * n, total) for c, n in base.items()}
    result = {c: int(share) for c, share in exact.items()}  # floor: shares are >= 0
    left = room - sum(result.values())
    by_remainder = sorted(others, key=lambda c: -(exact[c] - result[c]))  # stable: list order
    for c in by_remainder[:left]:
        result[c] += 1
    result[criterion] = value
    return Weights(**{c.value: result[c] for c in Criterion})


@dataclass(frozen=True)
class _Assessment:
    """A proposal's weight-independent figures: reasons, forecast, price, score terms."""

    proposal: ProposalSpec
    reasons: tuple[str, ...]
    tco: Decimal | None
    explanation: Explanation


def _scope_key(*, price_list: PriceList, month: int) -> tuple[int, ...]:
    """Which month-scoped components price a calendar month (months pricing alike share a key)."""
    return tuple(
        n
        for n, price in enumerate(price_list.channel_prices)
        for c in price.components
        if c.months and month in c.months
    )


def _month_costs(
    *,
    event: EventSpec,
    staffing: Sequence[StaffingMonth],
    price_list: PriceList,
    priced: bool,
    validated: bool = False,
) -> tuple[MonthCost, ...]:
    """The bid's forecast and price in every calendar month of the term.

    Months with the same staffing and the same month-scoped components price alike and are
    computed once (a flat event prices one month, exactly as before profiles existed).
    """
    cache: dict[tuple[object, ...], tuple[tuple[ChannelForecast, ...], PriceBreakdown | None]] = {}
    months = []
    for staffing_month in staffing:
        flat = all(r.month is None for r in staffing_month.staffing)
        key = (
            *(staffing_month.key or tuple(id(r) for r in staffing_month.staffing)),
            _scope_key(price_list=price_list, month=staffing_month.month),
        )
        # Months alike in volume and in the components that apply are priced once; their
        # forecasts keep the first such month's label (the figures are the same).
        if key in cache:
            forecast, breakdown = cache[key]
        else:
            month = None if flat else staffing_month.month
            forecast = forecast_usage(
                event=event, staffing=staffing_month.staffing, price_list=price_list, month=month
            )
            breakdown = None
            if priced and len(forecast) == len(staffing_month.staffing):
                breakdown = price_forecast(
                    event=event, price_list=price_list, forecast=forecast,
                    month=staffing_month.month, validated=validated,
                )  # fmt: skip
            cache[key] = (forecast, breakdown)
        months.append(
            MonthCost(
                month=staffing_month.month,
                term_months=staffing_month.term_months,
                forecast=forecast,
                pricing=breakdown,
            )
        )
    return tuple(months)


def _assess(
    *, event: EventSpec, staffing: Sequence[StaffingMonth], proposal: ProposalSpec
) -> _Assessment:
    """Everything about one proposal that does not depend on the weights or the others."""
    coverage = coverage_reasons(event=event, price_list=proposal.price_list)
    problems = validate_price_list(price_list=proposal.price_list)
    reasons = disqualification_reasons(
        event=event, proposal=proposal, coverage=coverage, price_problems=problems
    )
    # A price list whose scopes leave gaps cannot be priced honestly month by month.
    months = _month_costs(
        event=event,
        staffing=staffing,
        price_list=proposal.price_list,
        priced=not coverage,
        validated=not problems,
    )
    peak = peak_month(months=months)
    shown = peak or months[0]
    forecast, breakdown = shown.forecast, shown.pricing
    total_cost = term_tco(months=months)
    if total_cost is None:
        breakdown = None
    if breakdown is None and not reasons:
        reasons = ("the forecast could not be priced",)
    offered, source = offered_languages(proposal=proposal)
    explanation = Explanation(
        forecast=forecast,
        pricing=breakdown,
        fx_rate=fx_rate_for(event=event, currency=proposal.price_list.currency),
        term_months=event.term_months,
        languages_from=source,
        languages=language_terms(required=event.languages, offered=offered),
        language_coverage=language_coverage(required=event.languages, offered=offered),
        language_shortfalls=language_shortfalls(required=event.languages, offered=offered),
        certifications=certification_terms(event=event, vendor=proposal.vendor),
        expertise=expertise_terms(event=event, vendor=proposal.vendor, ratings=proposal.ratings),
        months=months,
        track_record=proposal.track_record or NO_TRACK_RECORD,
    )
    return _Assessment(proposal=proposal, reasons=reasons, tco=total_cost, explanation=explanation)


def _row(
    *, assessment: _Assessment, rank: int, scores: Scores | None, weights: Weights
) -> RankedProposal:
    """One ranking row; scores None means disqualified and unscored."""
    proposal, explanation = assessment.proposal, assessment.explanation
    pricing = explanation.pricing
    months = explanation.months if pricing is not None else ()
    costs = monthly_costs(months=months, term_months=explanation.term_months)
    peak, low = peak_month(months=months), low_month(months=months)
    understaffed = dict.fromkeys(
        f.channel for month in explanation.months for f in month.forecast if f.understaffed
    )
    return RankedProposal(
        proposal=proposal.id,
        vendor=proposal.vendor.id,
        vendor_name=proposal.vendor.name,
        rank=rank,
        qualified=scores is not None,
        disqualification_reasons=assessment.reasons,
        tco=assessment.tco,
        monthly_cost=_average_cost(costs=costs, pricing=pricing),
        understaffed=tuple(understaffed),
        scores=scores,
        total=None if scores is None else total_score(weights=weights, scores=scores),
        provisional=explanation.expertise.median_rating is None,
        explanation=explanation,
        monthly_costs=costs,
        peak_month=None if peak is None else peak.month,
        peak_month_cost=None if peak is None else peak.total,
        low_month=None if low is None else low.month,
        low_month_cost=None if low is None else low.total,
    )


def _average_cost(*, costs: Sequence[Decimal], pricing: PriceBreakdown | None) -> Decimal | None:
    """The average month over the term; a flat term's one monthly total exactly."""
    if pricing is None:
        return None
    if not costs or len(set(costs)) == 1:
        return pricing.converted.monthly_total
    return sum(costs, ZERO) / len(costs)


def rank_event(
    *, event: EventSpec, proposals: Sequence[ProposalSpec], weights: Weights | None = None
) -> Ranking:
    """Score and rank an event's proposals (what-if `weights` replace the event's)."""
    if weights is None:
        weights = event.weights
    staffing = event_monthly_staffing(event=event)
    assessments = [_assess(event=event, staffing=staffing, proposal=p) for p in proposals]
    qualified = [a for a in assessments if not a.reasons]
    lowest = min((a.tco for a in qualified if a.tco is not None), default=ZERO)
    pairs = [
        (
            _contender(
                assessment=a, lowest_tco=lowest, newcomer_performance=event.newcomer_performance
            ),
            a,
        )
        for a in qualified
    ]
    pairs.sort(key=lambda pair: rank_key(weights=weights, contender=pair[0]))
    rows = [
        _row(assessment=a, rank=n, scores=c.scores, weights=weights)
        for n, (c, a) in enumerate(pairs, start=1)
    ]
    rejected = sorted(
        (a for a in assessments if a.reasons),
        key=lambda a: (a.proposal.submitted_at, str(a.proposal.id)),
    )
    rows += [
        _row(assessment=a, rank=n, scores=None, weights=weights)
        for n, a in enumerate(rejected, start=len(rows) + 1)
    ]
    return Ranking(
        currency=event.currency,
        provisional=any(row.provisional for row in rows if row.qualified),
        weights=weights,
        results=tuple(rows),
        sensitivity=sensitivity(weights=weights, contenders=[c for c, _ in pairs]),
        staffing=staffing[0].staffing if staffing else (),
        monthly_staffing=staffing,
    )


def _contender(
    *, assessment: _Assessment, lowest_tco: Decimal, newcomer_performance: Decimal
) -> Contender:
    """A qualified proposal with its five scores."""
    explanation = assessment.explanation
    # Qualified means priced: _assess turns "could not be priced" into a reason.
    if assessment.tco is None:
        raise ValueError(f"proposal {assessment.proposal.id} is qualified but has no TCO")
    scores = Scores(
        cost=cost_score(tco=assessment.tco, lowest_tco=lowest_tco),
        expertise=expertise_score(terms=explanation.expertise),
        security=security_score(terms=explanation.certifications),
        language=language_score(terms=explanation.languages),
        performance=performance_score(
            record=explanation.track_record, newcomer_performance=newcomer_performance
        ),
    )
    return Contender(
        proposal=assessment.proposal.id,
        scores=scores,
        tco=assessment.tco,
        submitted_at=assessment.proposal.submitted_at,
    )

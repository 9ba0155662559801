"""An event's ranking rounded and spelt out: what the API, the page and the exports show.

The API, the comparison page and its CSV/XLSX exports all show one `Comparison`, so they agree
to the cent. Arithmetic stays at full precision in `vendors.domain.scoring`; these builders
only round (money half-up to cents, everything else to two places) and spell the formulas out.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from core.formatting import number
from core.money import cents, two_places
from vendors.domain.pricing import DEDICATED_MODELS, PriceBreakdown, PriceTotals
from vendors.domain.scoring import (
    CertificationTerm,
    ChannelForecast,
    Criterion,
    EventSpec,
    ExpertiseTerms,
    Flip,
    LanguageShortfall,
    LanguageTerm,
    MonthCost,
    ProposalId,
    RankedProposal,
    Ranking,
    Scores,
    StaffingMonth,
    VendorId,
    Weights,
    level_label,
    percent_text,
)
from vendors.domain.staffing import StaffingResult
from vendors.labels import month_label

# Human labels of the criteria, as the sentences name them.
CRITERION_LABELS = {
    "cost": gettext_lazy("cost"),
    "expertise": gettext_lazy("expertise"),
    "security": gettext_lazy("security"),
    "language": gettext_lazy("language"),
    "performance": gettext_lazy("performance"),
}

ZERO = Decimal(0)


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else cents(value)


def _two(value: Decimal | None) -> Decimal | None:
    return None if value is None else two_places(value)


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else two_places(value * 100)


def _plain(value: Decimal) -> Decimal:
    """A figure as entered, without trailing zeros (`0.900000` -> `0.9`, `32.0000` -> `32`)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _rate(value: Decimal) -> Decimal:
    """A rate as the proposals API shows it: as entered, with at least two decimals."""
    two = value.quantize(Decimal("0.01"))
    return two if two == value else value.normalize()


def _money(value: Decimal) -> str:
    """A money amount in a formula: half-up to cents with the reader's separators."""
    return number(cents(value), 2)


def _num(value: Decimal | int) -> str:
    """A figure in a formula as it was entered (no trailing zeros), with the reader's decimal
    mark (the figures here are shares, ratings and years: never grouped in practice)."""
    return number(Decimal(value))


@dataclass(frozen=True)
class StaffingFigures:
    """A channel's required staffing (Erlang C for real-time channels), rounded for showing."""

    channel: str
    realtime: bool
    monthly_volume: Decimal
    aht_seconds: Decimal
    opening_hours: Decimal
    sl_target_percent: Decimal | None
    sl_seconds: Decimal | None
    arrivals_per_hour: Decimal | None
    traffic_erlangs: Decimal | None
    agents: int | None
    service_level_percent: Decimal | None
    occupancy_percent: Decimal
    workload_hours: Decimal
    production_hours: Decimal
    paid_hours: Decimal
    required_fte: Decimal


@dataclass(frozen=True)
class BandMonthFigures:
    """One band of a real-time channel in one month of the term, rounded (API `staffing[]`)."""

    channel: str
    band: str
    month: str  # YYYY-MM: the first month of the term in that calendar month
    calendar_month: int
    hours: Decimal
    volume: Decimal
    arrival_rate: Decimal  # calls an hour
    traffic: Decimal  # Erlangs
    agents: int
    service_level: Decimal  # percent of all offered contacts answered in time
    occupancy: Decimal  # percent
    p_abandon: Decimal | None  # percent of offered contacts abandoned (Erlang A only)
    production_hours: Decimal


@dataclass(frozen=True)
class MonthCostFigures:
    """One month of the term: its cost (charge with minimum + fixed fees), event currency."""

    month: str  # YYYY-MM
    calendar_month: int
    cost: Decimal


@dataclass(frozen=True)
class ShortfallFigures:
    """Where stated hours or FTE fall short: the month, and each short band's agents."""

    channel: str
    month: str  # YYYY-MM of the first term month with that calendar month
    calendar_month: int
    band: str | None  # None: the channel as a whole (deferred channels have no bands)
    required_hours: Decimal
    stated_hours: Decimal  # the stated hours, or stated FTE as production hours
    agents_needed: int | None
    agents_stated: Decimal | None  # the stated hours spread evenly over the opening hours
    sentence: str


@dataclass(frozen=True)
class ChannelFigures:
    """One channel of a bid: the price that applied, required vs stated vs billed figures."""

    channel: str
    model: str
    price_channel: str | None  # None: the proposal's all-channels price applied
    dedicated: bool  # billed on hours or FTE, so the priced hours and FTE matter
    staffing: StaffingFigures
    required_production_hours: Decimal
    stated_hours: Decimal | None
    production_hours: Decimal
    required_fte: Decimal
    stated_fte: Decimal | None
    fte: Decimal
    understaffed: bool
    contacts: Decimal
    handled_minutes: Decimal
    monthly_cost: Decimal | None  # the channel's priced lines, in the event's currency


@dataclass(frozen=True)
class LanguageFigures:
    """A required language's contribution in points: 100 x share x proficiency x coverage."""

    tag: str
    share: Decimal
    matched_tag: str | None
    level: str | None
    proficiency: Decimal
    hours_coverage: Decimal
    points: Decimal


@dataclass(frozen=True)
class ScoreFormulas:
    """Each score and the total spelt out with the numbers that made them."""

    cost: str
    expertise: str
    security: str
    language: str
    total: str
    performance: str = ""


@dataclass(frozen=True)
class TrackRecordFigures:
    """The performance criterion's inputs (API `results[].track_record`): the vendor's judged
    target-months over `period_from`..`period_to` (YYYY-MM), its score (None for a newcomer)
    and the score the ranking used (the event's newcomer score for a newcomer)."""

    judged: int
    met: int
    warning: int
    breach: int
    missing: int
    newcomer: bool
    score: Decimal | None
    performance: Decimal
    newcomer_performance: Decimal
    period_from: str | None
    period_to: str | None


@dataclass(frozen=True)
class Breakdown:
    """How one proposal's figures were computed, rounded for showing (API `explanation`)."""

    currency: str | None  # the proposal's own; None when it could not be priced
    fx_rate: Decimal | None  # event-currency units per unit of the proposal's currency
    term_months: int
    channels: tuple[ChannelFigures, ...]
    pricing: PriceBreakdown | None
    tco_formula: str | None
    languages_from: str
    languages: tuple[LanguageFigures, ...]
    certifications: tuple[CertificationTerm, ...]
    expertise: ExpertiseTerms
    formulas: ScoreFormulas | None  # None: disqualified, unscored


@dataclass(frozen=True)
class ComparisonRow:
    """One proposal as every output shows it (API `results[]` plus extras), rounded."""

    proposal: ProposalId
    vendor: VendorId
    vendor_name: str
    rank: int
    qualified: bool
    disqualification_reasons: tuple[str, ...]
    provisional: bool
    understaffed: tuple[str, ...]
    tco: Decimal | None
    monthly_cost: Decimal | None
    minimum_top_up: Decimal | None  # what the minimum monthly charge added to the usage
    fixed_fees: Decimal | None
    cost_per_contact: Decimal | None  # monthly cost / the event's monthly contacts
    scores: Scores | None
    total: Decimal | None
    # Per event channel, in the event's order: its priced lines in the event's currency.
    channel_costs: tuple[Decimal | None, ...]
    explanation: Breakdown
    # Percent (0-100, two places) of the volume served at B2 or better; None: no language stated.
    language_coverage: Decimal | None = None
    # Month by month over the term (event currency), the peak and the low month, the band x
    # month staffing of those two months, and where stated figures fall short.
    monthly_costs: tuple[MonthCostFigures, ...] = ()
    peak_month: MonthCostFigures | None = None
    low_month: MonthCostFigures | None = None
    staffing: tuple[BandMonthFigures, ...] = ()
    shortfalls: tuple[ShortfallFigures, ...] = ()
    track_record: TrackRecordFigures | None = None


@dataclass(frozen=True)
class SensitivityLine:
    """One criterion's sensitivity as a number and in words, with who would then rank first."""

    criterion: str
    weight: int
    flip_weight: Decimal | None
    sentence: str
    new_winner: ProposalId | None = None
    new_winner_name: str | None = None
    label: str = ""  # the criterion for people, in the reader's language

    @property
    def flip(self) -> dict[str, object] | None:
        """API `sensitivity[criterion]`: {flip_weight, new_winner}, None when robust."""
        if self.flip_weight is None:
            return None
        return {"flip_weight": self.flip_weight, "new_winner": self.new_winner}


@dataclass(frozen=True)
class Comparison:
    """An event's ranking as the API, the comparison page and the exports show it."""

    currency: str
    weights: Weights
    event_weights: Weights
    provisional: bool
    channels: tuple[str, ...]
    monthly_contacts: Decimal
    staffing: tuple[StaffingFigures, ...]
    rows: tuple[ComparisonRow, ...]
    sensitivity: tuple[SensitivityLine, ...]
    # Every real-time channel x band x calendar month of the term (the event's, not a bid's).
    staffing_grid: tuple[BandMonthFigures, ...] = ()
    month_labels: tuple[str, ...] = ()  # YYYY-MM of each term month, in term order

    @property
    def seasonal(self) -> bool:
        """Whether any proposal's cost differs from month to month."""
        return any(
            row.peak_month and row.low_month and row.peak_month.cost != row.low_month.cost
            for row in self.rows
        )

    @property
    def weighs_performance(self) -> bool:
        """Whether the weights used or the event's weigh track record: only then do the
        answers name the performance weight, score and sensitivity (else they read as before
        the criterion existed)."""
        return bool(self.weights.performance or self.event_weights.performance)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The criteria the answers show: performance only when something weighs it."""
        return tuple(
            c for c in Criterion if c is not Criterion.PERFORMANCE or self.weighs_performance
        )

    @property
    def what_if(self) -> bool:
        """Whether the weights are a what-if rather than the event's saved ones."""
        return self.weights != self.event_weights

    @property
    def winner(self) -> ComparisonRow | None:
        """The first-ranked qualified proposal, if any."""
        return next((row for row in self.rows if row.qualified), None)

    def flips(self) -> dict[str, dict[str, object] | None]:
        """API `sensitivity`: criterion -> {flip_weight, new_winner}, or None when robust."""
        return {line.criterion: line.flip for line in self.sensitivity}


class _Memo:
    """Event-level figures shared by every bid of one comparison, rounded once.

    Staffing depends on the event only, so 200 bids point at the same few StaffingResults;
    keyed by identity (the objects are kept alive here, so an id is never reused).
    """

    def __init__(self, fte_hours: Decimal) -> None:
        self.fte_hours = fte_hours
        self._staffing: dict[int, tuple[StaffingResult, StaffingFigures]] = {}
        self._bands: dict[tuple[object, ...], tuple[object, tuple[BandMonthFigures, ...]]] = {}

    def staffing(self, result: StaffingResult) -> StaffingFigures:
        """The rounded figures of a channel's staffing."""
        found = self._staffing.get(id(result))
        if found is None:
            found = self._staffing[id(result)] = (result, _staffing_figures(result, self.fte_hours))
        return found[1]

    def bands(self, staffing: StaffingMonth, start: date) -> tuple[BandMonthFigures, ...]:
        """The rounded band rows of a month's staffing."""
        key = (staffing.month, staffing.term_months[0], *(id(r) for r in staffing.staffing))
        found = self._bands.get(key)
        if found is None:
            found = self._bands[key] = (staffing.staffing, _band_rows(staffing, start))
        return found[1]


def _staffing_figures(result: StaffingResult, fte_hours: Decimal) -> StaffingFigures:
    required_fte = (result.paid_hours / fte_hours).to_integral_value(ROUND_CEILING)
    return StaffingFigures(
        channel=result.channel.value,
        realtime=result.realtime,
        monthly_volume=result.monthly_volume,
        aht_seconds=result.aht_seconds,
        opening_hours=result.opening_hours,
        sl_target_percent=_percent(result.sl_target),
        sl_seconds=result.sl_seconds,
        arrivals_per_hour=_two(result.arrivals_per_hour),
        traffic_erlangs=_two(result.traffic_erlangs),
        agents=result.agents,
        service_level_percent=_percent(result.service_level),
        occupancy_percent=two_places(result.occupancy * 100),
        workload_hours=two_places(result.workload_hours),
        production_hours=two_places(result.production_hours),
        paid_hours=two_places(result.paid_hours),
        required_fte=required_fte,
    )


def term_month(start: date, position: int) -> str:
    """`YYYY-MM` of the 1-based position in a term starting at `start`."""
    index = start.year * 12 + start.month - 1 + position - 1
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _band_rows(staffing: StaffingMonth | None, start: date) -> tuple[BandMonthFigures, ...]:
    """The bands of every real-time channel of one calendar month, rounded."""
    if staffing is None:
        return ()
    label = term_month(start, staffing.term_months[0])
    rows = []
    for result in staffing.staffing:
        for band in result.bands:
            rows.append(
                BandMonthFigures(
                    channel=result.channel.value,
                    band=band.band,
                    month=label,
                    calendar_month=staffing.month,
                    hours=_plain(band.hours),
                    volume=two_places(band.volume),
                    arrival_rate=two_places(band.arrivals_per_hour),
                    traffic=two_places(band.traffic),
                    agents=band.agents,
                    service_level=two_places(band.service_level * 100),
                    occupancy=two_places(band.occupancy * 100),
                    p_abandon=None if band.p_abandon is None else two_places(band.p_abandon * 100),
                    production_hours=two_places(band.production_hours),
                )
            )
    return tuple(rows)


def staffing_grid(*, ranking: Ranking, start: date) -> tuple[BandMonthFigures, ...]:
    """Every real-time channel x band x calendar month of the term, in term order."""
    return tuple(row for month in ranking.monthly_staffing for row in _band_rows(month, start))


def _month_figures(month: MonthCost | None, start: date) -> MonthCostFigures | None:
    if month is None or month.total is None:
        return None
    return MonthCostFigures(
        month=term_month(start, month.term_months[0]),
        calendar_month=month.month,
        cost=cents(month.total),
    )


def _shortfalls(row: RankedProposal, spec: EventSpec) -> tuple[ShortfallFigures, ...]:
    """Each understaffed channel-month, band by band where the channel has bands."""
    found, start = [], spec.start_date
    for month in row.explanation.months:
        label = term_month(start, month.term_months[0])
        for f in month.forecast:
            if not f.understaffed:
                continue
            if f.stated_hours is not None and f.stated_hours < f.required_production_hours:
                stated = f.stated_hours
            else:  # short on FTE: the production hours the stated FTE give
                stated = (f.stated_fte or ZERO) * spec.fte_hours * (1 - spec.shrinkage)
            values = {
                "channel": f.channel.value,
                "month": f"{month_label(month.month)} {label[:4]}",
                "needed": two_places(f.required_production_hours),
                "stated": two_places(stated),
            }
            if not f.short_bands:
                sentence = _("%(channel)s, %(month)s: %(needed)s h needed, %(stated)s stated")
                found.append(
                    ShortfallFigures(
                        channel=f.channel.value, month=label, calendar_month=month.month,
                        band=None, required_hours=values["needed"], stated_hours=values["stated"],
                        agents_needed=None, agents_stated=None, sentence=sentence % values,
                    )
                )  # fmt: skip
            for band in f.short_bands:
                sentence = _(
                    "%(channel)s, %(band)s, %(month)s: %(agents)s agents needed, "
                    "%(even)s stated (%(needed)s h needed, %(stated)s h stated for the month)"
                )
                even = two_places(band.agents_stated)
                found.append(
                    ShortfallFigures(
                        channel=f.channel.value, month=label, calendar_month=month.month,
                        band=band.band, required_hours=values["needed"],
                        stated_hours=values["stated"], agents_needed=band.agents_needed,
                        agents_stated=even,
                        sentence=sentence % {**values, "band": band.band,
                                             "agents": band.agents_needed, "even": even},
                    )
                )  # fmt: skip
    return tuple(found)


def _channel_figures(
    forecast: ChannelForecast, pricing: PriceBreakdown | None, memo: _Memo
) -> ChannelFigures:
    cost, dedicated = None, forecast.model in DEDICATED_MODELS
    if pricing is not None:
        lines = [x for x in pricing.lines if x.channel == forecast.channel]
        cost = cents(sum((x.amount for x in lines), ZERO) * pricing.fx_rate)
        dedicated = any(x.model in DEDICATED_MODELS for x in lines)  # a hybrid's components
    return ChannelFigures(
        channel=forecast.channel.value,
        model=forecast.model.value,
        price_channel=None if forecast.price_channel is None else forecast.price_channel.value,
        dedicated=dedicated,
        staffing=memo.staffing(forecast.staffing),
        required_production_hours=two_places(forecast.required_production_hours),
        stated_hours=_two(forecast.stated_hours),
        production_hours=two_places(forecast.production_hours),
        required_fte=forecast.required_fte,
        stated_fte=_two(forecast.stated_fte),
        fte=forecast.fte,
        understaffed=forecast.understaffed,
        contacts=two_places(forecast.contacts),
        handled_minutes=two_places(forecast.handled_minutes),
        monthly_cost=cost,
    )


def _language_figures(term: LanguageTerm) -> LanguageFigures:
    return LanguageFigures(
        tag=term.tag,
        share=_plain(term.share),
        matched_tag=term.matched_tag,
        level=term.level,
        proficiency=_plain(term.proficiency),
        hours_coverage=_plain(term.hours_coverage),
        points=two_places(term.value * 100),
    )


def _rounded_totals(totals: PriceTotals) -> PriceTotals:
    return PriceTotals(
        currency=totals.currency,
        usage_charge=cents(totals.usage_charge),
        monthly_charge=cents(totals.monthly_charge),
        fixed_fees=cents(totals.fixed_fees),
        monthly_total=cents(totals.monthly_total),
        one_off_fees=cents(totals.one_off_fees),
    )


def _rounded_pricing(pricing: PriceBreakdown) -> PriceBreakdown:
    """The same breakdown with quantities to two places and amounts to cents."""
    lines = tuple(
        replace(
            line,
            rate=_rate(line.rate),
            share=None if line.share is None else _plain(line.share),
            quantity=two_places(line.quantity),
            amount=cents(line.amount),
        )
        for line in pricing.lines
    )
    return replace(
        pricing,
        lines=lines,
        fx_rate=_plain(pricing.fx_rate),
        minimum_monthly_charge=cents(pricing.minimum_monthly_charge),
        monthly_fees=tuple(replace(f, amount=cents(f.amount)) for f in pricing.monthly_fees),
        quoted=_rounded_totals(pricing.quoted),
        converted=_rounded_totals(pricing.converted),
    )


def _formulas(
    *, row: RankedProposal, weights: Weights, lowest_tco: Decimal, channels: int
) -> ScoreFormulas | None:
    """Each score and the total with its numbers (None for a disqualified proposal)."""
    scores, explanation = row.scores, row.explanation
    if scores is None or row.tco is None or row.total is None:
        return None
    terms = explanation.expertise
    # channel_share is served / channels: the count is whole (2/3 x 3 is 2, not 1.99...).
    served = f"{(terms.channel_share * channels).to_integral_value()}/{channels}"
    known = f"0.4 × {_num(terms.industry_years)}/10 + 0.3 × {served}"
    if terms.median_rating is None:
        expertise = (
            f"100 × ({known}) / 0.7 = {two_places(scores.expertise)} "
            "(no rating yet: the rating term is left out, the rest rescaled)"
        )
    else:
        rating = f"0.3 × {_num(terms.median_rating)}/5"
        expertise = f"100 × ({known} + {rating}) = {two_places(scores.expertise)}"
    certs = explanation.certifications
    available = sum(c.points for c in certs)
    held = sum(c.points for c in certs if c.held)
    security = (
        f"100 × {held} / {available} = {two_places(scores.security)}"
        if available
        else "no desired certification: 100"
    )
    parts = [
        f"{_num(t.share)} × {_num(t.proficiency)} × {_num(t.hours_coverage)}"
        for t in explanation.languages
    ]
    language = (
        f"100 × ({' + '.join(parts)}) = {two_places(scores.language)}"
        if parts
        else "no language required: 100"
    )
    # Performance joins the sum only when weighed: unweighed, the formula reads as before.
    weighted = " + ".join(
        f"{weights.of(c)} × {two_places(scores.of(c))}"
        for c in Criterion
        if c is not Criterion.PERFORMANCE or weights.performance
    )
    record = explanation.track_record
    if record.score is None:
        performance = (
            f"newcomer ({record.judged} judged target-months, fewer than 6): "
            f"the event's score {two_places(scores.performance)}"
        )
    else:
        performance = (
            f"100 × ({record.met} + 0.5 × {record.warning}) / {record.judged} "
            f"= {two_places(scores.performance)}"
        )
    return ScoreFormulas(
        cost=f"100 × {_money(lowest_tco)} / {_money(row.tco)} = {two_places(scores.cost)}",
        expertise=expertise,
        security=security,
        language=language,
        total=f"({weighted}) / 100 = {two_places(row.total)}",
        performance=performance,
    )


def _breakdown(
    *, row: RankedProposal, weights: Weights, lowest_tco: Decimal, spec: EventSpec, memo: _Memo
) -> Breakdown:
    explanation = row.explanation
    pricing = explanation.pricing
    formula = None
    if pricing is not None and row.tco is not None:
        converted = pricing.converted
        totals = {m.total for m in explanation.months if m.total is not None}
        if len(totals) > 1:
            # Month by month: each distinct monthly total times the months that have it.
            counts: dict[Decimal, int] = {}
            for month in explanation.months:
                if month.total is not None:
                    counts[month.total] = counts.get(month.total, 0) + len(month.term_months)
            terms = " + ".join(f"{n} × {_money(total)}" for total, n in counts.items())
            formula = (
                f"{_money(converted.one_off_fees)} + {terms} = {_money(row.tco)} {spec.currency}"
            )
        else:
            formula = (
                f"{_money(converted.one_off_fees)} + {explanation.term_months} × "
                f"{_money(converted.monthly_total)} = {_money(row.tco)} {spec.currency}"
            )
    return Breakdown(
        currency=None if pricing is None else pricing.quoted.currency,
        fx_rate=None if explanation.fx_rate is None else _plain(explanation.fx_rate),
        term_months=explanation.term_months,
        channels=tuple(_channel_figures(f, pricing, memo) for f in explanation.forecast),
        pricing=None if pricing is None else _rounded_pricing(pricing),
        tco_formula=formula,
        languages_from=explanation.languages_from,
        languages=tuple(_language_figures(t) for t in explanation.languages),
        certifications=explanation.certifications,
        expertise=replace(
            explanation.expertise,
            industry_years=_plain(explanation.expertise.industry_years),
            median_rating=None
            if explanation.expertise.median_rating is None
            else _plain(explanation.expertise.median_rating),
        ),
        formulas=_formulas(
            row=row, weights=weights, lowest_tco=lowest_tco, channels=len(spec.channels)
        ),
    )


def language_name(tag: str) -> str:
    """A language tag for people: `Dutch (nl-BE)`, or the tag alone when Django has no name."""
    try:
        name = get_language_info(tag.split("-")[0].lower())["name_translated"]
    except KeyError:
        return tag
    return f"{name} ({tag})"


def _level(level: str) -> str:
    label = level_label(level)
    return _("native") if label == "native" else label


def shortfall_reason(shortfall: LanguageShortfall) -> str:
    """A required language not met, in the reader's language: what was asked, what offered."""
    asked = {
        "language": language_name(shortfall.tag),
        "level": _level(shortfall.minimum_level),
        "coverage": percent_text(shortfall.minimum_hours_coverage),
    }
    if not shortfall.offered:
        return (
            _(
                "%(language)s is required at %(level)s or better for %(coverage)s of opening "
                "hours; it is not offered at all"
            )
            % asked
        )
    offers = ", ".join(
        _("%(tag)s at %(level)s for %(coverage)s")
        % {"tag": o.tag, "level": _level(o.level), "coverage": percent_text(o.hours_coverage)}
        for o in shortfall.offered
    )
    return _(
        "%(language)s is required at %(level)s or better for %(coverage)s of opening "
        "hours; offered: %(offers)s"
    ) % {**asked, "offers": offers}


def reasons_in_words(row: RankedProposal) -> tuple[str, ...]:
    """The knock-out reasons, the language ones in the reader's language."""
    words = {s.sentence(): shortfall_reason(s) for s in row.explanation.language_shortfalls}
    return tuple(words.get(reason, reason) for reason in row.disqualification_reasons)


def _comparison_row(
    *, row: RankedProposal, weights: Weights, lowest_tco: Decimal, spec: EventSpec, memo: _Memo
) -> ComparisonRow:
    pricing = row.explanation.pricing
    contacts = sum((Decimal(c.monthly_volume) for c in spec.channels), ZERO)
    top_up = None
    if pricing is not None:
        top_up = pricing.converted.monthly_charge - pricing.converted.usage_charge
    scores = row.scores
    explanation = _breakdown(row=row, weights=weights, lowest_tco=lowest_tco, spec=spec, memo=memo)
    costs = {c.channel: c.monthly_cost for c in explanation.channels}
    return ComparisonRow(
        proposal=row.proposal,
        vendor=row.vendor,
        vendor_name=row.vendor_name,
        rank=row.rank,
        qualified=row.qualified,
        disqualification_reasons=reasons_in_words(row),
        provisional=row.provisional,
        understaffed=tuple(c.value for c in row.understaffed),
        tco=_cents(row.tco),
        monthly_cost=_cents(row.monthly_cost),
        minimum_top_up=_cents(top_up),
        fixed_fees=None if pricing is None else cents(pricing.converted.fixed_fees),
        cost_per_contact=(
            None if row.monthly_cost is None or not contacts else cents(row.monthly_cost / contacts)
        ),
        scores=None
        if scores is None
        else Scores(**{c.value: two_places(scores.of(c)) for c in Criterion}),
        total=_two(row.total),
        channel_costs=tuple(costs.get(c.channel.value) for c in spec.channels),
        explanation=explanation,
        language_coverage=_percent(row.language_coverage),
        track_record=_track_record(row=row, spec=spec),
        **_monthly(row=row, spec=spec, memo=memo),
    )


def _track_record(*, row: RankedProposal, spec: EventSpec) -> TrackRecordFigures:
    """The vendor's track record as shown beside the performance score."""
    record = row.explanation.track_record
    window = spec.track_record_months
    return TrackRecordFigures(
        judged=record.judged,
        met=record.met,
        warning=record.warning,
        breach=record.breach,
        missing=record.missing,
        newcomer=record.newcomer,
        score=_two(record.score),
        performance=two_places(spec.newcomer_performance if record.score is None else record.score),
        newcomer_performance=two_places(spec.newcomer_performance),
        period_from=None if window is None else f"{window[0]:%Y-%m}",
        period_to=None if window is None else f"{window[1]:%Y-%m}",
    )


def _monthly(*, row: RankedProposal, spec: EventSpec, memo: _Memo) -> dict[str, object]:
    """The month-by-month figures of a row: costs, peak, low, their staffing, shortfalls."""
    start, months = spec.start_date, row.explanation.months
    costs = tuple(
        MonthCostFigures(month=term_month(start, n), calendar_month=calendar, cost=cents(cost))
        for n, (calendar, cost) in enumerate(
            zip(_calendar(spec), row.monthly_costs, strict=False), start=1
        )
    )
    peak = next((m for m in months if m.month == row.peak_month), None)
    low = next((m for m in months if m.month == row.low_month), None)
    return {
        "monthly_costs": costs,
        "peak_month": _month_figures(peak, start),
        "low_month": _month_figures(low, start),
        "staffing": _row_staffing(row=row, start=start, memo=memo),
        "shortfalls": _shortfalls(row, spec),
    }


def _calendar(spec: EventSpec) -> tuple[int, ...]:
    first = spec.start_date.month - 1
    return tuple((first + n) % 12 + 1 for n in range(spec.term_months))


def _row_staffing(*, row: RankedProposal, start: date, memo: _Memo) -> tuple[BandMonthFigures, ...]:
    """The band staffing of the row's peak and low months (one month when they are the same)."""
    wanted = [m for m in dict.fromkeys((row.peak_month, row.low_month)) if m is not None]
    rows: list[BandMonthFigures] = []
    for month in row.explanation.months:
        if month.month in wanted:
            staffing = StaffingMonth(
                month=month.month,
                term_months=month.term_months,
                staffing=tuple(f.staffing for f in month.forecast),
            )
            rows.extend(memo.bands(staffing, start))
    return tuple(rows)


def _sensitivity_lines(
    ranking: Ranking, has_winner: bool, weighs_performance: bool
) -> tuple[SensitivityLine, ...]:
    names = {r.proposal: r.vendor_name for r in ranking.results}
    lines = []
    for criterion in Criterion:
        if criterion is Criterion.PERFORMANCE and not weighs_performance:
            continue  # an event that does not weigh track record answers as before
        name, today = criterion.value, ranking.weights.of(criterion)
        found: Flip | None = getattr(ranking.sensitivity, name)
        words = {"criterion": CRITERION_LABELS[name], "today": today}
        if not has_winner:
            sentence = _("No qualified proposal: there is no winner to change.")
        elif found is None:
            sentence = (
                _("Robust: no %(criterion)s weight from 0 to 100 changes the winner.") % words
            )
        else:
            sentence = _(
                "With the %(criterion)s weight at %(weight)s (today %(today)s), %(vendor)s would "
                "rank first."
            ) % {
                **words,
                "weight": number(found.weight, 2),
                "vendor": names.get(found.new_winner, "?"),
            }
        lines.append(
            SensitivityLine(
                criterion=name,
                weight=today,
                flip_weight=None if found is None else found.weight,
                sentence=sentence,
                new_winner=None if found is None else found.new_winner,
                new_winner_name=None if found is None else names.get(found.new_winner),
                label=str(CRITERION_LABELS[name]).capitalize(),
            )
        )
    return tuple(lines)


def comparison_of(*, ranking: Ranking, spec: EventSpec) -> Comparison:
    """A ranking of `spec` rounded and spelt out for the API, the page and the exports."""
    lowest = min(
        (r.tco for r in ranking.results if r.qualified and r.tco is not None), default=ZERO
    )
    memo = _Memo(spec.fte_hours)
    rows = tuple(
        _comparison_row(row=r, weights=ranking.weights, lowest_tco=lowest, spec=spec, memo=memo)
        for r in ranking.results
    )
    return Comparison(
        currency=ranking.currency,
        weights=ranking.weights,
        event_weights=spec.weights,
        provisional=ranking.provisional,
        channels=tuple(c.channel.value for c in spec.channels),
        monthly_contacts=sum((Decimal(c.monthly_volume) for c in spec.channels), ZERO),
        staffing=tuple(memo.staffing(s) for s in ranking.staffing),
        rows=rows,
        sensitivity=_sensitivity_lines(
            ranking,
            any(r.qualified for r in rows),
            bool(ranking.weights.performance or spec.weights.performance),
        ),
        staffing_grid=staffing_grid(ranking=ranking, start=spec.start_date),
        month_labels=tuple(term_month(spec.start_date, n) for n in range(1, spec.term_months + 1)),
    )

"""The ranking API's answer built as plain data: exactly `RankingSerializer`'s output, faster.

200 bids with profiles make tens of thousands of fields; DRF's nested serializers spend most of
the request walking them. This writes the same JSON directly: every figure of
`vendors.ranking.figures` is already rounded, so a decimal is written as DRF's DecimalField
would (half-up to its places, then `{:f}`), and an event-level object (a channel's staffing,
shared by every bid) is written once and reused. `RankingSerializer` stays the schema, and
`tests/vendors/test_ranking_payload.py` checks this output equals its output field for field.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from vendors.domain.pricing import PriceBreakdown, PriceTotals
from vendors.domain.scoring import Weights
from vendors.ranking.figures import (
    BandMonthFigures,
    Breakdown,
    ChannelFigures,
    Comparison,
    ComparisonRow,
    MonthCostFigures,
    StaffingFigures,
    TrackRecordFigures,
)

CENT = Decimal("0.01")
Data = dict[str, Any]


def _two(value: Decimal | None) -> str | None:
    """A MoneyField / FigureField: half-up to two places (as DRF writes it)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value).strip())
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def _input(value: Decimal | None) -> str | None:
    """An InputDecimalField: the figure as it is."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value).strip())
    return f"{value:f}"


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _weights(weights: Weights) -> Data:
    return {
        "cost": weights.cost,
        "expertise": weights.expertise,
        "security": weights.security,
        "language": weights.language,
        "performance": weights.performance,
    }


def staffing_data(s: StaffingFigures) -> Data:
    """`StaffingSerializer`'s shape."""
    return {
        "channel": s.channel, "realtime": bool(s.realtime),
        "monthly_volume": int(s.monthly_volume), "aht_seconds": int(s.aht_seconds),
        "opening_hours": _two(s.opening_hours), "sl_target_percent": _two(s.sl_target_percent),
        "sl_seconds": _int(s.sl_seconds), "arrivals_per_hour": _two(s.arrivals_per_hour),
        "traffic_erlangs": _two(s.traffic_erlangs), "agents": _int(s.agents),
        "service_level_percent": _two(s.service_level_percent),
        "occupancy_percent": _two(s.occupancy_percent), "workload_hours": _two(s.workload_hours),
        "production_hours": _two(s.production_hours), "paid_hours": _two(s.paid_hours),
        "required_fte": int(s.required_fte),
    }  # fmt: skip


def band_month_data(r: BandMonthFigures) -> Data:
    """`BandMonthSerializer`'s shape."""
    return {
        "channel": r.channel, "band": r.band, "month": r.month,
        "calendar_month": r.calendar_month, "hours": _two(r.hours), "volume": _two(r.volume),
        "arrival_rate": _two(r.arrival_rate), "traffic": _two(r.traffic), "agents": r.agents,
        "service_level": _two(r.service_level), "occupancy": _two(r.occupancy),
        "p_abandon": _two(r.p_abandon), "production_hours": _two(r.production_hours),
    }  # fmt: skip


def _month_cost(m: MonthCostFigures | None) -> Data | None:
    if m is None:
        return None
    return {"month": m.month, "calendar_month": m.calendar_month, "cost": _two(m.cost)}


class _Writer:
    """Writes one comparison; objects shared between bids are written once."""

    def __init__(self) -> None:
        self._staffing: dict[int, tuple[StaffingFigures, Data]] = {}
        self._bands: dict[int, tuple[BandMonthFigures, Data]] = {}

    def staffing(self, s: StaffingFigures) -> Data:
        found = self._staffing.get(id(s))
        if found is None:
            found = self._staffing[id(s)] = (s, staffing_data(s))  # keeps s alive: ids stay unique
        return found[1]

    def band(self, r: BandMonthFigures) -> Data:
        found = self._bands.get(id(r))
        if found is None:
            found = self._bands[id(r)] = (r, band_month_data(r))
        return found[1]

    def channel(self, c: ChannelFigures) -> Data:
        return {
            "channel": c.channel, "model": c.model, "price_channel": c.price_channel,
            "dedicated": bool(c.dedicated), "staffing": self.staffing(c.staffing),
            "required_production_hours": _two(c.required_production_hours),
            "stated_hours": _two(c.stated_hours), "production_hours": _two(c.production_hours),
            "required_fte": int(c.required_fte), "stated_fte": _two(c.stated_fte),
            "fte": _two(c.fte), "understaffed": bool(c.understaffed),
            "contacts": _two(c.contacts), "handled_minutes": _two(c.handled_minutes),
            "monthly_cost": _two(c.monthly_cost),
        }  # fmt: skip

    def explanation(self, b: Breakdown) -> Data:
        f = b.formulas
        return {
            "currency": b.currency,
            "fx_rate": _input(b.fx_rate),
            "term_months": b.term_months,
            "channels": [self.channel(c) for c in b.channels],
            "pricing": None if b.pricing is None else _pricing(b.pricing),
            "tco_formula": b.tco_formula,
            "languages_from": b.languages_from,
            "languages": [
                {
                    "tag": t.tag,
                    "share": _input(t.share),
                    "matched_tag": t.matched_tag,
                    "level": t.level,
                    "proficiency": _input(t.proficiency),
                    "hours_coverage": _input(t.hours_coverage),
                    "points": _two(t.points),
                }
                for t in b.languages
            ],  # fmt: skip
            "certifications": [
                {"name": c.name, "points": int(c.points), "held": bool(c.held)}
                for c in b.certifications
            ],
            "expertise": {
                "industry_years": _input(b.expertise.industry_years),
                "channel_share": _two(b.expertise.channel_share),
                "median_rating": _input(b.expertise.median_rating),
            },
            "formulas": None
            if f is None
            else {
                "cost": f.cost,
                "expertise": f.expertise,
                "security": f.security,
                "language": f.language,
                "total": f.total,
                "performance": f.performance,
            },
        }

    def row(self, r: ComparisonRow) -> Data:
        s = r.scores
        return {
            "proposal": r.proposal, "vendor": r.vendor, "vendor_name": r.vendor_name,
            "rank": r.rank, "qualified": bool(r.qualified),
            "disqualification_reasons": [str(x) for x in r.disqualification_reasons],
            "provisional": bool(r.provisional), "tco": _two(r.tco),
            "monthly_cost": _two(r.monthly_cost), "minimum_top_up": _two(r.minimum_top_up),
            "fixed_fees": _two(r.fixed_fees), "cost_per_contact": _two(r.cost_per_contact),
            "understaffed": [str(x) for x in r.understaffed],
            "scores": None if s is None else {
                "cost": _two(s.cost), "expertise": _two(s.expertise),
                "security": _two(s.security), "language": _two(s.language),
                "performance": _two(s.performance),
            },
            "track_record": _track_record(r.track_record),
            "total": _two(r.total), "language_coverage": _two(r.language_coverage),
            "explanation": self.explanation(r.explanation),
            "monthly_costs": [_month_cost(m) for m in r.monthly_costs],
            "peak_month": _month_cost(r.peak_month), "low_month": _month_cost(r.low_month),
            "staffing": [self.band(b) for b in r.staffing],
            "shortfalls": [
                {"channel": x.channel, "month": x.month, "calendar_month": x.calendar_month,
                 "band": x.band, "required_hours": _two(x.required_hours),
                 "stated_hours": _two(x.stated_hours), "agents_needed": _int(x.agents_needed),
                 "agents_stated": _two(x.agents_stated), "sentence": str(x.sentence)}
                for x in r.shortfalls
            ],
        }  # fmt: skip


def _track_record(t: TrackRecordFigures | None) -> Data | None:
    """`TrackRecordSerializer`'s shape."""
    if t is None:
        return None
    return {
        "judged": t.judged, "met": t.met, "warning": t.warning, "breach": t.breach,
        "missing": t.missing, "newcomer": bool(t.newcomer), "score": _two(t.score),
        "performance": _two(t.performance), "newcomer_performance": _two(t.newcomer_performance),
        "period_from": t.period_from, "period_to": t.period_to,
    }  # fmt: skip


def _totals(t: PriceTotals) -> Data:
    return {
        "currency": t.currency,
        "usage_charge": _two(t.usage_charge),
        "monthly_charge": _two(t.monthly_charge),
        "fixed_fees": _two(t.fixed_fees),
        "monthly_total": _two(t.monthly_total),
        "one_off_fees": _two(t.one_off_fees),
    }


def _pricing(p: PriceBreakdown) -> Data:
    return {
        "lines": [
            {
                "channel": x.channel.value,
                "model": x.model.value,
                "share": _input(x.share),
                "rate": _input(x.rate),
                "quantity": _two(x.quantity),
                "amount": _two(x.amount),
            }
            for x in p.lines
        ],  # fmt: skip
        "minimum_monthly_charge": _two(p.minimum_monthly_charge),
        "minimum_applied": bool(p.minimum_applied),
        "monthly_fees": [{"name": f.name, "amount": _two(f.amount)} for f in p.monthly_fees],
        "fx_rate": _input(p.fx_rate),
        "quoted": _totals(p.quoted),
        "converted": _totals(p.converted),
    }


def unweighed_performance_dropped(data: Data, comparison: Comparison) -> Data:
    """The answer without the performance weight and score when nothing weighs track record,
    so an event that does not weigh it answers exactly as before (API.md: new fields are
    optional with a default that keeps today's answer). `track_record` stays."""
    if comparison.weighs_performance:
        return data
    for weights in (data.get("weights"), data.get("event_weights")):
        if weights:
            weights.pop("performance", None)
    for row in data.get("results", ()):
        if row.get("scores"):
            row["scores"].pop("performance", None)
    if data.get("sensitivity"):
        data["sensitivity"].pop("performance", None)
    return data


def ranking_data(comparison: Comparison) -> Data:
    """`RankingSerializer(comparison).data` as plain data (the API's answer)."""
    return unweighed_performance_dropped(_ranking_data(comparison), comparison)


def _ranking_data(comparison: Comparison) -> Data:
    writer = _Writer()
    flips = comparison.flips()
    return {
        "currency": comparison.currency,
        "provisional": bool(comparison.provisional),
        "weights": _weights(comparison.weights),
        "what_if": bool(comparison.what_if),
        "event_weights": _weights(comparison.event_weights),
        "results": [writer.row(r) for r in comparison.rows],
        "sensitivity": {
            name: None
            if flip is None
            else {"flip_weight": _two(flip["flip_weight"]), "new_winner": flip["new_winner"]}
            for name, flip in (
                (c, flips.get(c))
                for c in ("cost", "expertise", "security", "language", "performance")
            )
        },  # fmt: skip
        "sensitivity_explained": [
            {
                "criterion": s.criterion,
                "weight": s.weight,
                "flip_weight": _two(s.flip_weight),
                "new_winner": s.new_winner,
                "new_winner_name": s.new_winner_name,
                "sentence": str(s.sentence),
            }
            for s in comparison.sensitivity
        ],  # fmt: skip
        "staffing": [writer.staffing(s) for s in comparison.staffing],
        "staffing_grid": [writer.band(b) for b in comparison.staffing_grid],
    }

"""Context builder of the vendor comparison report (an event, after its deadline)."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from contracts.selectors import award_justification
from core import formatting
from core.charts import bar_chart, line_chart
from core.money import cents, two_places
from reports.kinds import ReportContent
from vendors.domain.scoring import Criterion, certification_key, rank_event
from vendors.domain.spec_data import spec_to_data
from vendors.models import EventStatus, ProposalRating, SourcingEvent, VendorCertification
from vendors.ranking import comparison_of, event_spec, live_proposals, proposal_specs
from vendors.ranking.figures import CRITERION_LABELS, language_name, reasons_in_words
from vendors.scenarios import scenarios_data, scenarios_of_ranking
from vendors.scenarios.labels import channel_label, scenario_label
from vendors.selectors import event_status

CSV_HEADER = [
    "rank", "proposal", "vendor", "qualified", "tco", "monthly_cost", "score_cost",
    "score_expertise", "score_security", "score_language", "total", "understaffed",
    "disqualification_reasons", "language_coverage_percent", "peak_month", "peak_month_cost",
    "low_month", "low_month_cost",
]  # fmt: skip
# Appended when the event weighs track record (the columns stay as they were otherwise).
PERFORMANCE_CSV_HEADER = [
    "score_performance", "track_record_judged", "track_record_met", "track_record_warning",
    "track_record_breach", "track_record_missing", "newcomer", "track_record_from",
    "track_record_to",
]  # fmt: skip
CLASSIC = [c for c in Criterion if c is not Criterion.PERFORMANCE]


def _money(value) -> str:
    return "" if value is None else str(cents(value))


def _score(value) -> str:
    return "" if value is None else str(two_places(value))


def _months(figures) -> dict[str, Any]:
    """A comparison row's month-by-month figures (rounded as the page shows them)."""
    peak, low = figures.peak_month, figures.low_month
    return {
        "monthly_costs": figures.monthly_costs, "peak": peak, "low": low,
        "shortfalls": figures.shortfalls,
        "seasonal": bool(peak and low and peak.cost != low.cost),
        "csv": [peak.month if peak else "", str(peak.cost) if peak else "",
                low.month if low else "", str(low.cost) if low else ""],
    }  # fmt: skip


def _row(r) -> dict[str, Any]:
    scores = {c.value: _score(r.scores.of(c)) if r.scores else "" for c in Criterion}
    return {
        "rank": r.rank, "proposal": r.proposal, "vendor": r.vendor_name,
        "qualified": r.qualified, "tco": _money(r.tco), "monthly_cost": _money(r.monthly_cost),
        "scores": scores, "total": _score(r.total),
        "understaffed": ", ".join(c.value for c in r.understaffed),
        "reasons": "; ".join(reasons_in_words(r)),
        "coverage": "" if r.language_coverage is None else _score(100 * r.language_coverage),
        "fx_rate": r.explanation.fx_rate, "forecast": r.explanation.forecast,
        "pricing": r.explanation.pricing, "provisional": r.provisional,
    }  # fmt: skip


def _performance_csv(r, figures) -> list[str]:
    t = figures.track_record
    return [r["scores"]["performance"], str(t.judged), str(t.met), str(t.warning),
            str(t.breach), str(t.missing), "yes" if t.newcomer else "no", t.period_from or "",
            t.period_to or ""]  # fmt: skip


def _revisions(event: SourcingEvent) -> dict[str, Any]:
    latest = event.history.order_by("-history_id").values_list("history_id", flat=True).first()
    stamps = sorted(p.updated_at.isoformat() for p in event.proposals.all())
    return {
        "event_history_id": latest,
        "proposals": len(stamps),
        "latest_proposal_change": stamps[-1] if stamps else None,
    }


def _score_inputs(r, certificates: dict, ratings: dict, spec) -> dict[str, Any]:
    """One proposal's score inputs as the attached JSON and the report's tables show them."""
    x = r.explanation
    t = x.track_record
    window = spec.track_record_months
    return {
        "proposal": r.proposal, "vendor": r.vendor_name, "qualified": r.qualified,
        "disqualification_reasons": list(r.disqualification_reasons),
        "tco": r.tco, "monthly_cost": r.monthly_cost,
        # TCO = one-off fees + the sum of the term's monthly costs (report_verify recomputes it)
        "monthly_costs": list(r.monthly_costs),
        "one_off_fees": x.pricing.converted.one_off_fees if x.pricing else None,
        "languages_from": x.languages_from,
        "languages": [vars(t) for t in x.languages],
        "certifications": [
            {**vars(t), "valid_until": certificates.get((r.vendor, certification_key(name=t.name)))}
            for t in x.certifications
        ],
        "expertise": {**vars(x.expertise), "ratings": ratings.get(r.proposal, [])},
        "hours": [
            {"channel": f.channel, "model": f.model, "stated_hours": f.stated_hours,
             "required_production_hours": f.required_production_hours,
             "stated_fte": f.stated_fte, "required_fte": f.required_fte,
             "understaffed": f.understaffed}
            for f in x.forecast
        ],
        # The performance score's inputs (report_verify recomputes it from them).
        "track_record": {
            "judged": t.judged, "met": t.met, "warning": t.warning, "breach": t.breach,
            "missing": t.missing, "newcomer": t.newcomer,
            "newcomer_performance": spec.newcomer_performance,
            "from": f"{window[0]:%Y-%m}" if window else None,
            "to": f"{window[1]:%Y-%m}" if window else None,
        },
    }  # fmt: skip


def _staffing(r) -> list[dict[str, Any]]:
    """A proposal's hours and FTE per calendar month of the term (term order) and channel."""
    return [
        {"month": m.month, "channel": f.channel,
         "required_production_hours": f.required_production_hours,
         "production_hours": f.production_hours, "required_fte": f.required_fte, "fte": f.fte,
         "understaffed": f.understaffed}
        for m in r.explanation.months
        for f in m.forecast
    ]  # fmt: skip


def _inputs(
    event: SourcingEvent, ranking, proposals: list[dict[str, Any]], criteria, spec: dict[str, Any]
) -> dict[str, Any]:
    """The attached JSON's inputs and results (docs/reports.md, kind "comparison")."""
    return {
        "inputs": {
            # Everything rank_event read (vendors.domain.spec_data): report_verify ranks it again.
            "spec": spec,
            "event": {"id": event.pk, "title": event.title, "currency": ranking.currency,
                      "term_months": event.term_months, "start_date": event.start_date,
                      "industry": event.industry},
            "weights": {c.value: ranking.weights.of(c) for c in criteria},
            "proposals": proposals,
        },
        "results": {
            "provisional": ranking.provisional,
            "proposals": [
                {"proposal": r.proposal, "vendor": r.vendor_name, "rank": r.rank, "tco": r.tco,
                 "scores": {c.value: r.scores.of(c) for c in criteria} if r.scores else None,
                 "total": r.total, "qualified": r.qualified,
                 "disqualification_reasons": list(r.disqualification_reasons),
                 "monthly_costs": list(r.monthly_costs),
                 "understaffed": [c.value for c in r.understaffed], "staffing": _staffing(r)}
                for r in ranking.results
            ],
            "sensitivity": {
                c.value: None if flip is None
                else {"flip_weight": flip.weight, "new_winner": flip.new_winner}
                for c in criteria
                for flip in [getattr(ranking.sensitivity, c.value)]
            },
        },
    }  # fmt: skip


def _lookups(event: SourcingEvent, ranking) -> tuple[dict, dict]:
    vendors = {r.vendor for r in ranking.results}
    certificates = {
        (c.vendor_id, certification_key(name=c.name)): c.valid_until
        for c in VendorCertification.objects.filter(vendor__in=vendors)
    }
    ratings: dict = {}
    for proposal, rating in ProposalRating.objects.filter(proposal__event=event).values_list(
        "proposal", "rating"
    ):
        ratings.setdefault(proposal, []).append(rating)
    return certificates, {k: sorted(v) for k, v in ratings.items()}


def _scenarios(event: SourcingEvent, ranking) -> list[dict[str, Any]]:
    """First-ranked alone and the cheapest split (DOMAIN.md), unrounded, for the report."""
    return scenarios_data(scenarios_of_ranking(event=event, ranking=ranking), ranking)


def _labelled(scenario: dict[str, Any]) -> dict[str, Any]:
    """A scenario with the labels the report prints beside its codes."""
    contracts = [
        {**c, "channel_labels": [channel_label(x) for x in c["channels"]]}
        for c in scenario["contracts"]
    ]
    return {**scenario, "label": scenario_label(scenario["name"]), "contracts": contracts}


def build_comparison(parameters: Mapping[str, Any]) -> ReportContent:
    """Rank the event's bids and lay out every input and figure for the report."""
    event = SourcingEvent.objects.get(pk=parameters["event"])
    # Checked again at render time: a sealed event never reaches a PDF.
    if event_status(event, timezone.now()) not in (EventStatus.CLOSED, EventStatus.AWARDED):
        raise ValueError(gettext("Bids are sealed until the deadline."))
    # The specs are ranked here and attached as they are: the JSON is what was ranked.
    spec = event_spec(event)
    proposals = proposal_specs(event, list(live_proposals(event)))
    ranking = rank_event(event=spec, proposals=proposals)
    comparison = comparison_of(ranking=ranking, spec=spec)
    criteria = comparison.criteria
    weighs_performance = Criterion.PERFORMANCE in criteria
    rows = [
        _row(r) | _months(figures)
        for r, figures in zip(ranking.results, comparison.rows, strict=True)
    ]
    ranked = [r for r in ranking.results if r.qualified]
    chart = bar_chart(
        title=gettext("Total score by vendor (0-100 points)"),
        value_range=(0, 100),
        labels=[r.vendor_name for r in ranked],
        values=[two_places(r.total) for r in ranked if r.total is not None],
    )
    csv_rows = [
        [str(r["rank"]), str(r["proposal"]), r["vendor"], "yes" if r["qualified"] else "no",
         r["tco"], r["monthly_cost"], *(r["scores"][c.value] for c in CLASSIC), r["total"],
         r["understaffed"], r["reasons"], r["coverage"], *r["csv"],
         *(_performance_csv(r, figures) if weighs_performance else [])]
        for r, figures in zip(rows, comparison.rows, strict=True)
    ]  # fmt: skip
    names = {r.proposal: r.vendor_name for r in ranking.results}
    flips = {c: getattr(ranking.sensitivity, c.value) for c in criteria}
    sensitivity = [
        {
            "criterion": c.value,
            "label": str(CRITERION_LABELS[c.value]).capitalize(),
            "weight": ranking.weights.of(c),
            "flip": flip,
            "new_winner": None if flip is None else names.get(flip.new_winner),
        }
        for c, flip in flips.items()
    ]
    languages = [{**x, "name": language_name(x["tag"])} for x in event.languages]
    priced = [r for r in comparison.rows if r.monthly_costs][:8]
    cost_chart = None
    if comparison.seasonal and priced:
        cost_chart = line_chart(
            title=gettext("Monthly cost over the term (%(currency)s)")
            % {"currency": comparison.currency},
            x_labels=[formatting.short_month(m) for m in comparison.month_labels],
            series=[
                (f"#{r.rank} {r.vendor_name}", [m.cost for m in r.monthly_costs]) for r in priced
            ],
        )
    certificates, ratings = _lookups(event, ranking)
    score_inputs = [_score_inputs(r, certificates, ratings, spec) for r in ranking.results]
    scenarios = _scenarios(event, ranking)
    spec_data = spec_to_data(event=spec, proposals=proposals)
    inputs = _inputs(event, ranking, score_inputs, criteria, spec_data)
    inputs["results"]["scenarios"] = scenarios
    return ReportContent(
        title=gettext("Vendor comparison: %(title)s") % {"title": event.title},
        template="reports/comparison.html",
        context={
            "event": event,
            "ranking": ranking,
            "rows": rows,
            "chart": chart,
            "cost_chart": cost_chart,
            "staffing_grid": comparison.staffing_grid,
            "seasonal": comparison.seasonal,
            "sensitivity": sensitivity,
            "languages": languages,
            "weights": ranking.weights,
            "weighs_performance": weighs_performance,
            "track_records": {r.proposal: r.track_record for r in comparison.rows},
            "score_inputs": score_inputs,
            "scenarios": [_labelled(s) for s in scenarios],
            "justification": award_justification(event_id=event.pk),
            "latest_proposal_change": max(
                (p.updated_at for p in event.proposals.all()), default=None
            ),
        },  # fmt: skip
        csv_header=[*CSV_HEADER, *(PERFORMANCE_CSV_HEADER if weighs_performance else [])],
        csv_rows=csv_rows,
        revisions=_revisions(event),
        inputs=inputs,
        file_stem=f"EVENT-{event.pk}_COMPARISON",
    )

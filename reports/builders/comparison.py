"""Context builder of the vendor comparison report (an event, after its deadline)."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from core.charts import bar_chart
from core.money import cents, two_places
from reports.kinds import ReportContent
from vendors.domain.scoring import Criterion, certification_key
from vendors.models import EventStatus, ProposalRating, SourcingEvent, VendorCertification
from vendors.ranking import event_ranking
from vendors.selectors import event_status

CSV_HEADER = [
    "rank", "proposal", "vendor", "qualified", "tco", "monthly_cost", "score_cost",
    "score_expertise", "score_security", "score_language", "total", "understaffed",
    "disqualification_reasons",
]  # fmt: skip


def _money(value) -> str:
    return "" if value is None else str(cents(value))


def _score(value) -> str:
    return "" if value is None else str(two_places(value))


def _row(r) -> dict[str, Any]:
    scores = {c.value: _score(r.scores.of(c)) if r.scores else "" for c in Criterion}
    return {
        "rank": r.rank, "proposal": r.proposal, "vendor": r.vendor_name,
        "qualified": r.qualified, "tco": _money(r.tco), "monthly_cost": _money(r.monthly_cost),
        "scores": scores, "total": _score(r.total),
        "understaffed": ", ".join(c.value for c in r.understaffed),
        "reasons": "; ".join(r.disqualification_reasons),
        "fx_rate": r.explanation.fx_rate, "forecast": r.explanation.forecast,
        "pricing": r.explanation.pricing, "provisional": r.provisional,
    }  # fmt: skip


def _revisions(event: SourcingEvent) -> dict[str, Any]:
    latest = event.history.order_by("-history_id").values_list("history_id", flat=True).first()
    stamps = sorted(p.updated_at.isoformat() for p in event.proposals.all())
    return {
        "event_history_id": latest,
        "proposals": len(stamps),
        "latest_proposal_change": stamps[-1] if stamps else None,
    }


def _score_inputs(r, certificates: dict, ratings: dict) -> dict[str, Any]:
    """One proposal's score inputs as the attached JSON and the report's tables show them."""
    x = r.explanation
    return {
        "proposal": r.proposal, "vendor": r.vendor_name, "qualified": r.qualified,
        "disqualification_reasons": list(r.disqualification_reasons),
        "tco": r.tco, "monthly_cost": r.monthly_cost,
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
    }  # fmt: skip


def _inputs(event: SourcingEvent, ranking, proposals: list[dict[str, Any]]) -> dict[str, Any]:
    """The attached JSON's inputs and results (docs/reports.md, kind "comparison")."""
    return {
        "inputs": {
            "event": {"id": event.pk, "title": event.title, "currency": ranking.currency,
                      "term_months": event.term_months, "start_date": event.start_date,
                      "industry": event.industry},
            "weights": {c.value: ranking.weights.of(c) for c in Criterion},
            "proposals": proposals,
        },
        "results": {
            "provisional": ranking.provisional,
            "proposals": [
                {"proposal": r.proposal, "vendor": r.vendor_name, "rank": r.rank,
                 "scores": {c.value: r.scores.of(c) for c in Criterion} if r.scores else None,
                 "total": r.total}
                for r in ranking.results
            ],
            "sensitivity": {c.value: getattr(ranking.sensitivity, c.value) for c in Criterion},
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


def build_comparison(parameters: Mapping[str, Any]) -> ReportContent:
    """Rank the event's bids and lay out every input and figure for the report."""
    event = SourcingEvent.objects.get(pk=parameters["event"])
    # Checked again at render time: a sealed event never reaches a PDF.
    if event_status(event, timezone.now()) not in (EventStatus.CLOSED, EventStatus.AWARDED):
        raise ValueError("Bids are sealed until the deadline.")
    ranking = event_ranking(event=event)
    rows = [_row(r) for r in ranking.results]
    ranked = [r for r in ranking.results if r.qualified]
    chart = bar_chart(
        title="Total score by vendor",
        value_range=(0, 100),
        labels=[r.vendor_name for r in ranked],
        values=[two_places(r.total) for r in ranked if r.total is not None],
    )
    csv_rows = [
        [str(r["rank"]), str(r["proposal"]), r["vendor"], "yes" if r["qualified"] else "no",
         r["tco"], r["monthly_cost"], *(r["scores"][c.value] for c in Criterion), r["total"],
         r["understaffed"], r["reasons"]]
        for r in rows
    ]  # fmt: skip
    sensitivity = {c.value: getattr(ranking.sensitivity, c.value) for c in Criterion}
    certificates, ratings = _lookups(event, ranking)
    score_inputs = [_score_inputs(r, certificates, ratings) for r in ranking.results]
    return ReportContent(
        title=f"Vendor comparison: {event.title}",
        template="reports/comparison.html",
        context={
            "event": event,
            "ranking": ranking,
            "rows": rows,
            "chart": chart,
            "sensitivity": sensitivity,
            "weights": ranking.weights,
            "score_inputs": score_inputs,
            "latest_proposal_change": max(
                (p.updated_at for p in event.proposals.all()), default=None
            ),
        },  # fmt: skip
        csv_header=CSV_HEADER,
        csv_rows=csv_rows,
        revisions=_revisions(event),
        inputs=_inputs(event, ranking, score_inputs),
        file_stem=f"EVENT-{event.pk}_COMPARISON",
    )

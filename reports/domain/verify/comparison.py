"""Recompute a vendor comparison (docs/reports.md, kind "comparison"): each TCO from its monthly
costs and one-off fees, and every qualified proposal's scores and total from their stated inputs;
when the document carries `inputs.spec`, the whole ranking again from it (comparison_spec)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.money import cents, two_places
from reports.domain.verify.common import Check, Difference, UnreadableInputs, number, required
from reports.domain.verify.comparison_spec import verify_spec
from vendors.domain.scoring import (
    CertificationTerm,
    Criterion,
    ExpertiseTerms,
    LanguageTerm,
    Scores,
    Weights,
    cost_score,
    expertise_score,
    language_score,
    security_score,
    total_score,
)
from vendors.domain.track_record import performance_score, track_record_of


def _tco(check: Check, p: Mapping[str, Any], shown: Mapping[str, Any]) -> Decimal | None:
    """One-off fees + the sum of the term's monthly costs (DOMAIN.md "TCO"), compared at the
    cents the report prints; the stated TCO when the document carries no monthly costs."""
    where = f"inputs.proposals[{p['proposal']}]"
    stated = number(p["tco"], f"{where}.tco")
    costs = p.get("monthly_costs")
    if not costs or p.get("one_off_fees") is None:
        return stated
    one_off = required(p["one_off_fees"], f"{where}.one_off_fees")
    tco = one_off + sum((required(c, f"{where}.monthly_costs") for c in costs), Decimal(0))
    sources = f"{where}.one_off_fees and {where}.monthly_costs ({len(costs)} months)"
    check.same(f"{where}.tco", None if stated is None else cents(stated), cents(tco), sources)
    if "tco" in shown:
        said = number(shown["tco"], "results.tco")
        check.same(f"results.proposals[{p['proposal']}].tco",
                   None if said is None else cents(said), cents(tco), sources)  # fmt: skip
    return tco


def _scores(p: Mapping[str, Any], lowest: Decimal) -> Scores:
    where = f"inputs.proposals[{p['proposal']}]"
    languages = [
        LanguageTerm(
            tag=t["tag"], share=required(t["share"], f"{where}.languages.share"),
            matched_tag=t.get("matched_tag"), level=t.get("level"),
            proficiency=required(t["proficiency"], f"{where}.languages.proficiency"),
            hours_coverage=required(t["hours_coverage"], f"{where}.languages.hours_coverage"),
            value=required(t["share"], "share") * required(t["proficiency"], "proficiency")
            * required(t["hours_coverage"], "hours_coverage"),
        )
        for t in p["languages"]
    ]  # fmt: skip
    certificates = [
        CertificationTerm(name=c["name"], points=int(c["points"]), held=bool(c["held"]))
        for c in p["certifications"]
    ]
    e = p["expertise"]
    expertise = ExpertiseTerms(
        industry_years=required(e["industry_years"], f"{where}.expertise.industry_years"),
        channel_share=required(e["channel_share"], f"{where}.expertise.channel_share"),
        median_rating=number(e["median_rating"], f"{where}.expertise.median_rating"),
    )
    record = p.get("track_record")
    performance = Decimal(0)
    if record:  # reports made before the criterion existed have none (and weigh it 0)
        found = track_record_of(
            met=int(record["met"]), warning=int(record["warning"]),
            breach=int(record["breach"]), missing=int(record["missing"]),
        )  # fmt: skip
        performance = performance_score(
            record=found,
            newcomer_performance=required(
                record["newcomer_performance"], f"{where}.track_record.newcomer_performance"
            ),
        )
    return Scores(
        cost=cost_score(tco=required(p["tco"], f"{where}.tco"), lowest_tco=lowest),
        expertise=expertise_score(terms=expertise),
        security=security_score(terms=certificates),
        language=language_score(terms=languages),
        performance=performance,
    )


def verify_comparison(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute every qualified proposal's scores and total from the score inputs and, when
    the document carries `inputs.spec` (reports rendered before it do not), rank it again."""
    check = Check()
    _verify_score_inputs(check, document)
    if "spec" in document["inputs"]:
        verify_spec(check, document)
    return check.differences


def _verify_score_inputs(check: Check, document: Mapping[str, Any]) -> None:
    """Each TCO from its monthly costs, each score and total from its stated inputs."""
    inputs, results = document["inputs"], document["results"]
    w = inputs["weights"]
    weights = Weights(**{c.value: int(w.get(c.value, 0)) for c in Criterion})
    qualified = [p for p in inputs["proposals"] if p["qualified"]]
    if not qualified:
        return
    stated = {r["proposal"]: r for r in results["proposals"]}
    tcos = {p["proposal"]: _tco(check, p, stated.get(p["proposal"], {})) for p in qualified}
    known = [t for t in tcos.values() if t is not None]
    if len(known) != len(tcos):
        raise UnreadableInputs("a qualified proposal has no TCO")
    lowest = min(known)
    for p in qualified:
        scores = _scores({**p, "tco": tcos[p["proposal"]]}, lowest)
        shown = stated.get(p["proposal"], {})
        where = f"inputs.proposals[{p['proposal']}]"
        sources = {
            Criterion.COST: f"{where}'s TCO and the lowest qualified TCO",
            Criterion.EXPERTISE: f"{where}.expertise",
            Criterion.SECURITY: f"{where}.certifications",
            Criterion.LANGUAGE: f"{where}.languages",
            Criterion.PERFORMANCE: f"{where}.track_record",
        }
        for c in Criterion:
            if c is Criterion.PERFORMANCE and "performance" not in w:
                continue  # not weighed: the report states no performance score
            check.same(f"results.proposals[{p['proposal']}].scores.{c.value}",
                       _rounded(shown.get("scores", {}).get(c.value)),
                       two_places(scores.of(c)), sources[c])  # fmt: skip
        check.same(f"results.proposals[{p['proposal']}].total", _rounded(shown.get("total")),
                   two_places(total_score(weights=weights, scores=scores)),
                   f"inputs.weights and {where}'s scores")  # fmt: skip


def _rounded(value: Any) -> Decimal | None:
    found = number(value, "results")
    return None if found is None else two_places(found)

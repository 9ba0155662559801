"""Recompute a report's figures from the JSON attached to its PDF (docs/reports.md).

An auditor's check, as code: read the inputs the report says it used, recompute every result
with the product's pure domain functions (the same ones that produced the report) and name
each figure that differs, with the inputs it is computed from. No Django, no I/O.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from contracts.domain.baseline import BaselineParts, baseline_breakdown
from core.catalogue import Direction
from core.channels import Channel
from core.money import cents, two_places
from kpis.evaluation.rules import MonthEvaluation, TargetInput, evaluate_month
from kpis.roi.arithmetic import MonthFigures, compute_roi
from vendors.domain.pricing import ChannelUsage, PricingError, price_usage
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
from vendors.domain.terms import TermsError, price_list_from_terms
from vendors.domain.track_record import performance_score, track_record, track_record_of

SCHEMA = "bposla-report-inputs/1"


@dataclass(frozen=True, kw_only=True)
class Difference:
    """A figure the report states that its inputs do not give."""

    figure: str  # e.g. "results.months[2026-02].savings"
    stated: str
    recomputed: str
    inputs: str  # the inputs the figure is computed from

    def __str__(self) -> str:
        return (
            f"{self.figure}: the report states {self.stated}, its inputs give {self.recomputed}"
            f" (computed from {self.inputs})"
        )


class UnreadableInputs(ValueError):
    """The attached JSON is not a report inputs document this version can read."""


def _d(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise UnreadableInputs(f"{where}: {value!r} is not a number") from None


def _req(value: Any, where: str) -> Decimal:
    found = _d(value, where)
    if found is None:
        raise UnreadableInputs(f"{where}: a number is required")
    return found


class _Check:
    """Collects the differences of one document."""

    def __init__(self) -> None:
        self.differences: list[Difference] = []

    def same(self, figure: str, stated: Any, recomputed: Any, inputs: str) -> None:
        a = stated if isinstance(stated, str | None) else str(stated)
        b = recomputed if isinstance(recomputed, str | None) else str(recomputed)
        try:
            equal = (a is None and b is None) or (
                a is not None and b is not None and Decimal(a) == Decimal(b)
            )
        except InvalidOperation:
            equal = a == b
        if not equal:
            self.differences.append(
                Difference(figure=figure, stated=str(a), recomputed=str(b), inputs=inputs)
            )


# ROI -----------------------------------------------------------------------------------------


def _baseline(check: _Check, inputs: Mapping[str, Any], results: Mapping[str, Any]) -> Decimal:
    stated = inputs["baseline"]
    if stated["source"] == "parts":
        raw = stated["parts"]
        parts = BaselineParts(**{k: _req(v, f"inputs.baseline.parts.{k}") for k, v in raw.items()})
        breakdown = baseline_breakdown(parts=parts)
        names = "inputs.baseline.parts (" + ", ".join(sorted(raw)) + ")"
    else:
        amount = _req(stated["monthly_amount"], "inputs.baseline.monthly_amount")
        breakdown = baseline_breakdown(monthly_amount=amount)
        names = "inputs.baseline.monthly_amount"
    shown = results["baseline"]
    by_label = {line["label"]: line["amount"] for line in shown.get("lines", [])}
    for line in breakdown.lines:
        check.same(f"results.baseline.lines[{line.label}]", by_label.get(line.label),
                   line.amount, names)  # fmt: skip
    for key in ("paid_fte", "per_fte_cost"):
        check.same(f"results.baseline.{key}", shown.get(key), getattr(breakdown, key), names)
    check.same("results.baseline.monthly_amount", shown["monthly_amount"],
               breakdown.monthly_amount, names)  # fmt: skip
    return breakdown.monthly_amount


def verify_roi(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute the baseline, each month, the totals, savings %, ROI % and payback."""
    check = _Check()
    inputs, results = document["inputs"], document["results"]
    inhouse = _baseline(check, inputs, results)
    months = [
        MonthFigures(
            period=m["period"], inhouse=inhouse,
            charges=_req(m["charges"], f"inputs.months[{m['period']}].charges"),
            credits=_req(m["credits"], f"inputs.months[{m['period']}].credits"),
            retained=_req(m["retained"], f"inputs.months[{m['period']}].retained"),
            # informative (already in `credits`); absent from reports made before earn-back
            earn_back=(_req(m["earn_back"], f"inputs.months[{m['period']}].earn_back")
                       if "earn_back" in m else Decimal(0)),
        )
        for m in inputs["months"]
    ]  # fmt: skip
    fees = {k: _req(v, f"inputs.one_off_fees.{k}") for k, v in inputs["one_off_fees"].items()}
    roi = compute_roi(months=months, one_off=sum(fees.values(), Decimal(0)))
    stated_months = {m["period"]: m for m in results["months"]}
    if len(stated_months) != len(roi.months):
        check.same("results.months (count)", len(stated_months), len(roi.months), "inputs.months")
    for row in roi.months:
        stated = stated_months.get(row.period, {})
        month_inputs = f"inputs.months[{row.period}].charges, .credits, .retained and the baseline"
        for key in ("inhouse", "charges", "credits", "retained", "outsourced_cost", "savings",
                    "cumulative_savings"):  # fmt: skip
            check.same(f"results.months[{row.period}].{key}", stated.get(key),
                       getattr(row, key), month_inputs)  # fmt: skip
    for key, value in vars(roi.totals).items():
        if key == "earn_back" and key not in results["totals"]:
            continue  # a report made before earn-back
        source = "inputs.one_off_fees" if key == "one_off" else f"the months' {key}"
        check.same(f"results.totals.{key}", results["totals"].get(key), value, source)
    check.same("results.savings_percent", results["savings_percent"], roi.savings_percent,
               "results.totals.savings and .inhouse")  # fmt: skip
    check.same("results.roi_percent", results["roi_percent"], roi.roi_percent,
               "results.totals.savings and inputs.one_off_fees")  # fmt: skip
    check.same("results.payback_period", results["payback_period"], roi.payback_period,
               "the cumulative savings and inputs.one_off_fees")  # fmt: skip
    return check.differences


# SLA -----------------------------------------------------------------------------------------


def _targets(rows: Any, where: str) -> list[TargetInput]:
    return [
        TargetInput(
            id=t["id"], metric=t["metric"], channel=t["channel"],
            direction=Direction(t["direction"]),
            expected=_req(t["expected"], f"{where}[{t['id']}].expected"),
            minimum=_req(t["minimum"], f"{where}[{t['id']}].minimum"),
            critical=bool(t["critical"]),
            allocation_percent=_req(t["allocation_percent"],
                                    f"{where}[{t['id']}].allocation_percent"),
            actual=_d(t["actual"], f"{where}[{t['id']}].actual"), waived=bool(t["waived"]),
        )
        for t in rows
    ]  # fmt: skip


def _month(
    check: _Check,
    *,
    inputs: Mapping[str, Any],
    results: Mapping[str, Any],
    charges: Decimal | None,
    src: str,
    out: str,
) -> MonthEvaluation:
    """Recompute one contract month (statuses, credits, cap) and compare with `results`.

    `src` and `out` name where the month's inputs and results sit in the document."""
    targets = _targets(inputs["targets"], f"{src}.targets")
    at_risk_percent = _req(inputs["at_risk_percent"], f"{src}.at_risk_percent")
    stated = {t["id"]: t for t in results["targets"]}
    # A month that could not be priced: statuses only, no money (DOMAIN.md).
    evaluation = evaluate_month(charges=charges if charges is not None else Decimal(0),
                                at_risk_percent=at_risk_percent, targets=targets)  # fmt: skip
    for result in evaluation.targets:
        name = f"{src}.targets[{result.target_id}] ({result.metric})"
        shown = stated.get(result.target_id, {})
        check.same(
            f"{out}.targets[{result.target_id}].status",
            shown.get("status"),
            result.status.value,
            f"{name}.actual, .expected, .minimum, .direction",
        )
        if charges is not None:
            check.same(
                f"{out}.targets[{result.target_id}].credit",
                shown.get("credit"),
                result.credit,
                f"{name}.allocation_percent and the at-risk amount",
            )
    if charges is not None:
        money = f"{src}.charges and {src}.at_risk_percent"
        check.same(f"{out}.at_risk_amount", results["at_risk_amount"],
                   evaluation.at_risk_amount, money)  # fmt: skip
        for key in ("credit_waived", "credit_before_cap", "cap_adjustment", "credit_total"):
            check.same(
                f"{out}.{key}",
                results[key],
                getattr(evaluation, key),
                f"the targets' credits, {src}.targets[].waived and the at-risk amount",
            )
    return evaluation


def _usage(rows: Any) -> list[ChannelUsage]:
    def q(row: Mapping[str, Any], key: str) -> Decimal:
        return _d(row.get(key), f"inputs.usage[{row['channel']}].{key}") or Decimal(0)

    return [
        ChannelUsage(
            channel=Channel(u["channel"]), contacts=q(u, "contacts"),
            handled_minutes=q(u, "handled_minutes"), production_hours=q(u, "production_hours"),
            fte=_d(u.get("fte"), f"inputs.usage[{u['channel']}].fte"),
        )
        for u in rows
    ]  # fmt: skip


def _charges(check: _Check, inputs: Mapping[str, Any], results: Mapping[str, Any]) -> Decimal:
    """The month's charges from the contract's terms and the month's usage (vendors.domain)."""
    terms = inputs["terms"]
    try:
        price_list = price_list_from_terms(
            currency=terms["currency"], pricing=terms["pricing"],
            one_off_fees=terms.get("one_off_fees"), monthly_fees=terms["monthly_fees"],
            minimum_monthly_charge=terms["minimum_monthly_charge"],
        )  # fmt: skip
        breakdown = price_usage(
            price_list=price_list, usage=_usage(inputs["usage"]),
            fte_hours=_req(terms["fte_hours"], "inputs.terms.fte_hours"),
            month=int(str(inputs["period"])[5:7]),
        )  # fmt: skip
    except (TermsError, PricingError) as error:
        raise UnreadableInputs(f"inputs.terms and inputs.usage cannot be priced: {error}") from None
    charges = cents(breakdown.quoted.monthly_total)
    priced = "inputs.terms (pricing, monthly fees, minimum, FTE hours), inputs.usage and the month"
    stated = results.get("pricing") or {}
    for key in ("usage_charge", "monthly_charge", "fixed_fees", "monthly_total"):
        if key in stated:
            check.same(f"results.pricing.{key}", stated[key], getattr(breakdown.quoted, key),
                       priced)  # fmt: skip
    check.same("results.charges", results.get("charges", inputs["charges"]), charges, priced)
    return charges


def verify_sla(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute the charges (when the terms are attached), each target's status and credit,
    the at-risk amount, the cap and the total."""
    check = _Check()
    inputs, results = document["inputs"], document["results"]
    charges = _d(inputs["charges"], "inputs.charges")
    if charges is not None and "terms" in inputs:
        charges = _charges(check, inputs, results)
    _month(check, inputs=inputs, results=results, charges=charges, src="inputs", out="results")
    return check.differences


# Scorecard -----------------------------------------------------------------------------------


_MONTH_RESULTS = ("at_risk_amount", "credit_waived", "credit_before_cap", "cap_adjustment",
                  "credit_total")  # fmt: skip


def verify_scorecard(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute every contract month (statuses, credits, cap), each contract's and the vendor's
    credit totals, the monthly trend and the track-record score."""
    check = _Check()
    inputs, results = document["inputs"], document["results"]
    stated = {c["reference"]: c for c in results["contracts"]}
    statuses: dict[str, list[str]] = {}
    totals: dict[str, dict[str, Decimal]] = {}
    for contract in inputs["contracts"]:
        ref = contract["reference"]
        shown = stated.get(ref, {"months": [], "totals": {}})
        shown_months = {m["period"]: m for m in shown["months"]}
        total, waived = Decimal(0), Decimal(0)
        for month in contract["months"]:
            if not month["evaluated"]:
                continue
            src = f"inputs.contracts[{ref}].months[{month['period']}]"
            out = f"results.contracts[{ref}].months[{month['period']}]"
            charges = _d(month["charges"], f"{src}.charges")
            said = shown_months.get(month["period"]) or dict.fromkeys(_MONTH_RESULTS)
            said.setdefault("targets", [])
            evaluation = _month(check, inputs=month, results=said, charges=charges, src=src,
                                out=out)  # fmt: skip
            statuses.setdefault(month["period"], []).extend(
                t.status.value for t in evaluation.targets
            )
            if charges is not None:
                total += evaluation.credit_total
                waived += evaluation.credit_waived
        source = f"the months of inputs.contracts[{ref}]"
        check.same(f"results.contracts[{ref}].totals.credit_total",
                   shown["totals"].get("credit_total"), total, source)  # fmt: skip
        check.same(f"results.contracts[{ref}].totals.credit_waived",
                   shown["totals"].get("credit_waived"), waived, source)  # fmt: skip
        line = totals.setdefault(
            contract["currency"], {"credit_total": Decimal(0), "credit_waived": Decimal(0)}
        )
        line["credit_total"] += total
        line["credit_waived"] += waived
    for currency, line in totals.items():
        for key, value in line.items():
            check.same(f"results.totals[{currency}].{key}",
                       results["totals"].get(currency, {}).get(key), value,
                       f"the contracts in {currency}")  # fmt: skip
    trend = {t["period"]: t for t in results["trend"]}
    for period, found in sorted(statuses.items()):
        record = track_record(statuses=found)
        shown_month = trend.get(period, {})
        for key in ("judged", "met", "warning", "breach", "missing", "rate"):
            check.same(f"results.trend[{period}].{key}", shown_month.get(key),
                       getattr(record, key), f"the target-months of {period}")  # fmt: skip
    record = track_record(statuses=[s for found in statuses.values() for s in found])
    shown_record = results["track_record"]
    for key in ("judged", "met", "warning", "breach", "missing", "score"):
        check.same(f"results.track_record.{key}", shown_record.get(key), getattr(record, key),
                   "every recomputed target-month status")  # fmt: skip
    check.same("results.track_record.newcomer", str(shown_record.get("newcomer")),
               str(record.newcomer), "results.track_record.judged")  # fmt: skip
    return check.differences


# Comparison ----------------------------------------------------------------------------------


def _tco(check: _Check, p: Mapping[str, Any], shown: Mapping[str, Any]) -> Decimal | None:
    """One-off fees + the sum of the term's monthly costs (DOMAIN.md "TCO"), compared at the
    cents the report prints; the stated TCO when the document carries no monthly costs."""
    where = f"inputs.proposals[{p['proposal']}]"
    stated = _d(p["tco"], f"{where}.tco")
    costs = p.get("monthly_costs")
    if not costs or p.get("one_off_fees") is None:
        return stated
    one_off = _req(p["one_off_fees"], f"{where}.one_off_fees")
    tco = one_off + sum((_req(c, f"{where}.monthly_costs") for c in costs), Decimal(0))
    sources = f"{where}.one_off_fees and {where}.monthly_costs ({len(costs)} months)"
    check.same(f"{where}.tco", None if stated is None else cents(stated), cents(tco), sources)
    if "tco" in shown:
        said = _d(shown["tco"], "results.tco")
        check.same(f"results.proposals[{p['proposal']}].tco",
                   None if said is None else cents(said), cents(tco), sources)  # fmt: skip
    return tco


def _scores(p: Mapping[str, Any], lowest: Decimal) -> Scores:
    where = f"inputs.proposals[{p['proposal']}]"
    languages = [
        LanguageTerm(
            tag=t["tag"], share=_req(t["share"], f"{where}.languages.share"),
            matched_tag=t.get("matched_tag"), level=t.get("level"),
            proficiency=_req(t["proficiency"], f"{where}.languages.proficiency"),
            hours_coverage=_req(t["hours_coverage"], f"{where}.languages.hours_coverage"),
            value=_req(t["share"], "share") * _req(t["proficiency"], "proficiency")
            * _req(t["hours_coverage"], "hours_coverage"),
        )
        for t in p["languages"]
    ]  # fmt: skip
    certificates = [
        CertificationTerm(name=c["name"], points=int(c["points"]), held=bool(c["held"]))
        for c in p["certifications"]
    ]
    e = p["expertise"]
    expertise = ExpertiseTerms(
        industry_years=_req(e["industry_years"], f"{where}.expertise.industry_years"),
        channel_share=_req(e["channel_share"], f"{where}.expertise.channel_share"),
        median_rating=_d(e["median_rating"], f"{where}.expertise.median_rating"),
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
            newcomer_performance=_req(
                record["newcomer_performance"], f"{where}.track_record.newcomer_performance"
            ),
        )
    return Scores(
        cost=cost_score(tco=_req(p["tco"], f"{where}.tco"), lowest_tco=lowest),
        expertise=expertise_score(terms=expertise),
        security=security_score(terms=certificates),
        language=language_score(terms=languages),
        performance=performance,
    )


def verify_comparison(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute every qualified proposal's four scores and total from the score inputs."""
    check = _Check()
    inputs, results = document["inputs"], document["results"]
    w = inputs["weights"]
    weights = Weights(**{c.value: int(w.get(c.value, 0)) for c in Criterion})
    qualified = [p for p in inputs["proposals"] if p["qualified"]]
    if not qualified:
        return check.differences
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
    return check.differences


def _rounded(value: Any) -> Decimal | None:
    found = _d(value, "results")
    return None if found is None else two_places(found)


VERIFIERS: dict[str, Callable[[Mapping[str, Any]], list[Difference]]] = {
    "roi": verify_roi,
    "sla": verify_sla,
    "comparison": verify_comparison,
    "scorecard": verify_scorecard,
}


def verify_document(document: Mapping[str, Any]) -> list[Difference]:
    """Every difference between the document's results and what its inputs give."""
    if document.get("schema") != SCHEMA:
        raise UnreadableInputs(f"schema {document.get('schema')!r} is not {SCHEMA!r}")
    kind = document.get("report", {}).get("kind")
    verifier = VERIFIERS.get(str(kind))
    if verifier is None:
        raise UnreadableInputs(f"reports of kind {kind!r} cannot be recomputed yet")
    try:
        return verifier(document)
    except (KeyError, TypeError) as error:
        raise UnreadableInputs(f"the inputs lack {error}") from None

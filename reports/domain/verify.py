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
from core.money import two_places
from kpis.evaluation.rules import TargetInput, evaluate_month
from kpis.roi.arithmetic import MonthFigures, compute_roi
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


def verify_sla(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute each target's status and credit, the at-risk amount, the cap and the total."""
    check = _Check()
    inputs, results = document["inputs"], document["results"]
    targets = [
        TargetInput(
            id=t["id"], metric=t["metric"], channel=t["channel"],
            direction=Direction(t["direction"]),
            expected=_req(t["expected"], f"inputs.targets[{t['id']}].expected"),
            minimum=_req(t["minimum"], f"inputs.targets[{t['id']}].minimum"),
            critical=bool(t["critical"]),
            allocation_percent=_req(t["allocation_percent"],
                                    f"inputs.targets[{t['id']}].allocation_percent"),
            actual=_d(t["actual"], f"inputs.targets[{t['id']}].actual"), waived=bool(t["waived"]),
        )
        for t in inputs["targets"]
    ]  # fmt: skip
    charges = _d(inputs["charges"], "inputs.charges")
    at_risk_percent = _req(inputs["at_risk_percent"], "inputs.at_risk_percent")
    stated = {t["id"]: t for t in results["targets"]}
    if charges is None:
        # A month that could not be priced: statuses only, no money (DOMAIN.md).
        evaluation = evaluate_month(charges=Decimal(0), at_risk_percent=at_risk_percent,
                                    targets=targets)  # fmt: skip
    else:
        evaluation = evaluate_month(charges=charges, at_risk_percent=at_risk_percent,
                                    targets=targets)  # fmt: skip
    for result in evaluation.targets:
        name = f"inputs.targets[{result.target_id}] ({result.metric})"
        shown = stated.get(result.target_id, {})
        check.same(
            f"results.targets[{result.target_id}].status",
            shown.get("status"),
            result.status.value,
            f"{name}.actual, .expected, .minimum, .direction",
        )
        if charges is not None:
            check.same(
                f"results.targets[{result.target_id}].credit",
                shown.get("credit"),
                result.credit,
                f"{name}.allocation_percent and the at-risk amount",
            )
    if charges is not None:
        money = "inputs.charges and inputs.at_risk_percent"
        check.same(
            "results.at_risk_amount", results["at_risk_amount"], evaluation.at_risk_amount, money
        )
        for key in ("credit_waived", "credit_before_cap", "cap_adjustment", "credit_total"):
            check.same(
                f"results.{key}",
                results[key],
                getattr(evaluation, key),
                "the targets' credits, inputs.targets[].waived and the at-risk amount",
            )
    return check.differences


# Comparison ----------------------------------------------------------------------------------


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
    return Scores(
        cost=cost_score(tco=_req(p["tco"], f"{where}.tco"), lowest_tco=lowest),
        expertise=expertise_score(terms=expertise),
        security=security_score(terms=certificates),
        language=language_score(terms=languages),
    )


def verify_comparison(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute every qualified proposal's four scores and total from the score inputs."""
    check = _Check()
    inputs, results = document["inputs"], document["results"]
    w = inputs["weights"]
    weights = Weights(**{c.value: int(w[c.value]) for c in Criterion})
    qualified = [p for p in inputs["proposals"] if p["qualified"]]
    if not qualified:
        return check.differences
    lowest = min(_req(p["tco"], "inputs.proposals[].tco") for p in qualified)
    stated = {r["proposal"]: r for r in results["proposals"]}
    for p in qualified:
        scores = _scores(p, lowest)
        shown = stated.get(p["proposal"], {})
        where = f"inputs.proposals[{p['proposal']}]"
        sources = {
            Criterion.COST: f"{where}.tco and the lowest qualified TCO",
            Criterion.EXPERTISE: f"{where}.expertise",
            Criterion.SECURITY: f"{where}.certifications",
            Criterion.LANGUAGE: f"{where}.languages",
        }
        for c in Criterion:
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

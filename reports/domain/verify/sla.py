"""Recompute an SLA report (docs/reports.md, kind "sla") and the contract months of a
scorecard: the charges from the terms and usage (every priced line, the band split, the minimum
and the fees), each target's status, credit and chronic flag, the at-risk amount, the cap and the
total."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from core.catalogue import Direction
from core.channels import Channel
from core.money import cents
from kpis.evaluation.rules import (
    MonthEvaluation,
    TargetInput,
    TargetResult,
    TargetStatus,
    evaluate_month,
    is_chronic,
)
from reports.domain.verify.common import Check, Difference, UnreadableInputs, number, required
from reports.domain.verify.invoice import invoice_check
from vendors.domain.apportion import band_splits_from_json, price_contract_month
from vendors.domain.pricing import ChannelUsage, PriceBreakdown, PricedLine, PricingError
from vendors.domain.terms import TermsError, price_list_from_terms

# A target's chronic window before the month: the statuses (oldest first) and where they come from.
History = tuple[Sequence[TargetStatus | None], str]


def _targets(rows: Any, where: str) -> list[TargetInput]:
    return [
        TargetInput(
            id=t["id"], metric=t["metric"], channel=t["channel"],
            direction=Direction(t["direction"]),
            expected=required(t["expected"], f"{where}[{t['id']}].expected"),
            minimum=required(t["minimum"], f"{where}[{t['id']}].minimum"),
            critical=bool(t["critical"]),
            allocation_percent=required(t["allocation_percent"],
                                    f"{where}[{t['id']}].allocation_percent"),
            actual=number(t["actual"], f"{where}[{t['id']}].actual"), waived=bool(t["waived"]),
        )
        for t in rows
    ]  # fmt: skip


def status_of(value: Any, where: str) -> TargetStatus | None:
    """A stated status (None: the month was not evaluated or the target not in force)."""
    if value in (None, ""):
        return None
    try:
        return TargetStatus(value)
    except ValueError:
        raise UnreadableInputs(f"{where}: {value!r} is not a target status") from None


def _chronic(
    check: Check, result: TargetResult, shown: Mapping[str, Any], history: History, out: str
) -> None:
    """The target's chronic flag over its window before the month and its recomputed status."""
    before, source = history
    flag = is_chronic(statuses=[*before, result.status])
    where = f"{out}.targets[{result.target_id}]"
    sources = f"{source} and the month's recomputed status ({result.status.value})"
    check.same(f"{where}.chronic", str(bool(shown.get("chronic"))), str(flag.chronic), sources)
    if "chronic_rules" in shown:
        check.same(f"{where}.chronic_rules", ", ".join(shown["chronic_rules"]) or "none",
                   ", ".join(r.value for r in flag.rules) or "none", sources)  # fmt: skip
    for key in ("breaches_in_last_6", "below_expected_in_last_12"):
        if key in shown:
            check.same(f"{where}.{key}", shown[key], getattr(flag, key), sources)


def month_check(
    check: Check,
    *,
    inputs: Mapping[str, Any],
    results: Mapping[str, Any],
    charges: Decimal | None,
    src: str,
    out: str,
    history: Mapping[int, History] | None = None,
) -> MonthEvaluation:
    """Recompute one contract month (statuses, credits, cap, and the chronic flags of the
    targets whose window `history` gives) and compare with `results`.

    `src` and `out` name where the month's inputs and results sit in the document."""
    targets = _targets(inputs["targets"], f"{src}.targets")
    at_risk_percent = required(inputs["at_risk_percent"], f"{src}.at_risk_percent")
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
        if history is not None and result.target_id in history:
            _chronic(check, result, shown, history[result.target_id], out)
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
        return number(row.get(key), f"inputs.usage[{row['channel']}].{key}") or Decimal(0)

    return [
        ChannelUsage(
            channel=Channel(u["channel"]), contacts=q(u, "contacts"),
            handled_minutes=q(u, "handled_minutes"), production_hours=q(u, "production_hours"),
            fte=number(u.get("fte"), f"inputs.usage[{u['channel']}].fte"),
        )
        for u in rows
    ]  # fmt: skip


def _line_key(channel: Any, model: Any, bands: Any, months: Any) -> str:
    """A priced line's name: channel, model, and a scoped component's bands and months."""
    key = f"{channel} {model}"
    if bands:
        key += f" bands={','.join(str(b) for b in bands)}"
    if months:
        key += f" months={','.join(str(m) for m in months)}"
    return key


def _line_inputs(line: PricedLine, split: bool) -> str:
    channel = line.channel.value
    price = line.price_channel.value if line.price_channel else "all channels"
    sources = (f"inputs.terms.pricing[{price}] ({line.model.value} at {line.rate}"
               f"{'' if line.share is None else f', share {line.share}'}), "
               f"inputs.usage[{channel}]")  # fmt: skip
    if split:
        sources += f", inputs.terms.band_split[{channel}]"
    return sources + (", inputs.terms.fte_hours" if line.model.value == "per_fte_month" else "")


def _lines(check: Check, stated: Any, breakdown: PriceBreakdown, split: set[str]) -> None:
    """Every priced line, matched by channel, model, bands and months: rate, share, quantity
    and amount; a line stated but not priced (or priced but not stated) is named too."""
    shown: dict[str, list[Mapping[str, Any]]] = {}
    for line in stated:
        key = _line_key(line["channel"], line["model"], line.get("bands"), line.get("months"))
        shown.setdefault(key, []).append(line)
    for line in breakdown.lines:
        key = _line_key(line.channel.value, line.model.value, line.bands, line.months)
        said = shown.get(key, [])
        row = said.pop(0) if said else {}
        where = f"results.pricing.lines[{key}]"
        sources = _line_inputs(line, line.channel.value in split)
        for name in ("rate", "share", "quantity", "amount"):
            check.same(f"{where}.{name}", row.get(name), getattr(line, name), sources)
    for key, rows in shown.items():
        for _row in rows:
            check.same(f"results.pricing.lines[{key}]", "stated", "not priced",
                       "inputs.terms.pricing and inputs.usage")  # fmt: skip


def _band_usage(check: Check, stated: Any, recomputed: Sequence[Mapping[str, Any]]) -> None:
    """The usage split by band and the shares behind it, band by band."""
    shown = {(b["channel"], b["band"]): b for b in stated}
    for row in recomputed:
        key = (row["channel"], row["band"])
        said = shown.pop(key, {})
        where = f"results.pricing.band_usage[{row['channel']}/{row['band']}]"
        sources = (f"inputs.usage[{row['channel']}], inputs.terms.band_split[{row['channel']}] "
                   "and the calendar month of inputs.period")  # fmt: skip
        for name in ("volume_share", "agents", "band_hours", "forecast_hours", "hours_share",
                     "contacts", "handled_minutes", "production_hours", "fte"):  # fmt: skip
            check.same(f"{where}.{name}", said.get(name), row[name], sources)
    for channel, band in shown:
        check.same(f"results.pricing.band_usage[{channel}/{band}]", "stated", "not split",
                   "inputs.terms.pricing and inputs.terms.band_split")  # fmt: skip


def _fees(check: Check, stated: Mapping[str, Any], breakdown: PriceBreakdown) -> None:
    """The minimum monthly charge and whether it tops the usage charge up, and each fee."""
    source = "inputs.terms.minimum_monthly_charge"
    minimum = f"{source} and the lines' usage charge"
    if "minimum_monthly_charge" in stated:
        check.same("results.pricing.minimum_monthly_charge", stated["minimum_monthly_charge"],
                   breakdown.minimum_monthly_charge, source)  # fmt: skip
    if "minimum_applied" in stated:
        check.same("results.pricing.minimum_applied", str(stated["minimum_applied"]),
                   str(breakdown.minimum_applied), minimum)  # fmt: skip
    if "monthly_fees" in stated:
        shown = {f["name"]: f["amount"] for f in stated["monthly_fees"]}
        for fee in breakdown.monthly_fees:
            check.same(f"results.pricing.monthly_fees[{fee.name}]", shown.pop(fee.name, None),
                       fee.amount, "inputs.terms.monthly_fees")  # fmt: skip
        for name, amount in shown.items():
            check.same(f"results.pricing.monthly_fees[{name}]", amount, None,
                       "inputs.terms.monthly_fees")  # fmt: skip


def _priced(inputs: Mapping[str, Any]) -> tuple[PriceBreakdown, tuple[dict[str, Any], ...]]:
    """The month priced from inputs.terms and inputs.usage by the function the evaluation uses
    (vendors.domain.apportion.price_contract_month), band split included."""
    terms = inputs["terms"]
    try:
        price_list = price_list_from_terms(
            currency=terms["currency"], pricing=terms["pricing"],
            one_off_fees=terms.get("one_off_fees"), monthly_fees=terms["monthly_fees"],
            minimum_monthly_charge=terms["minimum_monthly_charge"],
        )  # fmt: skip
        priced = price_contract_month(
            price_list=price_list, usage=_usage(inputs["usage"]),
            splits=band_splits_from_json(terms.get("band_split")),
            fte_hours=required(terms["fte_hours"], "inputs.terms.fte_hours"),
            month=int(str(inputs["period"])[5:7]),
        )  # fmt: skip
    except (TermsError, PricingError, ValueError) as error:
        raise UnreadableInputs(f"inputs.terms and inputs.usage cannot be priced: {error}") from None
    return priced.breakdown, priced.band_usage


def _charges(
    check: Check, inputs: Mapping[str, Any], results: Mapping[str, Any]
) -> tuple[Decimal, PriceBreakdown]:
    """The month's charges from the contract's terms and the month's usage (vendors.domain),
    with the breakdown they come from."""
    breakdown, band_usage = _priced(inputs)
    charges = cents(breakdown.quoted.monthly_total)
    priced = ("inputs.terms (pricing, band split, monthly fees, minimum, FTE hours), "
              "inputs.usage and the month")  # fmt: skip
    stated = results.get("pricing") or {}
    for key in ("usage_charge", "monthly_charge", "fixed_fees", "monthly_total"):
        if key in stated:
            check.same(f"results.pricing.{key}", stated[key], getattr(breakdown.quoted, key),
                       priced)  # fmt: skip
    if "lines" in stated:
        _lines(check, stated["lines"], breakdown, {row["channel"] for row in band_usage})
    if "band_usage" in stated or band_usage:
        _band_usage(check, stated.get("band_usage") or [], band_usage)
    _fees(check, stated, breakdown)
    check.same("results.charges", results.get("charges", inputs["charges"]), charges, priced)
    return charges, breakdown


def _histories(targets: Any) -> dict[int, History]:
    """Each target's window before the month as the report states it (inputs.targets[].history)."""
    found: dict[int, History] = {}
    for t in targets:
        if "history" not in t:
            continue  # a report made before the history was attached
        where = f"inputs.targets[{t['id']}].history"
        months = sorted(t["history"], key=lambda h: str(h["period"]))
        statuses = [status_of(h["status"], f"{where}[{h['period']}]") for h in months]
        span = f" ({months[0]['period']} to {months[-1]['period']})" if months else ""
        found[t["id"]] = (statuses, where + span)
    return found


def verify_sla(document: Mapping[str, Any]) -> list[Difference]:
    """Recompute the charges (when the terms are attached) with every priced line, the band
    split and the minimum, each target's status, credit and chronic flag, the at-risk amount,
    the cap and the total."""
    check = Check()
    inputs, results = document["inputs"], document["results"]
    charges = number(inputs["charges"], "inputs.charges")
    breakdown = None
    if charges is not None and "terms" in inputs:
        charges, breakdown = _charges(check, inputs, results)
    month_check(check, inputs=inputs, results=results, charges=charges, src="inputs",
                out="results", history=_histories(inputs["targets"]))  # fmt: skip
    # the month's invoice, when recorded, against the pricing just recomputed
    invoice_check(check, inputs=inputs, results=results, breakdown=breakdown)
    return check.differences

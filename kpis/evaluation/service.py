"""Evaluation of contract months through the ORM (DOMAIN.md "Evaluation of a contract month").

`contract_months_evaluate` is the one path: the task queued after an ingestion, the monthly
job, the `kpis_evaluate` command and a waiver all end in it (`contract_month_evaluate` is the
batch of one). For a batch of contracts and one month it

1. locks the contracts and reads, in a fixed number of queries whatever the batch size, the
   terms in force (targets, amendments), the month's current KPI values, the current
   evaluations, the statuses of the eleven months before (for the chronic rules, over each
   target's `replaces` lineage), and the month's breaches and chronic flags;
2. prices the month's usage with vendors.domain.pricing (contacts_handled, handled_minutes and
   production_hours per channel; per_fte_month bills the contracted FTE) and judges every
   target with kpis.evaluation.rules (status, credit, cap, chronic flag) — no rule is restated here;
3. stores a new Evaluation revision with its TargetResults when anything differs from the
   current revision (same inputs and results: nothing new, so a repeated run is a no-op),
   keeping the earlier revision; opens a Breach per target in breach and a ChronicFlag per
   chronic target, and marks as cleared those the month no longer shows;
4. after commit, e-mails managers about breaches and flags not yet notified (once each), and
   re-evaluates the later months already evaluated whose chronic window includes this month.

A month that cannot be priced (an unpriced channel with usage, a broken price list) is still
evaluated: the targets are judged, charges and credits are left empty and the reason is a
finding. So are missing reports, and usage reported only for all channels (a price applies
per channel, so such usage is never guessed onto one).
"""

import hashlib
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contracts.models import Contract, SlaTarget
from contracts.services.terms import Terms, month_start, terms_for_month
from core.audit import history_insert_select, history_record_updated
from core.catalogue import METRICS, USAGE_METRICS, Direction
from core.channels import CHANNEL_LABELS, Channel
from core.money import cents
from core.months import add_months
from kpis.evaluation import texts as T
from kpis.evaluation.earnback import (
    CreditSource,
    EarnBackLine,
    earn_back_lines,
    earn_back_total,
)
from kpis.evaluation.history import WINDOW, lineage_history, months_before
from kpis.evaluation.notices import findings_notify
from kpis.evaluation.rules import (
    MonthEvaluation,
    TargetInput,
    TargetStatus,
    evaluate_month,
    is_chronic,
)
from kpis.models import KpiValue
from kpis.models.evaluation import Breach, ChronicFlag, Evaluation, TargetResult
from vendors.domain.apportion import band_splits_from_json, price_contract_month
from vendors.domain.pricing import (
    ChannelUsage,
    PriceBreakdown,
    PricedLine,
    PriceList,
    PricingModel,
)
from vendors.domain.terms import TermsError

logger = logging.getLogger(__name__)

Trigger = Evaluation.Trigger
_ZERO = Decimal(0)
_CHUNK = 500  # contracts per transaction in a whole-period run
_USAGE_FIELDS = {
    "contacts_handled": "contacts",
    "handled_minutes": "handled_minutes",
    "production_hours": "production_hours",
}


class EvaluationRefused(ValueError):
    """A contract month that cannot be evaluated at all (outside the contract's term)."""


@dataclass(frozen=True)
class Evaluated:
    """What one contract month's run did: the evaluation in force and whether it is new."""

    evaluation: Evaluation
    created: bool
    new_breaches: int = 0
    new_flags: int = 0


@dataclass(frozen=True)
class _Value:
    id: int
    value: Decimal | None
    revision: int
    note: str


@dataclass
class _Month:
    """Everything read for one contract month."""

    contract: Contract
    terms: Terms
    values: dict[tuple[str, str], _Value]
    lineage: dict[int, int]  # target id -> the first target of its `replaces` chain
    history: dict[int, dict[date, str]]  # lineage -> month -> status, months before this one
    current: Evaluation | None = None
    breaches: dict[int, Breach] = field(default_factory=dict)  # by target id
    flags: dict[int, ChronicFlag] = field(default_factory=dict)
    # Month m = this month - K's current evaluation, for earn-back: (credit before cap,
    # credit total, its credits); None when the contract has no earn-back or m was not evaluated.
    earn_back_source: tuple[Decimal | None, Decimal | None, list[CreditSource]] | None = None


@dataclass
class _Result:
    """An evaluation computed in memory, before it is stored."""

    month: _Month
    fields: dict[str, Any]
    rows: list[dict[str, Any]]
    fingerprint: str


# --- months ---------------------------------------------------------------------------------


def parse_period(value: str | date) -> date:
    """`YYYY-MM` (or a date) to the first day of its month; ValueError otherwise."""
    if isinstance(value, date):
        return month_start(value)
    year, _, month = value.partition("-")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
        raise ValueError(f"{value!r} is not a month written YYYY-MM")
    return date(int(year), int(month), 1)


def contract_last_month(contract: Contract) -> date:
    """The last month the contract runs in: its end, or its termination when earlier."""
    end = contract.end_date
    if contract.termination_date and contract.termination_date < end:
        end = contract.termination_date
    return month_start(end)


def latest_evaluated_month(contract: Contract) -> date | None:
    """The newest month, not after the current one, of the contract with a current evaluation
    (pages open on it; an evaluation of a later month, made before that was refused, is not)."""
    return (
        Evaluation.objects.filter(contract=contract, is_current=True, period__lte=current_month())
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def current_month() -> date:
    """The first day of today's month in the configured time zone (TIME_ZONE)."""
    return month_start(timezone.localdate())


def refuse_future(period: date) -> None:
    """A month after the current one has not happened yet: it is never evaluated."""
    now = current_month()
    if month_start(period) > now:
        raise EvaluationRefused(
            f"{period:%Y-%m} has not happened yet: months up to {now:%Y-%m} can be evaluated"
        )


def covers(contract: Contract, period: date) -> bool:
    """Whether the month lies within the contract's term."""
    return month_start(contract.start_date) <= period <= contract_last_month(contract)


def contracts_due(*, period: date) -> list[Contract]:
    """Contracts in force during the month: active (or since terminated) and within term."""
    first, last = period, add_months(period, 1)
    return list(
        Contract.objects.filter(
            status__in=[Contract.Status.ACTIVE, Contract.Status.TERMINATED],
            start_date__lt=last,
            end_date__gte=first,
        )
        .filter(Q(termination_date__isnull=True) | Q(termination_date__gte=first))
        .order_by("pk")
    )


# --- entry points ---------------------------------------------------------------------------


def contract_month_evaluate(
    *, contract: Contract, period: date, trigger: str = Trigger.COMMAND, user=None
) -> Evaluation:
    """Evaluate one contract month (a batch of one); the evaluation now in force."""
    (done,) = contract_months_evaluate(
        contracts=[contract], period=period, trigger=trigger, user=user
    )
    return done.evaluation


def contract_months_evaluate(
    *,
    contracts: Iterable[Contract],
    period: date,
    trigger: str = Trigger.COMMAND,
    user=None,
    cascade: bool = True,
) -> list[Evaluated]:
    """Evaluate one month of many contracts in a fixed number of queries; see the module."""
    period = month_start(period)
    refuse_future(period)
    ids = sorted({c.pk for c in contracts})
    if not ids:
        return []
    with transaction.atomic():
        months = _read(ids, period)
        outside = [m.contract.reference for m in months if not covers(m.contract, period)]
        if outside:
            raise EvaluationRefused(f"{period:%Y-%m} lies outside the term of {', '.join(outside)}")
        done, notices = _store(
            [_compute(m, period) for m in months], period=period, trigger=trigger, user=user
        )
    transaction.on_commit(partial(findings_notify, **notices), robust=True)
    if cascade:
        _cascade([d.evaluation.contract_id for d in done if d.created], period)
    return done


def period_evaluate(
    *, period: date, references: Sequence[str] = (), trigger: str = Trigger.COMMAND
) -> list[Evaluated]:
    """Evaluate a month of the named contracts, or of every contract in force that month."""
    period = month_start(period)
    refuse_future(period)
    if references:
        found = {c.reference: c for c in Contract.objects.filter(reference__in=references)}
        unknown = [r for r in references if r not in found]
        if unknown:
            raise EvaluationRefused(f"no contract {', '.join(unknown)}")
        contracts = [found[r] for r in references]
    else:
        contracts = contracts_due(period=period)
    done: list[Evaluated] = []
    for start in range(0, len(contracts), _CHUNK):
        chunk = contracts[start : start + _CHUNK]
        done += contract_months_evaluate(contracts=chunk, period=period, trigger=trigger)
    return done


def previous_month_evaluate(*, today: date | None = None) -> list[Evaluated]:
    """The monthly job: last month of every contract in force then (missing data included)."""
    today = today or timezone.localdate()
    return period_evaluate(period=add_months(month_start(today), -1), trigger=Trigger.SCHEDULE)


def _cascade(contract_ids: list[int], period: date) -> None:
    """Re-evaluate later months whose chronic window includes a month that just changed."""
    if not contract_ids:
        return
    later = Evaluation.objects.filter(
        contract_id__in=contract_ids,
        is_current=True,
        period__gt=period,
        period__lt=add_months(period, WINDOW),
        period__lte=current_month(),  # a future month is never evaluated, nor re-evaluated
    ).values_list("period", "contract_id")
    by_month: dict[date, list[int]] = defaultdict(list)
    for month, contract_id in later:
        by_month[month].append(contract_id)
    contracts = Contract.objects.in_bulk({pk for ids in by_month.values() for pk in ids})
    for month in sorted(by_month):
        contract_months_evaluate(
            contracts=[contracts[pk] for pk in by_month[month]],
            period=month,
            trigger=Trigger.CASCADE,
            cascade=False,
        )


# --- reading --------------------------------------------------------------------------------


def _read(ids: list[int], period: date) -> list[_Month]:
    """Lock the contracts and read the month's inputs for all of them at once."""
    contracts = list(
        Contract.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .prefetch_related("targets", "amendments")
    )
    values = _values(ids, period)
    history = lineage_history(ids, period)
    months = []
    for contract in contracts:
        lineage = _lineage(contract.targets.all())
        months.append(
            _Month(
                contract=contract,
                terms=terms_for_month(contract, period),
                values=values.get(contract.pk, {}),
                lineage=lineage,
                history=history.get(contract.pk, {}),
            )
        )
    by_contract = {m.contract.pk: m for m in months}
    for evaluation in Evaluation.objects.filter(
        contract_id__in=ids, period=period, is_current=True
    ):
        month = by_contract[evaluation.contract_id]
        month.current, evaluation.contract = evaluation, month.contract
    for breach in Breach.objects.filter(contract_id__in=ids, period=period):
        by_contract[breach.contract_id].breaches[breach.target_id] = breach
    for flag in ChronicFlag.objects.filter(contract_id__in=ids, period=period):
        by_contract[flag.contract_id].flags[flag.target_id] = flag
    _read_earn_back_sources(by_contract, period)
    return months


def _read_earn_back_sources(by_contract: dict[int, _Month], period: date) -> None:
    """Month m's credits for every contract with earn-back, in two queries whatever the batch."""
    by_k: dict[int, list[int]] = defaultdict(list)
    for pk, month in by_contract.items():
        if month.contract.earn_back_months:
            by_k[month.contract.earn_back_months].append(pk)
    if not by_k:
        return
    wanted = Q(pk__in=[])
    for k, ids in by_k.items():  # one term per K in the batch, not one per contract
        wanted |= Q(contract_id__in=ids, period=add_months(period, -k))
    evaluations = {
        e.pk: e
        for e in Evaluation.objects.filter(wanted, is_current=True).only(
            "pk", "contract_id", "credit_before_cap", "credit_total"
        )
    }
    sources: dict[int, list[CreditSource]] = defaultdict(list)
    rows = TargetResult.objects.filter(
        evaluation_id__in=list(evaluations), critical=True, credit__gt=0
    ).values_list(
        "evaluation_id", "target_id", "lineage_id", "metric", "channel", "credit", "waived",
        "chronic",
    )  # fmt: skip
    for evaluation_id, target_id, lineage, metric, channel, credit, waived, chronic in rows:
        sources[evaluation_id].append(CreditSource(
            target_id=target_id, lineage_id=lineage, metric=metric, channel=channel,
            credit=credit, waived=waived, chronic=chronic,
        ))  # fmt: skip
    for pk, e in evaluations.items():
        by_contract[e.contract_id].earn_back_source = (
            e.credit_before_cap,
            e.credit_total,
            sources[pk],
        )


def _values(ids: list[int], period: date) -> dict[int, dict[tuple[str, str], _Value]]:
    found: dict[int, dict[tuple[str, str], _Value]] = defaultdict(dict)
    rows = KpiValue.objects.filter(contract_id__in=ids, period=period, is_current=True)
    fields = ("contract_id", "channel", "metric", "pk", "value", "revision", "note")
    for contract_id, channel, metric, pk, value, revision, note in rows.values_list(*fields):
        found[contract_id][(channel, metric)] = _Value(pk, value, revision, note)
    return found


def _lineage(targets: Iterable[SlaTarget]) -> dict[int, int]:
    """Each target's first ancestor through `replaces`, so amended targets share a history."""
    parent = {t.pk: t.replaces_id for t in targets}
    roots: dict[int, int] = {}
    for pk in parent:
        root, seen = pk, set()
        while parent.get(root) is not None and root not in seen:
            seen.add(root)
            root = parent[root]  # type: ignore[assignment]
        roots[pk] = root
    return roots


# --- computing ------------------------------------------------------------------------------


def _finding(code: str, message: str, **about: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **about}


def _compute(month: _Month, period: date) -> _Result:
    """Price and judge one contract month in memory."""
    terms = month.terms
    findings: list[dict[str, Any]] = []
    breakdown, usage, band_usage = _price(terms, month.values, findings, period.month)
    charges = None if breakdown is None else cents(breakdown.quoted.monthly_total)
    judged = _judge(month, charges)
    rows = _rows(month, period, judged, priced=charges is not None, findings=findings)
    if not terms.targets:
        findings.append(_finding("no_targets", "No SLA target is in force this month."))
    priced = charges is not None
    earned = _earn_back(month, period, rows)
    fields: dict[str, Any] = {
        "currency": terms.currency,
        "charges": charges,
        "at_risk_percent": terms.at_risk_percent,
        "at_risk_amount": judged.at_risk_amount if priced else None,
        "credit_before_cap": judged.credit_before_cap if priced else None,
        "cap_adjustment": judged.cap_adjustment if priced else None,
        "credit_waived": judged.credit_waived if priced else None,
        "credit_total": judged.credit_total if priced else None,
        "retained": cents(terms.retained_management_monthly),
        "pricing": _pricing_json(breakdown, band_usage),
        "usage": usage,
        "kpi_values": [
            {
                "id": v.id,
                "channel": ch,
                "metric": m,
                "revision": v.revision,
                "value": None if v.value is None else str(v.value),
            }
            for (ch, m), v in sorted(month.values.items())
        ],  # fmt: skip
        "amendments": list(terms.amendments),
        "findings": findings,
    }
    if earned:
        # Only then: a month without earn-back keeps the fingerprint it had before earn-back.
        fields["earn_back"] = earn_back_total(earned)
        fields["earn_back_lines"] = [_earn_back_json(line) for line in earned]
    return _Result(month=month, fields=fields, rows=rows, fingerprint=_fingerprint(fields, rows))


def _earn_back(month: _Month, period: date, rows: list[dict[str, Any]]) -> tuple[EarnBackLine, ...]:
    """The credits of month m = period - K earned back this month (kpis.evaluation.earnback)."""
    k = month.contract.earn_back_months
    if not k or month.earn_back_source is None:
        return ()
    before_cap, total, sources = month.earn_back_source
    between = [add_months(period, -j) for j in range(k - 1, 0, -1)]  # m+1 .. m+K-1
    now = {row["lineage_id"]: row["status"] for row in rows}
    later_met = {
        lineage: [
            *(month.history.get(lineage, {}).get(m) == TargetStatus.MET for m in between),
            status == TargetStatus.MET,
        ]
        for lineage, status in now.items()
    }
    return earn_back_lines(
        months=k, source_period=f"{add_months(period, -k):%Y-%m}", sources=sources,
        credit_before_cap=before_cap, credit_total=total, later_met=later_met,
    )  # fmt: skip


def _earn_back_json(line: EarnBackLine) -> dict[str, Any]:
    return {
        "target": line.target_id, "lineage": line.lineage_id, "metric": line.metric,
        "channel": line.channel, "source_period": line.source_period, "credit": str(line.credit),
        "deducted": str(line.deducted), "amount": str(line.amount),
    }  # fmt: skip


def _price(
    terms: Terms, values: dict[tuple[str, str], _Value], findings: list[dict[str, Any]], month: int
) -> tuple[PriceBreakdown | None, list[dict[str, str]], list[dict[str, Any]]]:
    """Price the month's usage in its calendar month; None (and a finding) when it cannot be.

    Components scoped by months price only their months; for components scoped by bands the
    channel's usage is split over the bands by the shares frozen at award (apportion.py).
    """
    per_channel: dict[str, dict[str, Decimal]] = defaultdict(dict)
    overall: dict[str, Decimal] = {}
    for (channel, metric), v in values.items():
        if metric in USAGE_METRICS and v.value is not None:
            (per_channel[channel] if channel else overall)[metric] = v.value
    for metric, amount in sorted(overall.items()):
        if not any(metric in quantities for quantities in per_channel.values()):
            findings.append(_finding(
                "usage_all_channels",
                T.USAGE_ALL_CHANNELS % {"metric": METRICS[metric].label, "amount": amount},
                metric=metric,
            ))  # fmt: skip
    usage: list[dict[str, str]] = []
    try:
        price_list = terms.price_list()
        fte = _contracted_fte(terms, price_list, findings)
        splits = band_splits_from_json(terms.band_split)
        channel_usage = [
            _channel_usage(channel, per_channel.get(channel, {}), fte.get(channel))
            for channel in sorted(set(per_channel) | set(fte))
        ]
        usage = [
            {"channel": u.channel.value, "contacts": str(u.contacts),
             "handled_minutes": str(u.handled_minutes),
             "production_hours": str(u.production_hours),
             "fte": None if u.fte is None else str(u.fte)}
            for u in channel_usage
        ]  # fmt: skip
        # The calendar month: hybrid components scoped by months price only their months.
        priced = price_contract_month(
            price_list=price_list, usage=channel_usage, splits=splits,
            fte_hours=terms.fte_hours, month=month,
        )  # fmt: skip
    except (TermsError, ValueError, ArithmeticError) as error:
        findings.append(_finding(
            "pricing_failed",
            T.PRICING_FAILED % {"error": error},
        ))  # fmt: skip
        return None, usage, []
    return priced.breakdown, usage, list(priced.band_usage)


def _charges_per_fte(price_list: PriceList, channel: Channel) -> bool:
    price = price_list.price_for(channel)
    if price is None:
        return False
    models = [c.model for c in price.components] or [price.model]
    return PricingModel.PER_FTE_MONTH in models


def _contracted_fte(
    terms: Terms, price_list: PriceList, findings: list[dict[str, Any]]
) -> dict[str, Decimal]:
    """The contracted FTE of the channels billed per FTE; a finding where none is stated."""
    stated = {
        str(k): Decimal(str(v)) for k, v in terms.contracted_fte.items() if v not in (None, "")
    }
    fte = {ch: n for ch, n in stated.items() if _charges_per_fte(price_list, Channel(ch))}
    for price in price_list.channel_prices:
        models = [c.model for c in price.components] or [price.model]
        if PricingModel.PER_FTE_MONTH in models and price.channel and price.channel not in stated:
            findings.append(_finding(
                "fte_not_contracted",
                T.FTE_NOT_CONTRACTED % {"channel": CHANNEL_LABELS[Channel(price.channel)]},
                channel=price.channel.value,
            ))  # fmt: skip
    return fte


def _channel_usage(
    channel: str, quantities: dict[str, Decimal], fte: Decimal | None
) -> ChannelUsage:
    kwargs = {_USAGE_FIELDS[m]: q for m, q in quantities.items()}
    return ChannelUsage(channel=Channel(channel), fte=fte, **kwargs)


def _line_json(line: PricedLine) -> dict[str, Any]:
    """One priced line; a scoped component's bands and months only when it has them."""
    row: dict[str, Any] = {
        "channel": line.channel.value, "model": line.model.value, "rate": str(line.rate),
        "quantity": str(line.quantity), "amount": str(line.amount),
        "share": None if line.share is None else str(line.share),
        "price_channel": line.price_channel.value if line.price_channel else None,
    }  # fmt: skip
    if line.bands:
        row["bands"] = list(line.bands)
    if line.months:
        row["months"] = list(line.months)
    return row


def _pricing_json(
    breakdown: PriceBreakdown | None, band_usage: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The priced lines and totals as stored: every figure at full precision, as a string.

    `band_usage` (only when a component is scoped by bands): the usage split by band and the
    shares behind it.
    """
    if breakdown is None:
        return {}
    quoted = breakdown.quoted
    extra = {"band_usage": band_usage} if band_usage else {}
    return {
        **extra,
        "lines": [_line_json(line) for line in breakdown.lines],
        "usage_charge": str(quoted.usage_charge),
        "minimum_monthly_charge": str(breakdown.minimum_monthly_charge),
        "minimum_applied": breakdown.minimum_applied,
        "monthly_charge": str(quoted.monthly_charge),
        "monthly_fees": [{"name": f.name, "amount": str(f.amount)} for f in breakdown.monthly_fees],
        "fixed_fees": str(quoted.fixed_fees),
        "monthly_total": str(quoted.monthly_total),
    }  # fmt: skip


def _judge(month: _Month, charges: Decimal | None) -> MonthEvaluation:
    """Judge the targets in force with kpis.evaluation.rules (charges 0 when unpriced)."""
    waived = {pk for pk, b in month.breaches.items() if b.status == Breach.Status.WAIVED}
    targets = []
    for t in month.terms.targets:
        value = month.values.get((t.channel, t.metric))
        targets.append(
            TargetInput(
                id=t.pk, metric=t.metric, channel=t.channel or None,
                direction=METRICS[t.metric].direction, expected=t.expected, minimum=t.minimum,
                critical=t.critical, allocation_percent=t.allocation_percent,
                actual=None if value is None else value.value, waived=t.pk in waived,
            )
        )  # fmt: skip
    return evaluate_month(
        charges=charges if charges is not None else _ZERO,
        at_risk_percent=month.terms.at_risk_percent,
        targets=[t for t in targets if t.direction is not Direction.NONE],
    )


def _rows(
    month: _Month,
    period: date,
    judged: MonthEvaluation,
    *,
    priced: bool,
    findings: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """TargetResult fields for each judged target, with its chronic flag."""
    targets = {t.pk: t for t in month.terms.targets}
    window = months_before(period)
    rows = []
    for r in judged.targets:
        target = targets[r.target_id]
        lineage = month.lineage.get(r.target_id, r.target_id)
        past = month.history.get(lineage, {})
        statuses = [TargetStatus(past[m]) if m in past else None for m in window]
        flag = is_chronic(statuses=[*statuses, r.status])
        value = month.values.get((target.channel, target.metric))
        earns = r.critical and r.status is TargetStatus.BREACH
        rows.append({
            "target_id": r.target_id, "lineage_id": lineage, "metric": r.metric,
            "channel": target.channel, "expected": target.expected, "minimum": target.minimum,
            "critical": r.critical, "allocation_percent": r.allocation_percent,
            "actual": r.actual, "kpi_value_id": value.id if value else None,
            "kpi_revision": value.revision if value else None, "status": r.status.value,
            "credit": r.credit if priced or not earns else None, "waived": r.waived,
            "chronic": flag.chronic, "chronic_rules": [rule.value for rule in flag.rules],
            "breaches_in_last_6": flag.breaches_in_last_6,
            "below_expected_in_last_12": flag.below_expected_in_last_12,
        })  # fmt: skip
        if r.status is TargetStatus.MISSING:
            findings.append(_missing(target, value))
    return rows


def _missing(target: SlaTarget, value: _Value | None) -> dict[str, Any]:
    about = {
        "metric": METRICS[target.metric].label,
        "channel": CHANNEL_LABELS[Channel(target.channel)] if target.channel else "",
        "note": (value.note or T.NO_VOLUME_NOTE) if value is not None else "",
    }
    if value is None:
        message = T.MISSING if target.channel else T.MISSING_ALL_CHANNELS
    else:
        message = T.NO_FIGURE if target.channel else T.NO_FIGURE_ALL_CHANNELS
    message %= about
    return _finding(
        "missing", message, target=target.pk, metric=target.metric, channel=target.channel
    )


def _fingerprint(fields: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    payload = json.dumps({"fields": fields, "rows": rows}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- storing --------------------------------------------------------------------------------


def _store(
    results: list[_Result], *, period: date, trigger: str, user
) -> tuple[list[Evaluated], dict[str, list[int]]]:
    """Write new revisions in bulk and bring the month's breaches and flags in line."""
    changed = [
        r
        for r in results
        if r.month.current is None or r.month.current.fingerprint != r.fingerprint
    ]
    retired = [r.month.current.pk for r in changed if r.month.current is not None]
    if retired:
        Evaluation.objects.filter(pk__in=retired).update(is_current=False)
    created = Evaluation.objects.bulk_create(
        [
            Evaluation(
                contract=r.month.contract, period=period,
                revision=r.month.current.revision + 1 if r.month.current else 1,
                trigger=trigger, created_by=user, fingerprint=r.fingerprint, **r.fields,
            )
            for r in changed
        ],
        batch_size=1000,
    )  # fmt: skip
    results_by_contract: dict[int, list[TargetResult]] = {}
    rows = []
    for result, evaluation in zip(changed, created, strict=True):
        own = [TargetResult(evaluation=evaluation, **row) for row in result.rows]
        results_by_contract[evaluation.contract_id] = own
        rows += own
    TargetResult.objects.bulk_create(rows, batch_size=5000)
    new_breaches, new_flags = _sync_findings(changed, results_by_contract, period, user)
    notices = _pending(results, new_breaches, new_flags)
    evaluations = {e.contract_id: e for e in created}
    breaches_of = Counter(b.contract_id for b in new_breaches)
    flags_of = Counter(f.contract_id for f in new_flags)
    done = []
    for r in results:
        pk = r.month.contract.pk
        fresh = evaluations.get(pk)
        done.append(
            Evaluated(
                evaluation=fresh or r.month.current,  # type: ignore[arg-type]
                created=fresh is not None,
                new_breaches=breaches_of[pk],
                new_flags=flags_of[pk],
            )
        )
    return done, notices


def _sync_findings(
    changed: list[_Result], stored: dict[int, list[TargetResult]], period: date, user=None
) -> tuple[list[Breach], list[ChronicFlag]]:
    """Open breaches and flags the new revisions show; clear those they no longer show."""
    new_breaches: list[Breach] = []
    new_flags: list[ChronicFlag] = []
    touched_breaches: list[Breach] = []
    touched_flags: list[ChronicFlag] = []
    for result in changed:
        month = result.month
        contract_id = month.contract.pk
        by_target = {row.target_id: row for row in stored[contract_id]}
        for target_id, row in by_target.items():
            if row.status == TargetStatus.BREACH:
                breach = month.breaches.get(target_id)
                if breach is None:
                    new_breaches.append(Breach(contract_id=contract_id, target_id=target_id,
                                               period=period, result=row, actual=row.actual,
                                               credit=row.credit, chronic=row.chronic))  # fmt: skip
                else:
                    _set(breach, result=row, actual=row.actual, credit=row.credit,
                         chronic=row.chronic, cleared=False)  # fmt: skip
                    touched_breaches.append(breach)
            if row.chronic:
                flag = month.flags.get(target_id)
                counts = {"rules": row.chronic_rules, "breaches_in_last_6": row.breaches_in_last_6,
                          "below_expected_in_last_12": row.below_expected_in_last_12}  # fmt: skip
                if flag is None:
                    new_flags.append(ChronicFlag(contract_id=contract_id, target_id=target_id,
                                                 period=period, result=row, **counts))  # fmt: skip
                else:
                    _set(flag, result=row, cleared=False, **counts)
                    touched_flags.append(flag)
        for target_id, breach in month.breaches.items():
            row = by_target.get(target_id)
            if row is None or row.status != TargetStatus.BREACH:
                _set(breach, result=row, cleared=True)
                touched_breaches.append(breach)
        for target_id, flag in month.flags.items():
            row = by_target.get(target_id)
            if row is None or not row.chronic:
                _set(flag, result=row, cleared=True)
                touched_flags.append(flag)
    Breach.objects.bulk_create(new_breaches, batch_size=2000)
    ChronicFlag.objects.bulk_create(new_flags, batch_size=2000)
    reason = f"Evaluation of {period:%Y-%m}"
    for start in range(0, len(new_breaches), 5000):
        created = [b.pk for b in new_breaches[start : start + 5000]]
        history_insert_select(
            Breach.objects.filter(pk__in=created), update=False, user=user, reason=reason
        )
    if touched_breaches:
        Breach.objects.bulk_update(
            touched_breaches, ["result", "actual", "credit", "chronic", "cleared"], batch_size=2000
        )
        history_record_updated(touched_breaches, user=user, reason=reason)
    if touched_flags:
        ChronicFlag.objects.bulk_update(
            touched_flags,
            ["result", "rules", "breaches_in_last_6", "below_expected_in_last_12", "cleared"],
            batch_size=2000,
        )
    return new_breaches, new_flags


def _set(obj: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _pending(
    results: list[_Result], new_breaches: list[Breach], new_flags: list[ChronicFlag]
) -> dict[str, list[int]]:
    """Breaches and flags to e-mail about: the new ones and any earlier unsent ones."""
    breaches = {b.pk for b in new_breaches}
    flags = {f.pk for f in new_flags}
    for result in results:
        breaches |= {
            b.pk for b in result.month.breaches.values() if b.notified_at is None and not b.cleared
        }
        flags |= {
            f.pk for f in result.month.flags.values() if f.notified_at is None and not f.cleared
        }
    return {"breach_ids": sorted(breaches), "flag_ids": sorted(flags)}

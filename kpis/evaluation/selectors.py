"""Reads of evaluations, breaches and chronic flags: who sees which, as plain data.

The API, the pages and the SLA report all build on these, so a figure is read one way.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from contracts.models import Contract
from contracts.services.terms import month_start
from core.catalogue import METRICS
from core.labels import label_of, metric_label
from core.roles import Role, role_of
from kpis.evaluation.requests import months_evaluating
from kpis.evaluation.service import add_months, contract_last_month, latest_evaluated_month
from kpis.models import KpiValue
from kpis.models.disputes import Dispute
from kpis.models.evaluation import Breach, ChronicFlag, Evaluation, TargetResult

READ_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR, Role.PROCUREMENT, Role.VENDOR})
DECIDE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
# The in-house baseline is the buyer's business: vendors never see an ROI.
ROI_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR, Role.PROCUREMENT})


def breach_list(*, user) -> QuerySet[Breach]:
    """Breaches the user may see: a vendor user only its own contracts', buyer roles all."""
    role = role_of(user)
    breaches = Breach.objects.select_related(
        "contract",
        "target",
        "decided_by",
        "waiver_reevaluation",
        "dispute__opened_by",
        "dispute__decided_by",
    )
    if role == Role.VENDOR:
        if user.vendor_id is None:
            return breaches.none()
        return breaches.filter(contract__vendor_id=user.vendor_id)
    if role in READ_ROLES:
        return breaches
    return breaches.none()


def chronic_flag_list(*, user) -> QuerySet[ChronicFlag]:
    """Chronic flags the user may see, by the same rule as breaches."""
    role = role_of(user)
    flags = ChronicFlag.objects.select_related("contract", "target")
    if role == Role.VENDOR:
        return flags.filter(contract__vendor_id=user.vendor_id) if user.vendor_id else flags.none()
    return flags if role in READ_ROLES else flags.none()


def _channel(value: str) -> str | None:
    return value or None


def _target_data(result: TargetResult, breach: Breach | None) -> dict[str, Any]:
    return {
        "target": result.target_id,
        "lineage": result.lineage_id,
        "metric": result.metric,
        "metric_label": metric_label(result.metric),
        "unit": METRICS[result.metric].unit,
        "channel": _channel(result.channel),
        "expected": result.expected,
        "minimum": result.minimum,
        "critical": result.critical,
        "allocation_percent": result.allocation_percent,
        "actual": result.actual,
        "status": result.status,
        "credit": result.credit,
        "waived": result.waived,
        "chronic": result.chronic,
        "chronic_rules": list(result.chronic_rules),
        "breaches_in_last_6": result.breaches_in_last_6,
        "below_expected_in_last_12": result.below_expected_in_last_12,
        "kpi_value": result.kpi_value_id,
        "kpi_revision": result.kpi_revision,
        "breach": breach.pk if breach else None,
        "breach_status": breach.status if breach else None,
        "dispute_status": _dispute_status(breach),
    }


def _dispute_status(breach: Breach | None) -> str | None:
    """The breach's dispute status (open: the credit is disputed), or None when undisputed."""
    if breach is None:
        return None
    try:
        return breach.dispute.status
    except Dispute.DoesNotExist:
        return None


def evaluation_detail(
    *, contract: Contract, period: date, revision: int | None = None
) -> dict[str, Any] | None:
    """A contract month's evaluation (current, or the given revision) with its revisions."""
    period = month_start(period)
    revisions = list(
        Evaluation.objects.filter(contract=contract, period=period)
        .select_related("created_by")
        .order_by("-revision")
    )
    if revision is None:
        chosen = next((e for e in revisions if e.is_current), None)
    else:
        chosen = next((e for e in revisions if e.revision == revision), None)
    if chosen is None:
        return None
    results = chosen.results.order_by("metric", "channel", "id")
    breaches = {
        b.target_id: b
        for b in Breach.objects.filter(contract=contract, period=period).select_related("dispute")
    }
    return {
        "id": chosen.pk,
        "contract": contract.pk,
        "reference": contract.reference,
        "currency": chosen.currency,
        "period": f"{period:%Y-%m}",
        "revision": chosen.revision,
        "is_current": chosen.is_current,
        "trigger": chosen.trigger,
        "created_at": chosen.created_at,
        "created_by": chosen.created_by.username if chosen.created_by else None,
        "charges": chosen.charges,
        "at_risk_percent": chosen.at_risk_percent,
        "at_risk_amount": chosen.at_risk_amount,
        "credit_before_cap": chosen.credit_before_cap,
        "cap_adjustment": chosen.cap_adjustment,
        "credit_waived": chosen.credit_waived,
        "credit_total": chosen.credit_total,
        "earn_back": chosen.earn_back,
        "earn_back_lines": [_earn_back_line(line) for line in chosen.earn_back_lines],
        "credit_net": chosen.credit_net,
        "targets": [_target_data(r, breaches.get(r.target_id)) for r in results],
        "findings": list(chosen.findings),
        "pricing": chosen.pricing,
        "usage": list(chosen.usage),
        "kpi_values": list(chosen.kpi_values),
        "amendments": list(chosen.amendments),
        "history": [
            {
                "revision": e.revision,
                "is_current": e.is_current,
                "trigger": e.trigger,
                "created_at": e.created_at,
                "created_by": e.created_by.username if e.created_by else None,
                "charges": e.charges,
                "credit_total": e.credit_total,
            }
            for e in revisions
        ],  # fmt: skip
    }


# --- the SLA dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A target's month on the grid; status None when the month is not evaluated."""

    period: str
    status: str | None = None
    actual: Decimal | None = None
    expected: Decimal | None = None
    minimum: Decimal | None = None
    credit: Decimal | None = None
    waived: bool = False
    chronic: bool = False
    chronic_rules: tuple[str, ...] = ()
    breach: int | None = None
    disputed: bool = False  # the breach's credit is disputed, awaiting a manager's decision


@dataclass(frozen=True)
class Month:
    """A month's column: the evaluation's totals and findings, or not evaluated."""

    period: str
    evaluated: bool
    revision: int | None = None
    charges: Decimal | None = None
    at_risk_amount: Decimal | None = None
    credit_before_cap: Decimal | None = None
    cap_adjustment: Decimal | None = None
    credit_waived: Decimal | None = None
    credit_total: Decimal | None = None
    earn_back: Decimal = Decimal(0)  # zero or negative: earlier credits returned this month
    earn_back_lines: tuple[dict, ...] = ()
    findings: tuple[dict, ...] = ()
    has_data: bool = True  # False: no KPI value was reported for the month
    evaluating: bool = False  # an evaluation of the month waits or runs in the background

    @property
    def credit_net(self) -> Decimal | None:
        """The month's credit total net of earn-back."""
        return None if self.credit_total is None else self.credit_total + self.earn_back


@dataclass
class Row:
    """A target lineage (a target and those that replaced it) across the months."""

    lineage: int
    metric: str
    label: str
    unit: str
    channel: str | None
    critical: bool
    cells: list[Cell] = field(default_factory=list)

    @property
    def latest(self) -> Cell | None:
        """The last evaluated month: its expected and minimum levels head the row."""
        return next((c for c in reversed(self.cells) if c.status is not None), None)


@dataclass(frozen=True)
class SlaDashboard:
    """A contract's targets x months, as plain data for the page and the SLA report."""

    contract_id: int
    reference: str
    currency: str
    period_from: str
    period_to: str
    months: tuple[Month, ...]
    rows: tuple[Row, ...]
    chronic: tuple[dict, ...]  # [{period, metric, channel, rules}], newest first
    credit_total: Decimal
    # the last month asked for when the range was longer than the grid shows (MAX_GRID_MONTHS)
    cut_before: str | None = None

    @property
    def findings(self) -> list[dict[str, Any]]:
        """Every month's findings, and the months not evaluated, oldest first."""
        found = []
        for month in self.months:
            if not month.evaluated:
                found.append({"period": month.period, "code": "not_evaluated",
                              "message": "This month has not been evaluated."})  # fmt: skip
            found += [{"period": month.period, **f} for f in month.findings]
        return found


def sla_default_range(contract: Contract) -> tuple[date, date]:
    """Twelve months ending with the latest evaluated month (or this month), within the term."""
    first = month_start(contract.start_date)
    latest = latest_evaluated_month(contract)
    last = latest or month_start(timezone.localdate())
    last = max(first, min(last, contract_last_month(contract)))
    return max(first, add_months(last, -11)), last


def sla_dashboard(*, contract: Contract, period_from: date, period_to: date) -> SlaDashboard:
    """The grid of statuses, the month totals and the chronic flags over a month range."""
    periods = []
    month = month_start(period_from)
    while month <= period_to and len(periods) < MAX_GRID_MONTHS:
        periods.append(month)
        month = add_months(month, 1)
    cut_before = f"{month_start(period_to):%Y-%m}" if month <= period_to else None
    reported = set(
        KpiValue.objects.filter(contract=contract, is_current=True, period__in=periods)
        .values_list("period", flat=True)
        .distinct()
    )
    evaluations = {
        e.period: e
        for e in Evaluation.objects.filter(
            contract=contract, is_current=True, period__in=periods
        ).prefetch_related(
            Prefetch("results", queryset=TargetResult.objects.order_by("metric", "channel", "id"))
        )
    }
    breaches = {
        (b.target_id, b.period): b.pk
        for b in Breach.objects.filter(contract=contract, period__in=periods)
    }
    disputed = set(
        Dispute.objects.filter(
            contract=contract, breach__period__in=periods, status=Dispute.Status.OPEN
        ).values_list("breach_id", flat=True)
    )
    evaluating = months_evaluating(contract_id=contract.pk, periods=periods)
    months, rows, chronic = [], {}, []
    for period in periods:
        evaluation = evaluations.get(period)
        label = f"{period:%Y-%m}"
        if evaluation is None:
            months.append(Month(period=label, evaluated=False, has_data=period in reported,
                                evaluating=period in evaluating))  # fmt: skip
            continue
        months.append(_month(label, evaluation, has_data=period in reported,
                             evaluating=period in evaluating))  # fmt: skip
        for r in evaluation.results.all():
            row = rows.get(r.lineage_id)
            if row is None:
                row = rows[r.lineage_id] = Row(
                    lineage=r.lineage_id, metric=r.metric, label=metric_label(r.metric),
                    unit=METRICS[r.metric].unit, channel=_channel(r.channel), critical=r.critical,
                )  # fmt: skip
            breach = breaches.get((r.target_id, period))
            row.cells.append(_cell(label, r, breach, disputed=breach in disputed))
            if r.chronic:
                rules = [label_of(x) for x in r.chronic_rules]
                chronic.append({"period": label, "metric": r.metric, "label": row.label,
                                "channel": row.channel, "rules": rules})  # fmt: skip
    for row in rows.values():
        _fill(row, [m.period for m in months])
    return SlaDashboard(
        contract_id=contract.pk,
        reference=contract.reference,
        currency=contract.currency,
        period_from=f"{periods[0]:%Y-%m}" if periods else "",
        period_to=f"{periods[-1]:%Y-%m}" if periods else "",
        months=tuple(months),
        rows=tuple(sorted(rows.values(), key=lambda r: (r.metric, r.channel or ""))),
        chronic=tuple(reversed(chronic)),
        credit_total=sum((m.credit_net or Decimal(0) for m in months), Decimal(0)),
        cut_before=cut_before,
    )


# The most months the SLA grid shows at once; a longer range says where it stopped.
MAX_GRID_MONTHS = 36


def _month(label: str, e: Evaluation, *, has_data: bool, evaluating: bool) -> Month:
    return Month(
        period=label, evaluated=True, has_data=has_data, evaluating=evaluating,
        revision=e.revision, charges=e.charges,
        at_risk_amount=e.at_risk_amount, credit_before_cap=e.credit_before_cap,
        cap_adjustment=e.cap_adjustment, credit_waived=e.credit_waived,
        credit_total=e.credit_total, findings=tuple(e.findings), earn_back=e.earn_back,
        earn_back_lines=tuple(_earn_back_line(line) for line in e.earn_back_lines),
    )  # fmt: skip


def _earn_back_line(line: dict) -> dict:
    """A stored earn-back line with its amounts as decimals and the metric's label."""
    return {
        **line,
        "label": str(METRICS[line["metric"]].label)
        if line["metric"] in METRICS
        else line["metric"],
        "credit": Decimal(line["credit"]),
        "deducted": Decimal(line["deducted"]),
        "amount": Decimal(line["amount"]),
    }


def _cell(label: str, r: TargetResult, breach: int | None, *, disputed: bool = False) -> Cell:
    return Cell(
        disputed=disputed,
        period=label, status=r.status, actual=r.actual, expected=r.expected, minimum=r.minimum,
        credit=r.credit, waived=r.waived, chronic=r.chronic,
        chronic_rules=tuple(label_of(x) for x in r.chronic_rules), breach=breach,
    )  # fmt: skip


def _fill(row: Row, periods: list[str]) -> None:
    """One cell per month, blank where the target was not in force or not evaluated."""
    have = {c.period: c for c in row.cells}
    row.cells = [have.get(p) or Cell(period=p) for p in periods]


@dataclass(frozen=True)
class TrendLine:
    """A target row's monthly levels and its expected and minimum levels, as a chart shows them
    (plain data: the page and the report draw it with core.charts)."""

    row: Row
    title: str
    x_labels: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    thresholds: list[tuple[str, Decimal]]
    levels_changed: bool  # the levels were amended within the months shown


def sla_trend_lines(dashboard: SlaDashboard) -> list[TrendLine]:
    """A line per target row: its monthly level with the expected and minimum levels."""
    lines = []
    labels = [m.period for m in dashboard.months]
    for row in dashboard.rows:
        latest = row.latest
        if latest is None:
            continue
        where = row.channel or gettext("all channels")
        if row.unit and row.unit != "count":
            title = gettext("%(target)s, %(channel)s (%(unit)s)") % {
                "target": row.label,
                "channel": where,
                "unit": row.unit,
            }
        else:
            title = gettext("%(target)s, %(channel)s") % {"target": row.label, "channel": where}
        thresholds = [(gettext("Expected"), latest.expected), (gettext("Minimum"), latest.minimum)]
        changed = {(c.expected, c.minimum) for c in row.cells if c.status is not None}
        lines.append(
            TrendLine(
                row=row,
                title=title,
                x_labels=labels,
                series=[(f"{row.label}", [c.actual for c in row.cells])],
                thresholds=[(name, level) for name, level in thresholds if level is not None],
                levels_changed=len(changed) > 1,
            )
        )
    return lines

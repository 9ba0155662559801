"""The ROI of a contract over a month range, from the stored evaluations (DOMAIN.md "ROI").

Reads plain inputs and leaves the arithmetic to kpis.roi.arithmetic: per month the in-house baseline
(contracts.services.baseline.baseline_of), the charges and the credit total of the month's current
evaluation (waived credits already left out), and the retained management cost of the terms
in force; one-off fees from the contract. Months in the range without a priced evaluation are
left out of the figures and listed, never guessed.

KPI levels over the range, against the baseline's levels before outsourcing: for each metric,
each month's current values (the all-channels figure when reported, else every channel's)
combined by the catalogue's rule — a volume-weighted mean for rates and means, the mean
monthly total for counts — and rounded half-up to two decimals.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contracts.domain.baseline import BaselineBreakdown
from contracts.models import Baseline, Contract
from contracts.services.baseline import baseline_of
from contracts.services.terms import month_start, terms_for_month
from core.catalogue import METRICS, Aggregate
from core.formatting import month as month_name
from core.formatting import short_month
from core.money import two_places
from core.months import (
    FIRST_MONTH,
    LAST_MONTH,
    MAX_RANGE_MONTHS,
    month_out_of_bounds,
    months_between,
)
from kpis.evaluation.service import add_months, contract_last_month, latest_evaluated_month
from kpis.models import Invoice, KpiValue
from kpis.models.evaluation import Evaluation
from kpis.roi.arithmetic import KpiDelta, MonthFigures, Roi, compute_roi, kpi_deltas

_ZERO = Decimal(0)
ONE_OFF_NAMES = ("setup", "training", "project_management")


class RoiUnavailable(Exception):
    """The contract has no in-house baseline: there is nothing to compare against."""


@dataclass(frozen=True, kw_only=True)
class ContractRoi:
    """Everything the ROI page, the API and the ROI report show, as plain data."""

    contract_id: int
    reference: str
    currency: str
    period_from: str
    period_to: str
    baseline: BaselineBreakdown
    one_off_fees: dict[str, Decimal]
    roi: Roi
    evaluations: tuple[dict, ...]  # [{period, id, revision}]: the stored inputs used
    months_not_evaluated: tuple[str, ...]
    months_not_priced: tuple[str, ...]
    kpi_deltas: tuple[KpiDelta, ...]
    months_without_data: tuple[str, ...] = ()  # no KPI value reported at all
    rows: tuple[dict, ...] = ()  # every month of the range: {period, figures or None, reason}

    @property
    def covered_from(self) -> str | None:
        """The first month the totals include (None when none does)."""
        return self.roi.months[0].period if self.roi.months else None

    @property
    def covered_to(self) -> str | None:
        """The last month the totals include (None when none does)."""
        return self.roi.months[-1].period if self.roi.months else None

    @property
    def coverage(self) -> str:
        """What the totals cover, in a sentence: "12 months, 2025-12 to 2026-11; 2 months
        without data: 2026-03, 2026-04"."""
        return roi_coverage(self)


def roi_default_range(contract: Contract) -> tuple[date, date]:
    """From the contract's first month to its latest evaluated month (or last month)."""
    first = month_start(contract.start_date)
    latest = latest_evaluated_month(contract)
    last = latest or add_months(month_start(timezone.localdate()), -1)
    return first, max(first, min(last, contract_last_month(contract)))


def contract_roi(
    *, contract: Contract, period_from: date | None = None, period_to: date | None = None
) -> ContractRoi:
    """The ROI over from..to (default: roi_default_range); RoiUnavailable without a baseline."""
    contract = (
        Contract.objects.prefetch_related("amendments", "targets").select_related("baseline")
    ).get(pk=contract.pk)
    try:
        baseline = contract.baseline
    except Baseline.DoesNotExist:
        raise RoiUnavailable(_("The contract has no in-house baseline yet.")) from None
    default_from, default_to = roi_default_range(contract)
    first = month_start(period_from) if period_from else default_from
    last = month_start(period_to) if period_to else default_to
    check_month_range(first, last)
    months = _months(first, last)
    inhouse = baseline_of(baseline).monthly_amount
    evaluations = {
        e.period: e
        for e in Evaluation.objects.filter(
            contract=contract, is_current=True, period__gte=first, period__lte=last
        )
    }
    reported = set(
        KpiValue.objects.filter(
            contract=contract, is_current=True, period__gte=first, period__lte=last
        ).values_list("period", flat=True)
    )
    figures, not_evaluated, not_priced, reasons = [], [], [], {}
    for month in months:
        evaluation = evaluations.get(month)
        label = f"{month:%Y-%m}"
        if month not in reported:
            reasons[label] = NO_DATA
        if evaluation is None:
            not_evaluated.append(label)
            reasons.setdefault(label, NOT_EVALUATED)
        elif evaluation.charges is None or evaluation.credit_total is None:
            not_priced.append(label)
            reasons.setdefault(label, NOT_PRICED)
        else:
            retained = terms_for_month(contract, month).retained_management_monthly
            figures.append(MonthFigures(
                period=f"{month:%Y-%m}", inhouse=inhouse, charges=evaluation.charges,
                credits=evaluation.credit_net, retained=retained, earn_back=evaluation.earn_back,
            ))  # fmt: skip
    one_off = one_off_fees(contract)
    roi = compute_roi(months=figures, one_off=sum(one_off.values(), _ZERO))
    by_period = {m.period: m for m in roi.months}
    invoiced = _invoices(contract, first, last)
    rows = tuple(
        {"period": label, "figures": by_period.get(label), "reason": reasons.get(label),
         "invoice": invoiced.get(label)}
        for label in (f"{m:%Y-%m}" for m in months)
    )  # fmt: skip
    return ContractRoi(
        contract_id=contract.pk,
        reference=contract.reference,
        currency=contract.currency,
        period_from=f"{first:%Y-%m}",
        period_to=f"{last:%Y-%m}",
        baseline=baseline_of(baseline),
        one_off_fees=one_off,
        roi=roi,
        evaluations=tuple(
            {"period": f"{e.period:%Y-%m}", "id": e.pk, "revision": e.revision}
            for _, e in sorted(evaluations.items())
        ),
        months_not_evaluated=tuple(not_evaluated),
        months_not_priced=tuple(not_priced),
        kpi_deltas=_deltas(contract, baseline.kpis or {}, first, last),
        months_without_data=tuple(p for p, why in reasons.items() if why == NO_DATA),
        rows=rows,
    )


def _invoices(contract: Contract, first: date, last: date) -> dict[str, dict]:
    """The invoices recorded over the range, shown beside the computed charges (the ROI stays
    on the computed charges): {period: {total, expected_total, difference, status}}."""
    rows = Invoice.objects.filter(contract=contract, period__gte=first, period__lte=last)
    return {
        f"{i.period:%Y-%m}": {"total": i.total, "expected_total": i.expected_total,
                              "difference": i.difference, "status": i.status}
        for i in rows
    }  # fmt: skip


# Why a month of the range has no figures (a row of the ROI table says so, never skips it).
NO_DATA = "no_data"
NOT_EVALUATED = "not_evaluated"
NOT_PRICED = "not_priced"
REASON_LABELS = {
    NO_DATA: gettext_lazy("no KPI data"),
    NOT_EVALUATED: gettext_lazy("not evaluated"),
    NOT_PRICED: gettext_lazy("could not be priced"),
}


def roi_coverage(report: ContractRoi) -> str:
    """The months the totals cover and the months without data, in one sentence."""
    count = len(report.roi.months)
    if not count:
        text = _("No month of %(first)s to %(last)s is counted") % {
            "first": month_name(report.period_from),
            "last": month_name(report.period_to),
        }
    else:
        text = ngettext(
            "%(count)s month, %(first)s to %(last)s",
            "%(count)s months, %(first)s to %(last)s",
            count,
        ) % {
            "count": count,
            "first": month_name(report.covered_from),
            "last": month_name(report.covered_to),
        }
    missing = report.months_without_data
    if missing:
        text += "; " + ngettext(
            "%(count)s month without data: %(months)s",
            "%(count)s months without data: %(months)s",
            len(missing),
        ) % {"count": len(missing), "months": ", ".join(month_name(m) for m in missing)}
    left_out = [row["period"] for row in report.rows if row["figures"] is None]
    if left_out:
        text += "; " + _("not counted (not evaluated or not priced): %(months)s") % {
            "months": ", ".join(month_name(m) for m in left_out)
        }
    return text


def check_month_range(first: date, last: date) -> None:
    """Refuse a range outside FIRST_MONTH..LAST_MONTH, backwards or longer than
    MAX_RANGE_MONTHS, naming `from` or `to` (the API's and the page's parameters)."""
    bounds = _("Use a month from %(first)s to %(last)s.") % {
        "first": f"{FIRST_MONTH:%Y-%m}",
        "last": f"{LAST_MONTH:%Y-%m}",
    }
    if month_out_of_bounds(first):
        raise ValidationError({"from": [bounds]})
    if month_out_of_bounds(last):
        raise ValidationError({"to": [bounds]})
    if first > last:
        raise ValidationError({"from": [_("The range must start before it ends.")]})
    if months_between(first, last) > MAX_RANGE_MONTHS:
        message = _("Ask for at most %(count)s months.") % {"count": MAX_RANGE_MONTHS}
        raise ValidationError({"to": [message]})


def one_off_fees(contract: Contract) -> dict[str, Decimal]:
    """The contract's one-off fees by name (setup, training, project management)."""
    fees = contract.one_off_fees or {}
    found = {}
    for name in ONE_OFF_NAMES:
        try:
            found[name] = Decimal(str(fees.get(name) or 0))
        except InvalidOperation:
            found[name] = _ZERO
    return found


def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _deltas(contract: Contract, levels: dict, first: date, last: date) -> tuple[KpiDelta, ...]:
    baseline = {m: Decimal(str(v)) for m, v in levels.items() if m in METRICS}
    if not baseline:
        return ()
    return kpi_deltas(baseline=baseline, actual=kpi_levels(contract, list(baseline), first, last))


def kpi_levels(
    contract: Contract, metrics: list[str], first: date, last: date
) -> dict[str, Decimal | None]:
    """Each metric's level over the months' current values (see the module docstring)."""
    rows = KpiValue.objects.filter(
        contract=contract, is_current=True, metric__in=metrics, period__gte=first, period__lte=last
    ).values_list("period", "metric", "channel", "value", "volume")
    by_month: dict[tuple[str, date], dict[str, tuple]] = defaultdict(dict)
    for period, metric, channel, value, volume in rows:
        if value is not None:
            by_month[(metric, period)][channel] = (value, volume)
    levels: dict[str, Decimal | None] = {}
    for metric in metrics:
        figures = []
        for (m, _period), channels in by_month.items():
            if m == metric:
                figures.append([channels[""]] if "" in channels else list(channels.values()))
        levels[metric] = _level(metric, figures)
    return levels


def _level(metric: str, months: list[list[tuple]]) -> Decimal | None:
    if not months:
        return None
    if METRICS[metric].aggregate is Aggregate.SUM:
        total = sum((value for month in months for value, _ in month), _ZERO)
        return two_places(total / len(months))
    weighted = volume = _ZERO
    for month in months:
        for value, weight in month:
            if weight:
                weighted += value * weight
                volume += weight
    return two_places(weighted / volume) if volume else None


@dataclass(frozen=True)
class SavingsLine:
    """Cumulative savings by month with the one-off fees to reach, as a chart shows them (plain
    data: the page and the report draw it with core.charts)."""

    title: str
    x_labels: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    thresholds: list[tuple[str, Decimal]]


def roi_savings_line(report: ContractRoi) -> SavingsLine:
    """Cumulative savings by month, with the one-off fees as the dashed line to reach."""
    months = report.roi.months
    return SavingsLine(
        title=_("Cumulative savings (%(currency)s)") % {"currency": report.currency},
        x_labels=[short_month(m.period) for m in months],
        series=[(_("Cumulative savings"), [m.cumulative_savings for m in months])],
        thresholds=[(_("One-off fees"), report.roi.totals.one_off)],
    )


def roi_data(report: ContractRoi) -> dict:
    """The ROI as API.md shapes it (plain dicts of Decimals), for the API and the report."""
    roi = report.roi
    return {
        "contract": report.contract_id,
        "reference": report.reference,
        "currency": report.currency,
        "from": report.period_from,
        "to": report.period_to,
        "inhouse_monthly": report.baseline.monthly_amount,
        "one_off_fees": report.one_off_fees,
        "months": [vars(m) for m in roi.months],
        "totals": vars(roi.totals),
        "savings_percent": roi.savings_percent,
        "roi_percent": roi.roi_percent,
        "payback_period": roi.payback_period,
        "kpi_deltas": [
            {**vars(d), "change": d.change.value if d.change else None} for d in report.kpi_deltas
        ],
        "months_not_evaluated": list(report.months_not_evaluated),
        "months_not_priced": list(report.months_not_priced),
        "months_without_data": list(report.months_without_data),
        "covered_from": report.covered_from,
        "covered_to": report.covered_to,
        "months_covered": len(roi.months),
        "coverage": report.coverage,
        "evaluations": list(report.evaluations),
    }

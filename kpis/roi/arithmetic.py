"""Return on outsourcing over a range of contract months, and KPI levels against the baseline.

DOMAIN.md, "ROI". Per month:

    outsourced cost = charges - credits + retained management cost
    savings         = in-house baseline - outsourced cost

Over the range (totals are sums of the month rows):

    savings %  = total savings / total in-house baseline x 100      (None when that total is 0)
    ROI %      = (total savings - one-off fees) / one-off fees x 100  (None, shown "n/a", when 0)
    payback    = the first month whose cumulative savings reach (>=) the one-off fees

Rounding. Inputs are the stored figures (money in cents; `credits` already without waived
credits, net of earn-back). Month rows are cents-rounded (a no-op for cents inputs) and totals
are sums of the rows, so the table adds up; the two percentages are rounded half-up to two
decimals. Every figure returned is as stored and shown: callers do not round again.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.catalogue import METRICS, Direction
from core.money import cents, two_places

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, kw_only=True)
class MonthFigures:
    """A month's stored inputs: period "YYYY-MM", in-house baseline, charges, credits, retained."""

    period: str
    inhouse: Decimal
    charges: Decimal
    credits: Decimal  # the month's credit total, waived credits left out, net of earn-back
    retained: Decimal  # the buyer's own vendor-management cost
    earn_back: Decimal = _ZERO  # zero or negative, already in `credits` (shown beside them)


@dataclass(frozen=True, kw_only=True)
class MonthRoi:
    """One row of the ROI table (API `months[]`)."""

    period: str
    inhouse: Decimal
    charges: Decimal
    credits: Decimal
    retained: Decimal
    outsourced_cost: Decimal
    savings: Decimal
    cumulative_savings: Decimal
    earn_back: Decimal = _ZERO


@dataclass(frozen=True, kw_only=True)
class RoiTotals:
    """Sums over the range (API `totals`, plus charges, credits and retained for the report)."""

    inhouse: Decimal
    charges: Decimal
    credits: Decimal
    retained: Decimal
    outsourced_cost: Decimal
    savings: Decimal
    one_off: Decimal
    earn_back: Decimal = _ZERO


@dataclass(frozen=True, kw_only=True)
class Roi:
    """The ROI of a month range; percentages are None where their divisor is zero."""

    months: tuple[MonthRoi, ...]
    totals: RoiTotals
    savings_percent: Decimal | None
    roi_percent: Decimal | None
    payback_period: str | None


def compute_roi(*, months: Sequence[MonthFigures], one_off: Decimal) -> Roi:
    """Compute month rows, totals, savings %, ROI % and payback over `months` (oldest first)."""
    if one_off < 0:
        raise ValueError("one-off fees must not be negative")
    _check_periods(periods=[m.period for m in months])
    rows = _month_rows(months=months)
    totals = RoiTotals(
        inhouse=_sum(r.inhouse for r in rows),
        charges=_sum(r.charges for r in rows),
        credits=_sum(r.credits for r in rows),
        retained=_sum(r.retained for r in rows),
        outsourced_cost=_sum(r.outsourced_cost for r in rows),
        savings=_sum(r.savings for r in rows),
        one_off=one_off,
        earn_back=_sum(r.earn_back for r in rows),
    )
    savings_percent = (
        two_places(totals.savings / totals.inhouse * _HUNDRED) if totals.inhouse else None
    )
    roi_percent = two_places((totals.savings - one_off) / one_off * _HUNDRED) if one_off else None
    payback = next((r.period for r in rows if r.cumulative_savings >= one_off), None)
    return Roi(
        months=rows,
        totals=totals,
        savings_percent=savings_percent,
        roi_percent=roi_percent,
        payback_period=payback,
    )


def _month_rows(*, months: Sequence[MonthFigures]) -> tuple[MonthRoi, ...]:
    rows: list[MonthRoi] = []
    cumulative = _ZERO
    for m in months:
        outsourced = cents(m.charges - m.credits + m.retained)
        savings = cents(m.inhouse) - outsourced
        cumulative += savings
        rows.append(
            MonthRoi(
                period=m.period,
                inhouse=cents(m.inhouse),
                charges=cents(m.charges),
                credits=cents(m.credits),
                retained=cents(m.retained),
                outsourced_cost=outsourced,
                savings=savings,
                cumulative_savings=cumulative,
                earn_back=cents(m.earn_back),
            )
        )
    return tuple(rows)


def _check_periods(*, periods: Sequence[str]) -> None:
    # Payback is "the first month" to reach the fees, so the order of months is meaningful.
    for period in periods:
        if not _PERIOD.fullmatch(period):
            raise ValueError(f"period {period!r} is not YYYY-MM")
    if any(a >= b for a, b in zip(periods, periods[1:], strict=False)):
        raise ValueError("months must be in increasing order, each once")


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, _ZERO)


class Change(StrEnum):
    """Whether a KPI moved the good way for its metric since the baseline."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True, kw_only=True)
class KpiDelta:
    """A metric's baseline level, its level over the range, the difference and its meaning."""

    metric: str
    baseline: Decimal
    actual: Decimal | None  # None when the range has no data for the metric
    delta: Decimal | None  # actual - baseline
    change: Change | None  # None without data, or for a count, which has no better way


def kpi_deltas(
    *, baseline: Mapping[str, Decimal], actual: Mapping[str, Decimal | None]
) -> tuple[KpiDelta, ...]:
    """Compare each baseline KPI level with its level over the range, in catalogue order."""
    unknown = sorted(set(baseline) - set(METRICS))
    if unknown:
        raise ValueError(f"unknown metrics in the baseline: {', '.join(unknown)}")
    return tuple(
        _kpi_delta(metric=code, baseline=baseline[code], actual=actual.get(code))
        for code in METRICS
        if code in baseline
    )


def _kpi_delta(*, metric: str, baseline: Decimal, actual: Decimal | None) -> KpiDelta:
    if actual is None:
        return KpiDelta(metric=metric, baseline=baseline, actual=None, delta=None, change=None)
    delta = actual - baseline
    direction = METRICS[metric].direction
    change: Change | None
    if direction is Direction.NONE:
        change = None
    elif delta == 0:
        change = Change.SAME
    else:
        rises_are_good = direction is Direction.HIGHER
        change = Change.BETTER if (delta > 0) == rises_are_good else Change.WORSE
    return KpiDelta(metric=metric, baseline=baseline, actual=actual, delta=delta, change=change)

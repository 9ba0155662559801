"""Monthly aggregates of KPI rows by the catalogue's rules (DOMAIN.md "Metric catalogue")."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, localcontext

from core.catalogue import METRICS
from core.channels import Channel
from kpis.ingestion import texts as T
from kpis.ingestion.rows import ParsedRow

# Sums of products are exact, so a month's figure never depends on the order of its rows;
# only the final division rounds, to the 28 significant digits of Python's default context.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])
_QUOTIENT = Context(prec=28)
_WEIGHTED = frozenset(code for code, metric in METRICS.items() if metric.needs_volume)
_ZERO = Decimal(0)
NO_VOLUME = T.NO_VOLUME

_Key = tuple[str, int, int, Channel | None, str]


@dataclass(frozen=True, slots=True)
class MonthlyAggregate:
    """A month's figure for a contract, channel (None: all) and metric, with what it came from."""

    # Weighted mean: total = sum(value x volume), volume = sum(volume), value = total / volume.
    # Sum: total = value, volume None. A month given as one row keeps that row's value as is.

    contract: str
    year: int
    month: int
    channel: Channel | None
    metric: str
    value: Decimal | None
    volume: Decimal | None
    total: Decimal
    rows: int
    daily: bool
    reason: str | None  # why value is None


class _Month:
    __slots__ = ("total", "volume", "rows", "whole")

    def __init__(self) -> None:
        self.total = self.volume = _ZERO
        self.rows = 0
        self.whole: Decimal | None = None  # the value of a row that gives the whole month


class MonthlyAccumulator:
    """Folds valid rows, one at a time or in batches, into monthly aggregates in bounded memory."""

    def __init__(self) -> None:
        self._months: dict[_Key, _Month] = {}

    def add(self, row: ParsedRow) -> None:
        """Fold one row into its month; a month mixing daily and monthly rows is refused."""
        self.add_many((row,))

    def add_many(self, rows: Iterable[ParsedRow]) -> None:
        """Fold a batch of rows, e.g. each batch that validate_file hands over."""
        months = self._months
        # One exact context per batch rather than a context method per operation: the
        # operators are three times faster, and this runs for every row of the file.
        with localcontext(_EXACT):
            # one unpacking rather than a field lookup per use: this runs for every row
            for (
                number,
                contract,
                year,
                month_number,
                day,
                channel,
                metric,
                value,
                volume,
                _,
            ) in rows:
                key = (contract, year, month_number, channel, metric)
                month = months.get(key)
                if month is None:
                    month = months[key] = _Month()
                if month.whole is not None or (day is None and month.rows):
                    # validate_file reports this as a row problem; here it is a caller's bug.
                    raise ValueError(f"Row {number} mixes a monthly row with others: {key}.")
                if day is None:
                    month.whole = value
                month.rows += 1
                if metric not in _WEIGHTED:
                    month.total += value
                elif volume is None:
                    raise ValueError(f"Row {number}: {metric} needs a volume.")
                else:
                    month.total += value * volume
                    month.volume += volume

    def merge(self, other: "MonthlyAccumulator") -> None:
        """Fold in what another accumulator folded, e.g. from another part of the same file.

        The sums are exact, so the result is the one folding every row here would give. The
        parts must not share a whole-month row with other rows of its month (merge_seen).
        """
        with localcontext(_EXACT):
            for key, theirs in other._months.items():
                month = self._months.get(key)
                if month is None:
                    self._months[key] = theirs
                    continue
                if month.whole is not None or theirs.whole is not None:
                    raise ValueError(f"A monthly row and other rows of its month: {key}.")
                month.total += theirs.total
                month.volume += theirs.volume
                month.rows += theirs.rows

    def results(self) -> list[MonthlyAggregate]:
        """Every month's aggregate, in key order (channel "all" first)."""
        return [_aggregate(key, self._months[key]) for key in sorted(self._months, key=_order)]


def _order(key: _Key) -> tuple[str, int, int, str, str]:
    contract, year, month, channel, metric = key
    return contract, year, month, channel or "", metric


def _aggregate(key: _Key, month: _Month) -> MonthlyAggregate:
    contract, year, month_number, channel, metric = key
    weighted = metric in _WEIGHTED
    volume = month.volume if weighted else None
    value: Decimal | None = month.total
    reason = None
    if month.whole is not None:
        value = month.whole
    elif weighted and not month.volume:
        value, reason = None, NO_VOLUME
    elif weighted:
        value = _QUOTIENT.divide(month.total, month.volume)
    return MonthlyAggregate(
        contract=contract,
        year=year,
        month=month_number,
        channel=channel,
        metric=metric,
        value=value,
        volume=volume,
        total=month.total,
        rows=month.rows,
        daily=month.whole is None,
        reason=reason,
    )

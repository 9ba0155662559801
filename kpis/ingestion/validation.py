"""Checking a KPI file's rows together: each alone, against its contract, against the others."""

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from core.channels import Channel
from kpis.ingestion import texts as T
from kpis.ingestion.numbers import NOTATIONS
from kpis.ingestion.rows import CellMemos, ParsedRow, Problem, parse
from kpis.ingestion.table import DecimalMark, RawRow

_CONTRACT_CACHE = 10_000


@dataclass(frozen=True)
class ContractInfo:
    """What row validation needs to know about a contract."""

    reference: str
    start_date: date
    end_date: date
    vendor_id: int


@dataclass(frozen=True)
class ValidationResult:
    """A whole file's verdict: its problems (the first max_problems) and its row counts."""

    problems: list[Problem]
    more_problems: int
    rows_read: int
    rows_valid: int

    @property
    def ok(self) -> bool:
        """True when no row had a problem, so the file may be stored."""
        return not self.problems


# --- the file's rows together ---------------------------------------------------------------


# Per (contract, year, month, channel, metric): the row number that gave the whole month
# (slot 0) or each day (slots 1-31); 0 when none did. 33k months for 1M daily rows.
SeenRows = dict[tuple[str, int, int, Channel | None, str], "array[int]"]


def validate_file(
    *,
    rows: Iterable[RawRow],
    decimal_mark: DecimalMark,
    lookup_contract: Callable[[str], ContractInfo | None],
    vendor_id: int | None,
    on_valid: Callable[[list[ParsedRow]], None] | None = None,
    batch_size: int = 250,
    max_problems: int = 1000,
    seen: SeenRows | None = None,
    today: date | None = None,
) -> ValidationResult:
    """Check every row, alone, against its contract and against the others, in one pass."""
    # Valid rows reach on_valid in batches of batch_size until the first problem, and none
    # after it; a caller that stores them must discard what it stored unless the result is ok.
    # Small batches are faster: the rows just parsed are still in the CPU's cache when
    # on_valid goes over them (250 rows take about 200 KB; with 5,000, a row took a sixth
    # longer).
    # `seen`, when given, is filled with the periods the valid rows gave (see merge_seen).
    # `today`, when given, refuses a month after today's month and a day after today: a file
    # cannot report what has not happened yet.
    checker = _Checker(lookup_contract, vendor_id, {} if seen is None else seen, today)
    notations = NOTATIONS[decimal_mark]
    problems: list[Problem] = []
    more = read = valid = 0
    batch: list[ParsedRow] = []
    check, storing, memos = checker.check, on_valid is not None, CellMemos({}, {})
    for raw in rows:
        read += 1
        row = parse(raw, notations, memos)
        if type(row) is not list:
            row = check(row)  # type: ignore[arg-type]
        if type(row) is list:
            room = max_problems - len(problems)
            problems.extend(row[:room])
            more += len(row[room:])
            batch.clear()
            storing = False
            continue
        valid += 1
        if storing:
            batch.append(row)  # type: ignore[arg-type]
            if len(batch) >= batch_size:
                on_valid(batch)  # type: ignore[misc]
                batch = []
    if batch and on_valid is not None:
        on_valid(batch)
    return ValidationResult(problems, more, read, valid)


def merge_seen(into: SeenRows, other: SeenRows) -> bool:
    """Add the periods that another part of the file gave; False if the two parts give the
    same day or month twice, or a whole month and a day of it (the whole file then has a row
    problem, which reading it in one pass words)."""
    for key, rows in other.items():
        mine = into.get(key)
        if mine is None:
            into[key] = rows
            continue
        if (mine[0] and any(rows)) or (rows[0] and any(mine)):
            return False
        if any(a and b for a, b in zip(mine, rows, strict=True)):
            return False
        for slot, number in enumerate(rows):
            if number:
                mine[slot] = number
    return True


class _Contract(NamedTuple):
    """A contract's dates as yyyymm and yyyymmdd numbers: cheap to compare on every row."""

    info: ContractInfo
    reference: str
    first_month: int
    last_month: int
    first_day: int
    last_day: int


class _Checker:
    """Checks of a row against its contract and the rows before it; keeps what that needs."""

    def __init__(
        self,
        lookup: Callable[[str], ContractInfo | None],
        vendor_id: int | None,
        seen: SeenRows,
        today: date | None = None,
    ):
        self.lookup, self.vendor_id = lookup, vendor_id
        self.contracts: dict[str, _Contract | None] = {}
        self.seen = seen
        self.today = today
        # yyyymm and yyyymmdd of today: the last month and day a row may give
        self.last_month = 999999 if today is None else today.year * 100 + today.month
        self.last_day = 99999999 if today is None else self.last_month * 100 + today.day

    def check(self, row: ParsedRow) -> ParsedRow | list[Problem]:
        number, reference, year, month, day, channel, metric = row[:7]
        contract = self.contracts.get(reference) or self.contract(reference)
        if contract is None:
            message = T.NO_CONTRACT
            return [Problem(number, "contract", row.raw.contract, message)]
        if contract.reference != reference:
            reference = contract.reference
            row = row._replace(contract=reference)
        yyyymm = year * 100 + month
        if day is None:
            inside = contract.first_month <= yyyymm <= contract.last_month
        else:
            inside = contract.first_day <= yyyymm * 100 + day <= contract.last_day
        if not inside:
            return [_outside(contract.info, row)]
        if yyyymm > self.last_month or (day is not None and yyyymm * 100 + day > self.last_day):
            return [_future(self.today, row)]
        # repeated()'s common case inline (a day, or a month, not given before): every row
        rows = self.seen.get((reference, year, month, channel, metric))
        if rows is not None and not rows[0] and (not rows[day] if day else not any(rows)):
            rows[day or 0] = number
            return row
        problem = self.repeated(row)
        return row if problem is None else [problem]

    def contract(self, reference: str) -> _Contract | None:
        if reference in self.contracts:
            return self.contracts[reference]
        info = self.lookup(reference)
        # Another vendor's contract looks exactly like an unknown one: nothing leaks.
        if info is not None and self.vendor_id is not None and info.vendor_id != self.vendor_id:
            info = None
        found = None
        if info is not None:
            start, end = info.start_date, info.end_date
            first, last = start.year * 100 + start.month, end.year * 100 + end.month
            found = _Contract(
                info, info.reference, first, last, first * 100 + start.day, last * 100 + end.day
            )
        if len(self.contracts) < _CONTRACT_CACHE:
            self.contracts[reference] = found
        return found

    def repeated(self, row: ParsedRow) -> Problem | None:
        key = (row.contract, row.year, row.month, row.channel, row.metric)
        rows = self.seen.get(key)
        if rows is None:
            rows = self.seen[key] = array("I", bytes(4 * 32))
        slot = row.day or 0
        earlier = rows[slot]
        if earlier:
            message = T.ROW_REPEATED % {"row": earlier}
        elif slot and rows[0]:
            message = T.MONTH_THEN_DAY % {"row": rows[0]}
        elif not slot and any(rows):
            first = min(n for n in rows if n)
            message = T.DAY_THEN_MONTH % {"row": first}
        else:
            rows[slot] = row.number
            return None
        return Problem(row.number, "period", row.raw.period, message)


def _future(today: date | None, row: ParsedRow) -> Problem:
    message = (T.FUTURE_MONTH if row.day is None else T.FUTURE_DAY) % {"today": today}
    return Problem(row.number, "period", row.raw.period, message)


def _outside(info: ContractInfo, row: ParsedRow) -> Problem:
    message = T.OUTSIDE_CONTRACT % {"start": info.start_date, "end": info.end_date}
    return Problem(row.number, "period", row.raw.period, message)

"""Checking one row of a KPI file on its own: typed values, or every problem it has."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from core.catalogue import METRICS, Metric
from core.channels import Channel
from kpis.ingestion import texts as T
from kpis.ingestion.numbers import MAX_NUMBER_CHARS, NOTATIONS, Notation, read_number
from kpis.ingestion.table import DecimalMark, RawRow

# Bounds of every figure a KPI file may carry (docs/api.md, "Limits"): far beyond any real
# contact centre, small enough that pricing and aggregation never overflow their arithmetic.
VALUE_LIMIT = Decimal(10) ** 12  # a value lies strictly between -VALUE_LIMIT and VALUE_LIMIT
VOLUME_MAX = Decimal(10) ** 12 - 1  # a volume is a whole number from 0 to VOLUME_MAX
MAX_DECIMALS = 20  # digits after the decimal point (an XLSX double's repr has at most 17)
_TOO_LARGE = T.TOO_LARGE
_TOO_PRECISE = T.TOO_PRECISE % {"n": MAX_DECIMALS}
_VOLUME_TOO_LARGE = T.VOLUME_TOO_LARGE

# Cells read per file, remembered while it is read: (metric text, value text) -> what _value
# made of it, volume text -> what _volume did (about 20 MB at most each, freed with the file).
_CELL_MEMO = 100_000


class ParsedRow(NamedTuple):
    """A row that passed the checks: typed values, and the raw row they came from."""

    number: int
    contract: str
    year: int
    month: int
    day: int | None
    channel: Channel | None
    metric: str
    value: Decimal
    volume: Decimal | None
    raw: RawRow


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a row is wrong: spreadsheet row number, column, submitted value, message."""

    row: int
    column: str
    value: str
    message: str


_CHANNELS: dict[str, tuple[Channel | None]] = {"": (None,), **{c.value: (c,) for c in Channel}}
_CHANNEL_HINT = T.CHANNEL_UNKNOWN % {"channels": ", ".join(Channel)}
_METRIC_HINT = T.METRIC_UNKNOWN % {"metrics": ", ".join(METRICS)}
_PERIOD = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?", re.ASCII)
_PERIOD_HINT = T.PERIOD_FORMAT


@lru_cache(maxsize=4096)
def _period(text: str) -> tuple[int, int, int | None] | str:
    """(year, month, day or None) of a period, or why it is none; periods repeat, so cached."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        return _PERIOD_HINT
    year, month, day = int(match[1]), int(match[2]), int(match[3]) if match[3] else None
    try:
        date(year, month, 1 if day is None else day)
    except ValueError:
        return (T.NO_SUCH_MONTH if day is None else T.NO_SUCH_DAY) % {"period": text.strip()}
    return year, month, day


def parse_row(*, raw: RawRow, decimal_mark: DecimalMark) -> ParsedRow | list[Problem]:
    """Check one row on its own (not against contracts or other rows): typed, or its problems."""
    return parse(raw, NOTATIONS[decimal_mark], CellMemos({}, {}))


class CellMemos(NamedTuple):
    values: dict[tuple[str, str], Decimal | str]
    volumes: dict[str, Decimal | str | None]


def parse(
    raw: RawRow, notations: tuple[Notation, ...], memos: CellMemos
) -> ParsedRow | list[Problem]:
    number, contract_text, period_text, channel_text, metric_text, value_text, volume_text = raw
    contract = contract_text.strip()
    period = _period(period_text)
    # Exact spellings first: they are what nearly every row has, and cost one lookup.
    channel = _CHANNELS.get(channel_text) or _CHANNELS.get(channel_text.strip().lower())
    metric = METRICS.get(metric_text) or METRICS.get(metric_text.strip().lower())
    # A value's verdict depends on its metric's spelling too; a non-blank volume's on its text.
    values, volumes = memos
    if type(value_text) is str:
        value = values.get((metric_text, value_text))
        if value is None:
            value = _value(value_text, metric, notations)
            if len(values) < _CELL_MEMO and len(value_text) <= MAX_NUMBER_CHARS:
                values[metric_text, value_text] = value
    else:
        value = _value(value_text, metric, notations)
    if type(volume_text) is str and volume_text.strip():
        volume = volumes.get(volume_text)
        if volume is None:
            volume = _volume(volume_text, metric, notations)
            if len(volumes) < _CELL_MEMO and len(volume_text) <= MAX_NUMBER_CHARS:
                volumes[volume_text] = volume
    else:
        volume = _volume(volume_text, metric, notations)
    if (
        contract
        and channel is not None
        and metric is not None
        and type(period) is tuple
        and type(value) is Decimal
        and not isinstance(volume, str)
    ):
        year, month, day = period
        return ParsedRow(
            number, contract, year, month, day, channel[0], metric.code, value, volume, raw
        )
    found = (
        ("contract", contract_text, None if contract else T.CONTRACT_EMPTY),
        ("period", period_text, period if isinstance(period, str) else None),
        ("channel", channel_text, None if channel else _CHANNEL_HINT),
        ("metric", metric_text, None if metric else _METRIC_HINT),
        ("value", value_text, value if isinstance(value, str) else None),
        ("volume", volume_text, volume if isinstance(volume, str) else None),
    )
    return [Problem(number, col, str(text), why) for col, text, why in found if why]


def _value(
    text: str | Decimal, metric: Metric | None, notations: tuple[Notation, ...]
) -> Decimal | str:
    """The value as a number within the metric's range, or why it is not."""
    if isinstance(text, str):
        text = text.strip()
        percent = text.endswith("%")
        if percent:
            text = text[:-1].rstrip()
        if not text:
            return T.VALUE_EMPTY
        number = read_number(text, notations)
        if isinstance(number, str):
            return number
        if percent and metric is not None and metric.unit != "%":
            return T.NOT_A_PERCENTAGE % {"metric": metric.code}
        text = number
    if abs(text) >= VALUE_LIMIT:
        return _TOO_LARGE
    if -text.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
        return _TOO_PRECISE
    if metric is None or metric.in_range(text):
        return text
    if metric.maximum is None:
        return T.BELOW_MINIMUM % {"metric": metric.code, "minimum": metric.minimum}
    return T.OUT_OF_RANGE % {
        "metric": metric.code,
        "minimum": metric.minimum,
        "maximum": metric.maximum,
    }


def _volume(
    text: str | Decimal, metric: Metric | None, notations: tuple[Notation, ...]
) -> Decimal | None | str:
    """The volume as a count, None when blank and not needed, or why it is wrong."""
    if isinstance(text, str):
        text = text.strip()
        if not text:
            if metric is not None and metric.needs_volume:
                return T.NEEDS_VOLUME % {"metric": metric.code, "volume": metric.volume}
            return None
        number = read_number(text, notations)
        if isinstance(number, str):
            return number
        text = number
    # Every volume in the catalogue counts something (offered, answered, responses ...).
    if text < 0 or text != text.to_integral_value():
        return T.VOLUME_NOT_WHOLE
    if text > VOLUME_MAX:
        return _VOLUME_TOO_LARGE
    return text

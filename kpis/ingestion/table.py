"""An opened KPI file (DOMAIN.md "The KPI file"): its conventions, its raw rows, its header."""

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import IO, NamedTuple

from kpis.ingestion import texts as T

REQUIRED_COLUMNS = ("contract", "period", "channel", "metric", "value", "volume")

READ_CHUNK = 1 << 20  # bytes read at a time when a file is streamed


class KpiFileError(Exception):
    """A problem with the file as a whole; its message is shown to the uploader as is."""


class DecimalMark(StrEnum):
    """How a file writes decimals: fixed by its delimiter, or either where nothing fixes it."""

    POINT = "point"  # comma-separated: a comma can only group thousands
    COMMA = "comma"  # semicolon-separated: what Excel writes where the comma is the decimal mark
    EITHER = "either"  # tab-separated or workbook text: only numbers that read one way


class RawRow(NamedTuple):
    """A data row as submitted: text, or a Decimal for a workbook's numeric cell."""

    number: int
    contract: str
    period: str
    channel: str
    metric: str
    value: str | Decimal
    volume: str | Decimal


@dataclass(frozen=True)
class KpiTable:
    """An opened KPI file: its format and conventions; rows() streams its data rows."""

    format: str  # "csv" or "xlsx"
    encoding: str | None
    delimiter: str | None
    decimal_mark: DecimalMark
    header_row: int
    columns: tuple[int, ...]  # 0-based positions of REQUIRED_COLUMNS
    stream: IO[bytes] = field(repr=False)
    # the format's reader (kpis.ingestion.csv_file or .xlsx), which opened the file
    reader: "Callable[[KpiTable], Generator[RawRow, None, None]]" = field(repr=False, compare=False)
    codec: str = field(default="", repr=False)
    text_offset: int = field(default=0, repr=False)

    def rows(self) -> Generator[RawRow, None, None]:
        """Stream the data rows from the start of the file; raises KpiFileError if it breaks."""
        return self.reader(self)


def column_positions(names: Sequence[str]) -> tuple[int, ...] | list[str]:
    """Positions of the required columns, or the names of those missing."""
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        key = "".join(name.split()).lower()
        if key in REQUIRED_COLUMNS:
            if key in positions:
                raise KpiFileError(T.COLUMN_TWICE % {"column": key})
            positions[key] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    return missing or tuple(positions[name] for name in REQUIRED_COLUMNS)


def missing_columns(missing: list[str]) -> KpiFileError:
    return KpiFileError(
        T.COLUMNS_MISSING % {"missing": ", ".join(missing), "columns": ", ".join(REQUIRED_COLUMNS)}
    )

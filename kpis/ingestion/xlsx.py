"""Reading an XLSX KPI file: the archive checked before anything inflates, then the first
sheet's cell values (not formulas) as raw rows."""

import math
import re
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache, partial
from typing import IO, Any

import openpyxl  # type: ignore[import-untyped]

from kpis.ingestion import texts as T
from kpis.ingestion.table import (
    DecimalMark,
    KpiFileError,
    KpiTable,
    RawRow,
    column_positions,
    missing_columns,
)

# A genuine workbook's XML compresses 5-30x; a zip bomb declares thousands. Small parts are
# left out of the ratio test because their ratio says nothing.
_MAX_MEMBERS = 10_000
_MAX_UNCOMPRESSED = 1 << 30
_MAX_RATIO = 100
_RATIO_FLOOR = 1 << 20
_MAX_CONTENT_TYPES = 1 << 20
_WORKBOOK_TYPE = b"spreadsheetml.sheet.main+xml"
# The cells of the first sheet read at most (KPI_XLSX_MAX_CELLS): a workbook under the ratio
# test can still inflate to hundreds of MB of XML and hold a worker for minutes.
DEFAULT_MAX_CELLS = 2_000_000


def too_many_cells(limit: int) -> str:
    """The refusal of a workbook with more than `limit` cells (the upload page says the same)."""
    return T.TOO_MANY_CELLS % {"limit": f"{limit:,}"}


def open_workbook(stream: IO[bytes], *, max_cells: int = DEFAULT_MAX_CELLS) -> KpiTable:
    _check_archive(stream)
    with _workbook(stream) as workbook:
        rows = enumerate(_sheet_rows(workbook, max_cells), start=1)
        for number, cells in rows:
            names = [_cell_text(cell) for cell in cells]
            if any(name.strip() for name in names):
                columns = column_positions(names)
                if isinstance(columns, list):
                    raise missing_columns(columns)
                if not any(_xlsx_row(n, row, columns) for n, row in rows):
                    raise KpiFileError(T.SHEET_NO_DATA_ROWS)
                reader = partial(_xlsx_rows, max_cells=max_cells)
                return KpiTable(
                    "xlsx", None, None, DecimalMark.EITHER, number, columns, stream, reader
                )
    raise KpiFileError(T.SHEET_EMPTY)


def _check_archive(stream: IO[bytes]) -> None:
    """Refuse zip bombs and non-xlsx archives from the zip's directory, before anything inflates."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as exc:
        raise KpiFileError(T.ZIP_DAMAGED) from exc
    with archive:
        members = archive.infolist()
        # zipfile stops inflating a member at its declared size, so the declared sizes are a bound.
        total = sum(member.file_size for member in members)
        bomb = len(members) > _MAX_MEMBERS or total > _MAX_UNCOMPRESSED
        for member in members:
            if member.flag_bits & 0x1:
                raise KpiFileError(T.WORKBOOK_ENCRYPTED)
            if member.file_size > _RATIO_FLOOR:
                bomb = bomb or member.file_size > _MAX_RATIO * max(member.compress_size, 1)
        if bomb:
            raise KpiFileError(T.ZIP_BOMB)
        names = {member.filename: member for member in members}
        types = names.get("[Content_Types].xml")
        if types is None or types.file_size > _MAX_CONTENT_TYPES:
            raise KpiFileError(T.ZIP_NOT_XLSX)
        content_types = archive.read(types)
    if b"macroEnabled" in content_types:
        raise KpiFileError(T.MACROS)
    if _WORKBOOK_TYPE not in content_types:
        raise KpiFileError(T.ZIP_NOT_XLSX)


@contextmanager
def _workbook(stream: IO[bytes]) -> Iterator[Any]:
    """The workbook, read-only with cached cell values; any failure inside is a KpiFileError."""
    workbook = None
    try:
        stream.seek(0)
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
        yield workbook
    except KpiFileError:
        raise
    except Exception as exc:  # a corrupt workbook can fail anywhere inside openpyxl
        raise KpiFileError(T.WORKBOOK_UNREADABLE % {"error": exc}) from exc
    finally:
        if workbook is not None:
            workbook.close()


def _sheet_rows(workbook: Any, max_cells: int) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows as they stream in; past `max_cells` cells, a KpiFileError."""
    if not workbook.worksheets:
        raise KpiFileError(T.NO_WORKSHEET)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # trust the rows, not the size the writer declared
    rows: Iterator[tuple[Any, ...]] = sheet.iter_rows()
    return _counted(rows, max_cells)


def _counted(rows: Iterator[tuple[Any, ...]], max_cells: int) -> Iterator[tuple[Any, ...]]:
    cells = 0
    for row in rows:
        cells += len(row)
        if cells > max_cells:
            raise KpiFileError(too_many_cells(max_cells))
        yield row


def _xlsx_rows(table: KpiTable, *, max_cells: int) -> Generator[RawRow, None, None]:
    with _workbook(table.stream) as workbook:
        for number, cells in enumerate(_sheet_rows(workbook, max_cells), start=1):
            if number > table.header_row:
                row = _xlsx_row(number, cells, table.columns)
                if row is not None:
                    yield row


def _xlsx_row(number: int, cells: Sequence[Any], columns: tuple[int, ...]) -> RawRow | None:
    c, p, ch, m, v, vo = (cells[i] if i < len(cells) else None for i in columns)
    contract = _cell_text(c)
    if not contract.strip() and not any(_cell_text(cell).strip() for cell in cells):
        return None
    return RawRow(
        number,
        contract,
        _cell_period(p),
        _cell_text(ch),
        _cell_text(m),
        _cell_number(v),
        _cell_number(vo),
    )


def _cell_text(cell: Any) -> str:
    value = None if cell is None else cell.value
    return "" if value is None else str(value)


def _cell_number(cell: Any) -> str | Decimal:
    """A numeric cell as an exact Decimal, scaled as shown when it is formatted as a percentage."""
    value = None if cell is None else cell.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return _cell_text(cell)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in _format_code(cell.number_format):
        number = number.scaleb(2)
    return number


def _cell_period(cell: Any) -> str:
    """A date cell as the period it shows: a month when its format shows no day, else a day."""
    value = None if cell is None else cell.value
    if isinstance(value, datetime):
        if value.time() != time(0):
            return value.isoformat(sep=" ")
        # Excel turns a typed "2026-03" into 1 March shown as "Mar-26": the user means the month.
        shows_day = "d" in _format_code(cell.number_format)
        return f"{value:%Y-%m-%d}" if shows_day else f"{value:%Y-%m}"
    if isinstance(value, date):
        return value.isoformat()
    return _cell_text(cell)


@lru_cache(maxsize=256)
def _format_code(number_format: str | None) -> str:
    """A number format without its quoted text, escapes and [colour]/[locale] parts."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").lower()

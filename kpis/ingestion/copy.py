"""Writing KPI rows with PostgreSQL's COPY: the raw rows of a file and the monthly values,
as COPY text built and escaped here (bulk_create on other databases)."""

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any

from django.db import connection

from core.channels import Channel
from kpis.ingestion.rows import ParsedRow
from kpis.ingestion.table import RawRow
from kpis.models import KpiRawRow, KpiValue

CHANNEL_TEXT: dict[Channel | None, str] = {None: "", **{c: c.value for c in Channel}}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_CONTROL = bytes([*range(0x09), *range(0x0B, 0x20)])  # control characters but tab and line feed
# COPY's text format: a backslash, and the characters that end a field or a line, escaped
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# The columns that a month's rows share come first: copy_text writes them once per month.
COPY_RAW = (
    "COPY kpis_kpirawrow (upload_id, contract_id, period, channel, metric, row, day, value, "
    "volume, raw) FROM STDIN"
)


@contextmanager
def raw_row_writer(
    upload_id: int, contract_ids: dict[str, int]
) -> Iterator[Callable[[list[ParsedRow]], None]]:
    """A function that stores batches of rows: one COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        yield partial(_create_rows, upload_id, contract_ids)
        return
    with copy_in(COPY_RAW) as copy:
        text = partial(copy_text, upload_id, contract_ids, {})
        yield lambda batch: copy.write(text(batch))


@contextmanager
def copy_in(sql: str) -> Iterator[Any]:
    """psycopg's COPY FROM STDIN on Django's connection, its errors raised as Django's."""
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(sql) as copy,
    ):
        yield copy


def copy_text(
    upload_id: int,
    contract_ids: dict[str, int],
    prefixes: dict[tuple[str, int, int, Channel | None, str], str],
    batch: list[ParsedRow],
) -> bytes:
    """A batch in COPY's text format (COPY_RAW's columns), UTF-8. This runs for every row, so
    the columns a month's rows share are formatted once (`prefixes`), and the batch is first
    written as if every cell were plain text, which nearly every file's are, then checked."""
    try:
        text = copy_lines(upload_id, contract_ids, prefixes, batch, escape=False)
    except TypeError:  # a workbook's number among the cells
        text = ""
    rows, data = len(batch), text.encode()
    # Each line has 9 tabs, 1 line end and 12 quotes (the raw cells' JSON); the other columns
    # hold no quote, and a backslash only in "\\N\t" (NULL). Anything else came from a cell.
    # (bytes.translate finds control characters ten times faster than a regular expression.)
    if (
        not text
        or text.count("\t") != 9 * rows
        or text.count("\n") != rows
        or text.count('"') != 12 * rows
        or text.count("\\") != text.count("\\N\t")
        or len(data.translate(None, _CONTROL)) != len(data)
    ):
        data = copy_lines(upload_id, contract_ids, prefixes, batch, escape=True).encode()
    return data


def copy_lines(
    upload_id: int,
    contract_ids: dict[str, int],
    prefixes: dict[tuple[str, int, int, Channel | None, str], str],
    batch: list[ParsedRow],
    *,
    escape: bool,
) -> str:
    channels, null, quoted, lines = CHANNEL_TEXT, "\\N", '","', []
    for number, contract, year, month, day, channel, metric, value, volume, raw in batch:
        key = (contract, year, month, channel, metric)
        prefix = prefixes.get(key)
        if prefix is None:
            prefix = prefixes[key] = (
                f"{upload_id}\t{contract_ids[contract]}\t{year:04d}-{month:02d}-01\t"
                f"{channels[channel]}\t{metric}\t"
            )
        cells_json = (
            _raw_json(raw) if escape else f'["{quoted.join(raw[1:])}"]'  # type: ignore[arg-type]
        )
        # !s: str() of a Decimal is the same text as format() with no spec, four times faster
        lines.append(
            f"{prefix}{number}\t{null if day is None else day}\t{value!s}\t"
            f"{null if volume is None else volume!s}\t{cells_json}\n"
        )
    return "".join(lines)


def _create_rows(upload_id: int, contract_ids: dict[str, int], batch: list[ParsedRow]) -> None:
    KpiRawRow.objects.bulk_create(
        [
            KpiRawRow(
                upload_id=upload_id,
                row=row.number,
                contract_id=contract_ids[row.contract],
                period=date(row.year, row.month, 1),
                day=row.day,
                channel=CHANNEL_TEXT[row.channel],
                metric=row.metric,
                value=row.value,
                volume=row.volume,
                raw=_raw_cells(row.raw),
            )  # fmt: skip
            for row in batch
        ],
        batch_size=500,
    )


def _raw_cells(raw: RawRow) -> list[str]:
    """The row's six cells as the file wrote them (a workbook's number as its exact digits)."""
    return [str(cell) for cell in raw[1:]]


def _raw_json(raw: RawRow) -> str:
    """The cells as JSON text, escaped for COPY's text format."""
    cells = _raw_cells(raw)
    if _NEEDS_ESCAPE.search("".join(cells)) is None:  # nearly every row: nothing to escape
        return '["' + '","'.join(cells) + '"]'
    # JSON escapes quotes and control characters; COPY then needs its backslashes doubled
    return json.dumps(list(cells), ensure_ascii=False).translate(_COPY_ESCAPES)


VALUE_COLUMNS = (
    "contract_id", "period", "channel", "metric", "value", "volume", "rows", "daily", "note",
    "revision", "is_current", "upload_id", "created_at",
)  # fmt: skip


def insert_values(rows: list[tuple[Any, ...]]) -> None:
    """Insert new KpiValue rows given in VALUE_COLUMNS order: COPY on PostgreSQL."""
    if connection.vendor != "postgresql":
        values = [KpiValue(**dict(zip(VALUE_COLUMNS, row, strict=True))) for row in rows]
        KpiValue.objects.bulk_create(values, batch_size=500)
        return
    with copy_in(f"COPY kpis_kpivalue ({', '.join(VALUE_COLUMNS)}) FROM STDIN") as copy:
        copy.write(_values_copy_text(rows))


def _values_copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """KpiValue rows in COPY's text format, written here: psycopg's write_row adapts each of
    their 13 fields in Python, a third of a second for a million-row file's 33,000 months.
    Only the note is free text; the codes come from the catalogue and the channel list."""
    null, lines = "\\N", []
    for (contract_id, period, channel, metric, value, volume, count, daily, note, revision,
         current, upload_id, created) in rows:  # fmt: skip
        lines.append(
            f"{contract_id}\t{period.isoformat()}\t{channel}\t{metric}\t"
            f"{null if value is None else value!s}\t{null if volume is None else volume!s}\t"
            f"{count}\t{'t' if daily else 'f'}\t{note.translate(_COPY_ESCAPES)}\t{revision}\t"
            f"{'t' if current else 'f'}\t{upload_id}\t{created.isoformat()}\n"
        )
    return "".join(lines).encode()

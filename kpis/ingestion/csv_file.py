"""Reading a CSV KPI file: its delimiter and header, its records as raw rows, and its lines
cut into parts that separate processes can read (kpis.ingestion.parts)."""

import csv
import io
import itertools
import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import IO, NamedTuple

from kpis.ingestion import texts as T
from kpis.ingestion.table import (
    READ_CHUNK,
    REQUIRED_COLUMNS,
    DecimalMark,
    KpiFileError,
    KpiTable,
    RawRow,
    column_positions,
    missing_columns,
)

DELIMITER_NAMES = {",": T.COMMA, ";": T.SEMICOLON, "\t": T.TAB}


# A comma file cannot use a decimal comma; Excel writes semicolons exactly where the comma is
# the decimal mark; a tab file (Excel's "Unicode text") may come from either kind of locale.
_MARKS = {",": DecimalMark.POINT, ";": DecimalMark.COMMA, "\t": DecimalMark.EITHER}


def open_text(stream: IO[bytes], label: str, codec: str, offset: int) -> KpiTable:
    """Read the header of a text file in a known encoding (kpis.ingestion.detect)."""
    with _text(stream, codec, offset) as lines:
        # The header is the first line with text; blank lines above it still count as rows.
        found = next(((n, line) for n, line in enumerate(lines, start=1) if line.strip()), None)
    if found is None:
        raise KpiFileError(T.NO_HEADER)
    header_row, line = found
    delimiter, columns = _delimiter_and_columns(line)
    mark = _MARKS[delimiter]
    table = KpiTable(
        "csv", label, delimiter, mark, header_row, columns, stream, _csv_rows, codec, offset
    )
    rows = table.rows()
    try:
        next(rows)  # raises when there is no data row, so that opening finds every file problem
    finally:
        rows.close()
    return table


@contextmanager
def _text(stream: IO[bytes], codec: str, offset: int) -> Iterator[io.TextIOWrapper]:
    stream.seek(offset)
    text = io.TextIOWrapper(stream, encoding=codec, errors="strict", newline="")
    try:
        yield text
    finally:
        text.detach()  # the caller owns the stream: closing the wrapper would close it


def _delimiter_and_columns(line: str) -> tuple[str, tuple[int, ...]]:
    """The one delimiter with which the header names every required column."""
    present = [d for d in DELIMITER_NAMES if d in line]
    if not present:
        raise KpiFileError(T.NO_DELIMITER % {"columns": ", ".join(REQUIRED_COLUMNS)})
    fits: list[tuple[str, tuple[int, ...]]] = []
    missing: list[str] = []
    for delimiter in present:
        found = column_positions(next(csv.reader([line], delimiter=delimiter)))
        if isinstance(found, tuple):
            fits.append((delimiter, found))
        else:
            missing = found
    names = ", ".join(DELIMITER_NAMES[d] for d in present)
    if len(fits) > 1:
        raise KpiFileError(T.DELIMITER_AMBIGUOUS % {"names": names})
    if fits:
        return fits[0]
    if len(present) > 1:
        raise KpiFileError(T.DELIMITERS_MIXED % {"names": names})
    raise missing_columns(missing)


def _csv_rows(table: KpiTable) -> Generator[RawRow, None, None]:
    with _text(table.stream, table.codec, table.text_offset) as lines:
        for _ in range(table.header_row):
            next(lines)
        reader = csv.reader(lines, delimiter=table.delimiter or ",", strict=True)
        count = yield from _records(reader, table.columns, table.header_row)
    if not count:
        raise KpiFileError(T.NO_DATA_ROWS)


def _records(
    reader: Iterator[list[str]], columns: tuple[int, ...], number: int
) -> Generator[RawRow, None, int]:
    """The data rows of CSV records, numbered on from `number`; returns how many there were."""
    count = 0
    c, p, ch, m, v, vo = columns
    width = max(columns) + 1
    try:
        for record in reader:
            number += 1  # a record is one spreadsheet row, even with a newline in quotes
            if len(record) < width or not record[c].strip():
                if not any(cell.strip() for cell in record):
                    continue
                record += [""] * (width - len(record))
            count += 1
            yield RawRow(number, record[c], record[p], record[ch], record[m], record[v], record[vo])
    except csv.Error as exc:
        raise KpiFileError(T.CSV_ROW_UNREADABLE % {"row": number + 1, "error": exc}) from exc
    return count


# --- a large CSV in parts -------------------------------------------------------------------

# Where one line is always one row: no quote anywhere (so no newline inside a cell) and no
# carriage return that does not end a line, in an encoding where "\n" is the byte 0x0A.
_ONE_LINE_CODECS = {"utf-8", "cp1252"}


class CsvPart(NamedTuple):
    """A run of whole lines of a CSV file: bytes [start, end), the first being row first_row."""

    start: int
    end: int
    first_row: int


def csv_parts(table: KpiTable, count: int) -> list[CsvPart] | None:
    """The data lines of a CSV file cut into `count` parts of about the same size, each with
    the spreadsheet row it starts at; None when the file cannot be cut by lines (a workbook,
    UTF-16, a quote, a stray carriage return, a stream with no file descriptor)."""
    if table.format != "csv" or table.codec not in _ONE_LINE_CODECS or count < 2:
        return None
    try:
        fd = table.stream.fileno()
    except (AttributeError, OSError):
        return None
    size = os.fstat(fd).st_size
    data_start = _after_lines(fd, table.text_offset, size, table.header_row)
    if data_start is None:
        return None
    bounds = [data_start]
    for k in range(1, count):
        target = data_start + (size - data_start) * k // count
        cut = _next_line(fd, max(target, bounds[-1]), size)
        if cut < size:
            bounds.append(cut)
    bounds.append(size)
    # One read of the whole file: it may be cut by lines, and each part's line ends are
    # counted, which give the spreadsheet row the next part starts at.
    line_ends, position = [0] * (len(bounds) - 1), table.text_offset
    for chunk in _pieces(fd, table.text_offset, size):
        # bytes.count and `in` run at memory speed; a regex took half a second on 50 MB
        if b'"' in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
            return None
        end = position + len(chunk)
        for n, (first, last) in enumerate(itertools.pairwise(bounds)):
            if first < end and position < last:
                line_ends[n] += chunk.count(b"\n", max(first, position) - position,
                                            min(last, end) - position)  # fmt: skip
        position = end
    parts, row = [], table.header_row + 1
    for (first, last), ends in zip(itertools.pairwise(bounds), line_ends, strict=True):
        parts.append(CsvPart(first, last, row))
        row += ends
    return parts if len(parts) > 1 else None


def _after_lines(fd: int, position: int, size: int, lines: int) -> int | None:
    """The offset just after the lines-th line end from position (the header's end), or None
    when the file has fewer."""
    for chunk in _pieces(fd, position, size):
        found = chunk.count(b"\n")
        if found >= lines:
            at = -1
            for _ in range(lines):
                at = chunk.index(b"\n", at + 1)
            return position + at + 1
        lines -= found
        position += len(chunk)
    return None


def _pieces(fd: int, start: int, end: int) -> Iterator[bytes]:
    """Bytes [start, end) of a file in chunks that end at a line end (but the last), read with
    pread so that the file's position, shared with a forked process, is never moved."""
    rest = b""
    while start < end:
        chunk = os.pread(fd, min(READ_CHUNK, end - start), start)
        if not chunk:
            break
        start += len(chunk)
        chunk = rest + chunk
        cut = chunk.rfind(b"\n") if start < end else len(chunk) - 1
        if cut < 0:
            rest = chunk
            continue
        rest = chunk[cut + 1 :]
        yield chunk[: cut + 1]
    if rest:
        yield rest


def _next_line(fd: int, position: int, size: int) -> int:
    """The offset just after the first line end at or after position (size if none)."""
    while position < size:
        chunk = os.pread(fd, min(1 << 16, size - position), position)
        at = chunk.find(b"\n")
        if at >= 0:
            return position + at + 1
        position += len(chunk)
    return size


def csv_part_rows(table: KpiTable, part: CsvPart) -> Generator[RawRow, None, int]:
    """The data rows of one part, numbered as reading the whole file would number them."""
    codec = table.codec

    def lines(piece: bytes) -> io.StringIO:
        # StringIO with newline="" ends lines where the whole-file reader (TextIOWrapper with
        # newline="") does, at \n, \r\n or \r, unlike str.splitlines.
        return io.StringIO(piece.decode(codec), newline="")

    pieces = _pieces(table.stream.fileno(), part.start, part.end)
    # chain and map iterate in C: no Python frame per line
    text = itertools.chain.from_iterable(map(lines, pieces))
    reader = csv.reader(text, delimiter=table.delimiter or ",", strict=True)
    return (yield from _records(reader, table.columns, part.first_row - 1))
